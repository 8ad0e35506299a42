using Microsoft.Playwright;
using Registry.Api.Auth;
using Registry.Testing;
using static Registry.Console.Tests.ConsoleBrowser;

namespace Registry.Console.Tests;

/// <summary>Signing in at the state's identity provider (OpenID Connect), in Production, in a real browser.</summary>
public sealed class StateSignInTests(StateSignInConsoleServer server) : IClassFixture<StateSignInConsoleServer>
{
    [Fact]
    public async Task A_member_of_staff_signs_in_at_the_identity_provider_and_reads_a_record_under_their_own_name()
    {
        var idNumber = await server.RegisterPersonAsync();
        server.Provider.Next = ("staff-4711", [Roles.Caseworker, "payroll-clerk"]);
        var page = await server.NewPageAsync();

        await page.GotoAsync("/console/find");

        // After the provider's round trip and the console's landing page, the console is where it was asked.
        await page.WaitForURLAsync(new Uri(server.Address, "/console/find").ToString());
        (await page.Locator(".header-account span").TextContentAsync()).Should().Be("Signed in as caseworker", "roles the register does not know are left out");
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "registry-console");
        cookie.HttpOnly.Should().BeTrue();
        cookie.SameSite.Should().Be(SameSiteAttribute.Strict);
        await AccessibleAndLightAsync(page);

        await FindAsync(page, idNumber);
        (await page.Locator("h1").TextContentAsync()).Should().Be("Naledi Mokoena");
        using var auditor = server.ApiClient(Roles.Auditor);
        var log = await ConsoleServer.GraphQLAsync(auditor,
            "query($id: String!) { audit { accessLog(idNumber: $id, first: 100) { edges { node { actor role purpose } } } } }", new { id = idNumber });
        log.GetProperty("audit").GetProperty("accessLog").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))
            .Should().Contain(n => n.GetProperty("actor").GetString() == "staff-4711" && n.GetProperty("role").GetString() == Roles.Caseworker
                                   && n.GetProperty("purpose").GetString() == Purpose, "the read is recorded under the provider's subject");
    }

    [Fact]
    public async Task An_account_with_no_role_in_the_register_is_told_so_and_not_signed_in()
    {
        server.Provider.Next = ("staff-0042", ["payroll-clerk"]);
        var page = await server.NewPageAsync();

        var answer = await page.GotoAsync("/console/find");

        page.Url.Should().Contain("/console/sign-in/failed");
        answer!.Status.Should().Be(403);
        (await page.Locator("main").TextContentAsync()).Should().Contain("Your account has no role in the register");
        (await page.Context.CookiesAsync()).Should().NotContain(c => c.Name == "registry-console");
        await AccessibleAndLightAsync(page);
    }

    [Fact]
    public async Task An_answer_signed_with_a_key_the_provider_does_not_publish_signs_no_one_in()
    {
        server.Provider.Next = ("staff-0666", [Roles.Admin]);
        server.Provider.Forge = true;
        try
        {
            var page = await server.NewPageAsync();
            var answer = await page.GotoAsync("/console/find");

            page.Url.Should().Contain("/console/sign-in/failed");
            answer!.Status.Should().Be(401);
            (await page.Locator("main").TextContentAsync()).Should().Contain("did not confirm who you are");
            (await page.Context.CookiesAsync()).Should().NotContain(c => c.Name == "registry-console");
        }
        finally
        {
            server.Provider.Forge = false;
        }
    }

    [Fact]
    public async Task Beside_an_identity_provider_no_role_can_be_picked_and_signing_out_stays_signed_out()
    {
        server.Provider.Next = ("staff-0007", [Roles.Auditor]);
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console");
        (await page.Locator(".header-account span").TextContentAsync()).Should().Be("Signed in as auditor");
        page.Url.Should().Be(new Uri(server.Address, "/console").ToString());

        var picked = await page.APIRequest.PostAsync("/console/sign-in", new() { Form = page.APIRequest.CreateFormData().Set("Role", Roles.Admin) });
        picked.Status.Should().BeOneOf([400, 404], "the role picker does not exist here (and has no anti-forgery token to offer)");
        var cookies = string.Join("; ", (await page.Context.CookiesAsync()).Select(c => c.Name));
        await page.GotoAsync("/console");
        (await page.Locator(".header-account span").TextContentAsync()).Should().Be("Signed in as auditor", "no role was picked");
        string.Join("; ", (await page.Context.CookiesAsync()).Select(c => c.Name)).Should().Be(cookies);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        // A sign-out does not bounce straight back through the provider.
        await page.WaitForURLAsync(new Uri(server.Address, "/console/signed-out").ToString());
        (await page.Locator("h1").TextContentAsync()).Should().Be("You have signed out");
        (await page.Context.CookiesAsync()).Should().NotContain(c => c.Name == "registry-console");
        await AccessibleAndLightAsync(page);
    }
}
