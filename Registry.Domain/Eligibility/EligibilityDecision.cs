using Registry.Domain.Programmes;

namespace Registry.Domain.Eligibility;

/// <summary>One criterion of a decision: what was looked at, the limit, the law, and a sentence for the citizen.</summary>
public sealed record Reason(string Criterion, bool Passed, string? Observed, string? Threshold, string? LegalReference, string Message);

public sealed record EligibilityDecision(
    string IdNumber,
    ProgrammeCode Programme,
    DateOnly On,
    bool Eligible,
    decimal? MonthlyAmount,
    IReadOnlyList<Reason> Reasons,
    string RuleVersion,
    string ParameterVersion,
    string? Outcome = null);
