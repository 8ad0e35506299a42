using static Registry.Console.Tests.ConsoleBrowser;
using Microsoft.Playwright;
using Registry.Api.Auth;

namespace Registry.Console.Tests;

/// <summary>The auditor's pages in a real browser: history, the record as it was, who read it, integrity, decision replay.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AuditorTests(ConsoleServer server)
{
    private const string AuditPurpose = "complaint 2026/114";
    private const string Purpose = ConsoleBrowser.Purpose;

    /// <summary>The date the register takes for "today" (South African time).</summary>
    private static DateOnly Today => DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(2)).DateTime);

    [Fact]
    public async Task An_auditors_timeline_says_who_did_what_when_and_why_and_the_as_of_view_shows_the_old_name_next_to_todays()
    {
        var idNumber = await server.RegisterPersonAsync("Naledi", "Mokoena");
        using (var caseworker = server.ApiClient(Roles.Caseworker))
        {
            var changed = await ConsoleServer.GraphQLAsync(caseworker, "mutation($input: ChangeCitizenNameInput!) { changeCitizenName(input: $input) { errors { code } } }",
                new { input = new { idNumber, firstNames = "Naledi", surname = "Khumalo", reason = "marriage certificate seen", effectiveDate = Today.ToString("yyyy-MM-dd") } });
            changed.GetProperty("changeCitizenName").GetProperty("errors").GetArrayLength().Should().Be(0);
        }
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Auditor);
        await AccessibleAndLightAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Look into a person's, household's or entitlement's history" }).ClickAsync();
        await AccessibleAndLightAsync(page);
        await LookIntoAsync(page, idNumber);

        page.Url.Should().Contain("/console/audit/").And.NotContain(idNumber, "an address names no ID number");
        (await page.Locator("h1").TextContentAsync()).Should().Be("Naledi Khumalo");
        await AccessibleAndLightAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "History: everything the register recorded, in order" }).ClickAsync();
        var entries = page.Locator(".timeline-entry");
        (await entries.Locator(".timeline-title").AllTextContentsAsync()).Should().Equal("Registered in the register", "Name changed");
        var change = entries.Nth(1);
        (await change.Locator(".event-reason").TextContentAsync()).Should().Be("marriage certificate seen");
        (await change.Locator(".event-actor").TextContentAsync()).Should().Contain(Roles.Caseworker);
        (await change.Locator(".event-recorded").TextContentAsync()).Should().Contain("UTC");
        (await change.Locator(".event-effective").TextContentAsync()).Should().Be(Today.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture));
        (await change.Locator(".event-request a").TextContentAsync()).Should().NotBeNullOrWhiteSpace();
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "audit-history.png");

        // The request that changed the name: its own history, by a sealed link too.
        await change.Locator(".event-request a").ClickAsync();
        (await page.Locator(".timeline-title").AllTextContentsAsync()).Should().Equal("Name changed");

        await page.GoBackAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Back" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "The record as it was on a date, next to today's" }).ClickAsync();
        await AccessibleAndLightAsync(page);
        await page.GetByLabel("True on").FillAsync(Today.AddDays(-1).ToString("yyyy-MM-dd"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the record" }).ClickAsync();
        page.Url.Should().Contain("validAt=").And.NotContain(idNumber);
        var name = page.Locator("#comparison tbody tr").Filter(new() { HasText = "Name" }).First;
        (await name.Locator(".then").TextContentAsync()).Should().Be("Naledi Mokoena");
        (await name.Locator(".today").TextContentAsync()).Should().Contain("Naledi Khumalo").And.Contain("changed");
        (await name.GetAttributeAsync("class")).Should().Contain("changed");
        var born = page.Locator("#comparison tbody tr").Filter(new() { HasText = "Date of birth" });
        (await born.GetAttributeAsync("class")).Should().BeNull("what did not change is not highlighted");
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "audit-as-of.png");

        // What the register cannot know is said next to the field, in plain words.
        await page.GetByLabel("As the register knew it at").FillAsync("2099-01-01 00:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the record" }).ClickAsync();
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#knownAt");
        (await page.Locator("#knownAt-error").TextContentAsync()).Should().Contain("in the future");
        await AccessibleAndLightAsync(page);
        await page.GetByLabel("As the register knew it at").FillAsync("2001-01-01 00:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the record" }).ClickAsync();
        (await page.Locator("#knownAt-error").TextContentAsync()).Should().Contain("had not recorded this person");
    }

    [Fact]
    public async Task Without_JavaScript_the_history_pages_forwards_and_back_and_a_forged_page_or_reference_is_refused_cleanly()
    {
        var idNumber = await server.RegisterPersonAsync("Sipho", "Nkosi");
        using (var caseworker = server.ApiClient(Roles.Caseworker))
            for (var i = 1; i <= 21; i++)
                await ConsoleServer.GraphQLAsync(caseworker, "mutation($input: DeclareIncomeInput!) { declareIncome(input: $input) { errors { code } } }",
                    new { input = new { idNumber, monthlyIncome = 1000m + i, source = "EMPLOYMENT" } });
        var page = await server.NewPageAsync(javaScript: false);
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Auditor);
        await page.GotoAsync("/console/audit");
        await LookIntoAsync(page, idNumber);
        await page.GetByRole(AriaRole.Link, new() { Name = "History: everything the register recorded, in order" }).ClickAsync();
        var first = page.Url;

        (await page.Locator(".timeline-entry").CountAsync()).Should().Be(20);
        (await page.Locator(".pager-position").TextContentAsync()).Should().Be("Page 1 of 2");
        await page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        (await page.Locator(".timeline-entry").CountAsync()).Should().Be(2);
        (await page.Locator(".pager-position").TextContentAsync()).Should().Be("Page 2 of 2");
        (await page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).CountAsync()).Should().Be(0);
        var second = page.Url;
        await page.GetByRole(AriaRole.Link, new() { Name = "Previous page" }).ClickAsync();
        page.Url.Should().Be(first);
        (await page.Locator(".timeline-entry").CountAsync()).Should().Be(20);

        // A cursor travels sealed: an altered page, or an altered reference, is a clean "not valid" page.
        var forgedPage = await page.GotoAsync(second[..^6] + "AAAAAA");
        forgedPage!.Status.Should().Be(404);
        (await page.Locator("main").TextContentAsync()).Should().Contain("This link has expired or is not valid");
        var forgedReference = await page.GotoAsync("/console/audit/CfDJ8forged/history");
        forgedReference!.Status.Should().Be(404);
        (await page.Locator("main").TextContentAsync()).Should().Contain("This link has expired or is not valid");
    }

    [Fact]
    public async Task A_caseworker_is_refused_the_auditors_pages_as_the_register_refuses_them()
    {
        var idNumber = await server.RegisterPersonAsync();
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Caseworker);
        (await page.Locator("#auditor").CountAsync()).Should().Be(0, "the start page offers a caseworker no auditor's links");

        await page.GotoAsync("/console/audit");
        var answer = await page.RunAndWaitForResponseAsync(() => LookIntoAsync(page, idNumber),
            r => r.Url.EndsWith("/console/audit", StringComparison.Ordinal) && r.Request.Method == "POST");
        answer.Status.Should().Be(403);
        (await page.Locator("main").TextContentAsync()).Should().Contain("Your role does not allow you").And.NotContain(idNumber);
        await AccessibleAndLightAsync(page);

        // An altered or expired reference is a clean "not valid" page, whoever asks.
        var forged = await page.GotoAsync("/console/audit/CfDJ8forged/as-of");
        forged!.Status.Should().Be(404);
        (await page.Locator("main").TextContentAsync()).Should().Contain("This link has expired or is not valid");
        await AccessibleAndLightAsync(page);
    }

    [Fact]
    public async Task The_access_log_shows_an_earlier_read_with_its_purpose_the_history_verifies_and_a_replayed_decision_is_identical()
    {
        var idNumber = await server.RegisterPersonAsync("Thandiwe", "Dlamini", new DateOnly(1950, 3, 4));
        await server.ApplyAsync("OLDER_PERSONS_GRANT", idNumber);
        // A caseworker reads the record through the console, saying why.
        var caseworker = await server.NewPageAsync();
        await caseworker.GotoAsync("/console/sign-in");
        await SignInAsync(caseworker, Roles.Caseworker);
        await caseworker.GotoAsync("/console/find");
        await FindAsync(caseworker, idNumber);
        (await caseworker.Locator("h1").TextContentAsync()).Should().Be("Thandiwe Dlamini");

        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Auditor);
        await page.GotoAsync("/console/audit");
        await LookIntoAsync(page, idNumber);
        var subject = page.Url;

        await page.GetByRole(AriaRole.Link, new() { Name = "Who read this person's data" }).ClickAsync();
        var read = page.Locator("#access-log tbody tr").Filter(new() { HasText = Purpose });
        (await read.CountAsync()).Should().BeGreaterThan(0, "the caseworker's read is logged with the purpose they gave");
        (await read.First.Locator(".read-by").TextContentAsync()).Should().Contain("Caseworker");
        (await read.First.Locator(".read-at").TextContentAsync()).Should().Contain("UTC");
        (await page.Locator("#access-log tbody tr").Filter(new() { HasText = AuditPurpose }).CountAsync()).Should().BeGreaterThan(0, "the auditor's own reads are in it too");
        await AccessibleAndLightAsync(page);
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        (await page.Locator("header").IsVisibleAsync()).Should().BeFalse("a printout is the answer to the person, without the console's header");
        (await page.Locator("#access-log").IsVisibleAsync()).Should().BeTrue();
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        await page.GotoAsync(subject);
        await page.GetByRole(AriaRole.Link, new() { Name = "Check that this history has not been altered" }).ClickAsync();
        (await page.Locator("#verdict").TextContentAsync()).Should().Contain("Verified").And.Contain("1 stream");
        await AccessibleAndLightAsync(page);

        await page.GotoAsync(subject);
        await page.GetByRole(AriaRole.Link, new() { Name = "Replay the last decision on the older persons grant" }).ClickAsync();
        (await page.Locator("#verdict").TextContentAsync()).Should().Contain("Identical");
        (await page.Locator("#todays-differences").TextContentAsync()).Should().NotBeNullOrWhiteSpace();
        await AccessibleAndLightAsync(page);

        await page.GotoAsync("/console");
        await page.GetByRole(AriaRole.Link, new() { Name = "Check the whole register's integrity" }).ClickAsync();
        await AccessibleAndLightAsync(page);
        // The test service signs a checkpoint every second: once one exists, an untouched register verifies.
        using var auditor = server.ApiClient(Roles.Auditor);
        for (var wait = 0; wait < 50; wait++)
        {
            var whole = (await ConsoleServer.GraphQLAsync(auditor, "{ audit { verifyIntegrity { checkpointsChecked } } }", new { })).GetProperty("audit").GetProperty("verifyIntegrity");
            if (whole.GetProperty("checkpointsChecked").GetInt32() > 0) break;
            await Task.Delay(200);
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the whole register" }).ClickAsync();
        // The check runs in the background; its page says how far it has got, and a link asks again until the answer.
        await page.WaitForURLAsync("**/audit/integrity/*");
        for (var asked = 0; await page.Locator("#check-progress").CountAsync() > 0 && asked < 300; asked++)
        {
            (await page.Locator("#check-progress").TextContentAsync()).Should().Contain("events checked");
            await AccessibleAndLightAsync(page);
            await Task.Delay(200);
            await page.Locator("#check-refresh").ClickAsync();
            await page.WaitForLoadStateAsync();
        }
        var verdict = await page.Locator("#verdict").TextContentAsync();
        verdict.Should().Contain("Verified: nothing has been altered").And.MatchRegex("[0-9]+ streams and [0-9]+ events checked, and [1-9][0-9]* signed checkpoints");
        await AccessibleAndLightAsync(page);
    }

    private static async Task LookIntoAsync(IPage page, string idNumber)
    {
        await page.GetByLabel("A person's ID number").CheckAsync();
        await page.GetByLabel("The number or id").FillAsync(idNumber);
        await page.GetByLabel("Why are you looking into this?").FillAsync(AuditPurpose);
        await page.GetByRole(AriaRole.Button, new() { Name = "Look into it" }).ClickAsync();
    }
}
