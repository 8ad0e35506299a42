using Microsoft.AspNetCore.Mvc;
using Registry.Api.Hosting;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>
/// The register's published counts (statistics { population, beneficiaries }) as charts with their tables. The
/// groupings are the API's own; chosen with a GET form, so a grouping is a link that works without JavaScript.
/// </summary>
public sealed class StatisticsModel(ConsoleQuery query, TimeProvider clock) : ConsolePage(query)
{
    private const string Document = """
        query($population: PopulationGrouping!, $beneficiaries: BeneficiaryGrouping!) {
          statistics {
            population(groupBy: $population) { key count suppressed }
            beneficiaries(groupBy: $beneficiaries) { key count suppressed }
          }
        }
        """;

    /// <summary>A grouping the API offers: its enum value, how the form and the table name it, and how its keys read.</summary>
    public sealed record Grouping(string Value, string Label, Func<string, string> KeyLabel);

    public static readonly IReadOnlyList<Grouping> PopulationGroupings =
    [
        new("PROVINCE", "Province", Labels.Name),
        new("MUNICIPALITY", "Municipality", MunicipalityName),
        new("AGE_BAND", "Age band", AgeBand),
        new("SEX", "Sex", Labels.Of),
    ];

    public static readonly IReadOnlyList<Grouping> BeneficiaryGroupings =
    [
        new("PROGRAMME", "Programme", Labels.Of),
        new("PROVINCE", "Province", Labels.Name),
        new("STATUS", "Status", Labels.Of),
    ];

    protected override string RefusalMessage => "Your role does not allow you to see the register's statistics.";

    [FromQuery(Name = "population")] public string Population { get; set; } = "PROVINCE";
    [FromQuery(Name = "entitlements")] public string Entitlements { get; set; } = "PROGRAMME";

    /// <summary>The register's today: it counts as it stands now, with ages on this date.</summary>
    public DateOnly CountedOn => clock.Today();

    public BarChart? PopulationChart { get; private set; }
    public BarChart? EntitlementsChart { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var population = PopulationGroupings.FirstOrDefault(g => g.Value == Population);
        var entitlements = BeneficiaryGroupings.FirstOrDefault(g => g.Value == Entitlements);
        Errors =
        [
            .. population is null ? [new FieldError("population", ErrorCodes.InvalidInput, "Select how to group the population")] : Array.Empty<FieldError>(),
            .. entitlements is null ? [new FieldError("entitlements", ErrorCodes.InvalidInput, "Select how to group the entitlements")] : Array.Empty<FieldError>(),
        ];
        if (Errors.Count > 0) return Page();

        if (await RunAsync(Document, new { population = population!.Value, beneficiaries = entitlements!.Value }, null) is not { } answer) return Page();
        var statistics = answer.Data.GetProperty("statistics");
        PopulationChart = BarChart.From("population-chart", $"Living people, by {population.Label.ToLowerInvariant()}", population.Label, "People",
            statistics.GetProperty("population"), Unknown(population.KeyLabel));
        EntitlementsChart = BarChart.From("entitlements-chart", $"Entitlements, by {entitlements.Label.ToLowerInvariant()}", entitlements.Label, "Entitlements",
            statistics.GetProperty("beneficiaries"), Unknown(entitlements.KeyLabel));
        return Page();
    }

    /// <summary>The register counts people whose group it does not know under UNKNOWN.</summary>
    private static Func<string, string> Unknown(Func<string, string> label) => key => key == "UNKNOWN" ? "Not recorded" : label(key);

    public static string MunicipalityName(string code) => Municipalities.Find(code) is { } m ? $"{m.City} ({m.Code})" : code;

    /// <summary>"18-34" → "18 to 34", "60+" → "60 and over".</summary>
    public static string AgeBand(string band) => band.EndsWith('+') ? band[..^1] + " and over" : band.Replace("-", " to ");
}
