using Registry.Domain.Common;
using Registry.Domain.Programmes;
using static Registry.Domain.Tests.Eligibility.Facts;

namespace Registry.Domain.Tests.Eligibility;

public class OlderPersonsGrantTests
{
    private static readonly ParameterSet April = Sets.OlderPersonsApril2025;
    private static readonly ParameterSet October = Sets.OlderPersonsOctober2025;
    private const ProgrammeCode Opg = ProgrammeCode.OlderPersonsGrant;

    /// <summary><paramref name="daysFromBirthday"/> counts from the <paramref name="birthday"/>th birthday: 0 it is today, -1 it is tomorrow.</summary>
    [Theory]
    [InlineData(60, 0, 60, true, 2310)]    // 60th birthday is today
    [InlineData(60, 1, 60, true, 2310)]
    [InlineData(60, -1, 59, false, null)]  // the day before the 60th birthday
    [InlineData(60, -200, 59, false, null)]
    [InlineData(75, -1, 74, true, 2310)]   // the day before the 75th birthday: still the lower amount
    [InlineData(75, 0, 75, true, 2330)]    // 75th birthday: the higher amount
    [InlineData(90, 0, 90, true, 2330)]
    public void Age_boundaries_and_amount_with_the_April_2025_set(int birthday, int daysFromBirthday, int age, bool eligible, int? amount)
    {
        var person = Person(BornAged(birthday, On, daysFromBirthday), monthlyIncome: 0);

        var decision = Evaluate(Opg, For(person, Household(person)), April);

        var reason = decision.ShouldHaveReason("age", eligible, April);
        reason.Observed.Should().Be(age.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (eligible) decision.ShouldBeEligible(amount, April);
        else decision.ShouldBeIneligibleBecause("age", April);
        decision.ShouldHaveReason("alive", passed: true, April);
        decision.ShouldHaveReason("incomeTest", passed: true, April);
    }

    [Theory]
    [InlineData("2025-06-16", 2310)]
    [InlineData("2025-09-30", 2310)]
    [InlineData("2025-10-01", 2320)]
    [InlineData("2026-01-15", 2320)]
    public void Same_65_year_old_gets_the_amount_in_force_on_each_date(string date, int amount)
    {
        var person = Person(new DateOnly(1960, 3, 3), monthlyIncome: 1000);
        var on = D(date);
        var set = OpgProgramme().InForceOn(on)!;

        var decision = Evaluate(Opg, For(person, Household(person)), set, on);

        decision.ShouldBeEligible(amount, set);
        decision.ParameterVersion.Should().Be(amount == 2310 ? "OlderPersonsGrant/2025-04-01/v1" : "OlderPersonsGrant/2025-10-01/v2");
    }

    [Fact]
    public void Same_person_over_75_two_dates_two_answers()
    {
        var person = Person(new DateOnly(1948, 2, 20), monthlyIncome: 0);
        var facts = For(person, Household(person));
        var (before, after) = (new DateOnly(2025, 9, 1), new DateOnly(2025, 11, 1));

        var (setBefore, setAfter) = (OpgProgramme().InForceOn(before)!, OpgProgramme().InForceOn(after)!);

        var first = Evaluate(Opg, facts, setBefore, before);
        var second = Evaluate(Opg, facts, setAfter, after);

        first.ShouldBeEligible(2330m, setBefore);
        second.ShouldBeEligible(2340m, setAfter);
        setAfter.LegalReference.Should().Be(October.LegalReference);
        second.ShouldHaveReason("incomeTest", passed: true, setAfter);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("8069.99", true)]
    [InlineData("8070", true)]      // exactly R96,840 a year: the single ceiling
    [InlineData("8070.01", false)]  // R96,840.12 a year: R1 more a year cannot be reached from a monthly figure × 12, so the smallest step above is used
    [InlineData("8070.09", false)]  // R96,841.08 a year: over by more than R1
    public void Single_income_ceiling(string monthly, bool eligible)
    {
        var person = Aged(66, M(monthly));

        var decision = Evaluate(Opg, For(person, Household(person)), April);

        var reason = decision.ShouldHaveReason("incomeTest", eligible, April);
        reason.Threshold.Should().Contain("R96,840").And.Contain("single");
        if (eligible) decision.ShouldBeEligible(2310m, April);
        else decision.ShouldBeIneligibleBecause("incomeTest", April);
    }

    [Fact]
    public void Ceiling_exactly_is_observed_as_the_annual_figure()
    {
        var person = Aged(66, 8070m);

        var reason = Evaluate(Opg, For(person, Household(person)), April).ShouldHaveReason("incomeTest", true, April);

        reason.Observed.Should().StartWith("R96,840/year");
    }

    [Fact]
    public void Without_a_household_the_single_ceiling_applies()
    {
        var decision = Evaluate(Opg, For(Aged(70, 8070.01m)), April);

        decision.ShouldBeIneligibleBecause("incomeTest", April).Threshold.Should().Contain("single");
    }

    [Theory]
    [InlineData("8070.01", "0", true)]     // over the single ceiling alone, but married: R96,840.12 ≤ R193,680
    [InlineData("8070", "8070", true)]     // exactly R193,680 together
    [InlineData("8070", "8070.01", false)] // the spouse's income is counted: R193,680.12
    [InlineData("0", "16140.01", false)]   // all the income is the spouse's
    public void Married_ceiling_applies_with_a_spouse_of_the_head_and_counts_the_spouse_income(string headMonthly, string spouseMonthly, bool eligible)
    {
        var head = Aged(65, M(headMonthly));
        var spouse = Aged(58, M(spouseMonthly));

        var decision = Evaluate(Opg, For(head, Household(head, (spouse, Relationship.Spouse))), April);

        var reason = decision.ShouldHaveReason("incomeTest", eligible, April);
        reason.Threshold.Should().Contain("R193,680").And.Contain("married");
        reason.Observed.Should().Contain("with spouse");
        if (eligible) decision.ShouldBeEligible(2310m, April);
        else decision.ShouldBeIneligibleBecause("incomeTest", April);
    }

    [Fact]
    public void A_spouse_member_applying_is_tested_with_the_head_as_spouse()
    {
        var head = Aged(50, 9000m);
        var spouse = Aged(62, 0m);

        var decision = Evaluate(Opg, For(spouse, Household(head, (spouse, Relationship.Spouse))), April);

        decision.ShouldBeEligible(2310m, April);
        decision.ShouldHaveReason("incomeTest", true, April).Threshold.Should().Contain("married");
    }

    [Fact]
    public void A_deceased_spouse_is_not_counted_and_the_single_ceiling_applies()
    {
        var head = Aged(70, 8070m);
        var spouse = Person(BornAged(68, On), monthlyIncome: 5000m, dateOfDeath: On.AddDays(-30));

        var decision = Evaluate(Opg, For(head, Household(head, (spouse, Relationship.Spouse))), April);

        decision.ShouldBeEligible(2310m, April);
        var reason = decision.ShouldHaveReason("incomeTest", true, April);
        reason.Threshold.Should().Contain("single");
        reason.Observed.Should().NotContain("spouse");
    }

    [Fact]
    public void Other_adult_members_incomes_are_not_part_of_the_means_test()
    {
        var head = Aged(70, 8000m);
        var son = Aged(40, 30000m);

        var decision = Evaluate(Opg, For(head, Household(head, (son, Relationship.Child))), April);

        decision.ShouldBeEligible(2310m, April);
    }

    [Theory]
    [InlineData(-1, false)] // died the day before the evaluation date
    [InlineData(0, false)]  // died on the date: the entitlement ends from the date of death
    [InlineData(1, true)]   // dies tomorrow: alive on the date
    public void Death_ends_eligibility_from_the_date_of_death(int deathRelativeToDate, bool eligible)
    {
        var died = On.AddDays(deathRelativeToDate);
        var person = Person(BornAged(70, On), monthlyIncome: 0, dateOfDeath: died);

        var decision = Evaluate(Opg, For(person, Household(person)), April);

        if (eligible)
        {
            decision.ShouldBeEligible(2310m, April);
            decision.ShouldHaveReason("alive", true, April);
        }
        else
        {
            decision.ShouldBeIneligibleBecause("alive", April).Observed.Should().Contain("died");
        }
    }

    [Fact]
    public void Evaluated_on_the_day_before_death_the_person_is_eligible()
    {
        var died = new DateOnly(2025, 8, 10);
        var person = Person(new DateOnly(1955, 1, 1), monthlyIncome: 0, dateOfDeath: died);
        var facts = For(person, Household(person));

        Evaluate(Opg, facts, April, died.AddDays(-1)).ShouldBeEligible(2310m, April);
        Evaluate(Opg, facts, April, died).ShouldBeIneligibleBecause("alive", April);
        Evaluate(Opg, facts, April, died.AddDays(1)).ShouldBeIneligibleBecause("alive", April);
    }

    private static Programme OpgProgramme() => ProgrammeHistory.Of(April, October);
}
