using Registry.Domain.Common;

namespace Registry.Domain.Citizens;

/// <summary>Why the register may no longer hold a person's data (POPIA s14 and s24).</summary>
public enum ErasureBasis
{
    /// <summary>The data should never have been collected (s24(1)(a)).</summary>
    UnlawfullyCollected,
    /// <summary>The register is no longer authorised to retain it (s14, s24(1)(b)).</summary>
    RetentionExpired,
    /// <summary>A court ordered it destroyed.</summary>
    CourtOrder,
    /// <summary>The data subject asked, and the Information Regulator or the register's officer upheld it (s24(1)).</summary>
    SubjectRequest,
}

/// <summary>
/// The person's data key was destroyed: every personal value in their events now reads as erased. Names the
/// categories erased and the legal basis, never a value; the reason travels as the event's reason header.
/// </summary>
public sealed record CitizenErased(ErasureBasis LegalBasis, IReadOnlyList<string> Categories);

public static class Erasure
{
    /// <summary>What a sealed text reads as once its key is gone.</summary>
    public const string Placeholder = "[erased]";

    /// <summary>The cause of the terminations an erasure appends; the fold also forgets the decision it held.</summary>
    public const string TerminationCause = "erasure";

    public static Decision Erase(Citizen citizen, ErasureBasis? basis, string? reason, bool heldEntitlements)
    {
        if (basis is not { } legalBasis || !Enum.IsDefined(legalBasis))
            return Decision.Reject(ErrorCodes.LegalBasisRequired, "An erasure needs its legal basis.", "legalBasis");
        if (string.IsNullOrWhiteSpace(reason))
            return Decision.Reject(ErrorCodes.ReasonRequired, "An erasure needs a reason, e.g. the request or court order reference.", "reason");
        return Decision.Accept(new CitizenErased(legalBasis, CategoriesOf(citizen, heldEntitlements)));
    }

    /// <summary>The kinds of personal data the register held on the person (always identity, names and address).</summary>
    public static IReadOnlyList<string> CategoriesOf(Citizen c, bool heldEntitlements)
    {
        var categories = new List<string> { "ID_NUMBER", "NAMES", "DATE_OF_BIRTH", "SEX", "CITIZENSHIP", "ADDRESS", "REASONS" };
        if (c.MonthlyIncome is not null) categories.Add("INCOME");
        if (c.Disability is not null) categories.Add("DISABILITY");
        if (c.DateOfDeath is not null) categories.Add("DATE_OF_DEATH");
        if (c.Orphaned) categories.Add("ORPHANHOOD");
        if (c.School is not null) categories.Add("SCHOOL_ATTENDANCE");
        if (c.SchoolFees is { Count: > 0 }) categories.Add("SCHOOL_FEES");
        if (heldEntitlements) categories.Add("ELIGIBILITY_DECISIONS");
        return categories;
    }
}
