using Registry.Domain.Eligibility;
using Registry.Domain.Programmes;

namespace Registry.Domain.Entitlements;

// Events of the Entitlement stream: one stream per beneficiary × programme.

public sealed record EntitlementApplied(Guid EntitlementId, ProgrammeCode Programme, Guid BeneficiaryId, Guid? ApplicantId);

/// <summary>The full decision as taken: inputs, rule and parameter versions, reasons — enough to replay it years later.</summary>
public sealed record EntitlementAssessed(Guid DecisionId, EligibilityDecision Decision, EligibilityFacts Inputs);

public sealed record EntitlementGranted(Guid DecisionId, decimal? MonthlyAmount, DateOnly Since);

public sealed record EntitlementRejected(Guid DecisionId);

public sealed record EntitlementSuspended(DateOnly From);

public sealed record EntitlementReinstated(DateOnly From);
