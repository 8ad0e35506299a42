using Registry.Domain.Programmes;

namespace Registry.Domain.Eligibility.Programmes;

public sealed record HousingSubsidyBngParameters(decimal MinAge, decimal HouseholdIncomeCeilingMonthly)
    : IProgrammeParameters<HousingSubsidyBngParameters>
{
    public static IReadOnlyList<string> Keys { get; } = ["minAge", "householdIncomeCeilingMonthly"];

    public static HousingSubsidyBngParameters From(ParameterSet set) => new(set["minAge"], set["householdIncomeCeilingMonthly"]);
}

/// <summary>The full (BNG/RDP) subsidy: household income under the ceiling, a partner or dependants, and no subsidy before.</summary>
internal sealed class HousingSubsidyBngRules : ProgrammeRules<HousingSubsidyBngParameters>
{
    public override ProgrammeCode Programme => ProgrammeCode.HousingSubsidyBng;

    protected override Assessment Assess(Checks check, EligibilityFacts facts, HousingSubsidyBngParameters p, DateOnly on)
    {
        var person = facts.Person;
        check.MinimumAge(person, on, p.MinAge);
        var householdIncome = facts.Household?.MonthlyIncomeOn(on) ?? person.IncomeMonthly;
        var ceiling = p.HouseholdIncomeCeilingMonthly;
        check.Add("householdIncome", householdIncome <= ceiling, Checks.Rand(householdIncome) + "/month", "≤ " + Checks.Rand(ceiling) + "/month",
            householdIncome <= ceiling ? "Gross household income is within the BNG limit." : "Gross household income is above the BNG limit.");
        var hasPartnerOrDependants = facts.Household is { } h
            && (h.SpouseOf(person.CitizenId) is { } partner && partner.AliveOn(on)
                || h.Members.Any(m => m.Person.CitizenId != person.CitizenId && m.Person.AliveOn(on) && m.Person.AgeOn(on) < 18));
        check.Add("marriedOrWithDependants", hasPartnerOrDependants, hasPartnerOrDependants ? "yes" : "no", "married, cohabiting or with financial dependants",
            hasPartnerOrDependants ? "The applicant lives with a spouse or dependants." : "A single applicant needs financial dependants for BNG.");
        check.NoPreviousHousingSubsidy(facts);
        return new(null);
    }
}
