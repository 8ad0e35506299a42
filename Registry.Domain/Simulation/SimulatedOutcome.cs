using Registry.Domain.Eligibility;

namespace Registry.Domain.Simulation;

public enum SimulationChangeKind { NewlyEligible, NoLongerEligible, AmountUp, AmountDown }

public enum SimulationDimension { Province, Municipality, AgeBand, Sex, HouseholdSize }

/// <summary>One side of a person's comparison: eligible or not, and the monthly amount when eligible.</summary>
public sealed record SimulatedSide(bool Eligible, decimal? MonthlyAmount)
{
    public decimal Cost => Eligible ? MonthlyAmount ?? 0m : 0m;

    public static SimulatedSide Of(EligibilityDecision d) => new(d.Eligible, d.Eligible ? d.MonthlyAmount : null);
}

public sealed record CriterionSide(bool Passed, string? Observed);

/// <summary>A criterion whose outcome or threshold differs between the two parameter sets: why the person moved.</summary>
public sealed record ChangedCriterion(string Criterion, CriterionSide Before, CriterionSide After, string? Threshold, string? ThresholdBefore);

/// <summary>A person decided under the baseline and under the proposal, with what moved between them.</summary>
public sealed record SimulatedOutcome(SimulatedSide Before, SimulatedSide After, SimulationChangeKind? Kind, IReadOnlyList<ChangedCriterion> ChangedCriteria)
{
    /// <summary>Both decisions were taken on the same facts and rule version; only the parameters differ.</summary>
    public static SimulatedOutcome Compare(EligibilityDecision before, EligibilityDecision after)
    {
        var b = SimulatedSide.Of(before);
        var a = SimulatedSide.Of(after);
        SimulationChangeKind? kind = (b.Eligible, a.Eligible) switch
        {
            (false, true) => SimulationChangeKind.NewlyEligible,
            (true, false) => SimulationChangeKind.NoLongerEligible,
            (true, true) when a.Cost > b.Cost => SimulationChangeKind.AmountUp,
            (true, true) when a.Cost < b.Cost => SimulationChangeKind.AmountDown,
            _ => null,
        };
        var earlier = before.Reasons.ToDictionary(r => r.Criterion);
        var changed = after.Reasons
            .Select(r => (now: r, then: earlier.GetValueOrDefault(r.Criterion)))
            .Where(x => x.then is null || x.then.Passed != x.now.Passed || x.then.Threshold != x.now.Threshold)
            .Select(x => new ChangedCriterion(x.now.Criterion,
                new CriterionSide(x.then?.Passed ?? false, x.then?.Observed), new CriterionSide(x.now.Passed, x.now.Observed), x.now.Threshold, x.then?.Threshold))
            .ToList();
        return new SimulatedOutcome(b, a, kind, changed);
    }

    /// <summary>The band a person's age falls in on the date, as the register's statistics band it.</summary>
    public static string AgeBand(int age) => age switch { < 18 => "0-17", < 35 => "18-34", < 60 => "35-59", _ => "60+" };

    /// <summary>Households of six and more are one band; a person in no recorded household is "none".</summary>
    public static string HouseholdSize(int? members) => members switch { null or 0 => "none", >= 6 => "6+", var n => n.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
