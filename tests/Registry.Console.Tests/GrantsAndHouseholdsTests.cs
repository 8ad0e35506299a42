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
