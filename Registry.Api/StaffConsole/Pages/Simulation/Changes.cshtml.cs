using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages.Simulation;

/// <summary>
/// The people whose outcome a run changed, one row each: under the run's pseudonym, and by ID number for the
/// administrators and auditors the register shows them to. The page reads them for one fixed purpose, "policy
/// simulation review", instead of asking: reviewing a run's rows is the only thing this page is for, so a typed
/// purpose would add a step and tell the access log nothing more (an analyst's pseudonymous rows log no read at all).
/// The rows page forwards through the API's cursors, sealed in ?page= as the auditor's lists carry them.
/// </summary>
public sealed class ChangesModel(ConsoleQuery query, AuditLinks links) : ConsolePage(query)
{
    public const string Purpose = "policy simulation review";

    public const int PageSize = 25;

    private static readonly string Document = $$"""
        query($id: ID!, $kind: SimulationChangeKind, $after: String) { simulationRun(id: $id) { id name programme
          changes(kind: $kind, first: {{PageSize}}, after: $after) { totalCount pageInfo { hasNextPage endCursor }
            edges { node { pseudonym idNumber kind before { eligible monthlyAmount } after { eligible monthlyAmount }
              changedCriteria { criterion before { passed observed } after { passed observed } threshold thresholdBefore } } } } } }
        """;

    [FromRoute] public Guid Id { get; set; }

    [FromQuery(Name = "kind")] public string? Kind { get; set; }

    [FromQuery(Name = "page")] public string? PageTrail { get; set; }

    public JsonElement Run { get; private set; }

    public JsonElement Changes { get; private set; }

    public Auditing.Pager? Pager { get; private set; }

    protected override string RefusalMessage => "Your role does not allow you to see policy simulations.";

    public async Task<IActionResult> OnGetAsync()
    {
        if (string.IsNullOrEmpty(Kind)) Kind = null;
        if (Kind is not null && SimulationReading.Kinds.All(k => k.Value != Kind))
        {
            Errors = [new FieldError("kind", ErrorCodes.InvalidInput, "Select which changes to show")];
            Kind = null;
        }
        IReadOnlyList<string> trail = [];
        if (PageTrail is not null)
        {
            if (links.OpenTrail(PageTrail) is not { } opened)
                return Refuse(StatusCodes.Status404NotFound, "This link has expired or is not valid. Open the changes again from the run's page.");
            trail = opened;
        }

        if (await RunAsync(Document, new { id = Id, kind = Kind, after = trail.Count == 0 ? null : trail[^1] }, Purpose) is not { } answer) return Page();
        Run = answer.Data.GetProperty("simulationRun");
        if (Run.ValueKind == JsonValueKind.Null) return Refuse(StatusCodes.Status404NotFound, "The register has no simulation run with this address. Find it in the list of simulations.");
        Changes = Run.GetProperty("changes");
        Pager = SimulationReading.PagerOf(links, Path(Kind), trail, Changes, PageSize);
        return Page();
    }

    public string Path(string? kind) => $"{ConsoleHost.PathBase}/simulations/{Id}/changes{(kind is null ? "" : $"?kind={kind}")}";

    /// <summary>"Eligible, R370.00 a month" or "Not eligible".</summary>
    public static string Outcome(JsonElement side) =>
        !side.GetProperty("eligible").GetBoolean() ? "Not eligible"
        : side.GetProperty("monthlyAmount") is { ValueKind: JsonValueKind.Number } amount ? $"Eligible, {Labels.Rand(amount.ToString())} a month"
        : "Eligible";
}
