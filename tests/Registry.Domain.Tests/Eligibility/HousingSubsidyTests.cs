using Registry.Domain.Common;
using Registry.Domain.Programmes;
using static Registry.Domain.Tests.Eligibility.Facts;

namespace Registry.Domain.Tests.Eligibility;

public class BngHousingSubsidyTests
{
    private static readonly ParameterSet Set = Sets.BngApril2025;
    private const ProgrammeCode Bng = ProgrammeCode.HousingSubsidyBng;

    [Theory]
    [InlineData("3500", "0", true)]       // exactly the ceiling
    [InlineData("2000", "1500", true)]    // household income sums head and spouse
    [InlineData("3500.01", "0", false)]
    [InlineData("2000", "1500.01", false)]
    public void Gross_household_income_at_most_R3500_a_month(string headMonthly, string spouseMonthly, bool eligible)
    {
        var head = Aged(35, M(headMonthly));
        var spouse = Aged(33, M(spouseMonthly));

        var decision = Evaluate(Bng, For(head, Household(head, (spouse, Relationship.Spouse))), Set);

        decision.ShouldHaveReason("householdIncome", eligible, Set).Threshold.Should().Contain("R3,500");
        decision.ShouldHaveReason("marriedOrWithDependants", true, Set);
        if (eligible) decision.ShouldBeEligible(null, Set);
        else decision.ShouldBeIneligibleBecause("householdIncome", Set);
    }

    [Fact]
    public void Income_of_a_deceased_member_is_not_counted()
    {
        var head = Aged(35, 3000m);
        var child = Aged(5);
        var lateFather = Person(BornAged(70, On), monthlyIncome: 9000m, dateOfDeath: On.AddDays(-60));

        var decision = Evaluate(Bng, For(head, Household(head, (child, Relationship.Child), (lateFather, Relationship.Parent))), Set);

        decision.ShouldBeEligible(null, Set);
    }

    [Fact]
    public void Single_without_dependants_fails()
    {
        var person = Aged(35, 1000m);

        var decision = Evaluate(Bng, For(person, Household(person)), Set);

        decision.ShouldBeIneligibleBecause("marriedOrWithDependants", Set).Observed.Should().Be("no");
        decision.ShouldHaveReason("householdIncome", true, Set);
    }

    [Fact]
    public void Single_without_a_household_fails()
    {
        Evaluate(Bng, For(Aged(35, 1000m)), Set).ShouldBeIneligibleBecause("marriedOrWithDependants", Set);
    }

    [Theory]
    [InlineData(17, true)]  // a child under 18 in the household
    [InlineData(0, true)]
    [InlineData(18, false)] // an adult child is not counted as a dependant by the register
    public void Single_with_a_child_under_18_in_the_household_passes(int childAge, bool eligible)
    {
        var head = Aged(35, 1000m);
        var child = Aged(childAge);

        var decision = Evaluate(Bng, For(head, Household(head, (child, Relationship.Child))), Set);

        if (eligible) decision.ShouldBeEligible(null, Set);
        else decision.ShouldBeIneligibleBecause("marriedOrWithDependants", Set);
    }

    [Fact]
    public void A_spouse_member_applying_counts_the_head_as_partner()
    {
        var head = Aged(40, 1000m);
        var spouse = Aged(38, 1000m);

        Evaluate(Bng, For(spouse, Household(head, (spouse, Relationship.Spouse))), Set).ShouldBeEligible(null, Set);
    }

    // Deceased members stay listed in a household; they are neither partner nor dependant.
    [Fact]
    public void A_deceased_spouse_is_not_a_partner()
    {
        var head = Aged(60, 1000m);
        var lateSpouse = Person(BornAged(62, On), monthlyIncome: 0, dateOfDeath: On.AddDays(-100));

        Evaluate(Bng, For(head, Household(head, (lateSpouse, Relationship.Spouse))), Set)
            .ShouldBeIneligibleBecause("marriedOrWithDependants", Set);
    }

    [Fact]
    public void A_deceased_child_is_not_a_dependant()
    {
        var head = Aged(40, 1000m);
        var lateChild = Person(BornAged(6, On), dateOfDeath: On.AddDays(-100));

        Evaluate(Bng, For(head, Household(head, (lateChild, Relationship.Child))), Set)
            .ShouldBeIneligibleBecause("marriedOrWithDependants", Set);
    }

    [Theory]
    [InlineData(ProgrammeCode.HousingSubsidyBng)]
    [InlineData(ProgrammeCode.HousingSubsidyFlisp)]
    public void A_previous_housing_subsidy_fails(ProgrammeCode previous)
    {
        var head = Aged(40, 1000m);
        var child = Aged(5);
        var earlier = Holding(previous, head, active: false, everGranted: true);

        var decision = Evaluate(Bng, For(head, Household(head, (child, Relationship.Child)), [earlier]), Set);

        decision.ShouldBeIneligibleBecause("noPreviousHousingSubsidy", Set).Observed.Should().Be("received before");
    }

    [Fact]
    public void Never_granted_applications_grants_and_the_assessed_one_do_not_count()
    {
        var head = Aged(40, 1000m);
        var child = Aged(5);
        var refused = Holding(Bng, head, active: false, everGranted: false);
        var socialGrant = Holding(ProgrammeCode.OlderPersonsGrant, head);
        var childsSubsidy = Holding(Bng, child);
        var assessed = Holding(Bng, head, active: true, everGranted: true);

        var decision = Evaluate(Bng, For(head, Household(head, (child, Relationship.Child)), [refused, socialGrant, childsSubsidy, assessed], assessed: assessed.EntitlementId), Set);

        decision.ShouldBeEligible(null, Set);
        decision.ShouldHaveReason("noPreviousHousingSubsidy", true, Set);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    public void Applicant_must_be_18(int daysFromBirthday, bool eligible)
    {
        var head = Person(BornAged(18, On, daysFromBirthday), monthlyIncome: 0);
        var baby = Aged(0);

        var decision = Evaluate(Bng, For(head, Household(head, (baby, Relationship.Child))), Set);

        if (eligible) decision.ShouldBeEligible(null, Set);
        else decision.ShouldBeIneligibleBecause("age", Set);
    }

    [Fact]
    public void Permanent_residents_qualify_like_citizens()
    {
        var head = Person(BornAged(30, On), monthlyIncome: 1000m, citizenship: Citizenship.PermanentResident);
        var child = Aged(3);

        Evaluate(Bng, For(head, Household(head, (child, Relationship.Child))), Set).ShouldBeEligible(null, Set);
    }
}

public class FlispHousingSubsidyTests
{
    private static readonly ParameterSet Set = Sets.FlispApril2025;
    private const ProgrammeCode Flisp = ProgrammeCode.HousingSubsidyFlisp;

    [Theory]
    [InlineData("3500", false)]
    [InlineData("3501", true)]     // the floor, inclusive
    [InlineData("12000", true)]
    [InlineData("22000", true)]    // the ceiling, inclusive
    [InlineData("22000.01", false)]
    [InlineData("0", false)]
    public void Household_income_from_R3501_to_R22000(string monthly, bool eligible)
    {
        var person = Aged(30, M(monthly));

        var decision = Evaluate(Flisp, For(person, Household(person)), Set);

        var reason = decision.ShouldHaveReason("householdIncome", eligible, Set);
        reason.Threshold.Should().Contain("R3,501").And.Contain("R22,000");
        decision.ShouldNotHaveReason("marriedOrWithDependants"); // FLISP has no such criterion
        if (eligible) decision.ShouldBeEligible(null, Set);
        else decision.ShouldBeIneligibleBecause("householdIncome", Set);
    }

    [Fact]
    public void Household_income_is_the_sum_of_the_living_members()
    {
        var head = Aged(30, 11000m);
        var spouse = Aged(30, 11000.01m);

        Evaluate(Flisp, For(head, Household(head, (spouse, Relationship.Spouse))), Set).ShouldBeIneligibleBecause("householdIncome", Set);
    }

    [Fact]
    public void Without_a_household_the_persons_own_income_is_used()
    {
        Evaluate(Flisp, For(Aged(30, 8000m)), Set).ShouldBeEligible(null, Set);
    }

    [Fact]
    public void A_previous_subsidy_fails()
    {
        var person = Aged(30, 8000m);

        var decision = Evaluate(Flisp, For(person, Household(person), [Holding(ProgrammeCode.HousingSubsidyBng, person, active: false)]), Set);

        decision.ShouldBeIneligibleBecause("noPreviousHousingSubsidy", Set);
    }
}
