using Registry.Domain.Common;
using Registry.Domain.Programmes;
using static Registry.Domain.Tests.Eligibility.Facts;

namespace Registry.Domain.Tests.Eligibility;

public class SocialReliefOfDistressTests
{
    private static readonly ParameterSet Set = Sets.SocialReliefApril2025;
    private const ProgrammeCode Srd = ProgrammeCode.SocialReliefOfDistress;

    [Theory]
    [InlineData(null, true)]
    [InlineData("0", true)]
    [InlineData("623.99", true)]
    [InlineData("624", true)]      // exactly the ceiling
    [InlineData("624.01", false)]
    public void Own_income_at_most_R624_a_month(string? monthly, bool eligible)
    {
        var person = Aged(30, monthly is null ? null : M(monthly));

        var decision = Evaluate(Srd, For(person), Set);

        decision.ShouldHaveReason("incomeTest", eligible, Set).Threshold.Should().Be("R624/month");
        if (eligible) decision.ShouldBeEligible(370m, Set);
        else decision.ShouldBeIneligibleBecause("incomeTest", Set);
    }

    [Fact]
    public void Only_the_applicants_own_income_counts_not_the_households()
    {
        var head = Aged(50, 40000m);
        var person = Aged(25, 0m);

        Evaluate(Srd, For(person, Household(head, (person, Relationship.Child))), Set).ShouldBeEligible(370m, Set);
    }

    /// <summary><paramref name="daysFromBirthday"/> counts from the <paramref name="birthday"/>th birthday: 0 it is today, -1 it is tomorrow.</summary>
    [Theory]
    [InlineData(18, -1, false)]
    [InlineData(18, 0, true)]
    [InlineData(60, -1, true)]
    [InlineData(60, 0, false)]
    public void Age_18_to_59(int birthday, int daysFromBirthday, bool eligible)
    {
        var person = Person(BornAged(birthday, On, daysFromBirthday), monthlyIncome: 0);

        var decision = Evaluate(Srd, For(person), Set);

        if (eligible) decision.ShouldBeEligible(370m, Set);
        else decision.ShouldBeIneligibleBecause("age", Set);
    }

    [Theory]
    [InlineData(ProgrammeCode.ChildSupportGrant)]
    [InlineData(ProgrammeCode.DisabilityGrant)]
    [InlineData(ProgrammeCode.OlderPersonsGrant)]
    [InlineData(ProgrammeCode.FosterChildGrant)]
    [InlineData(ProgrammeCode.CareDependencyGrant)]
    [InlineData(ProgrammeCode.SocialReliefOfDistress)] // a second, different SRD entitlement
    public void Another_active_social_grant_of_the_person_fails(ProgrammeCode other)
    {
        var person = Aged(30, 0m);

        var decision = Evaluate(Srd, For(person, entitlements: [Holding(other, person)], assessed: Guid.NewGuid()), Set);

        decision.ShouldBeIneligibleBecause("noOtherSocialGrant", Set).Observed.Should().Be("1 other social grant", "which grant is not said: a disability grant would tell of a disability");
    }

    [Fact]
    public void A_grant_paid_for_someone_else_does_not_count()
    {
        // The person is the caregiver who collects a CSG, but the child is its beneficiary.
        var person = Aged(30, 0m);
        var child = Aged(4);

        var decision = Evaluate(Srd, For(person, Household(person, (child, Relationship.Child)), [Holding(ProgrammeCode.ChildSupportGrant, child)]), Set);

        decision.ShouldBeEligible(370m, Set);
        decision.ShouldHaveReason("noOtherSocialGrant", true, Set).Observed.Should().Be("none");
    }

    [Theory]
    [InlineData(ProgrammeCode.HousingSubsidyBng)]
    [InlineData(ProgrammeCode.HousingSubsidyFlisp)]
    [InlineData(ProgrammeCode.SchoolFeeExemption)]
    [InlineData(ProgrammeCode.MunicipalIndigent)]
    public void Entitlements_that_are_not_social_grants_do_not_count(ProgrammeCode other)
    {
        var person = Aged(30, 0m);

        var decision = Evaluate(Srd, For(person, entitlements: [Holding(other, person)]), Set);

        decision.ShouldBeEligible(370m, Set);
        decision.ShouldHaveReason("noOtherSocialGrant", true, Set);
    }

    [Fact]
    public void An_inactive_grant_does_not_count()
    {
        var person = Aged(30, 0m);

        var decision = Evaluate(Srd, For(person, entitlements: [Holding(ProgrammeCode.DisabilityGrant, person, active: false)]), Set);

        decision.ShouldBeEligible(370m, Set);
    }

    [Fact]
    public void The_SRD_entitlement_being_assessed_does_not_count_against_itself()
    {
        var person = Aged(30, 0m);
        var own = Holding(Srd, person);

        var decision = Evaluate(Srd, For(person, entitlements: [own], assessed: own.EntitlementId), Set);

        decision.ShouldBeEligible(370m, Set);
        decision.ShouldHaveReason("noOtherSocialGrant", true, Set);
    }
}
