using System.Text.Json;

namespace Registry.Api.Tests;

/// <summary>Changes elsewhere re-assess held entitlements in the background (Wolverine durable local queues).</summary>
[Collection(ApiCollection.Name)]
public sealed class ReassessmentTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");

    private const string Selection = "entitlement { id status monthlyAmount lastDecision { eligible reasons { criterion passed observed } } } errors { code }";

    private async Task<string> GrantAsync(string programme, string beneficiary, string? effectiveDate = null)
    {
        var payload = await _caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput",
            new { programme, beneficiaryIdNumber = beneficiary, effectiveDate }, Selection);
        payload.GetProperty("entitlement").GetProperty("status").GetString().Should().Be("ACTIVE");
        return payload.GetProperty("entitlement").GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> EntitlementAsync(string entitlementId) =>
        (await _caseworker.GraphQLAsync("query($id: ID!) { entitlement(id: $id) { status monthlyAmount version lastDecision { eligible reasons { criterion passed observed } } } }",
            new { id = entitlementId })).Data("entitlement");

    /// <summary>A message scheduled for a time (the 18th birthday) runs when Wolverine's poller reaches it: ask until it shows, for at most 20 s.</summary>
    private async Task<JsonElement> EventuallyAsync(string entitlementId, Func<JsonElement, bool> done)
    {
        JsonElement last = default;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            last = (await _caseworker.GraphQLAsync("query($id: ID!) { entitlement(id: $id) { status monthlyAmount version lastDecision { eligible reasons { criterion passed observed } } } }",
                new { id = entitlementId })).Data("entitlement");
            if (done(last)) return last;
            await Task.Delay(200);
        }
        return last;
    }

    private async Task<string[]> EventTypesAsync(string entitlementId) =>
        (await api.ScalarAsync<string>($"SELECT string_agg(type, ',' ORDER BY version) FROM {api.Sql.Events} WHERE stream_id = $1::uuid", Guid.Parse(entitlementId)))!.Split(',');

    [Fact]
    public async Task A_declared_income_rise_suspends_the_grant_with_its_reasons()
    {
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1951, 1, 1));
        var id = await GrantAsync("OLDER_PERSONS_GRANT", pensioner);

        (await api.WithItsMessagesAsync(() => _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = pensioner, monthlyIncome = 20000, source = "EMPLOYMENT" })))
            .ErrorCodes().Should().BeEmpty();

        var entitlement = await EntitlementAsync(id);
        entitlement.GetProperty("status").GetString().Should().Be("SUSPENDED");
        var income = entitlement.GetProperty("lastDecision").GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("criterion").GetString() == "incomeTest");
        income.GetProperty("passed").GetBoolean().Should().BeFalse();
        income.GetProperty("observed").GetString().Should().Be("R240,000/year");
        (await EventTypesAsync(id)).Should().EndWith(["entitlement_reassessed", "entitlement_suspended"]);
    }

    [Fact]
    public async Task One_requests_correlation_id_finds_the_reassessment_it_caused_with_the_causing_event()
    {
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1952, 3, 3));
        var id = await GrantAsync("OLDER_PERSONS_GRANT", pensioner);
        var correlation = $"declare-income-{Guid.NewGuid():N}";
        var declaring = api.ClientFor("caseworker");
        declaring.DefaultRequestHeaders.Add("X-Correlation-Id", correlation);
        var declared = await api.WithItsMessagesAsync(() => declaring.MutateAsync("declareIncome", "DeclareIncomeInput",
            new { idNumber = pensioner, monthlyIncome = 20000, source = "EMPLOYMENT" }, "citizen { id version } errors { code }"));
        declared.ErrorCodes().Should().BeEmpty();
        (await EntitlementAsync(id)).GetProperty("status").GetString().Should().Be("SUSPENDED");

        var history = (await api.ClientFor("auditor").GraphQLAsync(
            "query($c: String!) { audit { history(correlationId: $c, first: 100) { edges { node { streamId version type causationId } } } } }", new { c = correlation }))
            .Data("audit").GetProperty("history").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToList();

        var citizenId = declared.GetProperty("citizen").GetProperty("id").GetString()!;
        var citizenVersion = declared.GetProperty("citizen").GetProperty("version").GetInt32();
        history.Select(e => e.GetProperty("type").GetString()).Should().Equal("income_declared", "entitlement_reassessed", "entitlement_suspended");
        var caused = history.Where(e => e.GetProperty("streamId").GetString() == id).ToList();
        caused.Should().HaveCount(2).And.OnlyContain(e => e.GetProperty("causationId").GetString() == $"{Guid.Parse(citizenId):N}:{citizenVersion}",
            "the re-assessment names the event that caused it: the citizen's stream at the version the declaration wrote");
    }

    [Fact]
    public async Task A_grant_suspended_by_reassessment_is_reinstated_when_the_person_qualifies_again()
    {
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1950, 2, 2));
        var id = await GrantAsync("OLDER_PERSONS_GRANT", pensioner);
        await api.WithItsMessagesAsync(() => _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = pensioner, monthlyIncome = 20000, source = "EMPLOYMENT" }));
        (await EntitlementAsync(id)).GetProperty("status").GetString().Should().Be("SUSPENDED");

        // The job ends: the income falls back under the ceiling, and the grant resumes without a caseworker.
        (await api.WithItsMessagesAsync(() => _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = pensioner, monthlyIncome = 0, source = "EMPLOYMENT" })))
            .ErrorCodes().Should().BeEmpty();

        var entitlement = await EntitlementAsync(id);
        entitlement.GetProperty("status").GetString().Should().Be("ACTIVE");
        entitlement.GetProperty("lastDecision").GetProperty("eligible").GetBoolean().Should().BeTrue();
        (await EventTypesAsync(id)).Should().EndWith(["entitlement_suspended", "entitlement_reassessed", "entitlement_reinstated"]);
    }

    [Fact]
    public async Task A_caseworkers_suspension_is_not_lifted_by_a_reassessment()
    {
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1952, 3, 3));
        var id = await GrantAsync("OLDER_PERSONS_GRANT", pensioner);
        var suspended = await _caseworker.MutateAsync("suspendEntitlement", "EntitlementActionInput", new { entitlementId = id, reason = "pending a fraud investigation" }, Selection);
        suspended.ErrorCodes().Should().BeEmpty();

        // A change that re-assesses the grant while it is still eligible: recorded, but the suspension stands.
        await api.WithItsMessagesAsync(() => _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = pensioner, monthlyIncome = 100, source = "EMPLOYMENT" }));
        var entitlement = await EntitlementAsync(id);

        entitlement.GetProperty("status").GetString().Should().Be("SUSPENDED");
        (await _caseworker.GraphQLAsync("query($id: ID!) { entitlement(id: $id) { suspendedBy } }", new { id })).Data("entitlement")
            .GetProperty("suspendedBy").GetString().Should().Be("CASEWORKER");
        (await EventTypesAsync(id)).Should().EndWith(["entitlement_suspended", "entitlement_reassessed"]);
    }

    [Fact]
    public async Task A_foster_child_in_school_keeps_the_grant_after_18_until_leaving_school()
    {
        var head = await _caseworker.RegisterAsync(new DateOnly(1970, 5, 5));
        var learner = await _caseworker.RegisterAsync(new DateOnly(2007, 2, 2));
        var household = (await _caseworker.FormHouseholdAsync(head)).GetProperty("household").GetProperty("id").GetString()!;
        await _caseworker.AddMemberAsync(household, learner, "FOSTER_CHILD");
        (await _caseworker.MutateAsync("recordSchoolAttendance", "RecordSchoolAttendanceInput", new { idNumber = learner, attending = true, effectiveDate = "2025-01-15" }))
            .ErrorCodes().Should().BeEmpty();
        var id = await GrantAsync("FOSTER_CHILD_GRANT", learner);

        var today = DateTime.UtcNow.AddHours(2).ToString("yyyy-MM-dd");
        (await api.WithItsMessagesAsync(() => _caseworker.MutateAsync("recordSchoolAttendance", "RecordSchoolAttendanceInput", new { idNumber = learner, attending = false, reason = "matriculated" })))
            .ErrorCodes().Should().BeEmpty();

        var entitlement = await EntitlementAsync(id);
        entitlement.GetProperty("status").GetString().Should().Be("LAPSED");
        entitlement.GetProperty("lastDecision").GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("criterion").GetString() == "age")
            .GetProperty("observed").GetString().Should().NotContain("school");
        (await api.ScalarAsync<string>($"SELECT data->>'From' FROM {api.Sql.Events} WHERE stream_id = $1::uuid AND type = 'entitlement_lapsed'", Guid.Parse(id)))
            .Should().Be(today, "the grant ends the day the learner left school");
    }

    [Fact]
    public async Task Recording_a_child_as_an_orphan_in_a_grandparents_care_adds_the_csg_top_up()
    {
        var granny = await _caseworker.RegisterAsync(new DateOnly(1958, 8, 8));
        var child = await _caseworker.RegisterAsync(new DateOnly(2019, 9, 9));
        var household = (await _caseworker.FormHouseholdAsync(granny)).GetProperty("household").GetProperty("id").GetString()!;
        await _caseworker.AddMemberAsync(household, child, "GRANDCHILD");
        var id = await GrantAsync("CHILD_SUPPORT_GRANT", child);

        (await _caseworker.MutateAsync("recordOrphanhood", "RecordOrphanhoodInput", new { idNumber = child, orphaned = true, reason = " " }))
            .ErrorCodes().Should().Equal("REASON_REQUIRED");
        (await api.WithItsMessagesAsync(() => _caseworker.MutateAsync("recordOrphanhood", "RecordOrphanhoodInput", new { idNumber = child, orphaned = true, reason = "death certificates of both parents" })))
            .ErrorCodes().Should().BeEmpty();

        var entitlement = await EntitlementAsync(id);
        entitlement.GetProperty("monthlyAmount").GetDecimal().Should().Be(840m);
        entitlement.GetProperty("lastDecision").GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("criterion").GetString() == "orphanTopUp")
            .GetProperty("observed").GetString().Should().Be("orphan, Grandchild of the head");
    }

    [Fact]
    public async Task A_caregivers_income_rise_reaches_the_childs_grant_through_the_household()
    {
        var mother = await _caseworker.RegisterAsync(new DateOnly(1991, 1, 1));
        var child = await _caseworker.RegisterAsync(new DateOnly(2021, 1, 1));
        var household = (await _caseworker.FormHouseholdAsync(mother)).GetProperty("household").GetProperty("id").GetString()!;
        await _caseworker.AddMemberAsync(household, child);
        var id = await GrantAsync("CHILD_SUPPORT_GRANT", child);

        await api.WithItsMessagesAsync(() => _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = mother, monthlyIncome = 9000, source = "EMPLOYMENT" }));

        (await EntitlementAsync(id)).GetProperty("status").GetString().Should().Be("SUSPENDED");
    }

    [Fact]
    public async Task A_death_terminates_the_entitlement_from_the_date_of_death()
    {
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1939, 9, 9));
        var id = await GrantAsync("OLDER_PERSONS_GRANT", pensioner);

        await api.WithItsMessagesAsync(() => _caseworker.MutateAsync("recordDeath", "RecordDeathInput", new { idNumber = pensioner, dateOfDeath = "2026-10-10", reason = "death notice" }));

        (await EntitlementAsync(id)).GetProperty("status").GetString().Should().Be("TERMINATED");
        (await api.ScalarAsync<string>($"SELECT data->>'From' FROM {api.Sql.Events} WHERE stream_id = $1::uuid AND type = 'entitlement_terminated'", Guid.Parse(id)))
            .Should().Be("2026-10-10");
    }

    [Fact]
    public async Task A_child_grant_lapses_on_the_18th_birthday()
    {
        var mother = await _caseworker.RegisterAsync(new DateOnly(1985, 1, 1));
        var teenager = await _caseworker.RegisterAsync(new DateOnly(2008, 6, 1));
        var household = (await _caseworker.MutateAsync("formHousehold", "FormHouseholdInput",
            new { headIdNumber = mother, address = Caseworker.Address(), effectiveDate = "2025-01-01" }, Caseworker.HouseholdSelection))
            .GetProperty("household").GetProperty("id").GetString()!;
        (await _caseworker.MutateAsync("addHouseholdMember", "AddHouseholdMemberInput",
            new { householdId = household, idNumber = teenager, relationship = "CHILD", effectiveDate = "2025-01-01" }, Caseworker.HouseholdSelection)).ErrorCodes().Should().BeEmpty();
        // Backdated application while still 17: the lapse message is due on 2026-06-01, already past, so it runs at once.
        var id = await GrantAsync("CHILD_SUPPORT_GRANT", teenager, "2026-01-15");

        (await EventuallyAsync(id, e => e.GetProperty("status").GetString() == "LAPSED")).GetProperty("status").GetString().Should().Be("LAPSED");
        (await api.ScalarAsync<string>($"SELECT data->>'From' FROM {api.Sql.Events} WHERE stream_id = $1::uuid AND type = 'entitlement_lapsed'", Guid.Parse(id)))
            .Should().Be("2026-06-01");
    }

    [Fact]
    public async Task Publishing_new_amounts_changes_every_active_entitlements_amount()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var head = await _caseworker.RegisterAsync(new DateOnly(1975, 1, 1));
            var foster = await _caseworker.RegisterAsync(new DateOnly(2016 + i, 3, 3));
            var household = (await _caseworker.FormHouseholdAsync(head)).GetProperty("household").GetProperty("id").GetString()!;
            await _caseworker.AddMemberAsync(household, foster, "FOSTER_CHILD");
            ids.Add(await GrantAsync("FOSTER_CHILD_GRANT", foster));
        }
        var today = DateTime.UtcNow.AddHours(2).ToString("yyyy-MM-dd");

        var published = (await api.WithItsMessagesAsync(() => api.ClientFor("admin").GraphQLAsync(
            "mutation($i: PublishProgrammeParametersInput!) { publishProgrammeParameters(input: $i) { errors { code message } } }",
            new { i = new { programme = "FOSTER_CHILD_GRANT", effectiveFrom = today, parametersJson = """{"ageLimit": 18, "ageLimitInSchool": 21, "monthlyAmount": 1300}""", legalReference = "Gazette test" } })))
            .Data("publishProgrammeParameters");
        published.ErrorCodes().Should().BeEmpty();

        foreach (var id in ids)
        {
            var entitlement = await EntitlementAsync(id);
            entitlement.GetProperty("monthlyAmount").GetDecimal().Should().Be(1300m);
            var causes = await api.ScalarAsync<string>(
                $"SELECT string_agg(coalesce(data ->> 'Cause', type), ' | ' ORDER BY version) FROM {api.Sql.Events} WHERE stream_id = $1::uuid", Guid.Parse(id));
            (await api.ScalarAsync<long>($"SELECT count(*) FROM {api.Sql.Events} WHERE stream_id = $1::uuid AND type = 'entitlement_reassessed' AND data ->> 'Cause' LIKE 'parameters FosterChildGrant%'", Guid.Parse(id)))
                .Should().Be(1, "one publication re-assesses each entitlement once: {0}", causes);
            (await api.ScalarAsync<long>($"SELECT count(*) FROM {api.Sql.Events} WHERE stream_id = $1::uuid AND type = 'entitlement_amount_changed'", Guid.Parse(id)))
                .Should().Be(1, causes);
        }
    }
}
