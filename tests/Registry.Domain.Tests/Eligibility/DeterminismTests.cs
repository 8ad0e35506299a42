using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Eligibility;
using Registry.Domain.Programmes;
using static Registry.Domain.Tests.Eligibility.Facts;

namespace Registry.Domain.Tests.Eligibility;

public class DeterminismTests
{
    /// <summary>One representative case per programme, eligible or not, with its set.</summary>
    private static (EligibilityFacts Facts, ParameterSet Set) Case(ProgrammeCode programme)
    {
        var head = Aged(40, 3000m);
        var spouse = Aged(38, 400m);
        var child = Person(BornAged(9, On), disability: new Disability(true, true, null));
        var elder = Aged(70, 0m);
        var household = Household(head, (spouse, Relationship.Spouse), (child, Relationship.Child), (elder, Relationship.Parent));
        var others = Household(head, (child, Relationship.FosterChild));
        return programme switch
        {
            ProgrammeCode.OlderPersonsGrant => (For(elder, household), Sets.OlderPersonsApril2025),
            ProgrammeCode.DisabilityGrant => (For(Person(BornAged(30, On), 100m, disability: new Disability(true, false, On.AddDays(30)))), Sets.DisabilityApril2025),
            ProgrammeCode.ChildSupportGrant => (For(child, household, [Holding(ProgrammeCode.ChildSupportGrant, child)]), Sets.ChildSupportApril2025),
            ProgrammeCode.FosterChildGrant => (For(child, others), Sets.FosterChildApril2025),
            ProgrammeCode.CareDependencyGrant => (For(child, household), Sets.CareDependencyApril2025),
            ProgrammeCode.SocialReliefOfDistress => (For(spouse, household), Sets.SocialReliefApril2025),
            ProgrammeCode.HousingSubsidyBng => (For(head, household), Sets.BngApril2025),
            ProgrammeCode.HousingSubsidyFlisp => (For(head, household), Sets.FlispApril2025),
            ProgrammeCode.SchoolFeeExemption => (For(child, household, charges: new SchoolCharges(2000m, 300m)), Sets.SchoolFeesApril2025),
            ProgrammeCode.MunicipalIndigent => (For(head, household), Sets.IndigentApril2025),
            _ => throw new ArgumentOutOfRangeException(nameof(programme)),
        };
    }

    public static TheoryData<ProgrammeCode> AllProgrammes => [.. Enum.GetValues<ProgrammeCode>()];

    [Theory]
    [MemberData(nameof(AllProgrammes))]
    public void Same_facts_and_parameters_give_the_same_decision(ProgrammeCode programme)
    {
        var (facts, set) = Case(programme);

        var first = EligibilityRules.Evaluate(programme, facts, set, On);
        var second = EligibilityRules.Evaluate(programme, facts, set, On);

        first.Should().BeEquivalentTo(second, o => o.WithStrictOrdering());
        first.Reasons.Should().Equal(second.Reasons); // Reason is a record: element-wise value equality, in order
        (first with { Reasons = [] }).Should().Be(second with { Reasons = [] });
        first.ShouldCarryVersions(set);
        first.ParameterVersion.Should().Be($"{programme}/2025-04-01/v1");
        first.RuleVersion.Should().Be("2025.3");
        first.IdNumber.Should().Be(facts.Person.IdNumber);
        first.On.Should().Be(On);
    }

    [Fact]
    public void Equal_facts_built_separately_give_equal_decisions()
    {
        var id = Guid.Parse("00000000-0000-4000-8000-000000000042");
        PersonFacts Build() => new(id, SaIdNumber.Create(new DateOnly(1955, 6, 16), Sex.Female, Citizenship.Citizen, 123).Value, new DateOnly(1955, 6, 16), Citizenship.Citizen, null, 8070m, null);
        var set = Sets.OlderPersonsApril2025;

        var first = EligibilityRules.Evaluate(ProgrammeCode.OlderPersonsGrant, For(Build()), set, On);
        var second = EligibilityRules.Evaluate(ProgrammeCode.OlderPersonsGrant, For(Build()), set, On);

        first.Should().BeEquivalentTo(second, o => o.WithStrictOrdering());
        first.ShouldBeEligible(2310m, set);
    }

    [Fact]
    public void A_different_parameter_set_is_named_in_the_decision()
    {
        var person = Aged(66, 0m);
        var facts = For(person, Household(person));

        var april = EligibilityRules.Evaluate(ProgrammeCode.OlderPersonsGrant, facts, Sets.OlderPersonsApril2025, On);
        var october = EligibilityRules.Evaluate(ProgrammeCode.OlderPersonsGrant, facts, Sets.OlderPersonsOctober2025, On);

        april.ParameterVersion.Should().Be("OlderPersonsGrant/2025-04-01/v1");
        october.ParameterVersion.Should().Be("OlderPersonsGrant/2025-10-01/v1");
        april.RuleVersion.Should().Be(october.RuleVersion);
        april.MonthlyAmount.Should().Be(2310m);
        october.MonthlyAmount.Should().Be(2320m);
    }
}
