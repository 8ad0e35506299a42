using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Auth;

namespace Registry.Api.StaffConsole.Pages.Simulation;

/// <summary>
/// Every policy simulation run, newest first, so the work just started is at the top; paged forwards by the API's
/// cursor (a run's position, nothing personal). A run's id is no personal data: it is in the links.
/// </summary>
public sealed class RunsModel(ConsoleQuery query) : ConsolePage(query)
{
    public const int PageSize = 20;

    private static readonly string Document = $$"""
        query($after: String) { simulationRuns(first: {{PageSize}}, after: $after, newestFirst: true) {
          totalCount pageInfo { hasNextPage endCursor }
          edges { node { id name programme on population { province municipalityCode } status progress { done total } requestedAt } } } }
        """;

    protected override string RefusalMessage => "Your role does not allow you to see policy simulations.";

    [FromQuery] public string? After { get; set; }

    public IReadOnlyList<JsonElement> Runs { get; private set; } = [];

    public int Total { get; private set; }

    public Auditing.Pager? Pager { get; private set; }

    /// <summary>Starting a run is the analyst's and the administrator's (the register's own list); auditors only read.</summary>
    public bool MayStart => Roles.Satisfies(User, Api.Simulation.SimulatingPolicy.Runners);

    public async Task<IActionResult> OnGetAsync()
    {
        if (await RunAsync(Document, new { after = After }, null, [Domain.Common.ErrorCodes.InvalidCursor]) is not { } answer) return Page();
        if (answer.ErrorCodes.Contains(Domain.Common.ErrorCodes.InvalidCursor))
            return Refuse(StatusCodes.Status404NotFound, "This page of the list is not one the register gave. Start again from the first page.");
        var runs = answer.Data.GetProperty("simulationRuns");
        Total = runs.GetProperty("totalCount").GetInt32();
        Runs = [.. runs.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))];
        var info = runs.GetProperty("pageInfo");
        Pager = new Auditing.Pager(null,
            info.GetProperty("hasNextPage").GetBoolean() ? $"{ConsoleHost.PathBase}/simulations?after={Uri.EscapeDataString(info.GetProperty("endCursor").GetString()!)}" : null,
            After is null ? $"The newest {Math.Min(PageSize, Total)} of {Total}" : $"Older runs, of {Total}");
        return Page();
    }

    /// <summary>"Whole register", "Western Cape" or "Cape Town (CPT)".</summary>
    public static string Place(JsonElement population) =>
        population.GetProperty("municipalityCode").GetString() is { } code ? StatisticsModel.MunicipalityName(code)
        : population.GetProperty("province").GetString() is { } province ? Labels.Name(province)
        : "Whole register";
}
