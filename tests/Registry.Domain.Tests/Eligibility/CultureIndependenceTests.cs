using System.Globalization;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Eligibility;
using Registry.Domain.Programmes;
using static Registry.Domain.Tests.Eligibility.Facts;

namespace Registry.Domain.Tests.Eligibility;

/// <summary>
/// "The same inputs + the same rule version + the same parameter version must always give the same
/// answer" (RULES.md), whatever the culture of the host.
/// </summary>
public class CultureIndependenceTests
{
    [Theory]
    [InlineData("th-TH")]
    [InlineData("ar-SA")]
    public void Dates_in_reasons_do_not_depend_on_the_host_culture(string culture)
    {
        var died = Person(BornAged(70, On), 0m, dateOfDeath: new DateOnly(2025, 6, 15));
        var lapsed = Person(BornAged(30, On), 0m, disability: new Disability(true, false, new DateOnly(2025, 6, 15)));

        var (death, disability) = UnderCulture(culture, () => (
            EligibilityRules.Evaluate(ProgrammeCode.OlderPersonsGrant, For(died), Sets.OlderPersonsApril2025, On),
            EligibilityRules.Evaluate(ProgrammeCode.DisabilityGrant, For(lapsed), Sets.DisabilityApril2025, On)));

        death.Reasons.Single(r => r.Criterion == "alive").Observed.Should().Be("died 2025-06-15");
        disability.Reasons.Single(r => r.Criterion == "disability").Observed.Should().Be("temporary until 2025-06-15");
    }

    [Theory]
    [InlineData("en-ZA")]
    [InlineData("de-DE")]
    public void Percentages_in_reasons_do_not_depend_on_the_host_culture(string culture)
    {
        var head = Aged(40, 5000m);
        var learner = Aged(10);
        var facts = For(learner, Household(head, (learner, Relationship.Child)), charges: new SchoolCharges(2400m, 0m));

        var invariant = UnderCulture("", () => EligibilityRules.Evaluate(ProgrammeCode.SchoolFeeExemption, facts, Sets.SchoolFeesApril2025, On));
        var local = UnderCulture(culture, () => EligibilityRules.Evaluate(ProgrammeCode.SchoolFeeExemption, facts, Sets.SchoolFeesApril2025, On));

        local.Should().BeEquivalentTo(invariant, o => o.WithStrictOrdering());
        local.Reasons.Single(r => r.Criterion == "feeFormula").Threshold.Should().Contain("3.5 %");
    }

    /// <summary>
    /// Every programme, with figures that have decimals, evaluated for people whose reasons quote ages, amounts, dates,
    /// percentages and counts: under a culture that formats each of them differently the text must not change.
    /// </summary>
    [Theory]
    [MemberData(nameof(Programmes))]
    public void Every_figure_in_reasons_is_formatted_invariantly(ProgrammeCode programme)
    {
        var set = Fractional[programme];

        foreach (var facts in People())
        {
            var invariant = UnderCulture(CultureInfo.InvariantCulture, () => EligibilityRules.Evaluate(programme, facts, set, On));
            var local = UnderCulture(Contrary(), () => EligibilityRules.Evaluate(programme, facts, set, On));

            local.Should().BeEquivalentTo(invariant, o => o.WithStrictOrdering());
        }
    }

    [Fact]
    public void Reasons_read_the_same_under_a_contrary_culture()
    {
        var (head, spouse, learner) = (Aged(70, 3000m), Aged(65, 1000m), Aged(10));
        var household = Household(head, (spouse, Relationship.Spouse), (learner, Relationship.Grandchild));
        var died = Person(BornAged(70, On), 0m, dateOfDeath: new DateOnly(2025, 6, 15));

        var (older, dead, fees, indigent) = UnderCulture(Contrary(), () => (
            EligibilityRules.Evaluate(ProgrammeCode.OlderPersonsGrant, For(head, household), Fractional[ProgrammeCode.OlderPersonsGrant], On),
            EligibilityRules.Evaluate(ProgrammeCode.OlderPersonsGrant, For(died), Fractional[ProgrammeCode.OlderPersonsGrant], On),
            EligibilityRules.Evaluate(ProgrammeCode.SchoolFeeExemption, For(learner, household, charges: new SchoolCharges(2400m, 0m)), Fractional[ProgrammeCode.SchoolFeeExemption], On),
            EligibilityRules.Evaluate(ProgrammeCode.MunicipalIndigent, For(head, household), Fractional[ProgrammeCode.MunicipalIndigent], On)));

        older.Reasons.Single(r => r.Criterion == "age").Should().Match<Reason>(r => r.Threshold == "≥ 59.5" && r.Message == "The person is 70, at least 59.5.");
        older.Reasons.Single(r => r.Criterion == "incomeTest").Should().Match<Reason>(r =>
            r.Observed == "R48,000/year (with spouse)" && r.Threshold == "≤ R193,680.5/year married");
        dead.Reasons.Single(r => r.Criterion == "alive").Observed.Should().Be("died 2025-06-15");
        fees.Reasons.Single(r => r.Criterion == "feeFormula").Threshold.Should().Be("E = 100 × (F + A) / C ≥ 3.5 %");
        indigent.Reasons.Single(r => r.Criterion == "householdIncome").Message.Should()
            .Be("The household qualifies for free basic services: 6.5 kl water and 50.5 kWh electricity a month.");
    }

    public static TheoryData<ProgrammeCode> Programmes() => [.. Enum.GetValues<ProgrammeCode>()];

    /// <summary>Each programme's set with a fraction on every figure, so a decimal separator would show wherever one is quoted.</summary>
    private static readonly IReadOnlyDictionary<ProgrammeCode, ParameterSet> Fractional = new Dictionary<ProgrammeCode, ParameterSet>
    {
        [ProgrammeCode.OlderPersonsGrant] = Sets.Make(ProgrammeCode.OlderPersonsGrant, Sets.April2025, "law", ("minAge", 59.5m), ("monthlyAmount", 2310.5m),
            ("higherAmountAge", 74.5m), ("monthlyAmountHigherAge", 2330.25m), ("incomeCeilingSingleAnnual", 96840.5m), ("incomeCeilingMarriedAnnual", 193680.5m)),
        [ProgrammeCode.DisabilityGrant] = Sets.Make(ProgrammeCode.DisabilityGrant, Sets.April2025, "law", ("minAge", 17.5m), ("maxAge", 59.5m),
            ("monthlyAmount", 2310.5m), ("incomeCeilingSingleAnnual", 96840.5m), ("incomeCeilingMarriedAnnual", 193680.5m)),
        [ProgrammeCode.ChildSupportGrant] = Sets.Make(ProgrammeCode.ChildSupportGrant, Sets.April2025, "law", ("ageLimit", 17.5m), ("monthlyAmount", 560.5m),
            ("incomeCeilingSingleAnnual", 67200.5m), ("incomeCeilingMarriedAnnual", 134400.5m), ("topUpMonthlyAmount", 280.5m)),
        [ProgrammeCode.FosterChildGrant] = Sets.Make(ProgrammeCode.FosterChildGrant, Sets.April2025, "law", ("ageLimit", 17.5m), ("ageLimitInSchool", 20.5m),
            ("monthlyAmount", 1250.5m)),
        [ProgrammeCode.CareDependencyGrant] = Sets.Make(ProgrammeCode.CareDependencyGrant, Sets.April2025, "law", ("ageLimit", 17.5m), ("monthlyAmount", 2310.5m),
            ("incomeCeilingSingleAnnual", 277200.5m), ("incomeCeilingMarriedAnnual", 554400.5m)),
        [ProgrammeCode.SocialReliefOfDistress] = Sets.Make(ProgrammeCode.SocialReliefOfDistress, Sets.April2025, "law", ("minAge", 17.5m), ("maxAge", 59.5m),
            ("monthlyAmount", 370.5m), ("incomeCeilingMonthly", 624.5m)),
        [ProgrammeCode.HousingSubsidyBng] = Sets.Make(ProgrammeCode.HousingSubsidyBng, Sets.April2025, "law", ("minAge", 17.5m), ("householdIncomeCeilingMonthly", 3500.5m)),
        [ProgrammeCode.HousingSubsidyFlisp] = Sets.Make(ProgrammeCode.HousingSubsidyFlisp, Sets.April2025, "law", ("minAge", 17.5m),
            ("householdIncomeFloorMonthly", 3501.5m), ("householdIncomeCeilingMonthly", 22000.5m)),
        [ProgrammeCode.SchoolFeeExemption] = Sets.Make(ProgrammeCode.SchoolFeeExemption, Sets.April2025, "law", ("fullExemptionPercent", 10.5m),
            ("partialExemptionFloorPercent", 3.5m)),
        [ProgrammeCode.MunicipalIndigent] = Sets.Make(ProgrammeCode.MunicipalIndigent, Sets.April2025, "law", ("householdIncomeCeilingMonthly", 4620.5m),
            ("householdIncomeCeilingMonthly.CPT", 7500.5m), ("freeBasicWaterKl", 6.5m), ("freeBasicElectricityKwh", 50.5m)),
    };

    /// <summary>People whose reasons between them quote every kind of figure the rules format.</summary>
    private static IEnumerable<EligibilityFacts> People()
    {
        var (head, spouse) = (Aged(45, 1234.56m), Aged(44, 2000m));
        var orphan = Person(BornAged(7, On)) with { Orphaned = true };
        var learner = Person(BornAged(19, On)) with { School = new SchoolAttendance(true, new DateOnly(2025, 1, 15)) };
        var olderLearner = Person(BornAged(21, On)) with { School = new SchoolAttendance(true, new DateOnly(2025, 1, 15)) };
        var fostered = Aged(12);
        var disabled = Person(BornAged(30, On), 1500.75m, disability: new Disability(true, false, new DateOnly(2025, 6, 15)));
        var home = Household(head, (spouse, Relationship.Spouse), (orphan, Relationship.Grandchild), (learner, Relationship.FosterChild),
            (olderLearner, Relationship.FosterChild), (fostered, Relationship.FosterChild), (disabled, Relationship.OtherRelative));

        yield return For(Person(BornAged(70, On), 0m, dateOfDeath: new DateOnly(2025, 6, 15)));
        yield return For(Aged(80, 500m));
        yield return For(disabled, home, [Holding(ProgrammeCode.DisabilityGrant, disabled), Holding(ProgrammeCode.ChildSupportGrant, disabled)]);
        yield return For(orphan, home, charges: new SchoolCharges(2400m, 150.25m));
        yield return For(fostered, home, charges: new SchoolCharges(500m, 0m));
        yield return For(learner, home);
        yield return For(olderLearner, home);
        yield return For(head, home, charges: new SchoolCharges(30000m, 0m));
        yield return For(Aged(25, 700m));
    }

    /// <summary>A culture that formats decimals, group separators and years unlike the invariant culture.</summary>
    private static CultureInfo Contrary()
    {
        var culture = new CultureInfo("th-TH");
        culture.NumberFormat.NumberDecimalSeparator = culture.NumberFormat.CurrencyDecimalSeparator = culture.NumberFormat.PercentDecimalSeparator = ",";
        culture.NumberFormat.NumberGroupSeparator = culture.NumberFormat.CurrencyGroupSeparator = culture.NumberFormat.PercentGroupSeparator = ".";
        culture.NumberFormat.NegativeSign = "~";
        return culture;
    }

    private static T UnderCulture<T>(string name, Func<T> evaluate) => UnderCulture(CultureInfo.GetCultureInfo(name), evaluate);

    private static T UnderCulture<T>(CultureInfo local, Func<T> evaluate)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = local;
            return evaluate();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }
}
