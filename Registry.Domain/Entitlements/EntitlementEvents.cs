using Registry.Domain.Eligibility;
using Registry.Domain.Programmes;

namespace Registry.Domain.Entitlements;

// Events of the Entitlement stream: one stream per beneficiary × programme.

public sealed record EntitlementApplied(Guid EntitlementId, ProgrammeCode Programme, Guid BeneficiaryId, Guid? ApplicantId);

/// <summary>The full decision as taken: inputs, rule and parameter versions, reasons — enough to replay it years later.</summary>
public sealed record EntitlementAssessed(Guid DecisionId, EligibilityDecision Decision, EligibilityFacts Inputs);

public sealed record EntitlementGranted(Guid DecisionId, decimal? MonthlyAmount, DateOnly Since);

public sealed record EntitlementRejected(Guid DecisionId);

/// <summary>Who suspended decides who may lift it: a re-assessment's suspension lifts itself when the person qualifies again.</summary>
public enum SuspendedBy { Caseworker, Reassessment }

public sealed record EntitlementSuspended(DateOnly From, SuspendedBy By = SuspendedBy.Caseworker);

public sealed record EntitlementReinstated(DateOnly From);

/// <summary>The child grew past the programme's age limit (or an adult past the grant's upper age).</summary>
public sealed record EntitlementLapsed(DateOnly From);

/// <summary>Ended for good, e.g. from the date of death.</summary>
public sealed record EntitlementTerminated(DateOnly From, string Cause);

public sealed record EntitlementAmountChanged(decimal? MonthlyAmount, DateOnly From);

/// <summary>A re-assessment triggered by a change elsewhere (income, household, death, new parameters).</summary>
/// <remarks>
/// <see cref="Cause"/> is the sentence for the history; <see cref="CauseSource"/> names the change it came
/// from (absent on re-assessments recorded before causes were typed, whose sentence served as the key).
/// </remarks>
public sealed record EntitlementReassessed(Guid DecisionId, string Cause, EligibilityDecision Decision, EligibilityFacts Inputs,
    ReassessmentTrigger? Trigger = null, string? CauseSource = null);
