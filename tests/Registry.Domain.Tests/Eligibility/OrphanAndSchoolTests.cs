using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Eligibility;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;
using static Registry.Domain.Tests.Eligibility.Facts;

namespace Registry.Domain.Tests.Eligibility;

/// <summary>Orphanhood (CSG Top-Up, school-fee exemption) and school attendance (Foster Child Grant to 21).</summary>
public class OrphanAndSchoolTests
{
    [Theory]
    [InlineData(true, Relationship.Grandchild, 840)]
    [InlineData(true, Relationship.Sibling, 840)]
    [InlineData(true, Relationship.OtherRelative, 840)]
    [InlineData(true, Relationship.NonRelative, 560)]
    [InlineData(false, Relationship.Grandchild, 560)]
    public void The_csg_top_up_is_paid_for_an_orphan_in_the_care_of_a_relative(bool orphaned, Relationship relationship, decimal amount)
    {
        var set = Sets.ChildSupportApril2025;
        var granny = Aged(66, 1500m);
        var child = Person(BornAged(7, On)) with { Orphaned = orphaned };

        var decision = Evaluate(ProgrammeCode.ChildSupportGrant, For(child, Household(granny, (child, relationship))), set);

        decision.ShouldBeEligible(amount, set);
        var topUp = decision.ShouldHaveReason("orphanTopUp", true, set);
        topUp.Message.Should().StartWith(amount > 560 ? "The CSG Top-Up of R280" : "No CSG Top-Up");
    }

    [Fact]
    public void The_top_up_never_makes_an_ineligible_child_eligible()
    {
        var set = Sets.ChildSupportApril2025;
        var granny = Aged(66, 20000m);
        var child = Person(BornAged(7, On)) with { Orphaned = true };

        Evaluate(ProgrammeCode.ChildSupportGrant, For(child, Household(granny, (child, Relationship.Grandchild))), set)
            .ShouldBeIneligibleBecause("incomeTest", set);
    }

    [Theory]
    [InlineData(17, false, true)]
    [InlineData(18, false, false)]
    [InlineData(19, true, true)]
    [InlineData(20, true, true)]
    [InlineData(21, true, false)]
    public void A_foster_childs_grant_runs_to_21_while_in_school(int age, bool inSchool, bool eligible)
    {
        var set = Sets.FosterChildApril2025;
        var head = Aged(50, 1000m);
        var child = Person(BornAged(age, On)) with { School = inSchool ? new SchoolAttendance(true, new DateOnly(2025, 1, 15)) : null };

        var decision = Evaluate(ProgrammeCode.FosterChildGrant, For(child, Household(head, (child, Relationship.FosterChild))), set);

        decision.ShouldHaveReason("age", eligible, set).Observed.Should().Be(inSchool ? $"{age}, attending school" : $"{age}");
        if (eligible) decision.ShouldBeEligible(1250m, set);
    }

    [Fact]
    public void An_orphan_in_kinship_care_is_exempt_from_school_fees_without_the_formula()
    {
        var set = Sets.SchoolFeesApril2025;
        var aunt = Aged(40, 30000m);
        var learner = Person(BornAged(12, On)) with { Orphaned = true };

        var decision = Evaluate(ProgrammeCode.SchoolFeeExemption, For(learner, Household(aunt, (learner, Relationship.OtherRelative))), set);

        decision.Outcome.Should().Be("FULL");
        decision.ShouldHaveReason("automaticExemption", true, set).Observed.Should().Be("orphan in kinship care");
    }

    [Fact]
    public void A_foster_child_ages_out_at_21_in_school_or_on_the_day_they_left_after_18()
    {
        var set = Sets.FosterChildApril2025;
        var born = new DateOnly(2006, 3, 10);
        PersonFacts Child(SchoolAttendance? school) => Person(born) with { School = school };

        EntitlementDecisions.AgeLimitDate(ProgrammeCode.FosterChildGrant, set, Child(null)).Should().Be(new DateOnly(2024, 3, 10));
        EntitlementDecisions.AgeLimitDate(ProgrammeCode.FosterChildGrant, set, Child(new SchoolAttendance(true, new DateOnly(2023, 1, 10))))
            .Should().Be(new DateOnly(2027, 3, 10));
        EntitlementDecisions.AgeLimitDate(ProgrammeCode.FosterChildGrant, set, Child(new SchoolAttendance(false, new DateOnly(2025, 12, 5))))
            .Should().Be(new DateOnly(2025, 12, 5), "leaving school at 19 ends the grant that day");
        EntitlementDecisions.AgeLimitDate(ProgrammeCode.FosterChildGrant, set, Child(new SchoolAttendance(false, new DateOnly(2023, 12, 5))))
            .Should().Be(new DateOnly(2024, 3, 10), "leaving before 18 changes nothing");
    }

    [Fact]
    public void Leaving_school_after_18_lapses_the_foster_child_grant_from_that_day()
    {
        var set = Sets.FosterChildApril2025;
        var left = On.AddDays(-20);
        var child = Person(BornAged(19, On)) with { School = new SchoolAttendance(false, left) };
        var head = Aged(50, 1000m);
        var held = new Entitlement(Guid.NewGuid(), ProgrammeCode.FosterChildGrant, child.CitizenId, null, EntitlementStatus.Active, 1250m, new DateOnly(2020, 1, 1), EverGranted: true);

        var events = EntitlementDecisions.Reassess(held, For(child, Household(head, (child, Relationship.FosterChild))), set, On, Guid.NewGuid(),
            new ReassessmentCause(ReassessmentTrigger.SchoolAttendance, ReassessmentCause.EventSource(child.CitizenId, 4), "c1", "school attendance")).Events;

        events.OfType<EntitlementLapsed>().Should().ContainSingle().Which.From.Should().Be(left);
    }
}

/// <summary>Sets published before the rules read a figure stay valid: the figure is simply not provided for then.</summary>
public class ParametersPublishedBeforeTheRulesReadThemTests
{
    private static ParameterSet Without(ParameterSet set, string key) =>
        set with { Values = set.Values.Where(v => v.Key != key).ToDictionary() };

    [Fact]
    public void A_foster_child_set_without_an_in_school_limit_ends_the_grant_at_18()
    {
        var set = Without(Sets.FosterChildApril2025, "ageLimitInSchool");
        var head = Aged(50, 1000m);
        var child = Person(BornAged(19, On)) with { School = new SchoolAttendance(true, new DateOnly(2025, 1, 15)) };

        Evaluate(ProgrammeCode.FosterChildGrant, For(child, Household(head, (child, Relationship.FosterChild))), set).ShouldBeIneligibleBecause("age", set);
        EntitlementDecisions.AgeLimitDate(ProgrammeCode.FosterChildGrant, set, child).Should().Be(child.DateOfBirth.AddYears(18));
    }

    [Fact]
    public void A_child_support_set_without_a_top_up_pays_the_grant_alone()
    {
        var set = Without(Sets.ChildSupportApril2025, "topUpMonthlyAmount");
        var granny = Aged(66, 1500m);
        var child = Person(BornAged(7, On)) with { Orphaned = true };

        var decision = Evaluate(ProgrammeCode.ChildSupportGrant, For(child, Household(granny, (child, Relationship.Grandchild))), set);

        decision.ShouldBeEligible(560m, set);
        decision.ShouldNotHaveReason("orphanTopUp");
    }
}
