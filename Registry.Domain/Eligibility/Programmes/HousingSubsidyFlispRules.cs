using Registry.Domain.Programmes;

namespace Registry.Domain.Eligibility.Programmes;

public sealed record HousingSubsidyFlispParameters(decimal MinAge, decimal HouseholdIncomeFloorMonthly, decimal HouseholdIncomeCeilingMonthly)
    : IProgrammeParameters<HousingSubsidyFlispParameters>
{
    public static IReadOnlyList<string> Keys { get; } = ["minAge", "householdIncomeFloorMonthly", "householdIncomeCeilingMonthly"];

    public static HousingSubsidyFlispParameters From(ParameterSet set) =>
        new(set["minAge"], set["householdIncomeFloorMonthly"], set["householdIncomeCeilingMonthly"]);
}

/// <summary>The finance-linked subsidy: household income inside the band above BNG, and no subsidy before.</summary>
internal sealed class HousingSubsidyFlispRules : ProgrammeRules<HousingSubsidyFlispParameters>
{
    public override ProgrammeCode Programme => ProgrammeCode.HousingSubsidyFlisp;

    protected override Assessment Assess(Checks check, EligibilityFacts facts, HousingSubsidyFlispParameters p, DateOnly on)
    {
        var person = facts.Person;
        check.MinimumAge(person, on, p.MinAge);
        var householdIncome = facts.Household?.MonthlyIncomeOn(on) ?? person.IncomeMonthly;
        var (floor, ceiling) = (p.HouseholdIncomeFloorMonthly, p.HouseholdIncomeCeilingMonthly);
        var inBand = householdIncome >= floor && householdIncome <= ceiling;
        check.Add("householdIncome", inBand, Checks.Rand(householdIncome) + "/month", $"{Checks.Rand(floor)} – {Checks.Rand(ceiling)}/month",
            inBand ? "Gross household income is within the FLISP band." : "Gross household income is outside the FLISP band.");
        check.NoPreviousHousingSubsidy(facts);
        return new(null);
    }
}
