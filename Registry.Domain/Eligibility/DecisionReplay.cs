using Registry.Domain.Programmes;

namespace Registry.Domain.Eligibility;

/// <summary>A recorded decision run again from its stored inputs, and what differs.</summary>
public sealed record DecisionComparison(EligibilityDecision Original, EligibilityDecision Replayed, IReadOnlyList<string> Differences)
{
    public bool Identical => Differences.Count == 0;

    /// <summary>Re-runs a decision from its recorded inputs with the given parameters (the same set, or today's).</summary>
    public static DecisionComparison Replay(EligibilityDecision original, EligibilityFacts inputs, ParameterSet parameters)
    {
        var replayed = EligibilityRules.Evaluate(original.Programme, inputs, parameters, original.On);
        return new DecisionComparison(original, replayed, Compare(original, replayed));
    }

    public static IReadOnlyList<string> Compare(EligibilityDecision a, EligibilityDecision b)
    {
        var differences = new List<string>();
        void Diff<T>(string what, T x, T y)
        {
            if (!EqualityComparer<T>.Default.Equals(x, y)) differences.Add($"{what}: {x?.ToString() ?? "none"} → {y?.ToString() ?? "none"}");
        }
        Diff("ruleVersion", a.RuleVersion, b.RuleVersion);
        Diff("parameterVersion", a.ParameterVersion, b.ParameterVersion);
        Diff("eligible", a.Eligible, b.Eligible);
        Diff("monthlyAmount", a.MonthlyAmount, b.MonthlyAmount);
        Diff("outcome", a.Outcome, b.Outcome);
        foreach (var criterion in a.Reasons.Select(r => r.Criterion).Union(b.Reasons.Select(r => r.Criterion)))
        {
            var (x, y) = (a.Reasons.FirstOrDefault(r => r.Criterion == criterion), b.Reasons.FirstOrDefault(r => r.Criterion == criterion));
            if (x is null || y is null) { differences.Add($"{criterion}: {(x is null ? "not in the original" : "not in the replay")}"); continue; }
            Diff($"{criterion}.passed", x.Passed, y.Passed);
            Diff($"{criterion}.observed", x.Observed, y.Observed);
            Diff($"{criterion}.threshold", x.Threshold, y.Threshold);
        }
        return differences;
    }
}
