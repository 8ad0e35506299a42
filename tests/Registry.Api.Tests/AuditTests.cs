using System.Net.Http.Json;
using System.Text.Json;

namespace Registry.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class AuditTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");
    private readonly HttpClient _auditor = api.ClientFor("auditor");

    private const string EventFields = "sequence streamId version type data actor reason recordedAt effectiveDate correlationId";

    private async Task<JsonElement[]> HistoryAsync(string selector, string value)
    {
        var type = selector is "householdId" or "entitlementId" ? "ID!" : "String!";
        var history = (await _auditor.GraphQLAsync($"query($v: {type}) {{ audit {{ history({selector}: $v, first: 100) {{ totalCount edges {{ node {{ {EventFields} }} }} }} }} }}",
            new { v = value })).Data("audit").GetProperty("history");
        return [.. history.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))];
    }

    private async Task<JsonElement> AsOfAsync(string idNumber, string? validAt, string? knownAt) =>
        await _auditor.GraphQLAsync("query($id: String!, $v: Date, $k: DateTime) { audit { citizenAsOf(idNumber: $id, validAt: $v, knownAt: $k) { monthlyIncome surname } } }",
            new { id = idNumber, v = validAt, k = knownAt });

    [Fact]
    public async Task An_auditor_sees_who_changed_what_when_and_why()
    {
        var id = await _caseworker.RegisterAsync(new DateOnly(1966, 6, 6));
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = JsonContent.Create(new
            {
                query = "mutation($i: DeclareIncomeInput!) { declareIncome(input: $i) { errors { code } } }",
                variables = new { i = new { idNumber = id, monthlyIncome = 4100, source = "EMPLOYMENT", reason = "payslip March", effectiveDate = "2026-03-01" } },
            }),
        };
        request.Headers.Add("X-Correlation-Id", $"audit-{id}");
        (await _caseworker.SendAsync(request)).EnsureSuccessStatusCode();
        var before = await api.EventCountAsync();

        var history = await HistoryAsync("idNumber", id);

        history.Select(e => e.GetProperty("type").GetString()).Should().Equal("citizen_registered", "income_declared");
        var income = history[1];
        income.GetProperty("actor").GetString().Should().Be("test-caseworker");
        income.GetProperty("reason").GetString().Should().Be("payslip March");
        income.GetProperty("effectiveDate").GetString().Should().Be("2026-03-01");
        income.GetProperty("correlationId").GetString().Should().Be($"audit-{id}");
        JsonDocument.Parse(income.GetProperty("data").GetString()!).RootElement.GetProperty("MonthlyIncome").GetDecimal().Should().Be(4100m);
        (await HistoryAsync("correlationId", $"audit-{id}")).Should().ContainSingle().Which.GetProperty("type").GetString().Should().Be("income_declared");
        (await api.EventCountAsync()).Should().Be(before, "audit queries write no events");

        (await _caseworker.GraphQLAsync("{ audit { history(idNumber: \"" + id + "\") { totalCount } } }")).TransportErrorCodes().Should().Equal("FORBIDDEN");
        (await _auditor.GraphQLAsync("{ audit { history(idNumber: \"" + id + "\", householdId: \"x\") { totalCount } } }")).TransportErrorCodes().Should().Equal("INVALID_ARGUMENT");
        (await _auditor.GraphQLAsync("{ audit { history(householdId: \"" + Guid.NewGuid() + "\") { totalCount } } }")).TransportErrorCodes().Should().Equal("NOT_FOUND");
    }

    [Fact]
    public async Task The_four_corners_of_what_was_true_and_what_was_known()
    {
        var id = await _caseworker.RegisterAsync(new DateOnly(1980, 8, 8));
        await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = 1000, source = "OTHER", effectiveDate = "2025-01-01" });
        var firstKnown = (await HistoryAsync("idNumber", id))[1].GetProperty("recordedAt").GetString()!;
        await Task.Delay(50);
        // Recorded later, backdated: true from March 2025.
        await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = 3000, source = "EMPLOYMENT", effectiveDate = "2025-03-01" });

        decimal? Income(JsonElement body) => body.Data("audit").GetProperty("citizenAsOf").GetProperty("monthlyIncome") is { ValueKind: JsonValueKind.Number } n ? n.GetDecimal() : null;

        Income(await AsOfAsync(id, "2025-06-01", null)).Should().Be(3000m, "June as known now: the backdated change counts");
        Income(await AsOfAsync(id, "2025-06-01", firstKnown)).Should().Be(1000m, "June as known before the backdated change was recorded");
        Income(await AsOfAsync(id, "2025-02-01", null)).Should().Be(1000m, "February: the change is effective only from March");
        var registeredAt = (await HistoryAsync("idNumber", id))[0].GetProperty("recordedAt").GetString()!;
        Income(await AsOfAsync(id, "2025-06-01", registeredAt)).Should().BeNull("known then: registered, no income declared yet");
    }

    [Fact]
    public async Task Unanswerable_as_of_questions_say_why_instead_of_failing()
    {
        var id = await _caseworker.RegisterAsync();

        var future = await AsOfAsync(id, null, DateTimeOffset.UtcNow.AddDays(1).ToString("O"));
        future.GetProperty("data").GetProperty("audit").GetProperty("citizenAsOf").ValueKind.Should().Be(JsonValueKind.Null);
        future.TransportErrorCodes().Should().Equal("KNOWN_AT_IN_FUTURE");

        var before = await AsOfAsync(id, null, "2020-01-01T00:00:00+02:00");
        before.GetProperty("data").GetProperty("audit").GetProperty("citizenAsOf").ValueKind.Should().Be(JsonValueKind.Null);
        before.TransportErrorCodes().Should().Equal("NOT_YET_RECORDED");
    }

    [Fact]
    public async Task The_register_can_tell_a_citizen_who_read_their_record()
    {
        var id = await _caseworker.RegisterAsync(new DateOnly(1948, 4, 8));
        var sassa = api.ClientFor("department:SASSA");
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = JsonContent.Create(new { query = "{ eligibility(idNumber: \"" + id + "\", programme: OLDER_PERSONS_GRANT) { eligible } }" }),
        };
        request.Headers.Add("X-Purpose", "grant application review");
        (await sassa.SendAsync(request)).EnsureSuccessStatusCode();
        await _caseworker.GraphQLAsync("{ eligibility(idNumber: \"" + id + "\", programme: OLDER_PERSONS_GRANT) { eligible } }");

        // Both answers were logged before they were sent: the log is complete the moment they arrive.
        var records = (await _auditor.GraphQLAsync("query($id: String!) { audit { accessLog(idNumber: $id) { totalCount edges { node { actor role department purpose operation at } } } } }", new { id }))
            .Data("audit").GetProperty("accessLog").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))
            .Where(n => n.GetProperty("operation").GetString() == "eligibility").ToArray();

        records.Should().HaveCount(2, "a caseworker's read is logged like a department's");
        records[0].GetProperty("department").GetString().Should().Be("SASSA");
        records[0].GetProperty("purpose").GetString().Should().Be("grant application review");
        records[1].GetProperty("role").GetString().Should().Be("caseworker");
        records[1].GetProperty("purpose").GetString().Should().Be(RegistryApiFactory.Purpose);
    }

    [Fact]
    public async Task A_recorded_decision_replays_identically_and_names_what_todays_parameters_change()
    {
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1960, 1, 10));
        var decisionId = (await _caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput",
                new { programme = "OLDER_PERSONS_GRANT", beneficiaryIdNumber = pensioner, effectiveDate = "2025-06-01" }, "entitlement { lastDecision { id monthlyAmount } } errors { code }"))
            .GetProperty("entitlement").GetProperty("lastDecision").GetProperty("id").GetString()!;

        var replay = (await _auditor.GraphQLAsync("""
            query($d: ID!) { audit { replayDecision(decisionId: $d) {
              identical differences todaysDifferences
              original { monthlyAmount parameterVersion } replayed { monthlyAmount parameterVersion } withTodaysParameters { monthlyAmount parameterVersion } } } }
            """, new { d = decisionId })).Data("audit").GetProperty("replayDecision");

        replay.GetProperty("identical").GetBoolean().Should().BeTrue();
        replay.GetProperty("differences").GetArrayLength().Should().Be(0);
        replay.GetProperty("original").GetProperty("monthlyAmount").GetDecimal().Should().Be(2310m);
        replay.GetProperty("replayed").GetProperty("parameterVersion").GetString().Should().Contain("2025-04-01");
        replay.GetProperty("withTodaysParameters").GetProperty("monthlyAmount").GetDecimal().Should().Be(2320m);
        replay.GetProperty("todaysDifferences").EnumerateArray().Select(d => d.GetString()).Should().Contain("monthlyAmount: 2310 → 2320");

        (await _auditor.GraphQLAsync("query($d: ID!) { audit { replayDecision(decisionId: $d) { identical } } }", new { d = Guid.NewGuid() }))
            .TransportErrorCodes().Should().Equal("NOT_FOUND");
    }

    [Fact]
    public async Task The_household_is_shown_as_it_was_on_the_date_and_as_known_then()
    {
        var head = await _caseworker.RegisterAsync(new DateOnly(1975, 5, 5));
        var child = await _caseworker.RegisterAsync(new DateOnly(2012, 12, 1));
        var householdId = (await _caseworker.MutateAsync("formHousehold", "FormHouseholdInput",
                new { headIdNumber = head, address = Caseworker.Address(), effectiveDate = "2025-01-01" }, Caseworker.HouseholdSelection))
            .GetProperty("household").GetProperty("id").GetString()!;
        var beforeJoin = (await HistoryAsync("householdId", householdId))[0].GetProperty("recordedAt").GetString()!;
        await Task.Delay(50);
        await _caseworker.MutateAsync("addHouseholdMember", "AddHouseholdMemberInput",
            new { householdId, idNumber = child, relationship = "CHILD", effectiveDate = "2025-05-01" }, Caseworker.HouseholdSelection);

        async Task<JsonElement> Household(string validAt, string? knownAt) => (await _auditor.GraphQLAsync(
                "query($id: String!, $v: Date, $k: DateTime) { audit { citizenAsOf(idNumber: $id, validAt: $v, knownAt: $k) { household { id members { relationship citizen { idNumber } } } } } }",
                new { id = child, v = validAt, k = knownAt }))
            .Data("audit").GetProperty("citizenAsOf").GetProperty("household");

        var june = await Household("2025-06-01", null);
        june.GetProperty("id").GetString().Should().Be(householdId);
        june.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("citizen").GetProperty("idNumber").GetString()).Should().BeEquivalentTo([head, child]);
        (await Household("2025-03-01", null)).ValueKind.Should().Be(JsonValueKind.Null, "the child joined in May");
        (await Household("2025-06-01", beforeJoin)).ValueKind.Should().Be(JsonValueKind.Null, "the join was not yet recorded then");
    }

    [Fact]
    public async Task An_auditor_answers_who_changed_the_income_and_what_the_register_said_about_the_grant_on_1_June_as_known_then()
    {
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1958, 2, 2));
        await _caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput",
            new { programme = "OLDER_PERSONS_GRANT", beneficiaryIdNumber = pensioner, effectiveDate = "2025-05-01" }, "entitlement { id } errors { code }");
        var beforeIncome = DateTimeOffset.UtcNow.ToString("O");
        await Task.Delay(50);
        await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput",
            new { idNumber = pensioner, monthlyIncome = 30000, source = "EMPLOYMENT", reason = "new job reported by employer", effectiveDate = "2025-07-01" });

        // Who changed the income, when, why.
        var change = (await HistoryAsync("idNumber", pensioner)).Single(e => e.GetProperty("type").GetString() == "income_declared");
        change.GetProperty("actor").GetString().Should().Be("test-caseworker");
        change.GetProperty("reason").GetString().Should().Be("new job reported by employer");
        change.GetProperty("effectiveDate").GetString().Should().Be("2025-07-01");

        // What the register said about the grant on 1 June, as known before the income was recorded.
        var then = (await _auditor.GraphQLAsync("""
            query($id: String!, $k: DateTime) { audit { entitlementsAsOf(idNumber: $id, validAt: "2025-06-01", knownAt: $k) {
              programme status monthlyAmount lastDecision { eligible parameterVersion } } } }
            """, new { id = pensioner, k = beforeIncome })).Data("audit").GetProperty("entitlementsAsOf");
        then.GetArrayLength().Should().Be(1);
        then[0].GetProperty("status").GetString().Should().Be("ACTIVE");
        then[0].GetProperty("monthlyAmount").GetDecimal().Should().Be(2310m);
        then[0].GetProperty("lastDecision").GetProperty("eligible").GetBoolean().Should().BeTrue();

        // And it is provable that the log behind these answers is intact.
        (await _auditor.GraphQLAsync("query($id: String!) { audit { verifyIntegrity(idNumber: $id) { intact } } }", new { id = pensioner }))
            .Data("audit").GetProperty("verifyIntegrity").GetProperty("intact").GetBoolean().Should().BeTrue();
    }
}
