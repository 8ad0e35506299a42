using Registry.Domain.Programmes;

namespace Registry.Domain.Eligibility.Programmes;

/// <summary><see cref="TopUpMonthlyAmount"/> is null in sets published before the CSG Top-Up existed.</summary>
public sealed record ChildSupportGrantParameters(decimal AgeLimit, decimal MonthlyAmount, MeansTestCeilings MeansTest, decimal? TopUpMonthlyAmount)
    : IProgrammeParameters<ChildSupportGrantParameters>
{
    public static IReadOnlyList<string> Keys { get; } = ["ageLimit", "monthlyAmount", .. MeansTestCeilings.Keys, "topUpMonthlyAmount"];

    public static ChildSupportGrantParameters From(ParameterSet set) =>
        new(set["ageLimit"], set["monthlyAmount"], MeansTestCeilings.From(set), set.Optional("topUpMonthlyAmount"));
}

/// <summary>A child under the age limit, the caregiver's means test, one grant per child, and the orphan top-up.</summary>
internal sealed class ChildSupportGrantRules : ProgrammeRules<ChildSupportGrantParameters>
{
    public override ProgrammeCode Programme => ProgrammeCode.ChildSupportGrant;

    protected override Assessment Assess(Checks check, EligibilityFacts facts, ChildSupportGrantParameters p, DateOnly on)
    {
        check.UnderAge(facts.Person, on, p.AgeLimit);
        check.CaregiverMeansTest(facts, p.MeansTest, on);
        check.NoOtherActive(facts, ProgrammeCode.ChildSupportGrant, "oneChildSupportGrant", "A child can have only one Child Support Grant.");
        return new(p.MonthlyAmount + check.OrphanTopUp(facts, p.TopUpMonthlyAmount));
    }
}
