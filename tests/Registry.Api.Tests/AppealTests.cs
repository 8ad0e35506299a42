using System.Text.Json;
using Registry.Api.Dci;
using Registry.Api.Hosting;
using Registry.Api.Receipts;

namespace Registry.Api.Tests;

/// <summary>
/// Appeals against recorded decisions: lodged by a caseworker within 90 days of the decision's date, decided by a
/// supervisor who did not lodge it; an overturn takes the decision again for its date, with the facts as corrected.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AppealTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");
    private readonly HttpClient _supervisor = api.ClientFor("supervisor");
    // Another person: the token's subject names its roles.
    private readonly HttpClient _otherSupervisor = api.ClientFor("supervisor", "caseworker");

    private const string AppealSelection = "appeal { id decisionId entitlementId status grounds lodgedBy lodgedAt decisionDate deadline evidence { evidence recordedBy recordedAt } decidedBy decidedAt outcome reason newDecision { id on eligible monthlyAmount receipt } version } version errors { code field message }";

    private static DateOnly Today => TimeProvider.System.Today();

    /// <summary>A pensioner's older person's grant decided on <paramref name="on"/>: refused while R20,000 a month is declared from a month before.</summary>
    private async Task<(string IdNumber, string EntitlementId, string DecisionId)> DecidedAsync(DateOnly on, bool refused)
    {
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1955, 1, 10));
        if (refused)
            (await api.WithItsMessagesAsync(() => _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput",
                new { idNumber = pensioner, monthlyIncome = 20000m, source = "EMPLOYMENT", effectiveDate = on.AddDays(-30).ToString("yyyy-MM-dd") }))).ErrorCodes().Should().BeEmpty();
        var entitlement = (await _caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput",
                new { programme = "OLDER_PERSONS_GRANT", beneficiaryIdNumber = pensioner, effectiveDate = on.ToString("yyyy-MM-dd") },
                "entitlement { id status lastDecision { id } } errors { code }"))
            .GetProperty("entitlement");
        entitlement.GetProperty("status").GetString().Should().Be(refused ? "REJECTED" : "ACTIVE");
        return (pensioner, entitlement.GetProperty("id").GetString()!, entitlement.GetProperty("lastDecision").GetProperty("id").GetString()!);
    }

    private static Task<JsonElement> LodgeAsync(HttpClient client, string decisionId, string grounds = "The income on record is not mine.") =>
        client.MutateAsync("lodgeAppeal", "LodgeAppealInput", new { decisionId, grounds }, AppealSelection);

    private static Task<JsonElement> DecideAsync(HttpClient client, string appealId, string outcome, string reason = "Reviewed the file.") =>
        client.MutateAsync("decideAppeal", "DecideAppealInput", new { appealId, outcome, reason }, AppealSelection);

    private async Task<string> LodgedAsync(string decisionId, HttpClient? by = null)
    {
        var lodged = await LodgeAsync(by ?? _caseworker, decisionId);
        lodged.ErrorCodes().Should().BeEmpty();
        return lodged.GetProperty("appeal").GetProperty("id").GetString()!;
    }

    /// <summary>Events, appeals and entitlements stored: a refusal changes none of them.</summary>
    private async Task<(long Events, long Appeals, long Entitlements)> StoredAsync() =>
        (await api.EventCountAsync(),
            (await api.ScalarAsync<long>($"SELECT count(*) FROM {api.Sql.Schema}.mt_doc_appeal")),
            (await api.ScalarAsync<long>($"SELECT count(*) FROM {api.Sql.Schema}.mt_doc_entitlement")));

    [Fact]
    public async Task An_appeal_on_day_90_after_the_decisions_date_is_lodged_and_on_day_91_it_is_out_of_time_and_writes_nothing()
    {
        var (_, _, day90) = await DecidedAsync(Today.AddDays(-90), refused: false);
        var (_, _, day91) = await DecidedAsync(Today.AddDays(-91), refused: false);

        var lodged = (await LodgeAsync(_caseworker, day90)).GetProperty("appeal");
        lodged.GetProperty("status").GetString().Should().Be("OPEN");
        lodged.GetProperty("deadline").GetString().Should().Be(Today.ToString("yyyy-MM-dd"));
        lodged.GetProperty("decisionDate").GetString().Should().Be(Today.AddDays(-90).ToString("yyyy-MM-dd"));
        lodged.GetProperty("lodgedBy").GetString().Should().Be("test-caseworker");

        var before = await StoredAsync();
        var late = await LodgeAsync(_caseworker, day91);
        late.ErrorCodes().Should().Equal("APPEAL_OUT_OF_TIME");
        late.GetProperty("errors")[0].GetProperty("message").GetString().Should().Contain(Today.AddDays(-1).ToString("yyyy-MM-dd"));
        (await StoredAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Unknown_decisions_a_second_appeal_and_blank_grounds_are_refused_and_write_nothing()
    {
        var (_, _, decisionId) = await DecidedAsync(Today.AddDays(-10), refused: true);
        await LodgedAsync(decisionId);

        var before = await StoredAsync();
        (await LodgeAsync(_caseworker, Guid.NewGuid().ToString())).ErrorCodes().Should().Equal("NOT_FOUND");
        (await LodgeAsync(_caseworker, "not-an-id")).ErrorCodes().Should().Equal("NOT_FOUND");
        (await LodgeAsync(_caseworker, decisionId)).ErrorCodes().Should().Equal("APPEAL_ALREADY_OPEN");
        (await LodgeAsync(_caseworker, decisionId, "   ")).ErrorCodes().Should().Equal("INVALID_INPUT");
        (await StoredAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Whoever_lodged_an_appeal_may_not_decide_it_and_other_roles_may_neither_lodge_nor_decide()
    {
        var (pensioner, _, decisionId) = await DecidedAsync(Today.AddDays(-10), refused: true);
        var appealId = await LodgedAsync(decisionId, by: _supervisor);

        var before = await StoredAsync();
        var own = await DecideAsync(_supervisor, appealId, "UPHOLD");
        own.ErrorCodes().Should().Equal("FOUR_EYES");
        own.GetProperty("appeal").ValueKind.Should().Be(JsonValueKind.Null);
        foreach (var role in new[] { "department:SASSA", "auditor", "caseworker" })
        {
            var decided = await api.ClientFor(role).GraphQLAsync("mutation($i: DecideAppealInput!) { decideAppeal(input: $i) { errors { code } } }",
                new { i = new { appealId, outcome = "OVERTURN", reason = "x" } });
            decided.TransportErrorCodes().Should().Equal("FORBIDDEN");
            decided.ToString().Should().NotContain(pensioner);
        }
        foreach (var role in new[] { "department:SASSA", "auditor" })
            (await api.ClientFor(role).GraphQLAsync("mutation($i: LodgeAppealInput!) { lodgeAppeal(input: $i) { errors { code } } }",
                new { i = new { decisionId, grounds = "x" } })).TransportErrorCodes().Should().Equal("FORBIDDEN");
        (await StoredAsync()).Should().Be(before);

        // Another supervisor may.
        (await DecideAsync(_otherSupervisor, appealId, "UPHOLD")).GetProperty("appeal").GetProperty("status").GetString().Should().Be("UPHELD");
    }

    [Fact]
    public async Task An_upheld_appeal_leaves_the_decision_standing_and_shows_its_path()
    {
        var (pensioner, entitlementId, decisionId) = await DecidedAsync(Today.AddDays(-20), refused: true);
        var appealId = await LodgedAsync(decisionId);
        (await _caseworker.MutateAsync("recordAppealEvidence", "RecordAppealEvidenceInput", new { appealId, evidence = "Employer letter: contract ended in March." }, AppealSelection))
            .ErrorCodes().Should().BeEmpty();

        var upheld = (await DecideAsync(_supervisor, appealId, "UPHOLD", "The letter post-dates the decision.")).GetProperty("appeal");
        upheld.GetProperty("status").GetString().Should().Be("UPHELD");
        upheld.GetProperty("outcome").GetString().Should().Be("UPHOLD");
        upheld.GetProperty("decidedBy").GetString().Should().Be("test-supervisor");
        upheld.GetProperty("reason").GetString().Should().Be("The letter post-dates the decision.");
        upheld.GetProperty("newDecision").ValueKind.Should().Be(JsonValueKind.Null);
        upheld.GetProperty("evidence").EnumerateArray().Single().GetProperty("evidence").GetString().Should().Be("Employer letter: contract ended in March.");

        var entitlement = (await _caseworker.GraphQLAsync("query($id: ID!) { entitlement(id: $id) { status lastDecision { id appealId } appeals { id status grounds } } }",
            new { id = entitlementId })).Data("entitlement");
        entitlement.GetProperty("status").GetString().Should().Be("REJECTED");
        entitlement.GetProperty("lastDecision").GetProperty("id").GetString().Should().Be(decisionId);
        entitlement.GetProperty("lastDecision").GetProperty("appealId").GetString().Should().Be(appealId);
        entitlement.GetProperty("appeals").EnumerateArray().Single().GetProperty("grounds").GetString().Should().Be("The income on record is not mine.");

        var before = await StoredAsync();
        (await LodgeAsync(_caseworker, decisionId)).ErrorCodes().Should().Equal("APPEAL_ALREADY_DECIDED");
        (await DecideAsync(_otherSupervisor, appealId, "OVERTURN")).ErrorCodes().Should().Equal("INVALID_STATUS");
        (await _caseworker.MutateAsync("recordAppealEvidence", "RecordAppealEvidenceInput", new { appealId, evidence = "late" }, AppealSelection))
            .ErrorCodes().Should().Equal("INVALID_STATUS");
        (await StoredAsync()).Should().Be(before);

        // The appeal's events are in the history, their words readable by the auditor and sealed in the store.
        var history = (await api.ClientFor("auditor").GraphQLAsync("query($a: ID!) { audit { history(appealId: $a) { edges { node { type actor data } } } } }", new { a = appealId }))
            .Data("audit").GetProperty("history").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToList();
        history.Select(n => n.GetProperty("type").GetString()).Should().Equal("appeal_lodged", "appeal_evidence_recorded", "appeal_upheld");
        history[0].GetProperty("data").GetString().Should().Contain("The income on record is not mine.");
        (await api.ScalarAsync<long>($"SELECT count(*) FROM {api.Sql.Events} WHERE data::text LIKE '%income on record is not mine%' OR data::text LIKE '%post-dates the decision%' OR headers::text LIKE '%post-dates the decision%'"))
            .Should().Be(0, "free text about a person is stored sealed under their key");
        (await api.ScalarAsync<long>($"SELECT count(*) FROM {api.Sql.Schema}.mt_doc_appeal WHERE data::text LIKE '%income on record%'")).Should().Be(0);

        // Reading an appeal is a read of the person.
        var reads = (await api.ClientFor("auditor").GraphQLAsync("query($id: String!) { audit { accessLog(idNumber: $id, first: 100) { edges { node { operation } } } } }", new { id = pensioner }))
            .Data("audit").GetProperty("accessLog").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("operation").GetString()).ToList();
        reads.Should().Contain("decideAppeal").And.Contain("entitlement");
    }

    [Fact]
    public async Task An_overturn_the_rules_still_refuse_writes_nothing_and_after_the_income_is_corrected_it_grants_from_the_original_date_with_a_receipt_naming_the_appeal()
    {
        var decidedOn = Today.AddDays(-30);
        var (pensioner, entitlementId, decisionId) = await DecidedAsync(decidedOn, refused: true);
        var firstReceipt = (await _caseworker.GraphQLAsync("query($d: ID!) { decisionReceipt(decisionId: $d) }", new { d = decisionId })).Data("decisionReceipt").GetString()!;
        var appealId = await LodgedAsync(decisionId);

        var before = await StoredAsync();
        var refused = await DecideAsync(_supervisor, appealId, "OVERTURN");
        refused.ErrorCodes().Should().Equal("APPEAL_RULES_STILL_REFUSE");
        (await StoredAsync()).Should().Be(before);

        // The caseworker corrects the income from before the decision's date: it was R500 a month, not R20,000.
        (await api.WithItsMessagesAsync(() => _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput",
            new { idNumber = pensioner, monthlyIncome = 500m, source = "OTHER", effectiveDate = decidedOn.AddDays(-10).ToString("yyyy-MM-dd") }))).ErrorCodes().Should().BeEmpty();
        var overturned = (await DecideAsync(_supervisor, appealId, "OVERTURN", "The income on record was another person's.")).GetProperty("appeal");

        overturned.GetProperty("status").GetString().Should().Be("OVERTURNED");
        overturned.GetProperty("outcome").GetString().Should().Be("OVERTURN");
        var newDecision = overturned.GetProperty("newDecision");
        newDecision.GetProperty("eligible").GetBoolean().Should().BeTrue();
        newDecision.GetProperty("on").GetString().Should().Be(decidedOn.ToString("yyyy-MM-dd"));
        var newDecisionId = newDecision.GetProperty("id").GetString()!;
        newDecisionId.Should().NotBe(decisionId);

        var entitlement = (await _caseworker.GraphQLAsync("query($id: ID!) { entitlement(id: $id) { status since monthlyAmount lastDecision { id } appeals { status newDecision { id } } } }",
            new { id = entitlementId })).Data("entitlement");
        entitlement.GetProperty("status").GetString().Should().Be("ACTIVE");
        entitlement.GetProperty("since").GetString().Should().Be(decidedOn.ToString("yyyy-MM-dd"), "a successful appeal is paid from the original decision's date");
        entitlement.GetProperty("lastDecision").GetProperty("id").GetString().Should().Be(newDecisionId);
        entitlement.GetProperty("appeals").EnumerateArray().Single().GetProperty("newDecision").GetProperty("id").GetString().Should().Be(newDecisionId);

        // The new decision's receipt verifies with the published key and names the appeal; the first is unchanged.
        var receipt = newDecision.GetProperty("receipt").GetString()!;
        var published = JsonDocument.Parse(await api.CreateClient().GetStringAsync(DciEndpoint.KeysPath)).RootElement.GetProperty("keys").EnumerateArray().Single()
            .GetProperty("public_key").GetString()!;
        DecisionReceipt.Verify(receipt, Convert.FromBase64String(published)).Valid.Should().BeTrue();
        var body = JsonDocument.Parse(receipt).RootElement.GetProperty("receipt");
        body.GetProperty("appealId").GetString().Should().Be(appealId);
        body.GetProperty("decisionId").GetString().Should().Be(newDecisionId);
        body.GetProperty("on").GetString().Should().Be(decidedOn.ToString("yyyy-MM-dd"));
        body.EnumerateObject().Last().Name.Should().Be("appealId");
        (await _caseworker.GraphQLAsync("query($d: ID!) { decisionReceipt(decisionId: $d) }", new { d = decisionId })).Data("decisionReceipt").GetString()
            .Should().Be(firstReceipt).And.NotContain("appealId");

        // The whole path in one request's history: the appeal's outcome and the entitlement's new decision and grant.
        var auditor = api.ClientFor("auditor");
        var entitlementHistory = (await auditor.GraphQLAsync("query($e: ID!) { audit { history(entitlementId: $e) { edges { node { type correlationId } } } } }", new { e = entitlementId }))
            .Data("audit").GetProperty("history").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToList();
        entitlementHistory.Select(n => n.GetProperty("type").GetString()).Should().EndWith(new[] { "entitlement_reassessed", "entitlement_granted" });
        var correlation = entitlementHistory[^1].GetProperty("correlationId").GetString();
        var request = (await auditor.GraphQLAsync("query($c: String!) { audit { history(correlationId: $c) { edges { node { type } } } } }", new { c = correlation }))
            .Data("audit").GetProperty("history").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("type").GetString());
        request.Should().BeEquivalentTo(new[] { "appeal_overturned", "entitlement_reassessed", "entitlement_granted" });
        (await auditor.GraphQLAsync("query($a: ID!) { appeal(id: $a) { status } }", new { a = appealId })).Data("appeal").GetProperty("status").GetString().Should().Be("OVERTURNED");
    }
}
