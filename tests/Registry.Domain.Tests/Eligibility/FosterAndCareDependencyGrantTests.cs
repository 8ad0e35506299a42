using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Programmes;
using static Registry.Domain.Tests.Eligibility.Facts;

namespace Registry.Domain.Tests.Eligibility;

public class FosterChildGrantTests
{
    private static readonly ParameterSet Set = Sets.FosterChildApril2025;
    private const ProgrammeCode Fcg = ProgrammeCode.FosterChildGrant;

    [Theory]
    [InlineData(Relationship.FosterChild, true)]
    [InlineData(Relationship.Child, false)]
    [InlineData(Relationship.Grandchild, false)]
    [InlineData(Relationship.OtherRelative, false)]
    public void Needs_the_foster_child_relationship(Relationship relationship, bool eligible)
    {
        var head = Aged(50, 1000m);
        var child = Aged(9);

        var decision = Evaluate(Fcg, For(child, Household(head, (child, relationship))), Set);

        var reason = decision.ShouldHaveReason("courtPlacedFosterChild", eligible, Set);
        reason.Observed.Should().Be(relationship.ToString());
        if (eligible) decision.ShouldBeEligible(1250m, Set);
        else decision.ShouldBeIneligibleBecause("courtPlacedFosterChild", Set);
    }

    [Fact]
    public void Without_a_household_there_is_no_placement()
    {
        Evaluate(Fcg, For(Aged(9)), Set).ShouldBeIneligibleBecause("courtPlacedFosterChild", Set).Observed.Should().Be("no household");
    }

    [Fact]
    public void No_means_test_a_rich_household_is_still_eligible()
    {
        var head = Aged(50, 250000m);
        var spouse = Aged(48, 180000m);
        var child = Aged(9);

        var decision = Evaluate(Fcg, For(child, Household(head, (spouse, Relationship.Spouse), (child, Relationship.FosterChild))), Set);

        decision.ShouldBeEligible(1250m, Set);
        decision.ShouldNotHaveReason("incomeTest");
        decision.ShouldNotHaveReason("primaryCaregiver");
    }

    [Theory]
    [InlineData(-1, true)]
    [InlineData(0, false)]
    public void Ends_at_18(int daysFromBirthday, bool eligible)
    {
        var head = Aged(50, 1000m);
        var child = Person(BornAged(18, On, daysFromBirthday));

        var decision = Evaluate(Fcg, For(child, Household(head, (child, Relationship.FosterChild))), Set);

        if (eligible) decision.ShouldBeEligible(1250m, Set);
        else decision.ShouldBeIneligibleBecause("age", Set);
    }
}

public class CareDependencyGrantTests
{
    private static readonly ParameterSet Set = Sets.CareDependencyApril2025;
    private const ProgrammeCode Cdg = ProgrammeCode.CareDependencyGrant;

    public static TheoryData<Disability?, bool> Disabilities => new()
    {
        { new Disability(true, true, null), true },
        { new Disability(true, false, new DateOnly(2030, 1, 1)), false }, // temporary, even in force, does not qualify
        { new Disability(true, false, null), false },
        { new Disability(false, false, null), false },
        { null, false },
    };

    [Theory]
    [MemberData(nameof(Disabilities))]
    public void Needs_a_permanent_disability(Disability? disability, bool eligible)
    {
        var head = Aged(40, 2000m);
        var child = Person(BornAged(10, On), disability: disability);

        var decision = Evaluate(Cdg, For(child, Household(head, (child, Relationship.Child))), Set);

        if (eligible) decision.ShouldBeEligible(2310m, Set);
        else decision.ShouldBeIneligibleBecause("disability", Set);
    }

    [Theory]
    [InlineData("23100", true)]     // exactly R277,200 a year
    [InlineData("23100.01", false)]
    public void Caregiver_means_test_with_the_care_dependency_ceiling(string headMonthly, bool eligible)
    {
        var head = Aged(40, M(headMonthly));
        var child = Person(BornAged(10, On), disability: new Disability(true, true, null));

        var decision = Evaluate(Cdg, For(child, Household(head, (child, Relationship.Child))), Set);

        decision.ShouldHaveReason("incomeTest", eligible, Set).Threshold.Should().Contain("R277,200");
        if (eligible) decision.ShouldBeEligible(2310m, Set);
        else decision.ShouldBeIneligibleBecause("incomeTest", Set);
    }

    [Fact]
    public void Ends_at_18()
    {
        var head = Aged(40, 0m);
        var child = Person(BornAged(18, On), disability: new Disability(true, true, null));

        Evaluate(Cdg, For(child, Household(head, (child, Relationship.Child))), Set).ShouldBeIneligibleBecause("age", Set);
    }
}
