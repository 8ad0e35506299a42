using Registry.Domain.Programmes;

namespace Registry.Domain.Eligibility.Programmes;

public sealed record OlderPersonsGrantParameters(
    decimal MinAge, decimal MonthlyAmount, decimal HigherAmountAge, decimal MonthlyAmountHigherAge, MeansTestCeilings MeansTest)
    : IProgrammeParameters<OlderPersonsGrantParameters>
{
    public static IReadOnlyList<string> Keys { get; } = ["minAge", "monthlyAmount", "higherAmountAge", "monthlyAmountHigherAge", .. MeansTestCeilings.Keys];

    public static OlderPersonsGrantParameters From(ParameterSet set) =>
        new(set["minAge"], set["monthlyAmount"], set["higherAmountAge"], set["monthlyAmountHigherAge"], MeansTestCeilings.From(set));
}

/// <summary>Old age: the minimum age and the means test; from the higher age the grant is a little more.</summary>
internal sealed class OlderPersonsGrantRules : ProgrammeRules<OlderPersonsGrantParameters>
{
    public override ProgrammeCode Programme => ProgrammeCode.OlderPersonsGrant;

    protected override Assessment Assess(Checks check, EligibilityFacts facts, OlderPersonsGrantParameters p, DateOnly on)
    {
        var person = facts.Person;
        check.MinimumAge(person, on, p.MinAge);
        check.MeansTest(person, facts.Household, p.MeansTest, on, "The applicant's");
        return new(person.AgeOn(on) >= p.HigherAmountAge ? p.MonthlyAmountHigherAge : p.MonthlyAmount);
    }
}
