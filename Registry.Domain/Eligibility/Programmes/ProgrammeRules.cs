using Registry.Domain.Programmes;

namespace Registry.Domain.Eligibility.Programmes;

/// <summary>One programme's rule set: a pure function of (facts on D, parameters in force on D).</summary>
public interface IProgrammeRules
{
    ProgrammeCode Programme { get; }

    /// <summary>The figures the rules read; a publication must carry all of them.</summary>
    IReadOnlyList<string> ParameterKeys { get; }

    EligibilityDecision Evaluate(EligibilityFacts facts, ParameterSet parameters, DateOnly on);
}

/// <summary>A programme's figures, typed, read from a <see cref="ParameterSet"/> once per evaluation.</summary>
public interface IProgrammeParameters<TSelf> where TSelf : IProgrammeParameters<TSelf>
{
    /// <summary>The published names, in publication order; <see cref="From"/> reads no others.</summary>
    static abstract IReadOnlyList<string> Keys { get; }

    /// <summary>Fails as the set's indexer does (<see cref="KeyNotFoundException"/>) when a figure is missing.</summary>
    static abstract TSelf From(ParameterSet set);
}

/// <summary>What a programme's own criteria add to the decision besides their reasons.</summary>
internal readonly record struct Assessment(decimal? MonthlyAmount, string? Outcome = null);

/// <summary>Every programme first asks whether the person was alive; then its own criteria; then all must pass.</summary>
internal abstract class ProgrammeRules<TParameters> : IProgrammeRules where TParameters : IProgrammeParameters<TParameters>
{
    public abstract ProgrammeCode Programme { get; }

    public IReadOnlyList<string> ParameterKeys => TParameters.Keys;

    public EligibilityDecision Evaluate(EligibilityFacts facts, ParameterSet parameters, DateOnly on)
    {
        var p = TParameters.From(parameters);
        var check = new Checks(parameters.LegalReference);
        check.Alive(facts.Person, on);
        var (amount, outcome) = Assess(check, facts, p, on);
        var eligible = check.AllPassed;
        return new EligibilityDecision(facts.Person.IdNumber, Programme, on, eligible, eligible ? amount : null, check.Reasons,
            EligibilityRules.RuleVersion, parameters.Version, outcome);
    }

    protected abstract Assessment Assess(Checks check, EligibilityFacts facts, TParameters p, DateOnly on);
}

/// <summary>The means test's annual income ceilings, shared by the social grants that test means.</summary>
public sealed record MeansTestCeilings(decimal SingleAnnual, decimal MarriedAnnual) : IProgrammeParameters<MeansTestCeilings>
{
    public static IReadOnlyList<string> Keys { get; } = ["incomeCeilingSingleAnnual", "incomeCeilingMarriedAnnual"];

    public static MeansTestCeilings From(ParameterSet set) => new(set["incomeCeilingSingleAnnual"], set["incomeCeilingMarriedAnnual"]);
}
