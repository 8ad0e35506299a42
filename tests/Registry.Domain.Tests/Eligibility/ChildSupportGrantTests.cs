using Registry.Domain.Common;
using Registry.Domain.Programmes;
using static Registry.Domain.Tests.Eligibility.Facts;

namespace Registry.Domain.Tests.Eligibility;

public class ChildSupportGrantTests
{
    private static readonly ParameterSet Set = Sets.ChildSupportApril2025;
    private const ProgrammeCode Csg = ProgrammeCode.ChildSupportGrant;

    /// <summary><paramref name="daysFromBirthday"/> counts from the <paramref name="birthday"/>th birthday: 0 it is today, -1 it is tomorrow.</summary>
    [Theory]
    [InlineData(0, 30, 0, true)]
    [InlineData(18, -1, 17, true)] // the day before the 18th birthday
    [InlineData(18, 0, 18, false)] // 18th birthday: the grant lapses
    [InlineData(18, 100, 18, false)]
    public void Child_under_18(int birthday, int daysFromBirthday, int age, bool eligible)
    {
        var caregiver = Aged(35, 3000m);
        var child = Person(BornAged(birthday, On, daysFromBirthday));

        var decision = Evaluate(Csg, For(child, Household(caregiver, (child, Relationship.Child))), Set);

        decision.ShouldHaveReason("age", eligible, Set).Observed.Should().Be(age.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (eligible) decision.ShouldBeEligible(560m, Set);
        else decision.ShouldBeIneligibleBecause("age", Set);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("5600", true)]     // exactly R67,200 a year
    [InlineData("5600.01", false)] // R67,200.12 a year
    public void The_household_head_is_the_caregiver_and_their_income_is_tested(string headMonthly, bool eligible)
    {
        var head = Aged(30, M(headMonthly));
        var child = Aged(6, 20000m); // a child's own income plays no part in the caregiver's means test

        var decision = Evaluate(Csg, For(child, Household(head, (child, Relationship.Child))), Set);

        decision.ShouldHaveReason("primaryCaregiver", true, Set);
        decision.ShouldHaveReason("incomeTest", eligible, Set).Threshold.Should().Contain("R67,200").And.Contain("single");
        if (eligible) decision.ShouldBeEligible(560m, Set);
        else decision.ShouldBeIneligibleBecause("incomeTest", Set);
    }

    [Theory]
    [InlineData("5600", "5600", true)]     // exactly R134,400 a year together
    [InlineData("7000", "0", true)]        // over the single ceiling, within the married one
    [InlineData("5600", "5600.01", false)] // R134,400.12
    public void Married_ceiling_with_a_spouse_in_the_household(string headMonthly, string spouseMonthly, bool eligible)
    {
        var head = Aged(33, M(headMonthly));
        var spouse = Aged(31, M(spouseMonthly));
        var child = Aged(4);

        var decision = Evaluate(Csg, For(child, Household(head, (spouse, Relationship.Spouse), (child, Relationship.Child))), Set);

        decision.ShouldHaveReason("incomeTest", eligible, Set).Threshold.Should().Contain("R134,400").And.Contain("married");
        if (eligible) decision.ShouldBeEligible(560m, Set);
        else decision.ShouldBeIneligibleBecause("incomeTest", Set);
    }

    [Fact]
    public void Child_who_heads_the_household_has_no_adult_caregiver()
    {
        var child = Aged(16);
        var sibling = Aged(12);

        var decision = Evaluate(Csg, For(child, Household(child, (sibling, Relationship.Sibling))), Set);

        decision.ShouldBeIneligibleBecause("primaryCaregiver", Set);
        decision.ShouldNotHaveReason("incomeTest");
    }

    [Fact]
    public void Sibling_in_a_child_headed_household_has_no_adult_caregiver()
    {
        var head = Aged(17);
        var sibling = Aged(9);

        var decision = Evaluate(Csg, For(sibling, Household(head, (sibling, Relationship.Sibling))), Set);

        decision.ShouldBeIneligibleBecause("primaryCaregiver", Set);
    }

    [Fact]
    public void No_household_and_no_applicant_has_no_caregiver()
    {
        Evaluate(Csg, For(Aged(5)), Set).ShouldBeIneligibleBecause("primaryCaregiver", Set);
    }

    [Fact]
    public void A_deceased_head_is_no_caregiver()
    {
        var head = Person(BornAged(40, On), monthlyIncome: 0, dateOfDeath: On.AddDays(-3));
        var child = Aged(8);

        var decision = Evaluate(Csg, For(child, Household(head, (child, Relationship.Child))), Set);

        decision.ShouldBeIneligibleBecause("primaryCaregiver", Set);
    }

    [Fact]
    public void The_applicant_given_is_the_caregiver_instead_of_the_head()
    {
        var richHead = Aged(45, 50000m);
        var child = Aged(7);
        var grandmother = Aged(62, 2000m); // cares for the child, lives elsewhere

        var withoutApplicant = Evaluate(Csg, For(child, Household(richHead, (child, Relationship.Grandchild))), Set);
        var withApplicant = Evaluate(Csg, For(child, Household(richHead, (child, Relationship.Grandchild)), applicant: grandmother), Set);

        withoutApplicant.ShouldBeIneligibleBecause("incomeTest", Set);
        withApplicant.ShouldBeEligible(560m, Set);
        withApplicant.ShouldHaveReason("primaryCaregiver", true, Set);
    }

    [Fact]
    public void A_rich_applicant_fails_even_when_the_head_is_poor()
    {
        var poorHead = Aged(45, 1000m);
        var child = Aged(7);
        var applicant = Aged(38, 9000m);

        var decision = Evaluate(Csg, For(child, Household(poorHead, (child, Relationship.Child)), applicant: applicant), Set);

        decision.ShouldBeIneligibleBecause("incomeTest", Set);
    }

    [Fact]
    public void An_applicant_under_18_is_not_an_adult_caregiver()
    {
        var head = Aged(45, 1000m);
        var child = Aged(2);

        var decision = Evaluate(Csg, For(child, Household(head, (child, Relationship.Grandchild)), applicant: Aged(17)), Set);

        decision.ShouldBeIneligibleBecause("primaryCaregiver", Set);
    }

    [Fact]
    public void Another_active_CSG_for_the_same_child_fails()
    {
        var (head, child) = (Aged(30, 1000m), Aged(3));
        var other = Holding(Csg, child);

        var decision = Evaluate(Csg, For(child, Household(head, (child, Relationship.Child)), [other], assessed: Guid.NewGuid()), Set);

        decision.ShouldBeIneligibleBecause("oneChildSupportGrant", Set).Observed.Should().Be("already receiving");
    }

    [Fact]
    public void Another_active_CSG_fails_also_for_a_new_application_without_an_entitlement_id()
    {
        var (head, child) = (Aged(30, 1000m), Aged(3));

        var decision = Evaluate(Csg, For(child, Household(head, (child, Relationship.Child)), [Holding(Csg, child)]), Set);

        decision.ShouldBeIneligibleBecause("oneChildSupportGrant", Set);
    }

    [Fact]
    public void The_entitlement_being_assessed_does_not_count_against_itself()
    {
        var (head, child) = (Aged(30, 1000m), Aged(3));
        var own = Holding(Csg, child);

        var decision = Evaluate(Csg, For(child, Household(head, (child, Relationship.Child)), [own], assessed: own.EntitlementId), Set);

        decision.ShouldBeEligible(560m, Set);
        decision.ShouldHaveReason("oneChildSupportGrant", true, Set);
    }

    [Fact]
    public void Inactive_CSGs_other_grants_and_siblings_CSGs_do_not_count()
    {
        var (head, child, sibling) = (Aged(30, 1000m), Aged(3), Aged(5));
        var holdings = new[]
        {
            Holding(Csg, child, active: false),
            Holding(ProgrammeCode.FosterChildGrant, child),
            Holding(Csg, sibling),
            Holding(ProgrammeCode.OlderPersonsGrant, head),
        };

        var decision = Evaluate(Csg, For(child, Household(head, (child, Relationship.Child), (sibling, Relationship.Child)), holdings), Set);

        decision.ShouldBeEligible(560m, Set);
        decision.ShouldHaveReason("oneChildSupportGrant", true, Set);
    }

    [Fact]
    public void A_deceased_child_is_not_eligible()
    {
        var head = Aged(30, 1000m);
        var child = Person(BornAged(4, On), dateOfDeath: On.AddDays(-1));

        Evaluate(Csg, For(child, Household(head, (child, Relationship.Child))), Set).ShouldBeIneligibleBecause("alive", Set);
    }
}
