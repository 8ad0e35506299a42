namespace Registry.Domain.Notices;

/// <summary>What a department is told about a change: each kind names what happened, never the raw event.</summary>
public enum NoticeKind { EligibilityChanged, EntitlementStatusChanged, BeneficiaryDied, HouseholdChanged, ParametersPublished }

/// <summary>How a subscription's notices are posted: the register's own batch, or the DCI standard's signed notify envelope.</summary>
public enum NoticeFormat { Registry, Dci }
