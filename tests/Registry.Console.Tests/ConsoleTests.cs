using static Registry.Console.Tests.ConsoleBrowser;
using Microsoft.Playwright;
using Registry.Api.Auth;

namespace Registry.Console.Tests;

/// <summary>The staff console in a real browser against the real service and PostgreSQL.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleTests(ConsoleServer server)
{
    private const string Purpose = ConsoleBrowser.Purpose;

    [Fact]
    public async Task A_caseworker_finds_a_person_declares_their_income_and_sees_it_on_their_record()
    {
        var idNumber = await server.RegisterPersonAsync("Thandiwe", "Dlamini", new DateOnly(1950, 3, 4));
        var daughter = await server.RegisterPersonAsync("Lerato", "Dlamini", new DateOnly(1990, 8, 20));
        await server.FormHouseholdAsync(idNumber, daughter);
        await server.ApplyAsync("OLDER_PERSONS_GRANT", idNumber);
        var page = await server.NewPageAsync();

        var start = await page.GotoAsync("/console");
        page.Url.Should().Contain("/console/sign-in", "the console asks who you are first");
        start!.Headers["content-security-policy"].Should().Contain("default-src 'self'");
        start.Headers["cache-control"].Should().Contain("no-store");
        await AccessibleAndLightAsync(page);
        await SignInAsync(page, Roles.Caseworker);

        await page.GotoAsync("/console/find");
        await AccessibleAndLightAsync(page);
        await FindAsync(page, idNumber);
        page.Url.Should().Contain("/console/person/").And.NotContain(idNumber, "an address ends up in history and logs: it names no ID number");
        (await page.Locator("h1").TextContentAsync()).Should().Be("Thandiwe Dlamini");
        (await page.Locator("#monthly-income").TextContentAsync()).Should().Be("None declared");
        (await page.Locator("main").TextContentAsync()).Should().Contain("Western Cape");
        (await page.Locator("#household tbody tr").AllTextContentsAsync()).Should().HaveCount(2)
            .And.Contain(row => row.Contains("Lerato Dlamini") && row.Contains("Child"));
        (await page.Locator("#entitlements tbody tr").TextContentAsync()).Should().Contain("Older persons grant");
        (await page.Locator("#entitlements tbody tr .tag").TextContentAsync()).Should().NotBeNullOrWhiteSpace();
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "person.png");
        var weight = (await (await page.APIRequest.GetAsync(page.Url)).BodyAsync()).Length + (await (await page.APIRequest.GetAsync("/console/console.css")).BodyAsync()).Length;
        weight.Should().BeLessThan(100_000, "a person's page and its stylesheet load over a thin link");

        await page.GetByRole(AriaRole.Link, new() { Name = "Declare income" }).ClickAsync();
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "declare-income.png");
        await page.GetByLabel("Gross monthly income, in rand").FillAsync("2 500,50");
        await page.GetByLabel("Employment", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Declare income" }).ClickAsync();

        page.Url.Should().Contain("changed=income");
        (await page.GetByRole(AriaRole.Status).TextContentAsync()).Should().Contain("The income was declared");
        (await page.Locator("#monthly-income").TextContentAsync()).Should().Be("R2,500.50 (Employment)");
        await AccessibleAndLightAsync(page);

        // The record's own changes, as a timeline: registered, then the income just declared, by whom and when true.
        await page.GetByRole(AriaRole.Link, new() { Name = "See every change to this record" }).ClickAsync();
        await page.WaitForURLAsync("**/history");
        page.Url.Should().NotContain(idNumber);
        (await page.Locator("h1").TextContentAsync()).Should().Be("Changes to the record");
        var entries = page.Locator(".timeline-entry");
        (await entries.Locator(".timeline-title").AllTextContentsAsync()).Should().HaveCount(2).And.EndWith("Income declared");
        (await entries.Last.Locator(".event-actor").TextContentAsync()).Should().NotBeNullOrWhiteSpace();
        (await entries.Last.Locator(".event-effective").TextContentAsync()).Should().NotBe("Not given");
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "person-history.png");
        await page.GotoAsync(page.Url + "?after=bm90IGEgY3Vyc29y");
        (await page.Locator("main").TextContentAsync()).Should().Contain("not one the register gave");
    }

    [Fact]
    public async Task A_form_opened_before_someone_else_changed_the_record_is_refused_and_says_so()
    {
        var idNumber = await server.RegisterPersonAsync();
        var page = await SignedInCaseworkerAtDeclareIncomeAsync(idNumber);

        // Someone else declares an income while the form is open.
        using var api = server.ApiClient(Roles.Caseworker);
        await ConsoleServer.GraphQLAsync(api, "mutation($input: DeclareIncomeInput!) { declareIncome(input: $input) { errors { code } } }",
            new { input = new { idNumber, monthlyIncome = 900m, source = "PENSION" } });

        await page.GetByLabel("Gross monthly income, in rand").FillAsync("3000");
        await page.GetByLabel("Employment", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Declare income" }).ClickAsync();

        (await page.Locator(".error-summary").TextContentAsync()).Should().Contain("Someone changed this record since you opened it");
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#current-income");
        (await page.Locator("#current-income").TextContentAsync()).Should().Be("R900.00 (Pension)");
        await AccessibleAndLightAsync(page);
        var record = await ConsoleServer.GraphQLAsync(api, "query($id: String!) { citizen(idNumber: $id) { monthlyIncome } }", new { id = idNumber });
        record.GetProperty("citizen").GetProperty("monthlyIncome").GetDecimal().Should().Be(900m, "the stale form overwrote nothing");
    }

    [Fact]
    public async Task The_registers_refusal_of_a_value_is_shown_next_to_its_field_and_in_an_error_summary()
    {
        var idNumber = await server.RegisterPersonAsync();
        var page = await SignedInCaseworkerAtDeclareIncomeAsync(idNumber);

        // The console passes the amount on; the register's own rule refuses it (INVALID_INPUT on monthlyIncome).
        await page.GetByLabel("Gross monthly income, in rand").FillAsync("-5");
        await page.GetByLabel("Employment", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Declare income" }).ClickAsync();

        (await page.TitleAsync()).Should().StartWith("Error:");
        var link = page.Locator(".error-summary a");
        (await link.GetAttributeAsync("href")).Should().Be("#monthlyIncome");
        (await link.TextContentAsync()).Should().Contain("Monthly income is an amount in rand and cents");
        (await page.Locator("#monthlyIncome-error").TextContentAsync()).Should().Contain("Monthly income is an amount in rand and cents");
        (await page.Locator("#monthlyIncome").GetAttributeAsync("aria-describedby")).Should().Contain("monthlyIncome-error");
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "declare-income-error.png");

        // The console's own check (no amount at all, no source chosen): each field named in the summary.
        await page.GetByLabel("Gross monthly income, in rand").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Declare income" }).ClickAsync();
        (await page.Locator(".error-summary a").Nth(0).GetAttributeAsync("href")).Should().Be("#monthlyIncome");
        (await page.Locator("#monthlyIncome-error").TextContentAsync()).Should().Contain("Enter the monthly income");

        // The register refuses an income with "No income" as its source; the form says so in its own words.
        await page.GetByLabel("Gross monthly income, in rand").FillAsync("100");
        await page.GetByLabel("No income", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Declare income" }).ClickAsync();
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#source");
        (await page.Locator("#source-error").TextContentAsync()).Should().Contain("Choose \"No income\" only when the monthly income is 0");
        await AccessibleAndLightAsync(page);
    }

    [Fact]
    public async Task A_caseworker_finds_people_by_surname_and_date_of_birth_without_either_in_an_address()
    {
        var surname = "Ma" + string.Concat(Guid.NewGuid().ToString("N").Where(char.IsLetter).Take(6));
        var born = new DateOnly(1979, 4, 12);
        var first = await server.RegisterPersonAsync("Ayanda", surname, born);
        await server.RegisterPersonAsync("Bongani", surname, born);
        await server.RegisterPersonAsync("Ayanda", surname, born.AddDays(1));
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Caseworker);
        await page.GotoAsync("/console/find");
        await page.GetByRole(AriaRole.Link, new() { Name = "Find by name and date of birth instead" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        (await page.Locator(".error-summary a").EvaluateAllAsync<string[]>("links => links.map(l => l.getAttribute('href'))"))
            .Should().Equal("#surname", "#dateOfBirth", "#purpose");
        await AccessibleAndLightAsync(page);

        await page.GetByLabel("Surname").FillAsync(surname.ToUpperInvariant());
        await page.GetByLabel("Day").FillAsync("12");
        await page.GetByLabel("Month").FillAsync("4");
        await page.GetByLabel("Year").FillAsync("1979");
        await page.GetByLabel("Why do you need this person's record?").FillAsync(Purpose);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();

        (await page.Locator("#results").TextContentAsync()).Should().Be("2 people found", "the one born a day later is not the person asked for");
        (await page.Locator("main tbody tr").AllTextContentsAsync()).Should().HaveCount(2).And.Contain(r => r.Contains($"Bongani {surname}") && r.Contains("12 April 1979"));
        page.Url.Should().EndWith("/console/find/by-name").And.NotContainEquivalentOf(surname, "the search is posted, never put in an address");
        await AccessibleAndLightAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = $"Ayanda {surname}" }).ClickAsync();
        (await page.Locator("h1").TextContentAsync()).Should().Be($"Ayanda {surname}");
        page.Url.Should().NotContain(first);
    }

    [Fact]
    public async Task Finding_a_person_needs_a_valid_ID_number_and_a_purpose_that_names_no_one()
    {
        var idNumber = await server.RegisterPersonAsync();
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Caseworker);
        await page.GotoAsync("/console/find");

        await page.GetByLabel("ID number").FillAsync("12345");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        (await page.Locator(".error-summary a").EvaluateAllAsync<string[]>("links => links.map(l => l.getAttribute('href'))"))
            .Should().Equal("#idNumber", "#purpose");
        (await page.Locator("#idNumber-error").TextContentAsync()).Should().Contain("13 digits");
        (await page.Locator("#purpose-error").TextContentAsync()).Should().Contain("Enter why you need this person's record");
        await AccessibleAndLightAsync(page);

        // An ID number in the purpose would put it into the access log.
        await page.GetByLabel("ID number").FillAsync(idNumber);
        await page.GetByLabel("Why do you need this person's record?").FillAsync($"asked about {idNumber}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        (await page.Locator("#purpose-error").TextContentAsync()).Should().Contain("without an ID number");
        page.Url.Should().EndWith("/console/find");
    }

    [Fact]
    public async Task A_role_the_register_does_not_let_read_a_person_is_refused_their_page()
    {
        var idNumber = await server.RegisterPersonAsync();
        var caseworker = await SignedInCaseworkerAtDeclareIncomeAsync(idNumber);
        var personPage = caseworker.Url.Replace("/declare-income", "");

        var statistics = await server.NewPageAsync();
        await statistics.GotoAsync("/console/sign-in");
        await SignInAsync(statistics, Roles.Department("STATSSA"));
        var response = await statistics.GotoAsync(personPage);

        response!.Status.Should().Be(403);
        (await statistics.Locator("main").TextContentAsync()).Should().Contain("Your role does not allow you").And.NotContain(idNumber);
        await AccessibleAndLightAsync(statistics);

        await statistics.GotoAsync("/console/find");
        await FindAsync(statistics, idNumber);
        (await statistics.Locator("main").TextContentAsync()).Should().Contain("Your role does not allow you");
    }

    [Fact]
    public async Task Without_JavaScript_every_step_still_posts_and_redirects()
    {
        var idNumber = await server.RegisterPersonAsync("Sipho", "Nkosi");
        var page = await server.NewPageAsync(javaScript: false);

        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Caseworker);
        await page.GotoAsync("/console/find");
        await FindAsync(page, idNumber);
        (await page.Locator("h1").TextContentAsync()).Should().Be("Sipho Nkosi");
        await page.GetByRole(AriaRole.Link, new() { Name = "Declare income" }).ClickAsync();
        await page.GetByLabel("Gross monthly income, in rand").FillAsync("1200");
        await page.GetByLabel("Pension", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Declare income" }).ClickAsync();

        page.Url.Should().Contain("changed=income");
        (await page.Locator("#monthly-income").TextContentAsync()).Should().Be("R1,200.00 (Pension)");
    }

    [Fact]
    public async Task Reads_through_the_console_are_in_the_access_log_under_the_signed_in_role_with_the_purpose_given()
    {
        var idNumber = await server.RegisterPersonAsync();
        await SignedInCaseworkerAtDeclareIncomeAsync(idNumber);

        using var auditor = server.ApiClient(Roles.Auditor);
        var log = await ConsoleServer.GraphQLAsync(auditor,
            "query($id: String!) { audit { accessLog(idNumber: $id, first: 100) { edges { node { actor role purpose operation } } } } }", new { id = idNumber });
        var reads = log.GetProperty("audit").GetProperty("accessLog").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))
            .Where(n => n.GetProperty("actor").GetString()!.StartsWith("console-dev-", StringComparison.Ordinal)).ToList();
        reads.Should().NotBeEmpty("the find, the record and the form each read the person");
        reads.Should().OnlyContain(n => n.GetProperty("role").GetString() == Roles.Caseworker && n.GetProperty("purpose").GetString() == Purpose);
    }

    [Fact]
    public async Task A_console_session_does_not_authorise_a_call_to_the_api()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Caseworker);
        var response = await page.APIRequest.PostAsync("/graphql", new()
        {
            DataObject = new { query = "{ programmes { code } }" },
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
        });
        response.Status.Should().Be(401, "/graphql answers bearer tokens only");
    }

    [Fact]
    public async Task A_form_posted_without_its_anti_forgery_token_is_refused()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Caseworker);
        var response = await page.APIRequest.PostAsync("/console/find", new() { Form = page.APIRequest.CreateFormData().Set("IdNumber", "8506150001089").Set("Purpose", Purpose) });
        response.Status.Should().Be(400);
    }

    private async Task<IPage> SignedInCaseworkerAtDeclareIncomeAsync(string idNumber)
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Caseworker);
        await page.GotoAsync("/console/find");
        await FindAsync(page, idNumber);
        await page.GetByRole(AriaRole.Link, new() { Name = "Declare income" }).ClickAsync();
        (await page.Locator("h1").TextContentAsync()).Should().Be("Declare income");
        return page;
    }
}

/// <summary>The console in Production: the role-picking sign-in does not exist.</summary>
public sealed class ProductionConsoleTests(ProductionConsoleServer server) : IClassFixture<ProductionConsoleServer>
{
    [Fact]
    public async Task The_development_sign_in_page_answers_not_found()
    {
        using var client = new HttpClient { BaseAddress = server.Address };
        (await client.GetAsync("/console/sign-in")).StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        var start = await client.GetAsync("/console/find");
        start.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/console/sign-in", "a signed-out visitor is sent to sign in");
        start.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
    }
}
