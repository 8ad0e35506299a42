using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Registry.Console.Tests;

/// <summary>The steps every console test takes in the browser: sign in, find a person, check a page's accessibility.</summary>
public static class ConsoleBrowser
{
    public const string Purpose = "grant application at the Cape Town office";

    public static async Task SignInAsync(IPage page, string role)
    {
        var label = Registry.Api.StaffConsole.Pages.SignInModel.Choices.Single(c => c.Role == role).Label;
        await page.GetByLabel(label, new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        page.Url.Should().NotContain("sign-in");
    }

    public static async Task FindAsync(IPage page, string idNumber)
    {
        await page.GetByLabel("ID number").FillAsync(idNumber);
        await page.GetByLabel("Why do you need this person's record?").FillAsync(Purpose);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
    }

    /// <summary>With REGISTRY_CONSOLE_SCREENSHOTS=DIR, the page as a reader of the docs sees it.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("REGISTRY_CONSOLE_SCREENSHOTS") is { Length: > 0 } folder)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true });
    }

    /// <summary>
    /// axe-core on the page as it stands: nothing serious or critical (WCAG 2.1 AA rules included); and the page with
    /// its stylesheet weighs under 100 KB, for a thin link (every page checked for accessibility is weighed too).
    /// </summary>
    public static async Task AccessibleAndLightAsync(IPage page)
    {
        var stylesheet = (await (await page.APIRequest.GetAsync("/console/console.css")).BodyAsync()).Length;
        var html = System.Text.Encoding.UTF8.GetByteCount(await page.ContentAsync());
        (html + stylesheet).Should().BeLessThan(100_000, $"{page.Url} and its stylesheet load over a thin link");
        var result = await page.RunAxe();
        result.Passes.Should().NotBeEmpty("axe-core ran on the page");
        result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})")
            .Should().BeEmpty($"{page.Url} should have no serious accessibility violations");
    }
}
