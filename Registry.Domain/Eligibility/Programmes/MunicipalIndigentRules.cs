using Registry.Domain.Programmes;
using static System.FormattableString;

namespace Registry.Domain.Eligibility.Programmes;

/// <summary>A municipality may publish its own ceiling ("householdIncomeCeilingMonthly.CPT"); <see cref="CeilingIn"/> picks it.</summary>
public sealed record MunicipalIndigentParameters(
    decimal HouseholdIncomeCeilingMonthly, IReadOnlyDictionary<string, decimal> HouseholdIncomeCeilingMonthlyByMunicipality,
    decimal FreeBasicWaterKl, decimal FreeBasicElectricityKwh)
    : IProgrammeParameters<MunicipalIndigentParameters>
{
    private const string Ceiling = "householdIncomeCeilingMonthly";

    public static IReadOnlyList<string> Keys { get; } = [Ceiling, "freeBasicWaterKl", "freeBasicElectricityKwh"];

    public static MunicipalIndigentParameters From(ParameterSet set) =>
        new(set[Ceiling],
            set.Values.Where(v => v.Key.StartsWith(Ceiling + ".", StringComparison.Ordinal)).ToDictionary(v => v.Key[(Ceiling.Length + 1)..], v => v.Value),
            set["freeBasicWaterKl"], set["freeBasicElectricityKwh"]);

    /// <summary>The municipality's own ceiling where one is published, else the general one.</summary>
    public decimal CeilingIn(string? municipalityCode) =>
        municipalityCode is { Length: > 0 } code && HouseholdIncomeCeilingMonthlyByMunicipality.TryGetValue(code, out var local) ? local : HouseholdIncomeCeilingMonthly;
}

/// <summary>Free basic services for a registered household under its municipality's income ceiling.</summary>
internal sealed class MunicipalIndigentRules : ProgrammeRules<MunicipalIndigentParameters>
{
    public override ProgrammeCode Programme => ProgrammeCode.MunicipalIndigent;

    protected override Assessment Assess(Checks check, EligibilityFacts facts, MunicipalIndigentParameters p, DateOnly on)
    {
        var household = facts.Household;
        check.Add("inHousehold", household is not null, household is null ? "none" : "recorded", "a registered household",
            household is null ? "Indigent support is for households; the person belongs to none." : "The person's household is registered.");
        if (household is null) return new(null);
        var limit = p.CeilingIn(household.MunicipalityCode);
        var income = household.MonthlyIncomeOn(on);
        check.Add("householdIncome", income <= limit, Checks.Rand(income) + "/month", "≤ " + Checks.Rand(limit) + "/month",
            income <= limit
                ? Invariant($"The household qualifies for free basic services: {p.FreeBasicWaterKl} kl water and {p.FreeBasicElectricityKwh} kWh electricity a month.")
                : "Household income is above the municipality's indigent limit.");
        return new(null);
    }
}
