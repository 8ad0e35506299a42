using static Registry.Console.Tests.ConsoleBrowser;
using Microsoft.Playwright;
using Registry.Api.Auth;

namespace Registry.Console.Tests;

/// <summary>Eligibility, grants and households through the console, in a real browser against the real service.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class GrantsAndHouseholdsTests(ConsoleServer server)
{
    [Fact]
    public async Task An_eligibility_check_shows_each_criterion_with_the_figure_observed_the_threshold_and_the_law()
    {
        var idNumber = await server.RegisterPersonAsync("Thandiwe", "Dlamini", new DateOnly(1950, 3, 4));
        var page = await SignedInCaseworkerAtRecordAsync(idNumber);

        await page.GetByRole(AriaRole.Link, new() { Name = "Check eligibility" }).ClickAsync();
        (await page.Locator("h1").TextContentAsync()).Should().Be("Check eligibility");
        (await page.GetByLabel("On which date?").InputValueAsync()).Should().MatchRegex(@"^\d{4}-\d{2}-\d{2}$", "the date starts as today");
        await NoSeriousViolationsAsync(page);

        await page.GetByLabel("Programme").SelectOptionAsync(new SelectOptionValue { Label = "Older Person's Grant" });
        await page.GetByLabel("On which date?").FillAsync("2026-01-15");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check eligibility" }).ClickAsync();

        page.Url.Should().Contain("programme=OLDER_PERSONS_GRANT").And.Contain("on=2026-01-15").And.NotContain(idNumber);
        (await page.Locator("#decision-outcome").TextContentAsync()).Should().Contain("Eligible for the Older Person's Grant on 15 January 2026");
        (await page.Locator("#decision-amount").TextContentAsync()).Should().Be("R2,340.00", "75 or older gets the higher amount in force from October 2025");
        var age = page.Locator("#criteria tbody tr", new() { HasText = "Age" });
        var cells = await age.Locator("td").AllTextContentsAsync();
        cells.Should().HaveCount(5);
        cells[0].Should().Be("Met");
        cells[1].Should().Be("75", "the figure observed");
        cells[2].Should().Be("≥ 60", "the threshold");
        cells[3].Should().StartWith("Social Assistance Act 13 of 2004, s10", "the legal reference");
        cells[4].Should().Be("The person is 75, at least 60.");
        foreach (var row in await page.Locator("#criteria tbody tr").AllAsync())
            (await row.Locator("td").Nth(3).TextContentAsync()).Should().StartWith("Social Assistance Act", "every criterion names its law");
        await NoSeriousViolationsAsync(page);
        await ScreenshotAsync(page, "eligibility.png");
    }

    [Fact]
    public async Task The_eligibility_form_names_a_missing_programme_a_date_that_is_not_one_and_a_date_before_any_rules()
    {
        var idNumber = await server.RegisterPersonAsync("Thandiwe", "Dlamini", new DateOnly(1950, 3, 4));
        var page = await SignedInCaseworkerAtRecordAsync(idNumber);
        await page.GetByRole(AriaRole.Link, new() { Name = "Check eligibility" }).ClickAsync();

        await page.GetByLabel("On which date?").FillAsync("the first of May");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check eligibility" }).ClickAsync();
        (await page.TitleAsync()).Should().StartWith("Error:");
        (await page.Locator(".error-summary a").EvaluateAllAsync<string[]>("links => links.map(l => l.getAttribute('href'))")).Should().Equal("#programme", "#on");
        (await page.Locator("#programme-error").TextContentAsync()).Should().Contain("Select the programme");
        (await page.Locator("#on-error").TextContentAsync()).Should().Contain("Enter the date");
        (await page.Locator("#criteria").CountAsync()).Should().Be(0);
        await NoSeriousViolationsAsync(page);

        await page.GetByLabel("Programme").SelectOptionAsync(new SelectOptionValue { Label = "Older Person's Grant" });
        await page.GetByLabel("On which date?").FillAsync("1 January 2024");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check eligibility" }).ClickAsync();
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#on");
        (await page.Locator("#on-error").TextContentAsync()).Should().Contain("no rules of the Older Person's Grant in force on 1 January 2024");
        await NoSeriousViolationsAsync(page);
    }

    [Fact]
    public async Task Applying_for_a_grant_shows_the_decision_with_its_reasons_and_a_second_application_is_refused_at_its_field()
    {
        var idNumber = await server.RegisterPersonAsync("Thandiwe", "Dlamini", new DateOnly(1950, 3, 4));
        var page = await SignedInCaseworkerAtRecordAsync(idNumber);

        await page.GetByRole(AriaRole.Link, new() { Name = "Apply for a grant" }).ClickAsync();
        (await page.Locator("h1").TextContentAsync()).Should().Be("Apply for a grant");
        await NoSeriousViolationsAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        (await page.TitleAsync()).Should().StartWith("Error:");
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#programme");
        (await page.Locator("#programme-error").TextContentAsync()).Should().Contain("Select the grant to apply for");
        await NoSeriousViolationsAsync(page);

        await page.GetByLabel("Older Person's Grant", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        page.Url.Should().Contain("/grant/OLDER_PERSONS_GRANT?changed=applied").And.NotContain(idNumber);
        (await page.GetByRole(AriaRole.Status).TextContentAsync()).Should().Contain("The application was assessed");
        (await page.Locator("h1").TextContentAsync()).Should().Be("Older Person's Grant");
        (await page.Locator("#grant-status").TextContentAsync()).Should().Be("Active");
        (await page.Locator("#grant-amount").TextContentAsync()).Should().Be("R2,340.00");
        (await page.Locator("#decision-outcome").TextContentAsync()).Should().Contain("Eligible for the Older Person's Grant");
        (await page.Locator("#criteria tbody tr").CountAsync()).Should().BeGreaterThan(1, "one reason per criterion");
        (await page.Locator("#criteria tbody tr", new() { HasText = "Age" }).TextContentAsync()).Should().Contain("≥ 60").And.Contain("Social Assistance Act");
        await NoSeriousViolationsAsync(page);
        await ScreenshotAsync(page, "decision.png");

        // The record links to the grant; applying again for one the person holds is refused next to the choice.
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the record" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Older persons grant" }).ClickAsync();
        page.Url.Should().EndWith("/grant/OLDER_PERSONS_GRANT");
        await page.GotoAsync(page.Url.Replace("/grant/OLDER_PERSONS_GRANT", "/apply"));
        await page.GetByLabel("Older Person's Grant", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#programme");
        (await page.Locator("#programme-error").TextContentAsync()).Should().Contain("already holds the Older Person's Grant");
        await NoSeriousViolationsAsync(page);
    }

    [Fact]
    public async Task Without_JavaScript_an_application_posts_and_redirects_to_its_decision()
    {
        var idNumber = await server.RegisterPersonAsync("Sipho", "Nkosi", new DateOnly(1940, 1, 9));
        var page = await SignedInCaseworkerAtRecordAsync(idNumber, javaScript: false);

        await page.GetByRole(AriaRole.Link, new() { Name = "Apply for a grant" }).ClickAsync();
        await page.GetByLabel("Disability Grant", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        page.Url.Should().Contain("/grant/DISABILITY_GRANT?changed=applied");
        (await page.Locator("#grant-status").TextContentAsync()).Should().Be("Rejected");
        (await page.Locator("#decision-outcome").TextContentAsync()).Should().Contain("Not eligible");
        (await page.Locator("#criteria tbody tr", new() { HasText = "Not met" }).First.TextContentAsync()).Should().Contain("Social Assistance Act 13 of 2004, s9");
    }

    [Fact]
    public async Task A_department_service_is_refused_the_grant_pages_the_register_keeps_for_caseworkers()
    {
        var idNumber = await server.RegisterPersonAsync();
        var caseworker = await SignedInCaseworkerAtRecordAsync(idNumber);
        var record = caseworker.Url;

        var sassa = await server.NewPageAsync();
        await sassa.GotoAsync("/console/sign-in");
        await SignInAsync(sassa, Roles.Department("SASSA"));
        foreach (var address in new[] { record + "/apply", record + "/grant/OLDER_PERSONS_GRANT", record + "/eligibility?programme=HOUSING_SUBSIDY_BNG&on=2026-01-15" })
        {
            var response = await sassa.GotoAsync(address);
            response!.Status.Should().Be(403, address);
            (await sassa.Locator("main").TextContentAsync()).Should().Contain("Your role does not allow you").And.NotContain(idNumber);
        }
        await NoSeriousViolationsAsync(sassa);
    }

    [Fact]
    public async Task A_caseworker_suspends_a_grant_with_a_reason_and_reinstates_it()
    {
        var idNumber = await server.RegisterPersonAsync("Thandiwe", "Dlamini", new DateOnly(1950, 3, 4));
        await server.ApplyAsync("OLDER_PERSONS_GRANT", idNumber);
        var page = await SignedInCaseworkerAtRecordAsync(idNumber);
        await page.GetByRole(AriaRole.Link, new() { Name = "Older persons grant" }).ClickAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Suspend the Older Person's Grant" }).ClickAsync();
        (await page.Locator("h1").TextContentAsync()).Should().Be("Suspend the Older Person's Grant");
        await NoSeriousViolationsAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Suspend the grant" }).ClickAsync();
        (await page.TitleAsync()).Should().StartWith("Error:");
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#reason");
        (await page.Locator("#reason-error").TextContentAsync()).Should().Contain("Enter why the grant is suspended");
        (await page.Locator("#reason").GetAttributeAsync("aria-describedby")).Should().Contain("reason-error");
        await NoSeriousViolationsAsync(page);

        await page.GetByLabel("Why is the grant suspended?").FillAsync("investigation of a reported change of income");
        await page.GetByRole(AriaRole.Button, new() { Name = "Suspend the grant" }).ClickAsync();
        page.Url.Should().EndWith("/grant/OLDER_PERSONS_GRANT?changed=suspended");
        (await page.GetByRole(AriaRole.Status).TextContentAsync()).Should().Contain("The entitlement was suspended");
        (await page.Locator("#grant-status").TextContentAsync()).Should().Be("Suspended");
        (await page.Locator("main").TextContentAsync()).Should().Contain("(by caseworker)");
        await NoSeriousViolationsAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Reinstate the Older Person's Grant" }).ClickAsync();
        await NoSeriousViolationsAsync(page);
        await page.GetByLabel("Why is the grant reinstated?").FillAsync("investigation closed, income unchanged");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reinstate the grant" }).ClickAsync();
        page.Url.Should().EndWith("?changed=reinstated");
        (await page.Locator("#grant-status").TextContentAsync()).Should().Be("Active");
    }

    [Fact]
    public async Task A_suspend_form_opened_before_someone_else_changed_the_grant_is_refused_and_shows_what_it_holds_now()
    {
        var idNumber = await server.RegisterPersonAsync("Thandiwe", "Dlamini", new DateOnly(1950, 3, 4));
        await server.ApplyAsync("OLDER_PERSONS_GRANT", idNumber);
        var page = await SignedInCaseworkerAtRecordAsync(idNumber);
        await page.GotoAsync(page.Url + "/grant/OLDER_PERSONS_GRANT/suspend");

        // Another caseworker suspends the grant and reinstates it while the form is open.
        using var api = server.ApiClient(Roles.Caseworker);
        var entitlementId = await EntitlementIdAsync(api, idNumber);
        foreach (var mutation in new[] { "suspendEntitlement", "reinstateEntitlement" })
        {
            var changed = await ConsoleServer.GraphQLAsync(api, $"mutation($input: EntitlementActionInput!) {{ {mutation}(input: $input) {{ errors {{ code }} }} }}",
                new { input = new { entitlementId, reason = "checked at the office" } });
            changed.GetProperty(mutation).GetProperty("errors").GetArrayLength().Should().Be(0);
        }

        await page.GetByLabel("Why is the grant suspended?").FillAsync("investigation of a reported change of income");
        await page.GetByRole(AriaRole.Button, new() { Name = "Suspend the grant" }).ClickAsync();

        (await page.Locator(".error-summary").TextContentAsync()).Should().Contain("Someone changed this since you opened the form");
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#status-now");
        (await page.Locator("#status-now").TextContentAsync()).Should().Be("Active");
        (await page.GetByLabel("Why is the grant suspended?").InputValueAsync()).Should().Be("investigation of a reported change of income", "what was typed is kept");
        await NoSeriousViolationsAsync(page);
        var now = await ConsoleServer.GraphQLAsync(api, "query($id: ID!) { entitlement(id: $id) { status } }", new { id = entitlementId });
        now.GetProperty("entitlement").GetProperty("status").GetString().Should().Be("ACTIVE", "the stale form suspended nothing");

        // Sent again, knowing the change, it suspends.
        await page.GetByRole(AriaRole.Button, new() { Name = "Suspend the grant" }).ClickAsync();
        page.Url.Should().EndWith("?changed=suspended");
    }

    private static async Task<string> EntitlementIdAsync(HttpClient api, string idNumber)
    {
        var record = await ConsoleServer.GraphQLAsync(api, "query($id: String!) { citizen(idNumber: $id) { entitlements { id } } }", new { id = idNumber });
        return record.GetProperty("citizen").GetProperty("entitlements")[0].GetProperty("id").GetString()!;
    }

    private async Task<IPage> SignedInCaseworkerAtRecordAsync(string idNumber, bool javaScript = true)
    {
        var page = await server.NewPageAsync(javaScript);
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Caseworker);
        await page.GotoAsync("/console/find");
        await FindAsync(page, idNumber);
        page.Url.Should().Contain("/console/person/");
        return page;
    }
}
