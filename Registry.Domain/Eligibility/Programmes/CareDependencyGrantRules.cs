using Registry.Domain.Programmes;

namespace Registry.Domain.Eligibility.Programmes;

public sealed record CareDependencyGrantParameters(decimal AgeLimit, decimal MonthlyAmount, MeansTestCeilings MeansTest)
    : IProgrammeParameters<CareDependencyGrantParameters>
{
    public static IReadOnlyList<string> Keys { get; } = ["ageLimit", "monthlyAmount", .. MeansTestCeilings.Keys];

    public static CareDependencyGrantParameters From(ParameterSet set) =>
        new(set["ageLimit"], set["monthlyAmount"], MeansTestCeilings.From(set));
}

/// <summary>A child under the age limit with a permanent disability needing permanent care, and the caregiver's means test.</summary>
internal sealed class CareDependencyGrantRules : ProgrammeRules<CareDependencyGrantParameters>
{
    public override ProgrammeCode Programme => ProgrammeCode.CareDependencyGrant;

    protected override Assessment Assess(Checks check, EligibilityFacts facts, CareDependencyGrantParameters p, DateOnly on)
    {
        check.UnderAge(facts.Person, on, p.AgeLimit);
        check.Disabled(facts.Person, on, permanentOnly: true);
        check.CaregiverMeansTest(facts, p.MeansTest, on);
        return new(p.MonthlyAmount);
    }
}
