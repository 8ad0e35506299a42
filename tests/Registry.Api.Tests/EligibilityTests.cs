using System.Text.Json;
using Registry.Domain.Common;

namespace Registry.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class EligibilityTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");

    private const string DecisionFields = "idNumber programme on eligible monthlyAmount outcome ruleVersion parameterVersion error { code message } reasons { criterion passed observed threshold legalReference message }";

    private async Task<JsonElement> EligibilityAsync(HttpClient client, string idNumber, string programme, string? on = null) =>
        await client.GraphQLAsync($"query($id: String!, $on: Date) {{ eligibility(idNumber: $id, programme: {programme}, on: $on) {{ {DecisionFields} }} }}", new { id = idNumber, on });

    private async Task DeclareAsync(string idNumber, decimal monthly, string? effectiveDate = null, string source = "OTHER") =>
        (await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber, monthlyIncome = monthly, source, effectiveDate }))
            .ErrorCodes().Should().BeEmpty();

    private static JsonElement Reason(JsonElement decision, string criterion) =>
        decision.GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("criterion").GetString() == criterion);

    [Fact]
    public async Task Programmes_show_the_parameters_in_force_on_any_date()
    {
        var programmes = (await _caseworker.GraphQLAsync("""
            { programmes { code department legalReference april: parameters(on: "2025-05-01") october: parameters(on: "2025-11-01") parameterHistory { effectiveFrom version } } }
            """)).Data("programmes");

        programmes.GetArrayLength().Should().Be(10);
        var opg = programmes.EnumerateArray().Single(p => p.GetProperty("code").GetString() == "OLDER_PERSONS_GRANT");
        opg.GetProperty("department").GetString().Should().Be("SASSA");
        JsonDocument.Parse(opg.GetProperty("april").GetString()!).RootElement.GetProperty("values").GetProperty("monthlyAmount").GetDecimal().Should().Be(2310m);
        JsonDocument.Parse(opg.GetProperty("october").GetString()!).RootElement.GetProperty("values").GetProperty("monthlyAmount").GetDecimal().Should().Be(2320m);
        opg.GetProperty("parameterHistory").EnumerateArray().Select(s => s.GetProperty("effectiveFrom").GetString()).Should().StartWith(["2025-04-01", "2025-10-01"]);

        var before = await _caseworker.GraphQLAsync("{ programmes { code parameters(on: \"2024-01-01\") } }");
        before.TransportErrorCodes().Should().Contain("NO_PARAMETERS_IN_FORCE");
    }

    [Fact]
    public async Task An_older_persons_grant_decision_explains_itself_and_follows_the_parameters_of_its_date()
    {
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1950, 2, 2));
        await DeclareAsync(pensioner, 1500m, "2025-01-01", "PENSION");

        var today = (await EligibilityAsync(_caseworker, pensioner, "OLDER_PERSONS_GRANT")).Data("eligibility");
        today.GetProperty("eligible").GetBoolean().Should().BeTrue();
        today.GetProperty("monthlyAmount").GetDecimal().Should().Be(2340m, "76, so the 75+ amount of the October 2025 figures");
        today.GetProperty("parameterVersion").GetString().Should().Contain("2025-10-01");
        today.GetProperty("ruleVersion").GetString().Should().NotBeNullOrEmpty();
        Reason(today, "age").GetProperty("observed").GetString().Should().Be("76");
        Reason(today, "incomeTest").GetProperty("observed").GetString().Should().Be("R18,000/year");
        Reason(today, "incomeTest").GetProperty("legalReference").GetString().Should().Contain("Social Assistance Act");

        var june = (await EligibilityAsync(_caseworker, pensioner, "OLDER_PERSONS_GRANT", "2025-06-01")).Data("eligibility");
        june.GetProperty("monthlyAmount").GetDecimal().Should().Be(2330m, "75 then, and the April 2025 figures");
        june.GetProperty("parameterVersion").GetString().Should().Contain("2025-04-01");
    }

    [Fact]
    public async Task A_backdated_income_change_answers_past_dates_with_the_facts_of_those_dates()
    {
        var worker = await _caseworker.RegisterAsync(new DateOnly(1995, 5, 5));
        await DeclareAsync(worker, 0m, "2025-01-01", "NONE");
        await DeclareAsync(worker, 5000m, "2025-09-01", "EMPLOYMENT");

        var june = (await EligibilityAsync(_caseworker, worker, "SOCIAL_RELIEF_OF_DISTRESS", "2025-06-01")).Data("eligibility");
        var october = (await EligibilityAsync(_caseworker, worker, "SOCIAL_RELIEF_OF_DISTRESS", "2025-10-01")).Data("eligibility");

        june.GetProperty("eligible").GetBoolean().Should().BeTrue();
        june.GetProperty("monthlyAmount").GetDecimal().Should().Be(370m);
        october.GetProperty("eligible").GetBoolean().Should().BeFalse();
        Reason(october, "incomeTest").GetProperty("passed").GetBoolean().Should().BeFalse();
        Reason(october, "incomeTest").GetProperty("observed").GetString().Should().Be("R5,000/month");
    }

    [Fact]
    public async Task A_child_support_grant_tests_the_caregivers_income_in_the_household()
    {
        var mother = await _caseworker.RegisterAsync(new DateOnly(1990, 3, 3));
        var child = await _caseworker.RegisterAsync(new DateOnly(2019, 9, 9), Sex.Male);
        await DeclareAsync(mother, 5600m);
        var household = (await _caseworker.FormHouseholdAsync(mother)).GetProperty("household").GetProperty("id").GetString()!;
        await _caseworker.AddMemberAsync(household, child);

        var atCeiling = (await EligibilityAsync(_caseworker, child, "CHILD_SUPPORT_GRANT")).Data("eligibility");
        atCeiling.GetProperty("eligible").GetBoolean().Should().BeTrue("R5,600 a month is exactly R67,200 a year");

        await DeclareAsync(mother, 5600.09m);
        var above = (await EligibilityAsync(_caseworker, child, "CHILD_SUPPORT_GRANT")).Data("eligibility");
        above.GetProperty("eligible").GetBoolean().Should().BeFalse();
        Reason(above, "incomeTest").GetProperty("passed").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Questions_that_cannot_be_answered_say_why()
    {
        var unknown = RegistryApiFactory.NewIdNumber(new DateOnly(1961, 1, 1)).Value;
        (await EligibilityAsync(_caseworker, unknown, "OLDER_PERSONS_GRANT")).TransportErrorCodes().Should().Equal("NOT_FOUND");
        (await EligibilityAsync(_caseworker, "12345", "OLDER_PERSONS_GRANT")).TransportErrorCodes().Should().Equal("INVALID_ID_NUMBER");
        var known = await _caseworker.RegisterAsync(new DateOnly(1940, 4, 4));
        (await EligibilityAsync(_caseworker, known, "OLDER_PERSONS_GRANT", "2024-12-31")).TransportErrorCodes().Should().Equal("NO_PARAMETERS_IN_FORCE");
        (await EligibilityAsync(_caseworker, known, "FREE_LUNCH")).TransportErrorCodes().Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_batch_answers_every_request_and_flags_the_ones_it_cannot()
    {
        var a = await _caseworker.RegisterAsync(new DateOnly(1945, 1, 1));
        var b = await _caseworker.RegisterAsync(new DateOnly(2000, 1, 1));
        var unknown = RegistryApiFactory.NewIdNumber(new DateOnly(1962, 1, 1)).Value;

        var batch = (await _caseworker.GraphQLAsync($"query($r: [EligibilityRequest!]!) {{ eligibilityBatch(requests: $r) {{ {DecisionFields} }} }}", new
        {
            r = new object[]
            {
                new { idNumber = a, programme = "OLDER_PERSONS_GRANT" },
                new { idNumber = b, programme = "OLDER_PERSONS_GRANT", on = "2025-06-01" },
                new { idNumber = unknown, programme = "DISABILITY_GRANT" },
            },
        })).Data("eligibilityBatch");

        batch.GetArrayLength().Should().Be(3);
        batch[0].GetProperty("eligible").GetBoolean().Should().BeTrue();
        batch[1].GetProperty("eligible").GetBoolean().Should().BeFalse();
        batch[1].GetProperty("on").GetString().Should().Be("2025-06-01");
        batch[2].GetProperty("error").GetProperty("code").GetString().Should().Be("NOT_FOUND");

        var tooMany = Enumerable.Range(0, 1001).Select(_ => new { idNumber = a, programme = "OLDER_PERSONS_GRANT" }).ToArray();
        (await _caseworker.GraphQLAsync("query($r: [EligibilityRequest!]!) { eligibilityBatch(requests: $r) { eligible } }", new { r = tooMany }))
            .TransportErrorCodes().Should().Equal("BATCH_TOO_LARGE");
    }

    [Fact]
    public async Task Departments_reach_only_their_own_programmes_and_views()
    {
        var child = await _caseworker.RegisterAsync(new DateOnly(2018, 8, 8));
        var sassa = api.ClientFor("department:SASSA");
        var dbe = api.ClientFor("department:DBE");

        (await EligibilityAsync(sassa, child, "CHILD_SUPPORT_GRANT")).Data("eligibility").GetProperty("idNumber").GetString().Should().Be(child);
        (await EligibilityAsync(sassa, child, "HOUSING_SUBSIDY_BNG")).TransportErrorCodes().Should().Equal("FORBIDDEN");
        (await sassa.GraphQLAsync("{ basicEducation { feeExemption(learnerIdNumber: \"" + child + "\") { eligible } } }")).TransportErrorCodes().Should().Equal("FORBIDDEN");
        (await dbe.GraphQLAsync("{ socialDevelopment { beneficiaries { totalCount } } }")).TransportErrorCodes().Should().Equal("FORBIDDEN");
        (await dbe.GraphQLAsync("query($id: String!) { citizen(idNumber: $id) { surname } }", new { id = child })).TransportErrorCodes().Should().Equal("FORBIDDEN");
        (await api.ClientFor("department:STATSSA").GraphQLAsync("{ humanSettlements { householdSubsidy(idNumber: \"" + child + "\") { eligible } } }"))
            .TransportErrorCodes().Should().Equal("FORBIDDEN");
    }

    [Fact]
    public async Task Basic_Education_learns_the_exemption_band_and_why_but_never_the_income()
    {
        var father = await _caseworker.RegisterAsync(new DateOnly(1980, 10, 10), Sex.Male);
        var learner = await _caseworker.RegisterAsync(new DateOnly(2012, 2, 12));
        await DeclareAsync(father, 3333m, source: "EMPLOYMENT");
        var household = (await _caseworker.FormHouseholdAsync(father)).GetProperty("household").GetProperty("id").GetString()!;
        await _caseworker.AddMemberAsync(household, learner);
        var dbe = api.ClientFor("department:DBE");

        async Task<JsonElement> Exemption() => (await dbe.GraphQLAsync(
            $"query($id: String!) {{ basicEducation {{ feeExemption(learnerIdNumber: $id) {{ {DecisionFields} }} }} }}",
            new { id = learner })).Data("basicEducation").GetProperty("feeExemption");
        async Task RecordFees(decimal fees) =>
            (await _caseworker.MutateAsync("recordSchoolFees", "RecordSchoolFeesInput", new { idNumber = learner, year = DateTime.UtcNow.AddHours(2).Year, annualFees = fees }))
                .ErrorCodes().Should().BeEmpty();

        // Parents' income R39,996 a year: fees of R4,000 are 10 % (full), R2,000 are 5 % (partial), R1,000 are 2.5 % (none).
        await RecordFees(4000m);
        (await Exemption()).GetProperty("outcome").GetString().Should().Be("FULL");
        await RecordFees(2000m);
        (await Exemption()).GetProperty("outcome").GetString().Should().Be("PARTIAL");
        await RecordFees(1000m);
        var none = await Exemption();
        none.GetProperty("outcome").GetString().Should().Be("NONE");
        none.GetProperty("eligible").GetBoolean().Should().BeFalse();
        none.ToString().Should().NotContain("3,333").And.NotContain("39,996").And.NotContain("3333");

        (await _caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput", new { programme = "CHILD_SUPPORT_GRANT", beneficiaryIdNumber = learner },
            "entitlement { status } errors { code }")).GetProperty("entitlement").GetProperty("status").GetString().Should().Be("ACTIVE");
        var automatic = await Exemption();
        automatic.GetProperty("outcome").GetString().Should().Be("FULL");
        Reason(automatic, "automaticExemption").GetProperty("observed").GetString().Should().Be("child grant beneficiary");
    }

    [Fact]
    public async Task Human_Settlements_gets_BNG_or_FLISP_for_the_household()
    {
        var head = await _caseworker.RegisterAsync(new DateOnly(1985, 1, 15));
        var child = await _caseworker.RegisterAsync(new DateOnly(2015, 1, 15));
        var household = (await _caseworker.FormHouseholdAsync(head)).GetProperty("household").GetProperty("id").GetString()!;
        await _caseworker.AddMemberAsync(household, child);
        var dhs = api.ClientFor("department:DHS");
        async Task<JsonElement> Subsidy() => (await dhs.GraphQLAsync($"query($id: String!) {{ humanSettlements {{ householdSubsidy(idNumber: $id) {{ {DecisionFields} }} }} }}", new { id = head }))
            .Data("humanSettlements").GetProperty("householdSubsidy");

        await DeclareAsync(head, 3500m);
        var bng = await Subsidy();
        bng.GetProperty("programme").GetString().Should().Be("HOUSING_SUBSIDY_BNG");
        bng.GetProperty("eligible").GetBoolean().Should().BeTrue();

        await DeclareAsync(head, 12000m);
        var flisp = await Subsidy();
        flisp.GetProperty("programme").GetString().Should().Be("HOUSING_SUBSIDY_FLISP");
        flisp.GetProperty("eligible").GetBoolean().Should().BeTrue();
    }
}
