using Registry.Domain.Common;
using Registry.Domain.Programmes;

namespace Registry.Domain.Eligibility.Programmes;

/// <summary><see cref="AgeLimitInSchool"/> is null in sets published before the grant ran on for learners.</summary>
public sealed record FosterChildGrantParameters(decimal AgeLimit, decimal? AgeLimitInSchool, decimal MonthlyAmount)
    : IProgrammeParameters<FosterChildGrantParameters>
{
    public static IReadOnlyList<string> Keys { get; } = ["ageLimit", "ageLimitInSchool", "monthlyAmount"];

    public static FosterChildGrantParameters From(ParameterSet set) =>
        new(set["ageLimit"], set.Optional("ageLimitInSchool"), set["monthlyAmount"]);
}

/// <summary>A child placed in foster care in a household, under the age limit (longer while in school). No means test.</summary>
internal sealed class FosterChildGrantRules : ProgrammeRules<FosterChildGrantParameters>
{
    public override ProgrammeCode Programme => ProgrammeCode.FosterChildGrant;

    protected override Assessment Assess(Checks check, EligibilityFacts facts, FosterChildGrantParameters p, DateOnly on)
    {
        var person = facts.Person;
        check.FosterChildAge(person, on, p.AgeLimit, p.AgeLimitInSchool);
        var relationship = facts.Household?.RelationshipOf(person.CitizenId);
        var fostered = relationship == Relationship.FosterChild;
        check.Add("courtPlacedFosterChild", fostered, relationship?.ToString() ?? "no household", "FosterChild",
            fostered ? "The child is recorded as a foster child in the household." : "The child is not recorded as placed in foster care in a household.");
        return new(p.MonthlyAmount);
    }
}
