namespace Registry.Domain.Simulation;

/// <summary>What a set of people amounts to before and after a proposal: counts of people and monthly cost.</summary>
public sealed record SimulationTally(
    long Population, long EligibleBefore, long EligibleAfter, long NewlyEligible, long NoLongerEligible, long AmountUp, long AmountDown,
    decimal MonthlyCostBefore, decimal MonthlyCostAfter)
{
    public static readonly SimulationTally Zero = new(0, 0, 0, 0, 0, 0, 0, 0m, 0m);

    public static SimulationTally Of(SimulatedOutcome o) => new(1,
        o.Before.Eligible ? 1 : 0, o.After.Eligible ? 1 : 0,
        o.Kind == SimulationChangeKind.NewlyEligible ? 1 : 0, o.Kind == SimulationChangeKind.NoLongerEligible ? 1 : 0,
        o.Kind == SimulationChangeKind.AmountUp ? 1 : 0, o.Kind == SimulationChangeKind.AmountDown ? 1 : 0,
        o.Before.Cost, o.After.Cost);

    public SimulationTally Plus(SimulationTally t) => new(Population + t.Population, EligibleBefore + t.EligibleBefore, EligibleAfter + t.EligibleAfter,
        NewlyEligible + t.NewlyEligible, NoLongerEligible + t.NoLongerEligible, AmountUp + t.AmountUp, AmountDown + t.AmountDown,
        MonthlyCostBefore + t.MonthlyCostBefore, MonthlyCostAfter + t.MonthlyCostAfter);
}

/// <summary>Tallies by cell: <see cref="Summary"/> for everyone, "DIMENSION:key" for each breakdown.</summary>
public static class SimulationCells
{
    public const string Summary = "";

    public static string Key(SimulationDimension dimension, string key) => $"{dimension}:{key}";

    /// <summary>Adds a person's outcome to the summary and to one cell per dimension.</summary>
    public static void Add(Dictionary<string, SimulationTally> cells, SimulatedOutcome outcome, IReadOnlyDictionary<SimulationDimension, string> place)
    {
        var one = SimulationTally.Of(outcome);
        Add(cells, Summary, one);
        foreach (var (dimension, key) in place) Add(cells, Key(dimension, key), one);
    }

    public static Dictionary<string, SimulationTally> Merge(IReadOnlyDictionary<string, SimulationTally> into, IReadOnlyDictionary<string, SimulationTally> more)
    {
        var merged = new Dictionary<string, SimulationTally>(into);
        foreach (var (key, tally) in more) Add(merged, key, tally);
        return merged;
    }

    private static void Add(Dictionary<string, SimulationTally> cells, string key, SimulationTally tally) =>
        cells[key] = cells.TryGetValue(key, out var sum) ? sum.Plus(tally) : tally;
}
