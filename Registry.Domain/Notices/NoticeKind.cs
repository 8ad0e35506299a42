namespace Registry.Domain.Notices;

/// <summary>What a department is told about a change: each kind names what happened, never the raw event.</summary>
public enum NoticeKind { EligibilityChanged, EntitlementStatusChanged, BeneficiaryDied, HouseholdChanged, ParametersPublished }
