using Registry.Domain.Programmes;
using static System.FormattableString;

namespace Registry.Domain.Eligibility.Programmes;

public sealed record SocialReliefOfDistressParameters(decimal MinAge, decimal MaxAge, decimal MonthlyAmount, decimal IncomeCeilingMonthly)
    : IProgrammeParameters<SocialReliefOfDistressParameters>
{
    public static IReadOnlyList<string> Keys { get; } = ["minAge", "maxAge", "monthlyAmount", "incomeCeilingMonthly"];

    public static SocialReliefOfDistressParameters From(ParameterSet set) =>
        new(set["minAge"], set["maxAge"], set["monthlyAmount"], set["incomeCeilingMonthly"]);
}

/// <summary>Working age, the applicant's own monthly income under the SRD limit, and no other social grant.</summary>
internal sealed class SocialReliefOfDistressRules : ProgrammeRules<SocialReliefOfDistressParameters>
{
    public override ProgrammeCode Programme => ProgrammeCode.SocialReliefOfDistress;

    protected override Assessment Assess(Checks check, EligibilityFacts facts, SocialReliefOfDistressParameters p, DateOnly on)
    {
        var person = facts.Person;
        check.AgeBetween(person, on, p.MinAge, p.MaxAge);
        var income = person.IncomeMonthly;
        check.Add("incomeTest", income <= p.IncomeCeilingMonthly, Checks.Rand(income) + "/month", Checks.Rand(p.IncomeCeilingMonthly) + "/month",
            income <= p.IncomeCeilingMonthly ? "The applicant's own income is within the SRD limit." : "The applicant's own income is above the SRD limit.");
        var grants = facts.Entitlements.Count(e => e.BeneficiaryId == person.CitizenId && e.ActiveOnDate
            && e.EntitlementId != facts.AssessedEntitlementId && ProgrammeInfo.Of(e.Programme).IsSocialGrant);
        // How many, not which: a Disability or Care Dependency Grant named here would carry a disability into an SRD answer.
        check.Add("noOtherSocialGrant", grants == 0, grants switch { 0 => "none", 1 => "1 other social grant", var n => Invariant($"{n} other social grants") }, "none",
            grants == 0 ? "The applicant receives no other social grant." : "A person who receives another social grant cannot get SRD.");
        return new(p.MonthlyAmount);
    }
}
