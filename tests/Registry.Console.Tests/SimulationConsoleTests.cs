using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Registry.Api.Auth;
using static Registry.Console.Tests.ConsoleBrowser;

namespace Registry.Console.Tests;

/// <summary>
/// The policy simulation pages. The collection's database holds other tests' people, so a run here is narrowed to
/// Welkom (FS184), where only these tests register anyone, and the checks are on this test's person and run.
/// The Social Relief of Distress grant's income ceiling is R624 a month in the seeded parameters: raised to R625,
/// it moves exactly a person whose income is R625.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class SimulationConsoleTests(ConsoleServer server)
{
    private const string Srd = "SOCIAL_RELIEF_OF_DISTRESS";
    private const string Welkom = "FS184";
    private static int _sequence = 4000;

    [Fact]
    public async Task An_analyst_raises_a_figure_in_force_watches_the_run_finish_and_finds_the_person_it_moved_under_a_pseudonym()
    {
        var person = await RegisterInWelkomWithIncomeAsync(625m);
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Analyst);
        (await page.Locator("#policy-simulation a").AllTextContentsAsync()).Should().Equal("See the policy simulations", "Start a policy simulation");
        await AccessibleAndLightAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Start a policy simulation" }).ClickAsync();
        await AccessibleAndLightAsync(page);
        await page.GetByLabel("Which programme?").SelectOptionAsync(Srd);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        page.Url.Should().Contain($"programme={Srd}");
        (await page.GetByLabel("Income ceiling monthly").InputValueAsync()).Should().Be("624", "the figures in force are filled in");
        (await page.GetByLabel("Monthly amount").InputValueAsync()).Should().Be("370");
        await AccessibleAndLightAsync(page);
        await page.GetByLabel("Name of the simulation").FillAsync("SRD ceiling up by R1 in Welkom");
        await page.GetByLabel("Municipality (optional)").SelectOptionAsync(Welkom);
        await page.GetByLabel("Income ceiling monthly").FillAsync("625");
        await ScreenshotAsync(page, "simulation-start.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start the simulation" }).ClickAsync();

        page.Url.Should().MatchRegex(RunAddress().ToString(), "the form redirects to the run's page");
        var runId = RunAddress().Match(page.Url).Groups[1].Value;
        await DoneAsync(page);
        (await page.Locator("#baseline-version").TextContentAsync()).Should().StartWith("SocialReliefOfDistress/");
        (await page.Locator("#proposed-hash").TextContentAsync()).Should().MatchRegex("^[0-9a-f]{64}$");
        (await page.Locator("#rule-version").TextContentAsync()).Should().NotBeNullOrWhiteSpace();
        (await page.Locator("#proposed-figures tr", new() { HasText = "incomeCeilingMonthly" }).Locator("td").TextContentAsync()).Should().Be("625");
        (await page.Locator("meta[http-equiv=refresh]").CountAsync()).Should().Be(0, "a finished run's page stays still");

        // One person is too few to publish: the summary says so plainly instead of a figure.
        (await page.Locator("#summary-suppressed").TextContentAsync()).Should().Contain("Fewer than 10 people");
        (await page.Locator("#summary tbody td").AllTextContentsAsync()).Should().OnlyContain(t => t == "Suppressed");
        (await page.Locator("#gainers-and-losers tbody th").AllTextContentsAsync()).Should().Contain("Newly eligible");
        foreach (var chart in new[] { "cost-province", "eligibility-province", "cost-age_band", "eligibility-age_band" })
        {
            (await page.Locator($"#{chart} svg").CountAsync()).Should().Be(1, $"{chart} is drawn");
            (await page.Locator($"#{chart} table tbody tr").CountAsync()).Should().BeGreaterThan(0, $"{chart} has its table");
        }
        (await page.Locator("#cost-province tbody th").AllTextContentsAsync()).Should().Equal("Free State, before", "Free State, after");
        (await page.Locator("#cost-province tbody td").AllTextContentsAsync()).Should().Equal("Suppressed: fewer than 10 people", "Suppressed: fewer than 10 people");
        (await page.Locator("#cost-province svg rect.chart-bar-suppressed").CountAsync()).Should().Be(2);
        (await page.Locator("#eligibility-age_band tbody th").AllTextContentsAsync()).Should().Equal("35 to 59, newly", "35 to 59, no longer");
        (await page.Locator("#cells-province tbody th").AllTextContentsAsync()).Should().Equal("Free State");
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "simulation-run.png");

        await page.GetByRole(AriaRole.Link, new() { Name = "See each person whose outcome changed" }).ClickAsync();
        page.Url.Should().EndWith($"/console/simulations/{runId}/changes");
        (await page.Locator("#changes-count").TextContentAsync()).Should().Be("1 person");
        var row = page.Locator("#changes tbody tr");
        (await row.CountAsync()).Should().Be(1);
        var pseudonym = await row.Locator(".pseudonym").TextContentAsync();
        pseudonym.Should().StartWith("S-");
        (await row.Locator(".id-number").CountAsync()).Should().Be(0, "an analyst sees no ID number");
        (await page.ContentAsync()).Should().NotContain(person);
        (await row.Locator(".change-kind").TextContentAsync()).Should().Be("Newly eligible");
        (await row.Locator("td").Nth(1).TextContentAsync()).Should().Be("Not eligible");
        (await row.Locator("td").Nth(2).TextContentAsync()).Should().Be("Eligible, R370.00 a month");
        var criterion = await row.Locator(".changed-criterion").TextContentAsync();
        criterion.Should().Contain("Income test").And.Contain("not met before, met after").And.Contain("625").And.Contain("(before: ");
        Regex.Replace(criterion!, @"\s+", " ").Should().MatchRegex(@"Threshold: [^(]*625[^(]* \(before: [^)]*624");
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "simulation-changes.png");
        await page.GetByLabel("No longer eligible", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        page.Url.Should().Contain("kind=NO_LONGER_ELIGIBLE");
        (await page.Locator("#changes-count").TextContentAsync()).Should().Be("0 people: no longer eligible");

        // Run again: a new run of the same figures, at the top of the list.
        await page.GotoAsync($"/console/simulations/{runId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run again" }).ClickAsync();
        page.Url.Should().MatchRegex(RunAddress().ToString());
        var rerunId = RunAddress().Match(page.Url).Groups[1].Value;
        rerunId.Should().NotBe(runId);
        await DoneAsync(page);
        (await page.Locator("#run a", new() { HasText = "the earlier run" }).GetAttributeAsync("href")).Should().Be($"/console/simulations/{runId}");
        await page.GotoAsync("/console/simulations");
        (await page.Locator("#runs tbody tr").First.Locator("a").GetAttributeAsync("href")).Should().Be($"/console/simulations/{rerunId}", "the newest run is first");
        // Progress counts the people read, which depends on the shared register: all of them, once done.
        (await page.Locator("#runs tbody tr", new() { HasText = "SRD ceiling up by R1 in Welkom" }).First.TextContentAsync())
            .Should().Contain("Social Relief of Distress").And.Contain("Done").And.Contain("Welkom (FS184)").And.MatchRegex(@"(?s)\b(\d[\d,]*) of \1 people read");
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "simulation-runs.png");

        // An auditor reads the same rows with the person's ID number (the register shows it to auditors), and starts nothing.
        var auditor = await server.NewPageAsync();
        await auditor.GotoAsync("/console/sign-in");
        await SignInAsync(auditor, Roles.Auditor);
        (await auditor.Locator("#policy-simulation a").AllTextContentsAsync()).Should().Equal("See the policy simulations");
        await auditor.GotoAsync($"/console/simulations/{runId}/changes");
        (await auditor.Locator("#changes .id-number").TextContentAsync()).Should().Be($"ID number {person}");
        (await auditor.Locator("#changes .pseudonym").TextContentAsync()).Should().Be(pseudonym);
        auditor.Url.Should().NotContain(person);
        await AccessibleAndLightAsync(auditor);
        await auditor.GotoAsync($"/console/simulations/{runId}");
        (await auditor.GetByRole(AriaRole.Button, new() { Name = "Run again" }).CountAsync()).Should().Be(0);
        (await auditor.GotoAsync("/console/simulations/new"))!.Status.Should().Be(403);
    }

    [Fact]
    public async Task A_bad_figure_or_date_is_said_next_to_its_field_and_starts_nothing()
    {
        using var api = server.ApiClient(Roles.Analyst);
        async Task<int> RunsAsync() => (await ConsoleServer.GraphQLAsync(api, "{ simulationRuns { totalCount } }", new { }))
            .GetProperty("simulationRuns").GetProperty("totalCount").GetInt32();
        var before = await RunsAsync();
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Analyst);

        await page.GotoAsync($"/console/simulations/new?programme={Srd}");
        await page.GetByLabel("Name of the simulation").FillAsync("A negative grant");
        await page.GetByLabel("Monthly amount").FillAsync("-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start the simulation" }).ClickAsync();
        (await page.TitleAsync()).Should().StartWith("Error:");
        page.Url.Should().Contain("/console/simulations/new", "the form is shown again, not a run");
        (await page.Locator("#figure-monthlyAmount-error").TextContentAsync()).Should().Contain("The proposed monthly amount was refused").And.Contain("negative");
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#figure-monthlyAmount");
        (await page.GetByLabel("Monthly amount").InputValueAsync()).Should().Be("-1", "what was typed stays, to be corrected");
        (await page.GetByLabel("Income ceiling monthly").InputValueAsync()).Should().Be("624");
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "simulation-start-error.png");

        // Not a number at all: said before the register is asked.
        await page.GetByLabel("Max age").FillAsync("old");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start the simulation" }).ClickAsync();
        (await page.Locator("#figure-maxAge-error").TextContentAsync()).Should().Contain("Enter the proposed max age as a number, like 59");
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#figure-maxAge");

        // A date before any parameters were in force: the register's refusal, next to the date.
        await page.GetByLabel("Monthly amount").FillAsync("370");
        await page.GetByLabel("Max age").FillAsync("59");
        await page.GetByLabel("Day", new() { Exact = true }).FillAsync("1");
        await page.GetByLabel("Month", new() { Exact = true }).FillAsync("1");
        await page.GetByLabel("Year", new() { Exact = true }).FillAsync("2020");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start the simulation" }).ClickAsync();
        (await page.Locator("#on-error").TextContentAsync()).Should().Contain("Enter a date on which this programme had parameters in force");
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#on");
        await AccessibleAndLightAsync(page);

        // A municipality outside the province chosen.
        await page.GetByLabel("Day", new() { Exact = true }).FillAsync("");
        await page.GetByLabel("Month", new() { Exact = true }).FillAsync("");
        await page.GetByLabel("Year", new() { Exact = true }).FillAsync("");
        await page.GetByLabel("Province (optional)").SelectOptionAsync("GAUTENG");
        await page.GetByLabel("Municipality (optional)").SelectOptionAsync(Welkom);
        await page.GetByRole(AriaRole.Button, new() { Name = "Start the simulation" }).ClickAsync();
        (await page.Locator("#province-error").TextContentAsync()).Should().Contain("Select the province the municipality is in");

        (await RunsAsync()).Should().Be(before, "nothing was started");

        // The two steps need no script: the programme is a GET form, the figures a plain post.
        var plain = await server.NewPageAsync(javaScript: false);
        await plain.GotoAsync("/console/sign-in");
        await SignInAsync(plain, Roles.Analyst);
        await plain.GotoAsync("/console/simulations/new");
        await plain.GetByLabel("Which programme?").SelectOptionAsync("OLDER_PERSONS_GRANT");
        await plain.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        plain.Url.Should().Contain("programme=OLDER_PERSONS_GRANT");
        (await plain.Locator("input[id^=figure-]").CountAsync()).Should().BeGreaterThan(0);
        await plain.GetByRole(AriaRole.Button, new() { Name = "Start the simulation" }).ClickAsync();
        (await plain.Locator("#name-error").TextContentAsync()).Should().Contain("Enter a name for the simulation");
        (await plain.Locator("script").CountAsync()).Should().Be(0);
        (await page.GotoAsync($"/console/simulations/new?programme=NO_SUCH_GRANT"))!.Status.Should().Be(200);
        (await page.Locator("#programme-error").TextContentAsync()).Should().Contain("Select the programme to simulate");
    }

    [Fact]
    public async Task A_caseworker_is_not_offered_policy_simulation_and_is_refused_its_pages()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Caseworker);
        (await page.Locator("#policy-simulation").CountAsync()).Should().Be(0);
        (await page.Locator("main").TextContentAsync()).Should().NotContain("Policy simulation");

        var list = await page.GotoAsync("/console/simulations");
        list!.Status.Should().Be(403);
        (await page.Locator("main").TextContentAsync()).Should().Contain("Your role does not allow you to see policy simulations");
        await AccessibleAndLightAsync(page);
        (await page.GotoAsync("/console/simulations/new"))!.Status.Should().Be(403);
        (await page.Locator("main").TextContentAsync()).Should().Contain("Your role does not allow you to start a policy simulation");
        (await page.GotoAsync($"/console/simulations/{Guid.CreateVersion7()}"))!.Status.Should().Be(403);
        (await page.GotoAsync($"/console/simulations/{Guid.CreateVersion7()}/changes"))!.Status.Should().Be(403);
    }

    [GeneratedRegex(@"/console/simulations/([0-9a-f-]{36})$")]
    private static partial Regex RunAddress();

    /// <summary>The run's page links to itself while the run works: ask again until it says Done.</summary>
    private static async Task DoneAsync(IPage page)
    {
        for (var asked = 0; await page.Locator("#run-refresh").CountAsync() > 0 && asked < 300; asked++)
        {
            await Task.Delay(200);
            await page.Locator("#run-refresh").ClickAsync();
            await page.WaitForLoadStateAsync();
        }
        (await page.Locator("#run-status").TextContentAsync()).Should().Be("Done");
        (await page.Locator("#run-progress").TextContentAsync()).Should().EndWith("people read");
    }

    /// <summary>Registers a man in Welkom (men numbered from 4000) and declares his monthly income.</summary>
    private async Task<string> RegisterInWelkomWithIncomeAsync(decimal income)
    {
        var born = new DateOnly(1990, 5, 5);
        var id = Registry.Domain.Citizens.SaIdNumber.Create(born, Registry.Domain.Common.Sex.Male, Registry.Domain.Common.Citizenship.Citizen,
            Interlocked.Increment(ref _sequence)).Value;
        using var api = server.ApiClient(Roles.Caseworker);
        var registered = await ConsoleServer.GraphQLAsync(api, "mutation($input: RegisterCitizenInput!) { registerCitizen(input: $input) { errors { code } } }", new
        {
            input = new
            {
                idNumber = id, firstNames = "Sipho", surname = "Mahlangu", dateOfBirth = born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), sex = "MALE", citizenship = "CITIZEN",
                address = new { line1 = "7 Stateway", city = "Welkom", municipalityCode = Welkom, province = "FREE_STATE", postalCode = "9459" },
            },
        });
        registered.GetProperty("registerCitizen").GetProperty("errors").GetArrayLength().Should().Be(0);
        var declared = await ConsoleServer.GraphQLAsync(api, "mutation($input: DeclareIncomeInput!) { declareIncome(input: $input) { errors { code } } }",
            new { input = new { idNumber = id, monthlyIncome = income, source = "OTHER" } });
        declared.GetProperty("declareIncome").GetProperty("errors").GetArrayLength().Should().Be(0);
        return id;
    }
}
