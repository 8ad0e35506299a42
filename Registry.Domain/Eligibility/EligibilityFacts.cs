using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Programmes;

namespace Registry.Domain.Eligibility;

/// <summary>A person as the register knew them on the evaluation date.</summary>
public sealed record PersonFacts(
    Guid CitizenId, string IdNumber, DateOnly DateOfBirth, Citizenship Citizenship,
    DateOnly? DateOfDeath, decimal? MonthlyIncome, Disability? Disability, bool Orphaned = false, SchoolAttendance? School = null)
{
    public static PersonFacts From(Citizen c) =>
        new(c.Id, c.IdNumber, c.DateOfBirth, c.Citizenship, c.DateOfDeath, c.MonthlyIncome, c.Disability, c.Orphaned, c.School);

    public bool AttendingSchool => School is { Attending: true };

    public bool AliveOn(DateOnly on) => DateOfDeath is not { } died || died > on;

    /// <summary>Completed years on the date: a person turns 18 on their 18th birthday.</summary>
    public int AgeOn(DateOnly on)
    {
        var age = on.Year - DateOfBirth.Year;
        return DateOfBirth.AddYears(age) > on ? age - 1 : age;
    }

    public decimal IncomeMonthly => MonthlyIncome ?? 0m;
}

public sealed record HouseholdMemberFacts(PersonFacts Person, Relationship Relationship);

public sealed record HouseholdFacts(Guid HouseholdId, Guid HeadCitizenId, string MunicipalityCode, IReadOnlyList<HouseholdMemberFacts> Members)
{
    public PersonFacts? Head => Members.FirstOrDefault(m => m.Person.CitizenId == HeadCitizenId)?.Person;

    /// <summary>Gross household income: the living members' declared incomes.</summary>
    public decimal MonthlyIncomeOn(DateOnly on) => Members.Where(m => m.Person.AliveOn(on)).Sum(m => m.Person.IncomeMonthly);

    /// <summary>A spouse is recorded relative to the head, so the head and a SPOUSE member are each other's spouse.</summary>
    public PersonFacts? SpouseOf(Guid citizenId)
    {
        if (citizenId == HeadCitizenId) return Members.FirstOrDefault(m => m.Relationship == Relationship.Spouse)?.Person;
        var member = Members.FirstOrDefault(m => m.Person.CitizenId == citizenId);
        return member?.Relationship == Relationship.Spouse ? Head : null;
    }

    public Relationship? RelationshipOf(Guid citizenId) => Members.FirstOrDefault(m => m.Person.CitizenId == citizenId)?.Relationship;

    /// <summary>Kinship care: the child lives with a relative who heads the household (a grandparent, sibling, aunt or uncle).</summary>
    public bool InKinshipCare(Guid childId) => RelationshipOf(childId) is Relationship.Grandchild or Relationship.Sibling or Relationship.OtherRelative;
}

/// <summary>An entitlement the register holds for someone: what it is for and whether it was active on the date.</summary>
public sealed record EntitlementHolding(Guid EntitlementId, ProgrammeCode Programme, Guid BeneficiaryId, bool ActiveOnDate, bool EverGranted);

/// <summary>The charges of the learner's school for the school year of the evaluation date, as recorded on the learner.</summary>
public sealed record SchoolCharges(decimal AnnualFees, decimal OtherAnnualCharges);

/// <summary>Everything one evaluation reads. Same facts + same rule version + same parameters → same decision.</summary>
public sealed record EligibilityFacts(
    PersonFacts Person,
    HouseholdFacts? Household,
    IReadOnlyList<EntitlementHolding> Entitlements,
    PersonFacts? Applicant = null,
    SchoolCharges? SchoolCharges = null,
    Guid? AssessedEntitlementId = null);
