using static Registry.Console.Tests.ConsoleBrowser;
using Microsoft.Playwright;
using Registry.Api.Auth;

namespace Registry.Console.Tests;

/// <summary>Eligibility, grants and households through the console, in a real browser against the real service.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class GrantsAndHouseholdsTests(ConsoleServer server)
{
    [Fact]
    public async Task A_caseworker_forms_a_household_declares_income_applies_for_a_grant_and_sees_the_decision_with_its_reasons()
    {
        var idNumber = await server.RegisterPersonAsync("Thandiwe", "Dlamini", new DateOnly(1950, 3, 4));
        var spouse = await server.RegisterPersonAsync("Bongani", "Dlamini", new DateOnly(1948, 11, 30));
        var page = await SignedInCaseworkerAtRecordAsync(idNumber);
        var record = page.Url;

        // Form a household, with this person as head, at their address.
        await page.GetByRole(AriaRole.Link, new() { Name = "Form a household" }).ClickAsync();
        (await page.Locator("h1").TextContentAsync()).Should().Be("Form a household");
        (await page.GetByLabel("Address line 1").InputValueAsync()).Should().Be("12 Long Street", "the person's own address is offered");
        await AccessibleAndLightAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Form the household" }).ClickAsync();
        page.Url.Should().Contain("changed=household-formed");
        (await page.Locator("#household [role=status]").TextContentAsync()).Should().Contain("The household was formed");
        (await page.Locator("#household tbody tr").AllTextContentsAsync()).Should().ContainSingle().Which.Should().Contain("Head");

        // Add the spouse, found by the ID number typed into the form.
        await page.GetByRole(AriaRole.Link, new() { Name = "Add a member" }).ClickAsync();
        await AccessibleAndLightAsync(page);
        await page.GetByLabel("ID number of the person who joins").FillAsync(spouse);
        await page.GetByLabel("Spouse or partner", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to the household" }).ClickAsync();
        page.Url.Should().Contain("changed=member-added").And.NotContain(spouse);
        (await page.Locator("#household tbody tr").AllTextContentsAsync()).Should().HaveCount(2)
            .And.Contain(row => row.Contains("Bongani Dlamini") && row.Contains("Spouse"));
        await AccessibleAndLightAsync(page);

        // Declare the income (the record's own form), then apply.
        await page.GetByRole(AriaRole.Link, new() { Name = "Declare income" }).ClickAsync();
        await page.GetByLabel("Gross monthly income, in rand").FillAsync("1500");
        await page.GetByLabel("Pension", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Declare income" }).ClickAsync();
        (await page.Locator("#monthly-income").TextContentAsync()).Should().Be("R1,500.00 (Pension)");

        await page.GetByRole(AriaRole.Link, new() { Name = "Apply for a grant" }).ClickAsync();
        await page.GetByLabel("Older Person's Grant", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        (await page.Locator("#grant-status").TextContentAsync()).Should().Be("Active");
        (await page.Locator("#decision-outcome").TextContentAsync()).Should().Contain("Eligible for the Older Person's Grant");
        (await page.Locator("#criteria tbody tr", new() { HasText = "Income test" }).TextContentAsync()).Should().Contain("R18,000", "the declared income, a year of it, is the figure the means test saw");
        await AccessibleAndLightAsync(page);

        // The head leaves last: asked to leave first, the register refuses at the choice; after the head changes, they can.
        await page.GotoAsync(record);
        await page.GetByRole(AriaRole.Link, new() { Name = "Remove a member" }).ClickAsync();
        await AccessibleAndLightAsync(page);
        await page.GetByLabel("Thandiwe Dlamini (Head)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove from the household" }).ClickAsync();
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#member");
        (await page.Locator("#member-error").TextContentAsync()).Should().Contain("Change the head first");
        await AccessibleAndLightAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the record" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Change the head" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Change the head" }).ClickAsync();
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#member");
        (await page.Locator("#member-error").TextContentAsync()).Should().Contain("Select who becomes the head");
        await AccessibleAndLightAsync(page);
        await page.GetByLabel("Bongani Dlamini (Spouse or partner)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Change the head" }).ClickAsync();
        page.Url.Should().Contain("changed=head-changed");
        (await page.Locator("#household tbody tr", new() { HasText = "Bongani Dlamini" }).TextContentAsync()).Should().Contain("Head");

        await page.GetByRole(AriaRole.Link, new() { Name = "Remove a member" }).ClickAsync();
        await page.GetByLabel("Thandiwe Dlamini (Spouse or partner)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove from the household" }).ClickAsync();
        page.Url.Should().Contain("changed=member-removed");
        (await page.Locator("#household").TextContentAsync()).Should().Contain("Not a member of a household");
        await AccessibleAndLightAsync(page);
    }

    [Fact]
    public async Task The_household_forms_name_each_missing_or_refused_answer_next_to_its_field()
    {
        var idNumber = await server.RegisterPersonAsync("Sipho", "Nkosi");
        var page = await SignedInCaseworkerAtRecordAsync(idNumber);
        await page.GetByRole(AriaRole.Link, new() { Name = "Form a household" }).ClickAsync();
        await page.GetByLabel("Address line 1").FillAsync("");
        await page.GetByLabel("Postal code").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Form the household" }).ClickAsync();
        (await page.Locator(".error-summary a").EvaluateAllAsync<string[]>("links => links.map(l => l.getAttribute('href'))")).Should().Equal("#line1", "#postalCode");
        (await page.Locator("#line1-error").TextContentAsync()).Should().Contain("Enter the first line of the address");
        await AccessibleAndLightAsync(page);
        await page.GetByLabel("Address line 1").FillAsync("3 Vilakazi Street");
        await page.GetByLabel("Postal code").FillAsync("8001");
        await page.GetByRole(AriaRole.Button, new() { Name = "Form the household" }).ClickAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Add a member" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to the household" }).ClickAsync();
        (await page.TitleAsync()).Should().StartWith("Error:");
        (await page.Locator(".error-summary a").EvaluateAllAsync<string[]>("links => links.map(l => l.getAttribute('href'))")).Should().Equal("#idNumber", "#relationship");
        (await page.Locator("#idNumber-error").TextContentAsync()).Should().Contain("Enter the ID number");
        (await page.Locator("#relationship-error").TextContentAsync()).Should().Contain("Select what they are to the head");
        await AccessibleAndLightAsync(page);

        // A well-formed number no one is registered under: the register's NOT_FOUND, at the field.
        var unregistered = Registry.Domain.Citizens.SaIdNumber.Create(new DateOnly(1999, 9, 9), Registry.Domain.Common.Sex.Male, Registry.Domain.Common.Citizenship.Citizen, 987).Value;
        await page.GetByLabel("ID number of the person who joins").FillAsync(unregistered);
        await page.GetByLabel("Child", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to the household" }).ClickAsync();
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#idNumber");
        (await page.Locator("#idNumber-error").TextContentAsync()).Should().Contain("No one is registered with this ID number");
        (await page.GetByLabel("Child", new() { Exact = true }).IsCheckedAsync()).Should().BeTrue("the answers given are kept");
        await AccessibleAndLightAsync(page);

        await page.GotoAsync(page.Url.Replace("add-member", "change-head"));
        (await page.Locator("main").TextContentAsync()).Should().Contain("No one else lives in this household");
        await AccessibleAndLightAsync(page);
        await page.GotoAsync(page.Url.Replace("change-head", "remove-member"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove from the household" }).ClickAsync();
        (await page.Locator("#member-error").TextContentAsync()).Should().Contain("Select who leaves the household");
    }

    [Fact]
    public async Task An_eligibility_check_shows_each_criterion_with_the_figure_observed_the_threshold_and_the_law()
    {
        var idNumber = await server.RegisterPersonAsync("Thandiwe", "Dlamini", new DateOnly(1950, 3, 4));
        var page = await SignedInCaseworkerAtRecordAsync(idNumber);

        await page.GetByRole(AriaRole.Link, new() { Name = "Check eligibility" }).ClickAsync();
        (await page.Locator("h1").TextContentAsync()).Should().Be("Check eligibility");
        (await page.GetByLabel("On which date?").InputValueAsync()).Should().MatchRegex(@"^\d{4}-\d{2}-\d{2}$", "the date starts as today");
        await AccessibleAndLightAsync(page);

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
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "eligibility.png");
    }

    [Fact]
    public async Task The_eligibility_form_names_a_missing_programme_a_date_that_is_not_one_and_a_date_before_any_rules()
    {
        var idNumber = await server.RegisterPersonAsync("Thandiwe", "Dlamini", new DateOnly(1950, 3, 4));
        var page = await SignedInCaseworkerAtRecordAsync(idNumber);
        await page.GetByRole(AriaRole.Link, new() { Name = "Check eligibility" }).ClickAsync();

        // Sent with nothing chosen and no date, it says what is missing (an empty date means today).
        await page.GetByLabel("On which date?").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check eligibility" }).ClickAsync();
        (await page.Locator(".error-summary a").EvaluateAllAsync<string[]>("links => links.map(l => l.getAttribute('href'))")).Should().Equal("#programme");

        await page.GetByLabel("On which date?").FillAsync("the first of May");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check eligibility" }).ClickAsync();
        (await page.TitleAsync()).Should().StartWith("Error:");
        (await page.Locator(".error-summary a").EvaluateAllAsync<string[]>("links => links.map(l => l.getAttribute('href'))")).Should().Equal("#programme", "#on");
        (await page.Locator("#programme-error").TextContentAsync()).Should().Contain("Select the programme");
        (await page.Locator("#on-error").TextContentAsync()).Should().Contain("Enter the date");
        (await page.Locator("#criteria").CountAsync()).Should().Be(0);
        await AccessibleAndLightAsync(page);

        await page.GetByLabel("Programme").SelectOptionAsync(new SelectOptionValue { Label = "Older Person's Grant" });
        await page.GetByLabel("On which date?").FillAsync("1 January 2024");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check eligibility" }).ClickAsync();
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#on");
        (await page.Locator("#on-error").TextContentAsync()).Should().Contain("no rules of the Older Person's Grant in force on 1 January 2024");
        await AccessibleAndLightAsync(page);
    }

    [Fact]
    public async Task Applying_for_a_grant_shows_the_decision_with_its_reasons_and_a_second_application_is_refused_at_its_field()
    {
        var idNumber = await server.RegisterPersonAsync("Thandiwe", "Dlamini", new DateOnly(1950, 3, 4));
        var page = await SignedInCaseworkerAtRecordAsync(idNumber);

        await page.GetByRole(AriaRole.Link, new() { Name = "Apply for a grant" }).ClickAsync();
        (await page.Locator("h1").TextContentAsync()).Should().Be("Apply for a grant");
        await AccessibleAndLightAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        (await page.TitleAsync()).Should().StartWith("Error:");
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#programme");
        (await page.Locator("#programme-error").TextContentAsync()).Should().Contain("Select the grant to apply for");
        await AccessibleAndLightAsync(page);

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
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "decision.png");
        await page.GetByRole(AriaRole.Link, new() { Name = "Check eligibility for the Older Person's Grant on another date" }).ClickAsync();
        (await page.GetByLabel("Programme").InputValueAsync()).Should().Be("OLDER_PERSONS_GRANT");
        (await page.GetByLabel("On which date?").InputValueAsync()).Should().MatchRegex(@"^\d{4}-\d{2}-\d{2}$", "a date not given is today");
        (await page.Locator("#decision-outcome").TextContentAsync()).Should().Contain("Eligible");
        await AccessibleAndLightAsync(page);
        await page.GoBackAsync();

        // The record links to the grant; applying again for one the person holds is refused next to the choice.
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the record" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Older persons grant" }).ClickAsync();
        page.Url.Should().EndWith("/grant/OLDER_PERSONS_GRANT");
        await page.GotoAsync(page.Url.Replace("/grant/OLDER_PERSONS_GRANT", "/apply"));
        await page.GetByLabel("Older Person's Grant", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#programme");
        (await page.Locator("#programme-error").TextContentAsync()).Should().Contain("already holds the Older Person's Grant");
        await AccessibleAndLightAsync(page);
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
        foreach (var address in new[] { record + "/apply", record + "/grant/OLDER_PERSONS_GRANT", record + "/eligibility?programme=HOUSING_SUBSIDY_BNG&on=2026-01-15",
                     record + "/household/form", record + "/household/add-member" })
        {
            var response = await sassa.GotoAsync(address);
            response!.Status.Should().Be(403, address);
            (await sassa.Locator("main").TextContentAsync()).Should().Contain("Your role does not allow you").And.NotContain(idNumber);
        }
        await AccessibleAndLightAsync(sassa);
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
        await AccessibleAndLightAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Suspend the grant" }).ClickAsync();
        (await page.TitleAsync()).Should().StartWith("Error:");
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#reason");
        (await page.Locator("#reason-error").TextContentAsync()).Should().Contain("Enter why the grant is suspended");
        (await page.Locator("#reason").GetAttributeAsync("aria-describedby")).Should().Contain("reason-error");
        await AccessibleAndLightAsync(page);

        await page.GetByLabel("Why is the grant suspended?").FillAsync("investigation of a reported change of income");
        await page.GetByRole(AriaRole.Button, new() { Name = "Suspend the grant" }).ClickAsync();
        page.Url.Should().EndWith("/grant/OLDER_PERSONS_GRANT?changed=suspended");
        (await page.GetByRole(AriaRole.Status).TextContentAsync()).Should().Contain("The entitlement was suspended");
        (await page.Locator("#grant-status").TextContentAsync()).Should().Be("Suspended");
        (await page.Locator("main").TextContentAsync()).Should().Contain("(by caseworker)");
        await AccessibleAndLightAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Reinstate the Older Person's Grant" }).ClickAsync();
        await AccessibleAndLightAsync(page);
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

        (await page.Locator(".error-summary").TextContentAsync()).Should().Contain("Someone changed the grant since you opened the form");
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#status-now");
        (await page.Locator("#status-now").TextContentAsync()).Should().Be("Active");
        (await page.GetByLabel("Why is the grant suspended?").InputValueAsync()).Should().Be("investigation of a reported change of income", "what was typed is kept");
        await AccessibleAndLightAsync(page);
        var now = await ConsoleServer.GraphQLAsync(api, "query($id: ID!) { entitlement(id: $id) { status } }", new { id = entitlementId });
        now.GetProperty("entitlement").GetProperty("status").GetString().Should().Be("ACTIVE", "the stale form suspended nothing");

        // Sent again, knowing the change, it suspends.
        await page.GetByRole(AriaRole.Button, new() { Name = "Suspend the grant" }).ClickAsync();
        page.Url.Should().EndWith("?changed=suspended");
    }

    [Fact]
    public async Task A_household_form_opened_before_someone_else_changed_the_household_is_refused_and_shows_its_members_now()
    {
        var idNumber = await server.RegisterPersonAsync("Thandiwe", "Dlamini", new DateOnly(1950, 3, 4));
        var child = await server.RegisterPersonAsync("Lerato", "Dlamini", new DateOnly(1990, 8, 20));
        var grandchild = await server.RegisterPersonAsync("Ayanda", "Dlamini", new DateOnly(2015, 2, 1));
        using var api = server.ApiClient(Roles.Caseworker);
        var formed = await ConsoleServer.GraphQLAsync(api, "mutation($input: FormHouseholdInput!) { formHousehold(input: $input) { household { id } errors { code } } }", new
        {
            input = new { headIdNumber = idNumber, address = new { line1 = "12 Long Street", city = "Cape Town", municipalityCode = "CPT", province = "WESTERN_CAPE", postalCode = "8001" } },
        });
        var householdId = formed.GetProperty("formHousehold").GetProperty("household").GetProperty("id").GetString();
        var page = await SignedInCaseworkerAtRecordAsync(idNumber);
        await page.GetByRole(AriaRole.Link, new() { Name = "Add a member" }).ClickAsync();

        // Another caseworker adds the child while the form is open.
        await ConsoleServer.GraphQLAsync(api, "mutation($input: AddHouseholdMemberInput!) { addHouseholdMember(input: $input) { errors { code } } }",
            new { input = new { householdId, idNumber = child, relationship = "CHILD" } });

        await page.GetByLabel("ID number of the person who joins").FillAsync(grandchild);
        await page.GetByLabel("Grandchild", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to the household" }).ClickAsync();

        (await page.Locator(".error-summary").TextContentAsync()).Should().Contain("Someone changed the household since you opened the form");
        (await page.Locator(".error-summary a").GetAttributeAsync("href")).Should().Be("#members-now");
        (await page.Locator("#members-now").TextContentAsync()).Should().Contain("Lerato Dlamini (Child)");
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "household-stale.png");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add to the household" }).ClickAsync();
        (await page.Locator("#household tbody tr").AllTextContentsAsync()).Should().HaveCount(3, "sent again knowing the change, the grandchild joins");
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
