using System.Text.Json;
using Microsoft.Playwright;
using Registry.Api.Auth;
using static Registry.Console.Tests.ConsoleBrowser;

namespace Registry.Console.Tests;

/// <summary>The service with the register's own four-eyes list (the other console tests turn it off).</summary>
public sealed class FourEyesConsoleServer : ConsoleServer
{
    // Empty: the register's list (recordDeath, some corrections, removing a household member, …).
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["FourEyes__Commands"] = "" };
}

/// <summary>A sensitive change asked for in the console waits for a second person, who approves or rejects it in the console.</summary>
public sealed class ApprovalTests(FourEyesConsoleServer server) : IClassFixture<FourEyesConsoleServer>
{
    [Fact]
    public async Task A_death_a_caseworker_records_waits_for_a_supervisor_who_rejects_only_with_a_reason_and_approves_it()
    {
        var idNumber = await server.RegisterPersonAsync("Bongani", "Sithole");
        var caseworker = await SignedInAsync(Roles.Caseworker);
        (await caseworker.Locator("#approvals").CountAsync()).Should().Be(0, "a caseworker does not decide changes");
        await RecordDeathAsync(caseworker, idNumber);

        caseworker.Url.Should().Contain("changed=held");
        (await caseworker.Locator(".banner").TextContentAsync()).Should().Contain("Sent to a supervisor for approval");
        (await caseworker.Locator("#pending-changes").TextContentAsync()).Should().Contain("Record a death").And.Contain("console-dev-caseworker");
        (await caseworker.Locator("main").TextContentAsync()).Should().NotContain("The death was recorded").And.NotContain("1 November 2026");
        (await DateOfDeathAsync(idNumber)).ValueKind.Should().Be(JsonValueKind.Null, "the death waits for approval");
        await AccessibleAndLightAsync(caseworker);

        var supervisor = await SignedInAsync(Roles.Supervisor);
        await supervisor.GetByRole(AriaRole.Link, new() { Name = "Approve or reject changes waiting for a second person" }).ClickAsync();
        (await supervisor.Locator("h1").TextContentAsync()).Should().Be("Changes waiting for approval");
        var row = supervisor.Locator("#requests tbody tr", new() { HasText = "Bongani Sithole" });
        (await row.TextContentAsync()).Should().Contain("console-dev-caseworker");
        (await row.GetByRole(AriaRole.Link, new() { Name = "Bongani Sithole" }).GetAttributeAsync("href")).Should().NotContain(idNumber);
        await AccessibleAndLightAsync(supervisor);
        await ScreenshotAsync(supervisor, "approvals.png");

        await row.GetByRole(AriaRole.Link, new() { Name = "Record a death" }).ClickAsync();
        supervisor.Url.Should().NotContain(idNumber);
        (await supervisor.Locator("#fact-dateOfDeath").TextContentAsync()).Should().Be("1 November 2026");
        (await supervisor.Locator("#request-reason").TextContentAsync()).Should().Be("DHA-1663 0012345");
        (await supervisor.Locator("#now-dateOfDeath").TextContentAsync()).Should().Be("No death recorded");
        await AccessibleAndLightAsync(supervisor);
        await ScreenshotAsync(supervisor, "approval-request.png");

        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Reject the change" }).ClickAsync();
        (await SummaryLinksAsync(supervisor)).Should().Equal("#rejectReason");
        (await supervisor.Locator("#rejectReason-error").TextContentAsync()).Should().Contain("Enter why the change is rejected");
        (await DateOfDeathAsync(idNumber)).ValueKind.Should().Be(JsonValueKind.Null, "nothing was written");
        await AccessibleAndLightAsync(supervisor);

        await supervisor.GetByLabel("Note (optional)").FillAsync("Death notice checked");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Approve the change" }).ClickAsync();
        supervisor.Url.Should().Contain("/console/approvals?decided=approved");
        (await supervisor.Locator("#decided").TextContentAsync()).Should().Contain("approved and applied");
        (await supervisor.Locator("#requests tbody tr", new() { HasText = "Bongani Sithole" }).CountAsync()).Should().Be(0, "the request was decided");
        await AccessibleAndLightAsync(supervisor);

        (await DateOfDeathAsync(idNumber)).GetString().Should().Be("2026-11-01");
        await caseworker.ReloadAsync();
        (await caseworker.Locator("main").TextContentAsync()).Should().Contain("Date of death").And.Contain("1 November 2026");
        (await caseworker.Locator("#pending-changes").CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task The_supervisor_who_asked_for_a_change_cannot_approve_it()
    {
        var idNumber = await server.RegisterPersonAsync("Lerato", "Dlamini");
        var supervisor = await SignedInAsync(Roles.Supervisor);
        await RecordDeathAsync(supervisor, idNumber);
        (await supervisor.Locator(".banner").TextContentAsync()).Should().Contain("Sent to a supervisor for approval");

        await supervisor.GotoAsync("/console/approvals");
        await supervisor.Locator("#requests tbody tr", new() { HasText = "Lerato Dlamini" }).GetByRole(AriaRole.Link, new() { Name = "Record a death" }).ClickAsync();
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Approve the change" }).ClickAsync();
        (await supervisor.Locator(".error-summary").TextContentAsync()).Should().Contain("You asked for this change: another supervisor must decide it");
        (await DateOfDeathAsync(idNumber)).ValueKind.Should().Be(JsonValueKind.Null, "nothing was written");
        await AccessibleAndLightAsync(supervisor);
    }

    private async Task<IPage> SignedInAsync(string role)
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, role);
        await page.GotoAsync("/console");
        return page;
    }

    private static async Task RecordDeathAsync(IPage page, string idNumber)
    {
        await page.GotoAsync("/console/find");
        await FindAsync(page, idNumber);
        await page.GetByRole(AriaRole.Link, new() { Name = "Record a death" }).ClickAsync();
        await page.Locator("#dateOfDeath").FillAsync("1");
        await page.Locator("#dateOfDeath-month").FillAsync("11");
        await page.Locator("#dateOfDeath-year").FillAsync("2026");
        await page.GetByLabel("How is the death known?").FillAsync("DHA-1663 0012345");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the death" }).ClickAsync();
    }

    private async Task<JsonElement> DateOfDeathAsync(string idNumber)
    {
        using var api = server.ApiClient(Roles.Caseworker);
        var data = await ConsoleServer.GraphQLAsync(api, "query($id: String!) { citizen(idNumber: $id) { dateOfDeath } }", new { id = idNumber });
        return data.GetProperty("citizen").GetProperty("dateOfDeath");
    }

    private static Task<string[]> SummaryLinksAsync(IPage page) =>
        page.Locator(".error-summary a").EvaluateAllAsync<string[]>("links => links.map(l => l.getAttribute('href'))");
}
