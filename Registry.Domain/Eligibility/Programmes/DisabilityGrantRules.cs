using Registry.Domain.Programmes;

namespace Registry.Domain.Eligibility.Programmes;

public sealed record DisabilityGrantParameters(decimal MinAge, decimal MaxAge, decimal MonthlyAmount, MeansTestCeilings MeansTest)
    : IProgrammeParameters<DisabilityGrantParameters>
{
    public static IReadOnlyList<string> Keys { get; } = ["minAge", "maxAge", "monthlyAmount", .. MeansTestCeilings.Keys];

    public static DisabilityGrantParameters From(ParameterSet set) =>
        new(set["minAge"], set["maxAge"], set["monthlyAmount"], MeansTestCeilings.From(set));
}

/// <summary>Working age, a disability assessment in force (temporary counts), and the means test.</summary>
internal sealed class DisabilityGrantRules : ProgrammeRules<DisabilityGrantParameters>
{
    public override ProgrammeCode Programme => ProgrammeCode.DisabilityGrant;

    protected override Assessment Assess(Checks check, EligibilityFacts facts, DisabilityGrantParameters p, DateOnly on)
    {
        var person = facts.Person;
        check.AgeBetween(person, on, p.MinAge, p.MaxAge);
        check.Disabled(person, on, permanentOnly: false);
        check.MeansTest(person, facts.Household, p.MeansTest, on, "The applicant's");
        return new(p.MonthlyAmount);
    }
}
