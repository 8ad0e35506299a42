using System.Globalization;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Eligibility;
using Registry.Domain.Programmes;

namespace Registry.Domain.Tests.Eligibility;

/// <summary>
/// The parameter sets of Registry.Api/Programmes/programme-parameters.json, rebuilt here figure by figure
/// (Sequence 1) so the rule tests stay pure: no file, no store, no clock.
/// </summary>
internal static class Sets
{
    public static readonly DateOnly April2025 = new(2025, 4, 1);
    public static readonly DateOnly October2025 = new(2025, 10, 1);

    public static ParameterSet Make(ProgrammeCode code, DateOnly effectiveFrom, string legalReference, params (string Key, decimal Value)[] values) =>
        new(code, effectiveFrom, values.ToDictionary(v => v.Key, v => v.Value), new Dictionary<string, string>(), legalReference, 1);

    public static ParameterSet OlderPersonsApril2025 { get; } = Make(ProgrammeCode.OlderPersonsGrant, April2025,
        "Social Assistance Act 13 of 2004, s10; Regulations reg. 2 & Annexure A; amounts per Budget 2025 (SASSA)",
        ("minAge", 60), ("monthlyAmount", 2310), ("higherAmountAge", 75), ("monthlyAmountHigherAge", 2330),
        ("incomeCeilingSingleAnnual", 96840), ("incomeCeilingMarriedAnnual", 193680),
        ("assetCeilingSingle", 1372800), ("assetCeilingMarried", 2745600));

    public static ParameterSet OlderPersonsOctober2025 { get; } = Make(ProgrammeCode.OlderPersonsGrant, October2025,
        "Social Assistance Act 13 of 2004, s10; amounts per Budget 2025, second increase (SASSA)",
        ("minAge", 60), ("monthlyAmount", 2320), ("higherAmountAge", 75), ("monthlyAmountHigherAge", 2340),
        ("incomeCeilingSingleAnnual", 96840), ("incomeCeilingMarriedAnnual", 193680),
        ("assetCeilingSingle", 1372800), ("assetCeilingMarried", 2745600));

    public static ParameterSet DisabilityApril2025 { get; } = Make(ProgrammeCode.DisabilityGrant, April2025,
        "Social Assistance Act 13 of 2004, s9; Regulations reg. 3",
        ("minAge", 18), ("maxAge", 59), ("monthlyAmount", 2310), ("incomeCeilingSingleAnnual", 96840), ("incomeCeilingMarriedAnnual", 193680));

    public static ParameterSet ChildSupportApril2025 { get; } = Make(ProgrammeCode.ChildSupportGrant, April2025,
        "Social Assistance Act 13 of 2004, s6; Regulations reg. 6 (means test 10 × annual grant)",
        ("ageLimit", 18), ("monthlyAmount", 560), ("incomeCeilingSingleAnnual", 67200), ("incomeCeilingMarriedAnnual", 134400), ("topUpMonthlyAmount", 280));

    public static ParameterSet FosterChildApril2025 { get; } = Make(ProgrammeCode.FosterChildGrant, April2025,
        "Social Assistance Act 13 of 2004, s8; Children's Act 38 of 2005 (court placement)",
        ("ageLimit", 18), ("ageLimitInSchool", 21), ("monthlyAmount", 1250));

    public static ParameterSet CareDependencyApril2025 { get; } = Make(ProgrammeCode.CareDependencyGrant, April2025,
        "Social Assistance Act 13 of 2004, s7; Regulations reg. 5",
        ("ageLimit", 18), ("monthlyAmount", 2310), ("incomeCeilingSingleAnnual", 277200), ("incomeCeilingMarriedAnnual", 554400));

    public static ParameterSet SocialReliefApril2025 { get; } = Make(ProgrammeCode.SocialReliefOfDistress, April2025,
        "Social Assistance Act 13 of 2004, s13; SRD regulations (COVID-19 SRD as extended)",
        ("minAge", 18), ("maxAge", 59), ("monthlyAmount", 370), ("incomeCeilingMonthly", 624));

    public static ParameterSet BngApril2025 { get; } = Make(ProgrammeCode.HousingSubsidyBng, April2025,
        "Housing Act 107 of 1997; National Housing Code 2009, Part 3 (Individual Subsidy / BNG)",
        ("minAge", 18), ("householdIncomeCeilingMonthly", 3500));

    public static ParameterSet FlispApril2025 { get; } = Make(ProgrammeCode.HousingSubsidyFlisp, April2025,
        "National Housing Code 2009, Finance Linked Individual Subsidy Programme",
        ("minAge", 18), ("householdIncomeFloorMonthly", 3501), ("householdIncomeCeilingMonthly", 22000));

    public static ParameterSet SchoolFeesApril2025 { get; } = Make(ProgrammeCode.SchoolFeeExemption, April2025,
        "South African Schools Act 84 of 1996, s39; Exemption of Parents from Payment of School Fees Regulations (2006), reg. 6",
        ("fullExemptionPercent", 10), ("partialExemptionFloorPercent", 3.5m));

    public static ParameterSet IndigentApril2025 { get; } = Make(ProgrammeCode.MunicipalIndigent, April2025,
        "Municipal Systems Act 32 of 2000; CoGTA National Framework for Municipal Indigent Policies",
        ("householdIncomeCeilingMonthly", 4620), ("householdIncomeCeilingMonthly.CPT", 7500),
        ("householdIncomeCeilingMonthly.JHB", 3200), ("householdIncomeCeilingMonthly.TSH", 3200),
        ("freeBasicWaterKl", 6), ("freeBasicElectricityKwh", 50));
}

/// <summary>Programme state folded from publications, as the store would: the sets get Sequence 1, 2, … in order.</summary>
internal static class ProgrammeHistory
{
    public static ProgrammeParametersPublished Published(ParameterSet set) =>
        new(set.Programme, set.EffectiveFrom, set.Values, set.Notes, set.LegalReference);

    public static Programme Of(params ParameterSet[] sets) =>
        sets.Aggregate((Programme?)null, (state, set) => Programme.Evolve(state, Published(set)))
        ?? throw new InvalidOperationException("at least one set is needed");
}

/// <summary>Builders for the facts one evaluation reads.</summary>
internal static class Facts
{
    private static int _sequence;

    /// <summary>An evaluation date inside the 2025-04-01 sets and away from any month end.</summary>
    public static readonly DateOnly On = new(2025, 6, 16);

    public static decimal M(string amount) => decimal.Parse(amount, NumberStyles.Number, CultureInfo.InvariantCulture);

    public static DateOnly D(string isoDate) => DateOnly.ParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Born so that on <paramref name="on"/> the person is <paramref name="years"/> years old plus <paramref name="daysPastBirthday"/> days (negative: days before that birthday).</summary>
    public static DateOnly BornAged(int years, DateOnly on, int daysPastBirthday = 0) =>
        on.AddYears(-years).AddDays(-daysPastBirthday);

    public static PersonFacts Person(DateOnly dateOfBirth, decimal? monthlyIncome = null, DateOnly? dateOfDeath = null,
        Disability? disability = null, Citizenship citizenship = Citizenship.Citizen)
    {
        var sequence = Interlocked.Increment(ref _sequence) % 5000;
        var idNumber = SaIdNumber.Create(dateOfBirth, Sex.Female, citizenship, sequence).Value;
        return new PersonFacts(Guid.NewGuid(), idNumber, dateOfBirth, citizenship, dateOfDeath, monthlyIncome, disability);
    }

    public static PersonFacts Aged(int years, decimal? monthlyIncome = null, DateOnly? on = null) =>
        Person(BornAged(years, on ?? On), monthlyIncome);

    /// <summary>A household headed by <paramref name="head"/> with the other members as given (relationship to the head).</summary>
    public static HouseholdFacts Household(PersonFacts head, params (PersonFacts Person, Relationship Relationship)[] others) =>
        HouseholdIn("CPT", head, others);

    public static HouseholdFacts HouseholdIn(string municipalityCode, PersonFacts head, params (PersonFacts Person, Relationship Relationship)[] others) =>
        new(Guid.NewGuid(), head.CitizenId, municipalityCode,
            [new HouseholdMemberFacts(head, Relationship.Head), .. others.Select(o => new HouseholdMemberFacts(o.Person, o.Relationship))]);

    public static EntitlementHolding Holding(ProgrammeCode programme, PersonFacts beneficiary, bool active = true, bool everGranted = true, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), programme, beneficiary.CitizenId, active, everGranted);

    public static EligibilityFacts For(PersonFacts person, HouseholdFacts? household = null, IReadOnlyList<EntitlementHolding>? entitlements = null,
        PersonFacts? applicant = null, SchoolCharges? charges = null, Guid? assessed = null) =>
        new(person, household, entitlements ?? [], applicant, charges, assessed);

    public static EligibilityDecision Evaluate(ProgrammeCode programme, EligibilityFacts facts, ParameterSet set, DateOnly? on = null) =>
        EligibilityRules.Evaluate(programme, facts, set, on ?? On);
}

internal static class EligibilityAssertions
{
    /// <summary>The one reason for <paramref name="criterion"/>: passed or not as expected, citing the set's law, with a sentence for the citizen.</summary>
    public static Reason ShouldHaveReason(this EligibilityDecision decision, string criterion, bool passed, ParameterSet set)
    {
        var reason = decision.Reasons.Should().ContainSingle(r => r.Criterion == criterion,
            "each criterion gives exactly one reason").Which;
        reason.Passed.Should().Be(passed, "criterion {0} should {1}", criterion, passed ? "pass" : "fail");
        reason.LegalReference.Should().Be(set.LegalReference);
        reason.Message.Should().NotBeNullOrWhiteSpace();
        return reason;
    }

    public static void ShouldNotHaveReason(this EligibilityDecision decision, string criterion) =>
        decision.Reasons.Should().NotContain(r => r.Criterion == criterion);

    /// <summary>Eligible with the amount given; every reason passed and cites the set; versions recorded.</summary>
    public static void ShouldBeEligible(this EligibilityDecision decision, decimal? monthlyAmount, ParameterSet set)
    {
        decision.Eligible.Should().BeTrue("all of these reasons should have passed: {0}", Describe(decision));
        decision.MonthlyAmount.Should().Be(monthlyAmount);
        decision.Reasons.Should().NotBeEmpty().And.OnlyContain(r => r.Passed);
        decision.ShouldCarryVersions(set);
    }

    /// <summary>Not eligible, no amount, and the failing criterion is among the failed reasons.</summary>
    public static Reason ShouldBeIneligibleBecause(this EligibilityDecision decision, string failingCriterion, ParameterSet set)
    {
        decision.Eligible.Should().BeFalse();
        decision.MonthlyAmount.Should().BeNull("an ineligible decision carries no amount");
        decision.ShouldCarryVersions(set);
        return decision.ShouldHaveReason(failingCriterion, passed: false, set);
    }

    public static void ShouldCarryVersions(this EligibilityDecision decision, ParameterSet set)
    {
        decision.RuleVersion.Should().Be(EligibilityRules.RuleVersion).And.NotBeNullOrWhiteSpace();
        decision.ParameterVersion.Should().Be(set.Version);
        decision.Programme.Should().Be(set.Programme);
        decision.Reasons.Should().OnlyContain(r => r.LegalReference == set.LegalReference);
    }

    private static string Describe(EligibilityDecision decision) =>
        string.Join("; ", decision.Reasons.Select(r => $"{r.Criterion}={(r.Passed ? "pass" : "FAIL")} ({r.Observed} vs {r.Threshold})"));
}
