using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Auth;
using Registry.Api.StaffConsole.Forms;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages.Simulation;

/// <summary>
/// One run: where it has got to (the page refreshes itself while it works, with no script), what it compared (the
/// baseline's version, the rules' version and the proposal's hash), and its published tallies as tables and charts,
/// broken down by the groupings chosen (?by=PROVINCE&amp;by=AGE_BAND by default). "Run again" is a form: it posts
/// rerunSimulation with its own idempotency key, and the new run's page follows.
/// </summary>
public sealed class RunModel(ConsoleQuery query) : FormPage(query)
{
    [FromRoute] public Guid Id { get; set; }

    [FromQuery(Name = "by")] public string[] By { get; set; } = [];

    public JsonElement Run { get; private set; }

    public IReadOnlyList<SimulationReading.Dimension> Groupings { get; private set; } = [];

    /// <summary>The chosen groupings' cells, by the grouping's value.</summary>
    public IReadOnlyDictionary<string, JsonElement> Breakdowns { get; private set; } = new Dictionary<string, JsonElement>();

    public bool MayRunAgain => Roles.Satisfies(User, Api.Simulation.SimulatingPolicy.Runners);

    protected override string RefusalMessage => "Your role does not allow you to see policy simulations.";

    protected override IReadOnlyCollection<string> FieldIds => [];

    public async Task<IActionResult> OnGetAsync()
    {
        var chosen = By.Where(b => SimulationReading.Dimensions.Any(d => d.Value == b)).ToHashSet(StringComparer.Ordinal);
        if (chosen.Count == 0) chosen = [.. SimulationReading.DefaultDimensions];
        Groupings = [.. SimulationReading.Dimensions.Where(d => chosen.Contains(d.Value))];
        var breakdowns = string.Concat(Groupings.Select(d => $" {d.Alias}: breakdown(by: {d.Value}) {{ key {SimulationReading.Tally} }}"));
        var document = $$"""
            query($id: ID!) { simulationRun(id: $id) {
              id name programme on population { province municipalityCode } status failureCode progress { done total }
              ruleVersion baselineParameterVersion proposedParametersHash parametersJson rerunOf requestedBy requestedAt startedAt finishedAt
              summary { {{SimulationReading.Tally}} } {{breakdowns}} } }
            """;
        if (await RunAsync(document, new { id = Id }, null) is not { } answer) return Page();
        Run = answer.Data.GetProperty("simulationRun");
        if (Run.ValueKind == JsonValueKind.Null) return Refuse(StatusCodes.Status404NotFound, "The register has no simulation run with this address. Find it in the list of simulations.");
        Breakdowns = Groupings.ToDictionary(d => d.Value, d => Run.GetProperty(d.Alias));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await RunAsync("mutation($id: ID!, $key: String) { rerunSimulation(id: $id, idempotencyKey: $key) { run { id } errors { code field message } } }",
                new { id = Id, key = IdempotencyKey }, null) is not { } answer) return Page();
        var payload = answer.Data.GetProperty("rerunSimulation");
        if (Shown(payload.GetProperty("errors")) is { Count: > 0 } rejected)
        {
            Errors = rejected;
            await OnGetAsync();
            return Page();
        }
        return Redirect($"{ConsoleHost.PathBase}/simulations/{payload.GetProperty("run").GetProperty("id").GetString()}");
    }

    /// <summary>The proposed figures, as the register keeps them.</summary>
    public IReadOnlyList<(string Key, string Value)> ProposedFigures()
    {
        using var set = JsonDocument.Parse(Run.GetProperty("parametersJson").GetString()!);
        return [.. set.RootElement.GetProperty("values").EnumerateObject().Select(v => (v.Name, StartModel.Plain(v.Value.GetDecimal())))];
    }

    public string ChangesPath(string? kind = null) => $"{ConsoleHost.PathBase}/simulations/{Id}/changes{(kind is null ? "" : $"?kind={kind}")}";

    protected override FieldError InFormWords(FieldError error) => error.Code == ErrorCodes.NotFound
        ? error with { Message = "The register has no simulation run with this address, so it cannot be run again" }
        : base.InFormWords(error);
}
