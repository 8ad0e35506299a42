using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Registry.Api.Auth;
using Registry.Api.StaffConsole;
using static Registry.Console.Tests.ConsoleBrowser;

namespace Registry.Console.Tests;

/// <summary>
/// The decision makers' pages: the register's statistics as charts and tables, and a municipality's view. The
/// collection's database is shared, so every figure is compared with the API's own answer at the same moment.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class StatisticsTests(ConsoleServer server)
{
    private static readonly string Statistics = Roles.Department("STATSSA");
    private static readonly string CapeTown = Roles.Department("MUNICIPALITY:CPT");
    private static int _sequence = 3000;

    private const string Counts = """
        query($population: PopulationGrouping!, $beneficiaries: BeneficiaryGrouping!) {
          statistics { population(groupBy: $population) { key count suppressed } beneficiaries(groupBy: $beneficiaries) { key count suppressed } }
        }
        """;

    [Fact]
    public async Task Statistics_sees_the_registers_counts_as_charts_with_the_same_figures_and_small_counts_suppressed()
    {
        for (var i = 0; i < 10; i++) await RegisterAsync(new DateOnly(1981, 2, 1).AddDays(i), "CPT", "Cape Town", "WESTERN_CAPE", "8001");
        var older = await RegisterAsync(new DateOnly(1950, 5, 5), "NC091", "Kimberley", "NORTHERN_CAPE", "8301");
        await server.ApplyAsync("OLDER_PERSONS_GRANT", older);
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Statistics);
        await AccessibleAndLightAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "See the register's statistics" }).ClickAsync();
        (await page.Locator("h1").TextContentAsync()).Should().Be("Statistics");
        var answer = await ApiCountsAsync("PROVINCE", "PROGRAMME");
        var population = answer.GetProperty("population");
        population.EnumerateArray().Should().Contain(c => c.GetProperty("key").GetString() == "NORTHERN_CAPE" && c.GetProperty("suppressed").GetBoolean(),
            "one person in the Northern Cape is under the register's threshold");
        population.EnumerateArray().Should().Contain(c => c.GetProperty("key").GetString() == "WESTERN_CAPE" && !c.GetProperty("suppressed").GetBoolean());
        await ChartShowsAsync(page, "population-chart", population, Labels.Name);
        await ChartShowsAsync(page, "entitlements-chart", answer.GetProperty("beneficiaries"), Labels.Of);
        (await page.Locator("#population-chart tr", new() { HasText = "Northern Cape" }).Locator("td").TextContentAsync())
            .Should().Be("Suppressed: fewer than 10");
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "statistics.png");
        var weight = (await (await page.APIRequest.GetAsync(page.Url)).BodyAsync()).Length;
        weight.Should().BeLessThan(100_000);

        await page.GetByLabel("Age band", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Status", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        page.Url.Should().Contain("population=AGE_BAND").And.Contain("entitlements=STATUS");
        answer = await ApiCountsAsync("AGE_BAND", "STATUS");
        await ChartShowsAsync(page, "population-chart", answer.GetProperty("population"), band => band.EndsWith('+') ? band[..^1] + " and over" : band.Replace("-", " to "));
        await ChartShowsAsync(page, "entitlements-chart", answer.GetProperty("beneficiaries"), Labels.Of);
        await AccessibleAndLightAsync(page);
    }

    [Fact]
    public async Task The_statistics_page_and_its_groupings_work_without_JavaScript()
    {
        await server.ApplyAsync("OLDER_PERSONS_GRANT", await RegisterAsync(new DateOnly(1952, 3, 3), "CPT", "Cape Town", "WESTERN_CAPE", "8001"));
        var page = await server.NewPageAsync(javaScript: false);
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Statistics);
        await page.GotoAsync("/console/statistics");
        await page.GetByLabel("Sex", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Province", new() { Exact = true }).Nth(1).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();

        page.Url.Should().Contain("population=SEX").And.Contain("entitlements=PROVINCE");
        var answer = await ApiCountsAsync("SEX", "PROVINCE");
        await ChartShowsAsync(page, "population-chart", answer.GetProperty("population"), Labels.Of);
        await ChartShowsAsync(page, "entitlements-chart", answer.GetProperty("beneficiaries"), Labels.Name);
        (await page.Locator("script").CountAsync()).Should().Be(0, "the charts are drawn on the server");

        // A grouping the register does not offer is said next to the choice, and nothing is counted.
        await page.GotoAsync("/console/statistics?population=CITY");
        (await page.TitleAsync()).Should().StartWith("Error:");
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#population");
        (await page.Locator("#population-error").TextContentAsync()).Should().Contain("Select how to group the population");
        (await page.Locator("svg").CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_role_the_register_does_not_let_read_statistics_is_not_offered_the_page_and_is_refused_it()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Department("SASSA"));
        (await page.Locator("main a").AllTextContentsAsync()).Should().NotContain(t => t.Contains("statistics") || t.Contains("indigent"));

        var response = await page.GotoAsync("/console/statistics");
        response!.Status.Should().Be(403);
        (await page.Locator("main").TextContentAsync()).Should().Contain("Your role does not allow you to see the register's statistics");
        await AccessibleAndLightAsync(page);
        (await page.GotoAsync("/console/municipality/CPT"))!.Status.Should().Be(403);
        (await page.Locator("main").TextContentAsync()).Should().Contain("Your role does not allow you to see this municipality's households");

        // A caseworker may read statistics and every municipality's view, as the register allows: both are offered.
        var caseworker = await server.NewPageAsync();
        await caseworker.GotoAsync("/console/sign-in");
        await SignInAsync(caseworker, Roles.Caseworker);
        (await caseworker.Locator("main a").AllTextContentsAsync()).Should().Contain("See the register's statistics");
        await caseworker.GetByRole(AriaRole.Link, new() { Name = "See a municipality's indigent households" }).ClickAsync();
        await AccessibleAndLightAsync(caseworker);
        await caseworker.GetByLabel("Which municipality?").SelectOptionAsync("JHB");
        await caseworker.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        caseworker.Url.Should().EndWith("/console/municipality/JHB");
        (await caseworker.Locator(".caption").TextContentAsync()).Should().Be("Johannesburg (JHB)");
        (await caseworker.GotoAsync("/console/municipality/NOWHERE"))!.Status.Should().Be(404);

        // An auditor may read statistics (the register allows it) but no municipality's households.
        var auditor = await server.NewPageAsync();
        await auditor.GotoAsync("/console/sign-in");
        await SignInAsync(auditor, Roles.Auditor);
        (await auditor.Locator("main a").AllTextContentsAsync()).Should().Contain("See the register's statistics")
            .And.NotContain(t => t.Contains("indigent"));
    }

    [Fact]
    public async Task A_municipal_service_sees_its_indigent_households_and_only_its_own()
    {
        var head = await server.RegisterPersonAsync("Nomsa", "Jacobs", new DateOnly(1972, 1, 9));
        var child = await server.RegisterPersonAsync("Aviwe", "Jacobs", new DateOnly(2012, 6, 1));
        await server.FormHouseholdAsync(head, child);
        using var api = server.ApiClient(CapeTown);
        await CaughtUpAsync(api);
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, CapeTown);
        (await page.Locator("main a").AllTextContentsAsync()).Should().NotContain(t => t.Contains("statistics"));

        await page.GetByRole(AriaRole.Link, new() { Name = "See Cape Town's indigent households" }).ClickAsync();
        page.Url.Should().EndWith("/console/municipality/CPT");
        var total = (await ConsoleServer.GraphQLAsync(api, "{ municipality(code: \"CPT\") { indigentHouseholds(first: 1) { totalCount } } }", new { }))
            .GetProperty("municipality").GetProperty("indigentHouseholds").GetProperty("totalCount").GetInt32();
        total.Should().BeGreaterThan(0);
        (await page.Locator("#indigent-count").TextContentAsync()).Should().StartWith(total.ToString("#,0", CultureInfo.InvariantCulture) + " household");
        (await page.ContentAsync()).Should().NotContain(head, "the households name people: they are listed only once a purpose is given");
        await AccessibleAndLightAsync(page);

        await page.GetByLabel("Why do you need the list of households?").FillAsync("free basic services review");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the households" }).ClickAsync();
        page.Url.Should().NotContain(head);
        (await page.Locator("main").TextContentAsync()).Should().Contain("Read for: “free basic services review”");
        var listed = (await ConsoleServer.GraphQLAsync(api, "{ municipality(code: \"CPT\") { indigentHouseholds(first: 20) { edges { node { headIdNumber members } } } } }", new { }))
            .GetProperty("municipality").GetProperty("indigentHouseholds").GetProperty("edges").EnumerateArray()
            .Select(e => e.GetProperty("node").GetProperty("headIdNumber").GetString()).ToList();
        (await page.Locator("#households tbody tr td:first-child").AllTextContentsAsync()).Should().Equal(listed);
        if (total <= 20) listed.Should().Contain(head);
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "municipality.png");

        (await page.GotoAsync("/console/municipality"))!.Status.Should().Be(200);
        page.Url.Should().EndWith("/console/municipality/CPT", "a municipal service has one municipality to go to");
        var other = await page.GotoAsync("/console/municipality/JHB");
        other!.Status.Should().Be(403, "the register refuses a municipality another's view");
        await AccessibleAndLightAsync(page);
        (await page.GotoAsync("/console/statistics"))!.Status.Should().Be(403);
    }

    /// <summary>The chart's bars and its table say what the API answered, in its order; suppressed cells as suppressed.</summary>
    private static async Task ChartShowsAsync(IPage page, string chart, JsonElement counts, Func<string, string> label)
    {
        var expected = counts.EnumerateArray().Select(c => (
            Label: label(c.GetProperty("key").GetString()!),
            Count: c.GetProperty("suppressed").GetBoolean() ? (int?)null : c.GetProperty("count").GetInt32())).ToList();
        var section = page.Locator($"#{chart}");
        if (expected.Count == 0)
        {
            (await section.TextContentAsync()).Should().Contain("The register counts no one here yet");
            return;
        }
        string Figure(int? count) => count is { } n ? n.ToString("#,0", CultureInfo.InvariantCulture) : "fewer than 10";

        (await section.Locator("tbody th").AllTextContentsAsync()).Should().Equal(expected.Select(e => e.Label));
        (await section.Locator("tbody td").AllTextContentsAsync()).Should().Equal(expected.Select(e => e.Count is null ? "Suppressed: fewer than 10" : Figure(e.Count)));
        (await section.Locator("svg .chart-label").AllTextContentsAsync()).Should().Equal(expected.Select(e => e.Label));
        (await section.Locator("svg .chart-value").AllTextContentsAsync()).Should().Equal(expected.Select(e => Figure(e.Count)));
        (await section.Locator("svg rect.chart-bar-suppressed").CountAsync()).Should().Be(expected.Count(e => e.Count is null));
        (await section.Locator("caption").TextContentAsync()).Should().NotBeNullOrWhiteSpace();

        // Shown bars are drawn to scale: the largest count is the full width, and a bar's width follows its count.
        var widths = new List<int>();
        foreach (var bar in await section.Locator("svg rect.chart-bar").AllAsync()) widths.Add(int.Parse((await bar.GetAttributeAsync("width"))!, CultureInfo.InvariantCulture));
        var shown = expected.Where(e => e.Count is not null).Select(e => e.Count!.Value).ToList();
        widths.Should().HaveCount(shown.Count);
        if (shown.Count > 0 && shown.Max() >= 10)
            widths.Should().Equal(shown.Select(c => Math.Max(2, BarChart.BarSpace * c / shown.Max())));
    }

    private async Task<JsonElement> ApiCountsAsync(string population, string beneficiaries)
    {
        using var api = server.ApiClient(Statistics);
        return (await ConsoleServer.GraphQLAsync(api, Counts, new { population, beneficiaries })).GetProperty("statistics");
    }

    /// <summary>Registers a man at an address in the given municipality (men, numbered from 3000: ConsoleServer's are women).</summary>
    private async Task<string> RegisterAsync(DateOnly born, string municipalityCode, string city, string province, string postalCode)
    {
        var id = Registry.Domain.Citizens.SaIdNumber.Create(born, Registry.Domain.Common.Sex.Male, Registry.Domain.Common.Citizenship.Citizen,
            Interlocked.Increment(ref _sequence)).Value;
        using var api = server.ApiClient(Roles.Caseworker);
        var data = await ConsoleServer.GraphQLAsync(api, "mutation($input: RegisterCitizenInput!) { registerCitizen(input: $input) { errors { code } } }", new
        {
            input = new
            {
                idNumber = id, firstNames = "Themba", surname = "Khumalo", dateOfBirth = born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), sex = "MALE", citizenship = "CITIZEN",
                address = new { line1 = "3 Main Road", city, municipalityCode, province, postalCode },
            },
        });
        data.GetProperty("registerCitizen").GetProperty("errors").GetArrayLength().Should().Be(0);
        return id;
    }

    /// <summary>The municipal view is an async projection: wait until it has seen every event so far.</summary>
    private static async Task CaughtUpAsync(HttpClient api)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var behind = (await ConsoleServer.GraphQLAsync(api, "{ municipality(code: \"CPT\") { freshness { eventsBehind } } }", new { }))
                .GetProperty("municipality").GetProperty("freshness").GetProperty("eventsBehind").GetInt32();
            if (behind == 0) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("The municipal view did not catch up within 30 s.");
    }
}
