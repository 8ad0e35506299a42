using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Auth;

namespace Registry.Api.StaffConsole.Pages.Simulation;

/// <summary>
/// Every policy simulation run, newest first, so the work just started is at the top. The API lists runs oldest
/// first and pages forwards only, so the page reads the list through to its end (runs are few: a handful a week)
/// and shows one slice of it; ?page=2 is the next older slice. A run's id is no personal data: it is in the links.
/// </summary>
public sealed class RunsModel(ConsoleQuery query) : ConsolePage(query)
{
    public const int PageSize = 20;

    /// <summary>How many runs the page reads at most (the API's largest page a query): beyond, the oldest are not listed.</summary>
    public const int MostRead = 5_000;

    private static readonly string Document = $$"""
        query($after: String) { simulationRuns(first: {{Api.GraphQL.Paging.MaxPageSize}}, after: $after) {
          totalCount pageInfo { hasNextPage endCursor }
          edges { node { id name programme on population { province municipalityCode } status progress { done total } requestedAt } } } }
        """;

    protected override string RefusalMessage => "Your role does not allow you to see policy simulations.";

    [FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<JsonElement> Runs { get; private set; } = [];

    public int Total { get; private set; }

    public Auditing.Pager? Pager { get; private set; }

    /// <summary>Starting a run is the analyst's and the administrator's (the register's own list); auditors only read.</summary>
    public bool MayStart => Roles.Satisfies(User, Api.Simulation.SimulatingPolicy.Runners);

    public async Task<IActionResult> OnGetAsync()
    {
        var all = new List<JsonElement>();
        string? after = null;
        do
        {
            if (await RunAsync(Document, new { after }, null) is not { } answer) return Page();
            var runs = answer.Data.GetProperty("simulationRuns");
            Total = runs.GetProperty("totalCount").GetInt32();
            all.AddRange(runs.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")));
            after = runs.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean() ? runs.GetProperty("pageInfo").GetProperty("endCursor").GetString() : null;
        }
        while (after is not null && all.Count < MostRead);

        var pages = Math.Max(1, (all.Count + PageSize - 1) / PageSize);
        var page = Math.Clamp(PageNumber, 1, pages);
        Runs = [.. Enumerable.Reverse(all).Skip((page - 1) * PageSize).Take(PageSize)];
        Pager = new Auditing.Pager(
            page > 1 ? $"{ConsoleHost.PathBase}/simulations{(page == 2 ? "" : $"?page={page - 1}")}" : null,
            page < pages ? $"{ConsoleHost.PathBase}/simulations?page={page + 1}" : null,
            $"Page {page} of {pages}");
        return Page();
    }

    /// <summary>"Whole register", "Western Cape" or "Cape Town (CPT)".</summary>
    public static string Place(JsonElement population) =>
        population.GetProperty("municipalityCode").GetString() is { } code ? StatisticsModel.MunicipalityName(code)
        : population.GetProperty("province").GetString() is { } province ? Labels.Name(province)
        : "Whole register";
}
