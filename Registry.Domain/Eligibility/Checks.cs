using System.Globalization;
using Registry.Domain.Eligibility.Programmes;
using Registry.Domain.Programmes;
using static System.FormattableString;

namespace Registry.Domain.Eligibility;

/// <summary>
/// Collects one reason per criterion: the criteria several programmes share.
/// Every number and date in reason text is formatted invariantly: a decision is replayed and compared on any server.
/// </summary>
internal sealed class Checks(string legalReference)
{
    private readonly List<Reason> _reasons = [];
    public IReadOnlyList<Reason> Reasons => _reasons;
    public bool AllPassed => _reasons.All(r => r.Passed);

    public static string Rand(decimal amount) => "R" + amount.ToString("#,##0.##", CultureInfo.InvariantCulture);

    public void Add(string criterion, bool passed, string? observed, string? threshold, string message) =>
        _reasons.Add(new Reason(criterion, passed, observed, threshold, legalReference, message));

    public void Alive(PersonFacts person, DateOnly on)
    {
        if (on < person.DateOfBirth)
        {
            Add("alive", false, "not yet born", "alive on the date", "The person was not yet born on this date.");
            return;
        }
        Add("alive", person.AliveOn(on), person.AliveOn(on) ? "alive" : Invariant($"died {person.DateOfDeath:yyyy-MM-dd}"), "alive on the date",
            person.AliveOn(on) ? "The person is alive on this date." : "The person had died by this date; entitlements end from the date of death.");
    }

    public void MinimumAge(PersonFacts person, DateOnly on, decimal minAge)
    {
        var age = person.AgeOn(on);
        Add("age", age >= minAge, Invariant($"{age}"), Invariant($"≥ {minAge}"),
            age >= minAge ? Invariant($"The person is {age}, at least {minAge}.") : Invariant($"The person is {age}, younger than {minAge}."));
    }

    public void AgeBetween(PersonFacts person, DateOnly on, decimal minAge, decimal maxAge)
    {
        var age = person.AgeOn(on);
        var ok = age >= minAge && age <= maxAge;
        Add("age", ok, Invariant($"{age}"), Invariant($"{minAge} – {maxAge}"),
            ok ? Invariant($"The person is {age}, within {minAge} to {maxAge}.") : Invariant($"The person is {age}, outside {minAge} to {maxAge}."));
    }

    public void UnderAge(PersonFacts person, DateOnly on, decimal ageLimit)
    {
        var age = person.AgeOn(on);
        Add("age", age < ageLimit, Invariant($"{age}"), Invariant($"< {ageLimit}"),
            age < ageLimit ? Invariant($"The child is {age}, under {ageLimit}.") : Invariant($"The child is {age}; the grant ends at {ageLimit}."));
    }

    /// <summary>A foster child's grant runs to 18, or to 21 while the child is still in school (sets from before that figure lack it).</summary>
    public void FosterChildAge(PersonFacts person, DateOnly on, decimal ageLimit, decimal? ageLimitInSchool)
    {
        if (ageLimitInSchool is not { } inSchoolLimit)
        {
            UnderAge(person, on, ageLimit);
            return;
        }
        var age = person.AgeOn(on);
        var inSchool = person.AttendingSchool;
        var limit = inSchool ? inSchoolLimit : ageLimit;
        var ok = age < limit;
        Add("age", ok, inSchool ? Invariant($"{age}, attending school") : Invariant($"{age}"), Invariant($"< {ageLimit}, or < {inSchoolLimit} while in school"),
            ok ? Invariant($"The child is {age}, under {limit}{(inSchool ? " while in school" : "")}.")
               : inSchool ? Invariant($"The child is {age}; the grant ends at {limit} even while in school.")
               : Invariant($"The child is {age} and not recorded as attending school; the grant ends at {limit}."));
    }

    /// <summary>
    /// The CSG Top-Up: an orphan in the care of a relative gets the extra amount. It adds to the grant and
    /// never decides eligibility, so its reason passes either way and the sentence says whether it applies.
    /// </summary>
    public decimal OrphanTopUp(EligibilityFacts facts, decimal? topUpMonthlyAmount)
    {
        if (topUpMonthlyAmount is not { } topUp) return 0m;
        var child = facts.Person;
        var kinship = facts.Household?.InKinshipCare(child.CitizenId) ?? false;
        var applies = child.Orphaned && kinship;
        var observed = !child.Orphaned ? "not recorded as an orphan" : kinship ? $"orphan, {facts.Household!.RelationshipOf(child.CitizenId)} of the head" : "orphan, not in a relative's care";
        Add("orphanTopUp", true, observed, "orphan in the care of a relative",
            applies ? $"The CSG Top-Up of {Rand(topUp)} a month is added: the child is an orphan in the care of a relative."
                    : "No CSG Top-Up: it is paid for orphans in the care of a relative.");
        return applies ? topUp : 0m;
    }

    public void Disabled(PersonFacts person, DateOnly on, bool permanentOnly)
    {
        var d = person.Disability;
        var current = d is { Disabled: true } && (d.Permanent || !permanentOnly && d.ReviewDate is { } review && review >= on);
        var observed = d is null ? "not assessed" : !d.Disabled ? "not disabled" : d.Permanent ? "permanent"
            : d.ReviewDate is { } until ? Invariant($"temporary until {until:yyyy-MM-dd}") : "temporary, no review date";
        Add("disability", current, observed, permanentOnly ? "permanent, needing permanent care" : "assessed disability in force",
            current ? "A disability assessment in force is recorded." : "No disability assessment in force qualifies.");
    }

    /// <summary>Annual income of the person and their spouse against the single or married ceiling.</summary>
    public void MeansTest(PersonFacts person, HouseholdFacts? household, MeansTestCeilings ceilings, DateOnly on, string whose)
    {
        var spouse = household?.SpouseOf(person.CitizenId);
        var married = spouse is not null && spouse.AliveOn(on);
        var annual = (person.IncomeMonthly + (married ? spouse!.IncomeMonthly : 0m)) * 12m;
        var ceiling = married ? ceilings.MarriedAnnual : ceilings.SingleAnnual;
        Add("incomeTest", annual <= ceiling, Rand(annual) + "/year" + (married ? " (with spouse)" : ""), "≤ " + Rand(ceiling) + "/year" + (married ? " married" : " single"),
            annual <= ceiling ? $"{whose} income is within the means-test ceiling." : $"{whose} income is above the means-test ceiling.");
    }

    /// <summary>Child grants test the primary caregiver: the applicant if named, else the adult head of the child's household.</summary>
    public void CaregiverMeansTest(EligibilityFacts facts, MeansTestCeilings ceilings, DateOnly on)
    {
        var caregiver = facts.Applicant
            ?? (facts.Household is { } h && h.HeadCitizenId != facts.Person.CitizenId ? h.Head : null);
        var adult = caregiver is not null && caregiver.AliveOn(on) && caregiver.AgeOn(on) >= 18;
        Add("primaryCaregiver", adult, adult ? "adult caregiver recorded" : "none", "a living adult caregiver",
            adult ? "An adult primary caregiver is recorded for the child." : "No adult primary caregiver is recorded for the child.");
        if (adult) MeansTest(caregiver!, facts.Household, ceilings, on, "The caregiver's");
    }

    public void NoOtherActive(EligibilityFacts facts, ProgrammeCode programme, string criterion, string failure)
    {
        var other = facts.Entitlements.Any(e => e.Programme == programme && e.BeneficiaryId == facts.Person.CitizenId
            && e.ActiveOnDate && e.EntitlementId != facts.AssessedEntitlementId);
        Add(criterion, !other, other ? "already receiving" : "none", "none", other ? failure : "No other active entitlement of this kind is recorded.");
    }

    /// <summary>BNG and FLISP are one state housing subsidy: either, once, in a lifetime.</summary>
    public void NoPreviousHousingSubsidy(EligibilityFacts facts)
    {
        var previous = facts.Entitlements.Any(e => e.BeneficiaryId == facts.Person.CitizenId && e.EverGranted
            && e.EntitlementId != facts.AssessedEntitlementId && e.Programme is ProgrammeCode.HousingSubsidyBng or ProgrammeCode.HousingSubsidyFlisp);
        Add("noPreviousHousingSubsidy", !previous, previous ? "received before" : "none recorded", "never received",
            previous ? "A state housing subsidy was already granted to this person." : "No earlier state housing subsidy is recorded.");
    }
}
