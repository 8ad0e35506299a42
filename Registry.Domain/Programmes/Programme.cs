namespace Registry.Domain.Programmes;

public enum ProgrammeCode
{
    ChildSupportGrant,
    OlderPersonsGrant,
    DisabilityGrant,
    FosterChildGrant,
    CareDependencyGrant,
    SocialReliefOfDistress,
    HousingSubsidyBng,
    HousingSubsidyFlisp,
    SchoolFeeExemption,
    MunicipalIndigent,
}

/// <summary>Which department runs a programme: its read model and its `department:CODE` role.</summary>
public static class Departments
{
    public const string SocialDevelopment = "SASSA";
    public const string HumanSettlements = "DHS";
    public const string BasicEducation = "DBE";
    public const string Municipality = "MUNICIPALITY";
    public const string Statistics = "STATSSA";
}

/// <summary>The fixed facts about a programme; its figures are data (parameter sets), never here.</summary>
public sealed record ProgrammeInfo(ProgrammeCode Code, string Name, string Department, bool IsSocialGrant)
{
    public static readonly IReadOnlyList<ProgrammeInfo> All =
    [
        new(ProgrammeCode.ChildSupportGrant, "Child Support Grant", Departments.SocialDevelopment, true),
        new(ProgrammeCode.OlderPersonsGrant, "Older Person's Grant", Departments.SocialDevelopment, true),
        new(ProgrammeCode.DisabilityGrant, "Disability Grant", Departments.SocialDevelopment, true),
        new(ProgrammeCode.FosterChildGrant, "Foster Child Grant", Departments.SocialDevelopment, true),
        new(ProgrammeCode.CareDependencyGrant, "Care Dependency Grant", Departments.SocialDevelopment, true),
        new(ProgrammeCode.SocialReliefOfDistress, "Social Relief of Distress", Departments.SocialDevelopment, true),
        new(ProgrammeCode.HousingSubsidyBng, "BNG (RDP) full housing subsidy", Departments.HumanSettlements, false),
        new(ProgrammeCode.HousingSubsidyFlisp, "Finance-Linked Individual Subsidy (FLISP)", Departments.HumanSettlements, false),
        new(ProgrammeCode.SchoolFeeExemption, "School fee exemption", Departments.BasicEducation, false),
        new(ProgrammeCode.MunicipalIndigent, "Municipal indigent support (free basic services)", Departments.Municipality, false),
    ];

    public static ProgrammeInfo Of(ProgrammeCode code) => All.Single(p => p.Code == code);

    /// <summary>Each programme has one stream of parameter publications, with a fixed id.</summary>
    public static Guid StreamIdFor(ProgrammeCode code) =>
        new(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"programme:{code}")).AsSpan(0, 16));
}
