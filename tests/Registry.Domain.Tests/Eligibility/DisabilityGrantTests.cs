using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Programmes;
using static Registry.Domain.Tests.Eligibility.Facts;

namespace Registry.Domain.Tests.Eligibility;

public class DisabilityGrantTests
{
    private static readonly ParameterSet Set = Sets.DisabilityApril2025;
    private const ProgrammeCode Dg = ProgrammeCode.DisabilityGrant;
    private static readonly Disability Permanent = new(true, true, null);

    /// <summary><paramref name="daysFromBirthday"/> counts from the <paramref name="birthday"/>th birthday: 0 it is today, -1 it is tomorrow.</summary>
    [Theory]
    [InlineData(18, -1, 17, false)] // the day before the 18th birthday
    [InlineData(18, 0, 18, true)]   // 18th birthday
    [InlineData(40, 0, 40, true)]
    [InlineData(60, -1, 59, true)]  // the day before the 60th birthday
    [InlineData(60, 0, 60, false)]  // 60th birthday: the Older Person's Grant takes over
    public void Age_18_to_59_inclusive(int birthday, int daysFromBirthday, int age, bool eligible)
    {
        var person = Person(BornAged(birthday, On, daysFromBirthday), monthlyIncome: 0, disability: Permanent);

        var decision = Evaluate(Dg, For(person, Household(person)), Set);

        decision.ShouldHaveReason("age", eligible, Set).Observed.Should().Be(age.ToString(System.Globalization.CultureInfo.InvariantCulture));
        decision.ShouldHaveReason("disability", true, Set);
        if (eligible) decision.ShouldBeEligible(2310m, Set);
        else decision.ShouldBeIneligibleBecause("age", Set);
    }

    [Theory]
    [InlineData(-1, false)] // review date was yesterday: the temporary assessment has lapsed
    [InlineData(0, true)]   // review date is today: still in force
    [InlineData(1, true)]
    [InlineData(365, true)]
    public void Temporary_disability_counts_until_its_review_date(int reviewRelativeToDate, bool eligible)
    {
        var person = Person(BornAged(35, On), monthlyIncome: 0, disability: new Disability(true, false, On.AddDays(reviewRelativeToDate)));

        var decision = Evaluate(Dg, For(person, Household(person)), Set);

        if (eligible) decision.ShouldBeEligible(2310m, Set);
        else decision.ShouldBeIneligibleBecause("disability", Set).Observed.Should().StartWith("temporary");
    }

    public static TheoryData<Disability?, string> NotQualifying => new()
    {
        { null, "not assessed" },
        { new Disability(false, false, null), "not disabled" },
        { new Disability(false, true, null), "not disabled" },
        { new Disability(true, false, null), "temporary" }, // temporary without a review date is not in force
    };

    [Theory]
    [MemberData(nameof(NotQualifying))]
    public void No_assessment_in_force_fails(Disability? disability, string observed)
    {
        var person = Person(BornAged(35, On), monthlyIncome: 0, disability: disability);

        var decision = Evaluate(Dg, For(person, Household(person)), Set);

        decision.ShouldBeIneligibleBecause("disability", Set).Observed.Should().StartWith(observed);
    }

    [Fact]
    public void Permanent_disability_is_observed_as_permanent()
    {
        var person = Person(BornAged(35, On), monthlyIncome: 0, disability: Permanent);

        var decision = Evaluate(Dg, For(person, Household(person)), Set);

        decision.ShouldBeEligible(2310m, Set);
        decision.ShouldHaveReason("disability", true, Set).Observed.Should().Be("permanent");
    }

    [Theory]
    [InlineData("8070", null, true)]
    [InlineData("8070.01", null, false)]
    [InlineData("8070.01", "8000", true)] // married ceiling R193,680 with the spouse's income
    [InlineData("8070", "8070.01", false)]
    public void Means_test_as_the_Older_Persons_Grant(string ownMonthly, string? spouseMonthly, bool eligible)
    {
        var person = Person(BornAged(45, On), monthlyIncome: M(ownMonthly), disability: Permanent);
        var household = spouseMonthly is null ? Household(person) : Household(person, (Aged(44, M(spouseMonthly)), Relationship.Spouse));

        var decision = Evaluate(Dg, For(person, household), Set);

        decision.ShouldHaveReason("incomeTest", eligible, Set);
        if (eligible) decision.ShouldBeEligible(2310m, Set);
        else decision.ShouldBeIneligibleBecause("incomeTest", Set);
    }
}
