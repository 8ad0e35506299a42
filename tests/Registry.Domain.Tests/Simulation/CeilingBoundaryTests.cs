using Registry.Domain.Common;
using Registry.Domain.Eligibility;
using Registry.Domain.Programmes;
using Registry.Domain.Simulation;
using Registry.Domain.Tests.Eligibility;
using static Registry.Domain.Tests.Eligibility.Facts;

namespace Registry.Domain.Tests.Simulation;

/// <summary>
/// A ceiling raised by R1 moves exactly the people between the old ceiling and the new one, programme by
/// programme: the person just above the old ceiling becomes eligible with the criterion that moved them,
/// the person at the old ceiling and the person just above the new one stay where they were.
/// </summary>
public sealed class CeilingBoundaryTests
{
    public sealed record Scenario(string Name, ProgrammeCode Programme, ParameterSet Baseline, string Ceiling, bool Annual, Func<decimal, EligibilityFacts> Facts)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Scenario> Scenarios() => new()
    {
        new("Older Person's Grant, single", ProgrammeCode.OlderPersonsGrant, Sets.OlderPersonsApril2025, "incomeCeilingSingleAnnual", true,
            income => For(Aged(65, income))),
        new("Social Relief of Distress", ProgrammeCode.SocialReliefOfDistress, Sets.SocialReliefApril2025, "incomeCeilingMonthly", false,
            income => For(Aged(30, income))),
        new("Child Support Grant, the caregiver's income", ProgrammeCode.ChildSupportGrant, Sets.ChildSupportApril2025, "incomeCeilingSingleAnnual", true,
            income =>
            {
                var caregiver = Aged(30, income);
                var child = Aged(5);
                return For(child, Household(caregiver, (child, Relationship.Child)), applicant: caregiver);
            }),
        new("BNG housing subsidy, the household's income", ProgrammeCode.HousingSubsidyBng, Sets.BngApril2025, "householdIncomeCeilingMonthly", false,
            income =>
            {
                var head = Aged(35, income);
                return For(head, Household(head, (Aged(5), Relationship.Child)));
            }),
        new("FLISP, the household's income", ProgrammeCode.HousingSubsidyFlisp, Sets.FlispApril2025, "householdIncomeCeilingMonthly", false,
            income =>
            {
                var head = Aged(35, income);
                return For(head, Household(head, (Aged(5), Relationship.Child)));
            }),
        new("Municipal indigent support, Cape Town's own ceiling", ProgrammeCode.MunicipalIndigent, Sets.IndigentApril2025, "householdIncomeCeilingMonthly.CPT", false,
            income =>
            {
                var head = Aged(35, income);
                return For(head, Household(head));
            }),
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void A_ceiling_raised_by_one_rand_moves_exactly_the_people_at_it(Scenario s)
    {
        var ceiling = s.Baseline.Values[s.Ceiling];
        var proposed = s.Baseline with { Values = new Dictionary<string, decimal>(s.Baseline.Values) { [s.Ceiling] = ceiling + 1 }, Sequence = 0 };
        // The monthly income whose yearly or monthly figure lands at a ceiling, or a cent (a year's twelve cents) past it.
        decimal Income(decimal limit, decimal cents) => s.Annual ? Math.Floor(limit / 12m * 100m) / 100m + cents : limit + cents;
        SimulatedOutcome Outcome(decimal income)
        {
            var facts = s.Facts(income);
            return SimulatedOutcome.Compare(Evaluate(s.Programme, facts, s.Baseline), Evaluate(s.Programme, facts, proposed));
        }

        var atOldCeiling = Outcome(Income(ceiling, 0m));
        atOldCeiling.Kind.Should().BeNull();
        atOldCeiling.Before.Eligible.Should().BeTrue("the old ceiling itself qualifies");

        var between = Outcome(Income(ceiling + 1, 0m));
        between.Kind.Should().Be(SimulationChangeKind.NewlyEligible);
        var moved = between.ChangedCriteria.Where(c => c.Before.Passed != c.After.Passed).Should().ContainSingle().Subject;
        moved.Before.Passed.Should().BeFalse();
        moved.After.Passed.Should().BeTrue();
        moved.Before.Observed.Should().Be(moved.After.Observed, "the facts are the same on both sides");

        var aboveNewCeiling = Outcome(Income(ceiling + 1, 0.01m));
        aboveNewCeiling.Kind.Should().BeNull();
        aboveNewCeiling.After.Eligible.Should().BeFalse();
    }
}
