using Registry.Domain.Common;
using Registry.Domain.Eligibility;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;
using static Registry.Domain.Tests.Eligibility.Facts;

namespace Registry.Domain.Tests.Eligibility;

public class SchoolFeeExemptionTests
{
    private static readonly ParameterSet Set = Sets.SchoolFeesApril2025;
    private const ProgrammeCode Sfe = ProgrammeCode.SchoolFeeExemption;

    // Parents' combined income R9,876 a month = C = R118,512 a year: figures that appear nowhere
    // else, so a leak into any reason text can be seen. E = 100 × (F + A) / C:
    //   F + A = R11,851.20 → E = 10 % exactly; R4,147.92 → E = 3.5 % exactly.
    private const decimal HeadMonthly = 5000m;
    private const decimal SpouseMonthly = 4876m;
    private static readonly string[] IncomeRenderings =
        ["9,876", "9876", "118,512", "118512", "5,000", "5000", "4,876", "4876"];

    [Theory]
    [InlineData(ProgrammeCode.ChildSupportGrant)]
    [InlineData(ProgrammeCode.FosterChildGrant)]
    [InlineData(ProgrammeCode.CareDependencyGrant)]
    public void Learner_with_an_active_child_grant_is_fully_exempt_without_saying_which_grant(ProgrammeCode grant)
    {
        var (head, learner) = (Aged(40, 30000m), Aged(10));

        var facts = For(learner, Household(head, (learner, Relationship.Child)), [Holding(grant, learner)]);
        var decision = Evaluate(Sfe, facts, Set);

        decision.Outcome.Should().Be("FULL");
        decision.ShouldBeEligible(null, Set);
        // A Care Dependency Grant would tell the school of a disability, a Foster Child Grant of a placement.
        decision.ShouldHaveReason("automaticExemption", true, Set).Observed.Should().Be("child grant beneficiary");
        string.Join(" ", decision.Reasons.SelectMany(r => new[] { r.Observed, r.Threshold, r.Message })).Should()
            .NotContainAny("Care Dependency", "Foster", "Support", "disab");
        decision.ShouldNotHaveReason("feeFormula");
        EligibilityRules.Unanswerable(Sfe, facts, On).Should().BeNull("the automatic exemption needs no fees");
    }

    [Fact]
    public void An_inactive_grant_or_another_childs_grant_is_no_automatic_exemption()
    {
        var (head, learner, sibling) = (Aged(40, 30000m), Aged(10), Aged(4));

        var decision = Evaluate(Sfe, For(learner, Household(head, (learner, Relationship.Child), (sibling, Relationship.Child)),
            [Holding(ProgrammeCode.ChildSupportGrant, learner, active: false), Holding(ProgrammeCode.ChildSupportGrant, sibling)]), Set);

        decision.Outcome.Should().Be("NONE");
        decision.ShouldBeIneligibleBecause("feeFormula", Set);
        decision.ShouldHaveReason("automaticExemption", true, Set).Observed.Should().Be("none");
    }

    [Fact]
    public void Child_headed_household_is_fully_exempt()
    {
        var head = Aged(17, 2000m);
        var learner = Aged(12);

        var decision = Evaluate(Sfe, For(learner, Household(head, (learner, Relationship.Sibling))), Set);

        decision.Outcome.Should().Be("FULL");
        decision.ShouldBeEligible(null, Set);
        decision.ShouldHaveReason("automaticExemption", true, Set).Observed.Should().Be("child-headed household");
    }

    [Fact]
    public void The_learner_heading_the_household_is_a_child_headed_household()
    {
        var learner = Aged(16);

        var decision = Evaluate(Sfe, For(learner, Household(learner)), Set);

        decision.Outcome.Should().Be("FULL");
        decision.ShouldBeEligible(null, Set);
    }

    [Fact]
    public void No_recorded_fees_and_no_automatic_route_cannot_be_answered()
    {
        var (head, learner) = (Aged(40, 1000m), Aged(10));
        var facts = For(learner, Household(head, (learner, Relationship.Child)));

        EligibilityRules.Unanswerable(Sfe, facts, On).Should().Be(new DomainError(ErrorCodes.NoSchoolFeesRecorded,
            $"No school fees are recorded for the learner's {On.Year} school year, and no automatic exemption applies; a caseworker records the fees.", "on"));
        EligibilityRules.Unanswerable(Sfe, facts with { SchoolCharges = new SchoolCharges(0m, 0m) }, On).Should().BeNull();
        EligibilityRules.Unanswerable(ProgrammeCode.ChildSupportGrant, facts, On).Should().BeNull();
        // A re-assessment still gets a decision: without fees, the formula fails.
        var decision = Evaluate(Sfe, facts, Set);
        decision.Outcome.Should().Be("NONE");
        decision.ShouldBeIneligibleBecause("feeFormula", Set).Observed.Should().Be("no school fees recorded");
    }

    [Fact]
    public void Applying_for_an_exemption_without_recorded_fees_is_refused_with_the_same_code()
    {
        var (head, learner) = (Aged(40, 1000m), Aged(10));
        var facts = For(learner, Household(head, (learner, Relationship.Child)));

        EntitlementDecisions.Apply(null, Guid.NewGuid(), Sfe, learner.CitizenId, null, facts, Set, On, Guid.NewGuid())
            .ShouldReject(ErrorCodes.NoSchoolFeesRecorded, "effectiveDate");
        EntitlementDecisions.Apply(null, Guid.NewGuid(), Sfe, learner.CitizenId, null, facts with { SchoolCharges = new SchoolCharges(500m, 0m) }, Set, On, Guid.NewGuid())
            .IsAccepted.Should().BeTrue();
    }

    [Theory]
    [InlineData("20000", "0", "FULL")]
    [InlineData("11851.20", "0", "FULL")]    // E = 10 % exactly
    [InlineData("10000", "1851.20", "FULL")] // other charges A count with the fees F
    [InlineData("11851.19", "0", "PARTIAL")] // just under 10 %
    [InlineData("6000", "0", "PARTIAL")]
    [InlineData("4147.92", "0", "PARTIAL")]  // E = 3.5 % exactly
    [InlineData("3000", "1147.92", "PARTIAL")]
    [InlineData("4147.91", "0", "NONE")]     // just under 3.5 %
    [InlineData("0", "0", "NONE")]
    public void Formula_bands(string fees, string otherCharges, string outcome)
    {
        var decision = EvaluateFormula(new SchoolCharges(M(fees), M(otherCharges)));

        decision.Outcome.Should().Be(outcome);
        decision.ShouldHaveReason("automaticExemption", true, Set);
        if (outcome == "NONE")
        {
            decision.ShouldBeIneligibleBecause("feeFormula", Set);
        }
        else
        {
            decision.ShouldBeEligible(null, Set);
            decision.ShouldHaveReason("feeFormula", true, Set);
        }
    }

    [Theory]
    [InlineData("20000", "0")]
    [InlineData("11851.20", "0")]
    [InlineData("6000", "0")]
    [InlineData("4147.91", "0")]
    [InlineData("0", "0")]
    public void The_department_learns_the_band_never_the_parents_income(string fees, string otherCharges)
    {
        var decision = EvaluateFormula(new SchoolCharges(M(fees), M(otherCharges)));

        foreach (var reason in decision.Reasons)
            foreach (var text in new[] { reason.Observed, reason.Threshold, reason.Message })
                foreach (var income in IncomeRenderings)
                    (text ?? "").Should().NotContain(income, "reason {0} must not reveal the parents' income", reason.Criterion);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0")]
    public void Parents_with_no_income_get_full_exemption(string? monthly)
    {
        var head = Aged(40, monthly is null ? null : M(monthly));
        var learner = Aged(10);

        var decision = Evaluate(Sfe, For(learner, Household(head, (learner, Relationship.Child)), charges: new SchoolCharges(500m, 0m)), Set);

        decision.Outcome.Should().Be("FULL");
        decision.ShouldBeEligible(null, Set);
    }

    [Fact]
    public void Only_the_head_and_spouse_count_as_parents()
    {
        var head = Aged(40, 0m);
        var uncle = Aged(35, 50000m);
        var learner = Aged(10);

        var decision = Evaluate(Sfe, For(learner, Household(head, (learner, Relationship.Child), (uncle, Relationship.Sibling)),
            charges: new SchoolCharges(500m, 0m)), Set);

        decision.Outcome.Should().Be("FULL");
    }

    [Fact]
    public void The_partial_floor_is_a_parameter()
    {
        var lowerFloor = Sets.Make(ProgrammeCode.SchoolFeeExemption, new DateOnly(2026, 1, 1), "provincial variant (test)",
            ("fullExemptionPercent", 10), ("partialExemptionFloorPercent", 2.5m));
        var (head, spouse, learner) = (Aged(40, HeadMonthly), Aged(38, SpouseMonthly), Aged(10));
        // E = 100 × 2,962.80 / 118,512 = 2.5 % exactly.
        var facts = For(learner, Household(head, (spouse, Relationship.Spouse), (learner, Relationship.Child)), charges: new SchoolCharges(2962.80m, 0m));

        Evaluate(Sfe, facts, Set).Outcome.Should().Be("NONE");
        var decision = Evaluate(Sfe, facts, lowerFloor);
        decision.Outcome.Should().Be("PARTIAL");
        decision.ShouldBeEligible(null, lowerFloor);
    }

    private static EligibilityDecision EvaluateFormula(SchoolCharges charges)
    {
        var head = Aged(42, HeadMonthly);
        var spouse = Aged(40, SpouseMonthly);
        var learner = Aged(11);
        return Evaluate(Sfe, For(learner, Household(head, (spouse, Relationship.Spouse), (learner, Relationship.Child)), charges: charges), Set);
    }
}
