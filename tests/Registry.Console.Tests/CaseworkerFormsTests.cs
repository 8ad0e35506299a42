using static Registry.Console.Tests.ConsoleBrowser;
using System.Text.Json;
using Microsoft.Playwright;
using Registry.Api.Auth;
using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Console.Tests;

/// <summary>The caseworker's forms that register a person and change their record, in a real browser against the real service.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CaseworkerFormsTests(ConsoleServer server)
{
    private static int _sequence;

    /// <summary>A valid ID number no other test uses: born on a date of these tests' own, male.</summary>
    private static string NewIdNumber(DateOnly born, Sex sex = Sex.Male) =>
        SaIdNumber.Create(born, sex, Citizenship.Citizen, Interlocked.Increment(ref _sequence)).Value;

    [Fact]
    public async Task A_caseworker_registers_a_person_through_the_form_and_sees_their_page()
    {
        var idNumber = NewIdNumber(new DateOnly(1979, 11, 23));
        var page = await SignedInAsync();
        await page.GotoAsync("/console");
        await page.GetByRole(AriaRole.Link, new() { Name = "Register a person" }).ClickAsync();
        (await page.Locator("h1").TextContentAsync()).Should().Be("Register a person");
        await AccessibleAndLightAsync(page);

        await page.GetByLabel("ID number").FillAsync(idNumber[..6] + " " + idNumber[6..10] + " " + idNumber[10..]);
        await page.GetByLabel("First names").FillAsync("Themba Sizwe");
        await page.GetByLabel("Surname").FillAsync("Zulu");
        await FillDateAsync(page, "dateOfBirth", "23", "11", "1979");
        await page.GetByLabel("Male", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("South African citizen").CheckAsync();
        await page.GetByLabel("Address line 1").FillAsync("4 Vilakazi Street");
        await page.GetByLabel("Suburb (optional)").FillAsync("Orlando West");
        await page.GetByLabel("Town or city").FillAsync("Soweto");
        await page.GetByLabel("Municipality").SelectOptionAsync("JHB");
        await page.GetByLabel("Postal code").FillAsync("1804");
        await ScreenshotAsync(page, "register.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register the person" }).ClickAsync();

        page.Url.Should().Contain("/console/person/").And.Contain("changed=registered").And.NotContain(idNumber);
        (await page.GetByRole(AriaRole.Status).TextContentAsync()).Should().Contain("The person was registered");
        (await page.Locator("h1").TextContentAsync()).Should().Be("Themba Sizwe Zulu");
        (await page.Locator("main").TextContentAsync()).Should().Contain("23 November 1979").And.Contain("4 Vilakazi Street, Orlando West, Soweto, 1804, Gauteng");
        await AccessibleAndLightAsync(page);

        var record = await CitizenAsync(idNumber, "firstNames surname sex citizenship address { municipalityCode province }");
        record.GetProperty("sex").GetString().Should().Be("MALE");
        record.GetProperty("address").GetProperty("province").GetString().Should().Be("GAUTENG", "the province follows from the municipality chosen");
    }

    [Fact]
    public async Task The_register_form_shows_every_missing_field_and_each_of_the_registers_refusals_next_to_its_field()
    {
        var page = await SignedInAsync();
        await page.GotoAsync("/console/register");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register the person" }).ClickAsync();

        (await page.TitleAsync()).Should().StartWith("Error:");
        (await SummaryLinksAsync(page)).Should().Equal("#idNumber", "#firstNames", "#surname", "#dateOfBirth", "#sex", "#citizenship",
            "#line1", "#city", "#municipalityCode", "#postalCode");
        (await page.Locator("#dateOfBirth-error").TextContentAsync()).Should().Contain("Enter the date of birth");
        (await page.Locator("#municipalityCode-error").TextContentAsync()).Should().Contain("Select the municipality");
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "register-error.png");

        // The console's own check of a date: a part missing.
        var born = new DateOnly(1981, 2, 14);
        var idNumber = NewIdNumber(born);
        await FillPersonAsync(page, idNumber[..12] + (char)('0' + (idNumber[12] - '0' + 1) % 10), born);
        await page.Locator("#dateOfBirth-year").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register the person" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#dateOfBirth");
        (await page.Locator("#dateOfBirth-error").TextContentAsync()).Should().Contain("The date of birth must include a year");

        // The register's refusals, each at the field it names: a mistyped number (check digit), then a sex the number denies.
        await page.Locator("#dateOfBirth-year").FillAsync("1981");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register the person" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#idNumber");
        (await page.Locator("#idNumber-error").TextContentAsync()).Should().Contain("check digit");
        (await page.Locator("#idNumber").GetAttributeAsync("aria-describedby")).Should().Contain("idNumber-error");
        await AccessibleAndLightAsync(page);

        await page.GetByLabel("ID number").FillAsync(idNumber);
        await page.GetByLabel("Female", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Register the person" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#sex");
        (await page.Locator("#sex-error").TextContentAsync()).Should().Contain("male person");

        // A postal code the register refuses, then someone already registered.
        await page.GetByLabel("Male", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Postal code").FillAsync("80");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register the person" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#postalCode");
        (await page.Locator("#postalCode-error").TextContentAsync()).Should().Contain("4 digits");

        var existing = await server.RegisterPersonAsync(bornOn: new DateOnly(1985, 6, 15));
        await FillPersonAsync(page, existing, new DateOnly(1985, 6, 15), sex: "Female");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register the person" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#idNumber");
        (await page.Locator("#idNumber-error").TextContentAsync()).Should().Contain("already registered");
        await AccessibleAndLightAsync(page);
        page.Url.Should().EndWith("/console/register", "nothing was registered");
        (await CitizenAsync(idNumber, "firstNames")).ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Changing_the_name_and_the_address_shows_them_on_the_persons_page()
    {
        var idNumber = await server.RegisterPersonAsync("Zanele", "Khumalo");
        var page = await AtPersonAsync(idNumber);

        await page.GetByRole(AriaRole.Link, new() { Name = "Change the name" }).ClickAsync();
        await AccessibleAndLightAsync(page);
        (await page.GetByLabel("Surname").InputValueAsync()).Should().Be("Khumalo", "the form opens with what the record holds");
        await page.GetByLabel("First names").FillAsync("");
        await page.GetByLabel("Surname").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change the name" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#firstNames", "#surname");
        (await page.Locator("#surname-error").TextContentAsync()).Should().Contain("Enter the surname");
        await AccessibleAndLightAsync(page);
        await page.GetByLabel("First names").FillAsync("Zanele");
        await page.GetByLabel("Surname").FillAsync("Khumalo2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change the name" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#surname");
        (await page.Locator("#surname-error").TextContentAsync()).Should().Contain("without digits");
        await page.GetByLabel("Surname").FillAsync("Mthembu");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change the name" }).ClickAsync();
        page.Url.Should().Contain("changed=name");
        (await page.Locator("h1").TextContentAsync()).Should().Be("Zanele Mthembu");

        await page.GetByRole(AriaRole.Link, new() { Name = "Change the address" }).ClickAsync();
        await AccessibleAndLightAsync(page);
        await page.GetByLabel("Address line 1").FillAsync("");
        await page.GetByLabel("Town or city").FillAsync("");
        await page.GetByLabel("Municipality").SelectOptionAsync("");
        await page.GetByLabel("Postal code").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change the address" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#line1", "#city", "#municipalityCode", "#postalCode");
        (await page.Locator("#line1-error").TextContentAsync()).Should().Contain("Enter the first line of the address");
        await AccessibleAndLightAsync(page);
        await page.GetByLabel("Address line 1").FillAsync("9 Church Street");
        await page.GetByLabel("Town or city").FillAsync("Durban");
        await page.GetByLabel("Municipality").SelectOptionAsync("ETH");
        await page.GetByLabel("Postal code").FillAsync("4001");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change the address" }).ClickAsync();
        page.Url.Should().Contain("changed=address");
        (await page.GetByRole(AriaRole.Status).TextContentAsync()).Should().Contain("The address was changed");
        (await page.Locator("main").TextContentAsync()).Should().Contain("9 Church Street, Durban, 4001, Kwazulu Natal");
        await AccessibleAndLightAsync(page);
    }

    [Fact]
    public async Task A_disability_assessment_is_recorded_and_a_temporary_one_needs_its_review_date()
    {
        var idNumber = await server.RegisterPersonAsync("Ayanda", "Ndlovu");
        var page = await AtPersonAsync(idNumber);
        await page.GetByRole(AriaRole.Link, new() { Name = "Record a disability assessment" }).ClickAsync();
        await AccessibleAndLightAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Record the assessment" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#disabled");
        await AccessibleAndLightAsync(page);

        await page.Locator("#disabled").CheckAsync();
        await page.Locator("#permanent-1").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the assessment" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#reviewDate");
        (await page.Locator("#reviewDate-error").TextContentAsync()).Should().Contain("Enter the review date");
        await AccessibleAndLightAsync(page);

        var review = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1);
        await FillDateAsync(page, "reviewDate", review.Day.ToString(), review.Month.ToString(), review.Year.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the assessment" }).ClickAsync();
        page.Url.Should().Contain("changed=disability");
        (await page.GetByRole(AriaRole.Status).TextContentAsync()).Should().Contain("The disability assessment was recorded");
        (await page.Locator("#disability").TextContentAsync()).Should().Be($"Assessed: disabled, review on {review.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)}");
        var disability = (await CitizenAsync(idNumber, "disability { disabled permanent reviewDate }")).GetProperty("disability");
        disability.GetProperty("disabled").GetBoolean().Should().BeTrue();
        disability.GetProperty("permanent").GetBoolean().Should().BeFalse();
        disability.GetProperty("reviewDate").GetString().Should().Be(review.ToString("yyyy-MM-dd"));
    }

    [Fact]
    public async Task A_death_is_recorded_only_with_a_real_past_date_and_how_it_is_known()
    {
        var idNumber = await server.RegisterPersonAsync("Bongani", "Sithole");
        var page = await AtPersonAsync(idNumber);
        await page.GetByRole(AriaRole.Link, new() { Name = "Record a death" }).ClickAsync();
        await AccessibleAndLightAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Record the death" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#dateOfDeath", "#reason");
        (await page.Locator("#reason-error").TextContentAsync()).Should().Contain("death notice number");
        await AccessibleAndLightAsync(page);

        await FillDateAsync(page, "dateOfDeath", "31", "2", "2026");
        await page.GetByLabel("How is the death known?").FillAsync("DHA-1663 0012345");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the death" }).ClickAsync();
        (await page.Locator("#dateOfDeath-error").TextContentAsync()).Should().Contain("must be a real date");

        var tomorrow = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2);
        await FillDateAsync(page, "dateOfDeath", tomorrow.Day.ToString(), tomorrow.Month.ToString(), tomorrow.Year.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the death" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#dateOfDeath");
        (await page.Locator("#dateOfDeath-error").TextContentAsync()).Should().Contain("today or in the past");
        (await CitizenAsync(idNumber, "dateOfDeath")).GetProperty("dateOfDeath").ValueKind.Should().Be(JsonValueKind.Null, "nothing was written");

        await FillDateAsync(page, "dateOfDeath", "3", "10", "2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the death" }).ClickAsync();
        page.Url.Should().Contain("changed=death");
        (await page.Locator("main").TextContentAsync()).Should().Contain("Date of death").And.Contain("3 October 2026");
        await AccessibleAndLightAsync(page);

        // A dead person's circumstances no longer change: the register's refusal, in plain words.
        await page.GetByRole(AriaRole.Link, new() { Name = "Change the name" }).ClickAsync();
        await page.GetByLabel("Surname").FillAsync("Sithole-Dlamini");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change the name" }).ClickAsync();
        (await page.Locator(".error-summary").TextContentAsync()).Should().Contain("The register records this person's death");
        (await CitizenAsync(idNumber, "surname")).GetProperty("surname").GetString().Should().Be("Sithole");
    }

    [Fact]
    public async Task A_correction_shows_the_value_it_replaces_and_is_refused_when_the_ID_number_would_disagree()
    {
        var idNumber = await server.RegisterPersonAsync("Nomsa", "Dube");
        var page = await AtPersonAsync(idNumber);
        await page.GetByRole(AriaRole.Link, new() { Name = "Correct the record" }).ClickAsync();
        (await page.Locator("#field-item-hint").TextContentAsync()).Should().Be("Now: Nomsa");
        (await page.Locator("#field-2-item-hint").TextContentAsync()).Should().Be("Now: 15 June 1985");
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "correct-record.png");

        await page.GetByRole(AriaRole.Button, new() { Name = "Correct the record" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#field", "#value", "#reason");
        await AccessibleAndLightAsync(page);

        await page.GetByLabel("Sex", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("The correct value").FillAsync("Male");
        await page.GetByLabel("Why is it corrected?").FillAsync("identity document seen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Correct the record" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#value");
        (await page.Locator("#value-error").TextContentAsync()).Should().Contain("female person");
        await AccessibleAndLightAsync(page);

        await page.GetByLabel("First names", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("The correct value").FillAsync("Nomsa Precious");
        await page.GetByRole(AriaRole.Button, new() { Name = "Correct the record" }).ClickAsync();
        page.Url.Should().Contain("changed=correction");
        (await page.Locator("h1").TextContentAsync()).Should().Be("Nomsa Precious Dube");
        (await page.GetByRole(AriaRole.Status).TextContentAsync()).Should().Contain("The record was corrected");

        // A corrected ID number is the person's new reference: their page follows it, and its address names neither number.
        var corrected = SaIdNumber.Create(new DateOnly(1985, 6, 15), Sex.Female, Citizenship.Citizen, 4000 + Interlocked.Increment(ref _sequence)).Value;
        await page.GetByRole(AriaRole.Link, new() { Name = "Correct the record" }).ClickAsync();
        await page.GetByLabel("ID number", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("The correct value").FillAsync(corrected);
        await page.GetByLabel("Why is it corrected?").FillAsync("identity document seen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Correct the record" }).ClickAsync();
        page.Url.Should().Contain("changed=correction").And.NotContain(corrected).And.NotContain(idNumber);
        (await page.Locator(".caption").TextContentAsync()).Should().Be($"ID number {corrected}");
        (await CitizenAsync(idNumber, "firstNames")).ValueKind.Should().Be(JsonValueKind.Null, "the wrong number names no one now");
    }

    [Fact]
    public async Task Orphanhood_and_school_attendance_are_recorded_for_a_child()
    {
        var child = await server.RegisterPersonAsync("Lwazi", "Mahlangu", new DateOnly(2015, 4, 9));
        var adult = await server.RegisterPersonAsync("Sibusiso", "Mahlangu");

        var page = await AtPersonAsync(adult);
        await page.GetByRole(AriaRole.Link, new() { Name = "Record orphanhood" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Record orphanhood" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#orphaned", "#reason");
        await AccessibleAndLightAsync(page);
        await page.GetByLabel("Yes", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("How is it known?").FillAsync("death certificates seen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record orphanhood" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#orphaned");
        (await page.Locator("#orphaned-error").TextContentAsync()).Should().Contain("under 18");

        page = await AtPersonAsync(child);
        await page.GetByRole(AriaRole.Link, new() { Name = "Record orphanhood" }).ClickAsync();
        await AccessibleAndLightAsync(page);
        await page.GetByLabel("Yes", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("How is it known?").FillAsync("death certificates seen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record orphanhood" }).ClickAsync();
        page.Url.Should().Contain("changed=orphanhood");
        (await page.Locator("#orphaned").TextContentAsync()).Should().StartWith("Yes");
        (await page.Locator("#attending-school").TextContentAsync()).Should().Be("No");

        await page.GetByRole(AriaRole.Link, new() { Name = "Record school attendance" }).ClickAsync();
        await AccessibleAndLightAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Record school attendance" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#attending");
        await AccessibleAndLightAsync(page);
        await page.GetByLabel("No", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Record school attendance" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#attending");
        (await page.Locator("#attending-error").TextContentAsync()).Should().Contain("not recorded as attending school");
        await page.GetByLabel("Yes", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Record school attendance" }).ClickAsync();
        page.Url.Should().Contain("changed=school");
        (await page.GetByRole(AriaRole.Status).TextContentAsync()).Should().Contain("The school attendance was recorded");
        (await page.Locator("#attending-school").TextContentAsync()).Should().Be("Yes");

        var record = await CitizenAsync(child, "orphaned attendingSchool");
        record.GetProperty("orphaned").GetBoolean().Should().BeTrue();
        record.GetProperty("attendingSchool").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task A_form_opened_before_someone_else_changed_the_record_is_refused_saying_what_changed()
    {
        var idNumber = await server.RegisterPersonAsync("Kagiso", "Molefe");
        var page = await AtPersonAsync(idNumber);
        await page.GetByRole(AriaRole.Link, new() { Name = "Change the name" }).ClickAsync();

        // Someone else changes the name while the form is open.
        using var api = server.ApiClient(Roles.Caseworker);
        await ConsoleServer.GraphQLAsync(api, "mutation($input: ChangeCitizenNameInput!) { changeCitizenName(input: $input) { errors { code } } }",
            new { input = new { idNumber, firstNames = "Kagiso", surname = "Molefe-Tau" } });

        await page.GetByLabel("Surname").FillAsync("Mokoena");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change the name" }).ClickAsync();

        (await page.Locator(".error-summary").TextContentAsync()).Should().Contain("Someone changed this record since you opened it");
        (await SummaryLinksAsync(page)).Should().Equal("#current-surname");
        (await ChangesAsync(page)).Should().Equal(new[] { "Surname | Molefe | Molefe-Tau" }, "only what changed is named, with what it was and is");
        (await page.GetByLabel("Surname").InputValueAsync()).Should().Be("Mokoena", "what the caseworker typed is kept");
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "change-name-stale.png");
        (await CitizenAsync(idNumber, "surname")).GetProperty("surname").GetString().Should().Be("Molefe-Tau", "the stale form overwrote nothing");

        // Sent again knowing the change, the form carries the version it just read.
        await page.GetByRole(AriaRole.Button, new() { Name = "Change the name" }).ClickAsync();
        page.Url.Should().Contain("changed=name");
        (await page.Locator("h1").TextContentAsync()).Should().Be("Kagiso Mokoena");
    }

    [Fact]
    public async Task A_change_of_address_opened_before_someone_else_moved_the_person_says_from_where_to_where()
    {
        var idNumber = await server.RegisterPersonAsync("Sipho", "Khumalo");
        var page = await AtPersonAsync(idNumber);
        await page.GetByRole(AriaRole.Link, new() { Name = "Change the address" }).ClickAsync();

        // Someone else records a move while the form is open.
        using var api = server.ApiClient(Roles.Caseworker);
        var moved = await ConsoleServer.GraphQLAsync(api, "mutation($input: ChangeCitizenAddressInput!) { changeCitizenAddress(input: $input) { errors { code } } }", new
        {
            input = new { idNumber, address = new { line1 = "3 Bree Street", city = "Cape Town", municipalityCode = "CPT", province = "WESTERN_CAPE", postalCode = "8001" } },
        });
        moved.GetProperty("changeCitizenAddress").GetProperty("errors").GetArrayLength().Should().Be(0);

        await page.GetByLabel("Address line 1").FillAsync("9 Church Street");
        await page.GetByLabel("Town or city").FillAsync("Durban");
        await page.GetByLabel("Municipality").SelectOptionAsync("ETH");
        await page.GetByLabel("Postal code").FillAsync("4001");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change the address" }).ClickAsync();

        (await page.Locator(".error-summary").TextContentAsync()).Should().Contain("Someone changed this record since you opened it");
        (await SummaryLinksAsync(page)).Should().Equal("#current-address");
        (await ChangesAsync(page)).Should().Equal("Address | 12 Long Street, Cape Town, 8001, Western Cape | 3 Bree Street, Cape Town, 8001, Western Cape");
        (await page.GetByLabel("Address line 1").InputValueAsync()).Should().Be("9 Church Street", "what the caseworker typed is kept");
        (await page.GetByLabel("Municipality").InputValueAsync()).Should().Be("ETH");
        await AccessibleAndLightAsync(page);
        await ScreenshotAsync(page, "change-address-stale.png");
        (await CitizenAsync(idNumber, "address { line1 }")).GetProperty("address").GetProperty("line1").GetString().Should().Be("3 Bree Street", "the stale form wrote nothing");

        // Someone else declares an income: the version moves again, the address does not, and the page says so.
        await ConsoleServer.GraphQLAsync(api, "mutation($input: DeclareIncomeInput!) { declareIncome(input: $input) { errors { code } } }",
            new { input = new { idNumber, monthlyIncome = 900m, source = "PENSION" } });
        await page.GetByRole(AriaRole.Button, new() { Name = "Change the address" }).ClickAsync();
        (await SummaryLinksAsync(page)).Should().Equal("#current-address");
        (await ChangesAsync(page)).Should().BeEmpty("the address is as the form last showed it");
        (await page.GetByRole(AriaRole.Status).TextContentAsync()).Should().Contain("something else in this record changed");
        (await page.Locator("#current-address").TextContentAsync()).Should().Be("3 Bree Street, Cape Town, 8001, Western Cape");
        await AccessibleAndLightAsync(page);

        // Sent a third time, knowing both changes, the move is made.
        await page.GetByRole(AriaRole.Button, new() { Name = "Change the address" }).ClickAsync();
        page.Url.Should().Contain("changed=address");
        (await CitizenAsync(idNumber, "address { line1 }")).GetProperty("address").GetProperty("line1").GetString().Should().Be("9 Church Street");
    }

    [Fact]
    public async Task A_role_the_register_does_not_let_register_people_is_refused_and_nothing_is_registered()
    {
        var born = new DateOnly(1990, 1, 30);
        var idNumber = NewIdNumber(born);
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Department("STATSSA"));
        await page.GotoAsync("/console/register");
        await FillPersonAsync(page, idNumber, born);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register the person" }).ClickAsync();

        (await page.Locator("main").TextContentAsync()).Should().Contain("Your role does not allow you").And.NotContain(idNumber);
        await AccessibleAndLightAsync(page);
        (await CitizenAsync(idNumber, "firstNames")).ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task A_form_sent_twice_makes_one_change_and_both_answers_are_the_persons_page()
    {
        var idNumber = await server.RegisterPersonAsync("Thabo", "Mabuza");
        var version = (await CitizenAsync(idNumber, "version")).GetProperty("version").GetInt32();
        var page = await AtPersonAsync(idNumber);
        await page.GetByRole(AriaRole.Link, new() { Name = "Change the name" }).ClickAsync();
        await page.GetByLabel("Surname").FillAsync("Mabuza-Nkosi");

        // A double click over a slow link: the same form, as the browser would send it, twice.
        var answers = await page.EvaluateAsync<string[]>("""
            async () => {
              const form = document.querySelector('main form');
              const send = () => fetch(location.href, { method: 'POST', body: new URLSearchParams(new FormData(form)) }).then(r => r.url);
              return [await send(), await send()];
            }
            """);
        answers.Should().HaveCount(2).And.OnlyContain(url => url.Contains("changed=name"), "the second answer is the first's, not a stale refusal");
        var record = await CitizenAsync(idNumber, "surname version");
        record.GetProperty("surname").GetString().Should().Be("Mabuza-Nkosi");
        record.GetProperty("version").GetInt32().Should().Be(version + 1, "one change was made");
    }

    [Fact]
    public async Task Without_JavaScript_a_change_of_address_posts_and_redirects()
    {
        var idNumber = await server.RegisterPersonAsync("Palesa", "Mofokeng");
        var page = await server.NewPageAsync(javaScript: false);
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Caseworker);
        await page.GotoAsync("/console/find");
        await FindAsync(page, idNumber);
        await page.GetByRole(AriaRole.Link, new() { Name = "Change the address" }).ClickAsync();
        await page.GetByLabel("Address line 1").FillAsync("77 Nelson Mandela Drive");
        await page.GetByLabel("Town or city").FillAsync("Bloemfontein");
        await page.GetByLabel("Municipality").SelectOptionAsync("MAN");
        await page.GetByLabel("Postal code").FillAsync("9301");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change the address" }).ClickAsync();

        page.Url.Should().Contain("changed=address");
        (await page.Locator("main").TextContentAsync()).Should().Contain("77 Nelson Mandela Drive, Bloemfontein, 9301, Free State");
    }

    private async Task<IPage> SignedInAsync()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await SignInAsync(page, Roles.Caseworker);
        return page;
    }

    private async Task<IPage> AtPersonAsync(string idNumber)
    {
        var page = await SignedInAsync();
        await page.GotoAsync("/console/find");
        await FindAsync(page, idNumber);
        page.Url.Should().Contain("/console/person/");
        return page;
    }

    private async Task<JsonElement> CitizenAsync(string idNumber, string selection)
    {
        using var api = server.ApiClient(Roles.Caseworker);
        var data = await ConsoleServer.GraphQLAsync(api, $"query($id: String!) {{ citizen(idNumber: $id) {{ {selection} }} }}", new { id = idNumber });
        return data.GetProperty("citizen");
    }

    /// <summary>The rows of the table of what changed since a stale form was opened: "what | was | now".</summary>
    private static Task<string[]> ChangesAsync(IPage page) =>
        page.Locator("#what-changed tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()).join(' | '))");

    private static Task<string[]> SummaryLinksAsync(IPage page) =>
        page.Locator(".error-summary a").EvaluateAllAsync<string[]>("links => links.map(l => l.getAttribute('href'))");

    private static async Task FillDateAsync(IPage page, string id, string day, string month, string year)
    {
        await page.Locator($"#{id}").FillAsync(day);
        await page.Locator($"#{id}-month").FillAsync(month);
        await page.Locator($"#{id}-year").FillAsync(year);
    }

    private static async Task FillPersonAsync(IPage page, string idNumber, DateOnly born, string sex = "Male")
    {
        await page.GetByLabel("ID number").FillAsync(idNumber);
        await page.GetByLabel("First names").FillAsync("Mandla");
        await page.GetByLabel("Surname").FillAsync("Shabalala");
        await FillDateAsync(page, "dateOfBirth", born.Day.ToString(), born.Month.ToString(), born.Year.ToString());
        await page.GetByLabel(sex, new() { Exact = true }).CheckAsync();
        await page.GetByLabel("South African citizen").CheckAsync();
        await page.GetByLabel("Address line 1").FillAsync("1 Main Road");
        await page.GetByLabel("Town or city").FillAsync("Cape Town");
        await page.GetByLabel("Municipality").SelectOptionAsync("CPT");
        await page.GetByLabel("Postal code").FillAsync("8001");
    }
}
