using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Registry.Api.Audit;

namespace Registry.Api.Tests;

/// <summary>
/// What the register can tell a citizen who asks who read their data (POPIA s23): every read by every
/// role, through any field, with its purpose, stored before the read is answered.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AccessLogTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");
    private readonly HttpClient _auditor = api.ClientFor("auditor");

    private sealed record Entry(string Actor, string Role, string? Department, string? Purpose, string Operation, string? CorrelationId);

    /// <summary>The citizen's access log as an auditor reads it, without the auditor's own earlier reads of the log.</summary>
    private async Task<Entry[]> AccessLogAsync(string idNumber)
    {
        var log = (await _auditor.GraphQLAsync("query($id: String!) { audit { accessLog(idNumber: $id, first: 100) { edges { node { actor role department purpose operation correlationId } } } } }",
            new { id = idNumber })).Data("audit").GetProperty("accessLog");
        return [.. log.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).Select(n => new Entry(
                n.GetProperty("actor").GetString()!, n.GetProperty("role").GetString()!, n.GetProperty("department").GetString(),
                n.GetProperty("purpose").GetString(), n.GetProperty("operation").GetString()!, n.GetProperty("correlationId").GetString()))
            .Where(e => e.Operation != "audit.accessLog")];
    }

    private static async Task<(string CorrelationId, JsonElement Body)> ReadAsync(HttpClient client, string query, object variables, string purpose)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        request.Headers.Add("X-Purpose", purpose);
        using var response = await client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        body.TryGetProperty("errors", out var errors).Should().BeFalse($"the read should succeed, but got {errors}");
        return (response.Headers.GetValues("X-Correlation-Id").Single(), body);
    }

    /// <summary>A mother heading a household with her child, the child holding a Child Support Grant she applied for.</summary>
    private async Task<(string Mother, string Child, string HouseholdId, string EntitlementId)> FamilyAsync()
    {
        var mother = await _caseworker.RegisterAsync(new DateOnly(1990, 3, 3));
        var child = await _caseworker.RegisterAsync(new DateOnly(2021, 4, 4));
        await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = mother, monthlyIncome = 3100, source = "EMPLOYMENT" });
        var household = (await _caseworker.FormHouseholdAsync(mother)).GetProperty("household").GetProperty("id").GetString()!;
        await _caseworker.AddMemberAsync(household, child);
        var entitlement = (await _caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput",
            new { programme = "CHILD_SUPPORT_GRANT", beneficiaryIdNumber = child, applicantIdNumber = mother }, "entitlement { id status } errors { code }"))
            .GetProperty("entitlement").GetProperty("id").GetString()!;
        return (mother, child, household, entitlement);
    }

    [Fact]
    public async Task Every_role_s_read_of_a_person_is_logged_with_its_purpose_before_the_answer_leaves()
    {
        var surname = Caseworker.UniqueSurname("Read");
        var id = await _caseworker.RegisterAsync(new DateOnly(1950, 5, 5), surname: surname);

        var (byCaseworker, _) = await ReadAsync(_caseworker, "query($id: String!) { citizen(idNumber: $id) { surname } }", new { id }, "case 4411 at the Soweto office");
        var (byAdmin, _) = await ReadAsync(api.ClientFor("admin"), "query($s: String!) { citizens(filter: { surname: $s }) { edges { node { idNumber } } } }", new { s = surname }, "data quality review");
        var (bySassa, _) = await ReadAsync(api.ClientFor("department:SASSA"), "query($id: String!) { eligibility(idNumber: $id, programme: OLDER_PERSONS_GRANT) { eligible } }", new { id }, "grant application review");
        var (byAuditor, _) = await ReadAsync(_auditor, "query($id: String!) { audit { citizenAsOf(idNumber: $id) { surname } } }", new { id }, "complaint 17");

        // Read at once: each answer was logged before it was sent, nothing is still on its way.
        var log = (await AccessLogAsync(id)).Where(e => e.Operation != "registerCitizen");
        log.Should().BeEquivalentTo(new[]
        {
            new Entry("test-caseworker", "caseworker", null, "case 4411 at the Soweto office", "citizen", byCaseworker),
            new Entry("test-admin", "admin", null, "data quality review", "citizens", byAdmin),
            new Entry("test-department:SASSA", "department:SASSA", "SASSA", "grant application review", "eligibility", bySassa),
            new Entry("test-auditor", "auditor", null, "complaint 17", "audit.citizenAsOf", byAuditor),
        }, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task People_reached_through_nested_fields_are_logged_as_the_people_they_are()
    {
        var (mother, child, household, _) = await FamilyAsync();
        var before = (await AccessLogAsync(mother)).Length;

        await ReadAsync(_auditor, "query($id: String!) { audit { citizenAsOf(idNumber: $id) { entitlements { applicant { monthlyIncome } } } } }", new { id = child }, "complaint 18");
        await ReadAsync(_caseworker, "query($id: String!) { citizen(idNumber: $id) { household { head { surname } } } }", new { id = child }, "case 1");
        await ReadAsync(_caseworker, "query($h: ID!) { household(id: $h) { monthlyIncome } }", new { h = household }, "case 2");
        await ReadAsync(_auditor, "query($id: String!) { audit { entitlementsAsOf(idNumber: $id) { applicant { surname } } } }", new { id = child }, "complaint 19");
        // Even "is she there?" shows her.
        await ReadAsync(_caseworker, "query($id: String!) { citizen(idNumber: $id) { __typename } }", new { id = mother }, "case 4");

        (await AccessLogAsync(mother)).Skip(before).Select(e => (e.Operation, e.Purpose)).Should().Equal(
            ("audit.citizenAsOf", "complaint 18"), ("citizen", "case 1"), ("household", "case 2"), ("audit.entitlementsAsOf", "complaint 19"), ("citizen", "case 4"));
    }

    [Fact]
    public async Task An_entitlement_s_history_and_a_child_grant_s_answer_log_the_caregiver_whose_data_they_show()
    {
        var (mother, child, _, entitlement) = await FamilyAsync();
        var before = (await AccessLogAsync(mother)).Length;

        // The assessment's recorded inputs carry both people's facts; the grant's reasons show the caregiver's income.
        var (history, body) = await ReadAsync(_auditor, "query($e: ID!) { audit { history(entitlementId: $e) { edges { node { type data } } } } }", new { e = entitlement }, "complaint 20");
        body.GetProperty("data").GetProperty("audit").GetProperty("history").GetProperty("edges").EnumerateArray()
            .Select(e => e.GetProperty("node").GetProperty("data").GetString()).Should().Contain(d => d!.Contains(mother), "the inputs name the caregiver");
        var (grant, answer) = await ReadAsync(api.ClientFor("department:SASSA"), "query($id: String!) { eligibility(idNumber: $id, programme: CHILD_SUPPORT_GRANT) { reasons { criterion observed } } }", new { id = child }, "grant review");
        answer.GetProperty("data").GetProperty("eligibility").GetProperty("reasons").EnumerateArray()
            .Should().Contain(r => r.GetProperty("criterion").GetString() == "incomeTest", "the answer shows the caregiver's income");
        var (lastDecision, _) = await ReadAsync(_caseworker, "query($e: ID!) { entitlement(id: $e) { lastDecision { reasons { observed } } } }", new { e = entitlement }, "case 3");

        (await AccessLogAsync(mother)).Skip(before).Select(e => (e.Operation, e.CorrelationId)).Should().Equal(
            ("audit.history", history), ("eligibility", grant), ("entitlement", lastDecision));
        (await AccessLogAsync(child)).Select(e => e.CorrelationId).Should().Contain([history, grant, lastDecision]);
    }

    [Fact]
    public async Task A_municipality_reading_a_household_s_income_reads_every_member_whose_income_it_sums()
    {
        // In a municipality of its own here, so the household is on the view's first page.
        var address = Caseworker.Address("MP312", "eMalahleni", "MPUMALANGA");
        var mother = await _caseworker.RegisterAsync(new DateOnly(1990, 3, 3), address: address);
        var child = await _caseworker.RegisterAsync(new DateOnly(2021, 4, 4), address: address);
        await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = mother, monthlyIncome = 3100, source = "EMPLOYMENT" });
        var household = (await _caseworker.MutateAsync("formHousehold", "FormHouseholdInput", new { headIdNumber = mother, address }, Caseworker.HouseholdSelection))
            .GetProperty("household").GetProperty("id").GetString()!;
        await _caseworker.AddMemberAsync(household, child);
        var municipality = api.ClientFor("department:MUNICIPALITY:MP312");
        const string Query = "query { municipality(code: \"MP312\") { indigentHouseholds(first: 100) { edges { node { householdId monthlyIncome } } } } }";
        await api.AsyncProjectionsCaughtUpAsync();
        var (read, body) = await ReadAsync(municipality, Query, new { }, "indigent rebate review");
        body.GetProperty("data").GetProperty("municipality").GetProperty("indigentHouseholds").GetProperty("edges").EnumerateArray()
            .Should().Contain(e => e.GetProperty("node").GetProperty("householdId").GetString() == household, "the municipal view has caught up with the new household");

        (await AccessLogAsync(child)).Should().Contain(e => e.CorrelationId == read && e.Department == "MUNICIPALITY" && e.Purpose == "indigent rebate review",
            "the household's income is the sum of the child's and the mother's");
        (await AccessLogAsync(mother)).Should().Contain(e => e.CorrelationId == read);
    }

    [Fact]
    public async Task Reading_who_read_a_person_is_itself_a_read_of_that_person()
    {
        var id = await _caseworker.RegisterAsync();
        await ReadAsync(_caseworker, "query($id: String!) { citizen(idNumber: $id) { surname } }", new { id }, "case 5");

        var (first, _) = await ReadAsync(_auditor, "query($id: String!) { audit { accessLog(idNumber: $id) { totalCount } } }", new { id }, "complaint 21");
        var (second, _) = await ReadAsync(_auditor, "query($id: String!) { audit { accessLog(idNumber: $id) { edges { node { actor } } } } }", new { id }, "complaint 22");

        var log = (await _auditor.GraphQLAsync("query($id: String!) { audit { accessLog(idNumber: $id) { edges { node { operation purpose correlationId } } } } }", new { id }))
            .Data("audit").GetProperty("accessLog").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))
            .Where(n => n.GetProperty("operation").GetString() == "audit.accessLog").Select(n => (n.GetProperty("purpose").GetString(), n.GetProperty("correlationId").GetString()));
        log.Should().Equal(("complaint 21", first), ("complaint 22", second));
    }

    [Theory]
    [InlineData("caseworker", "query($id: String!) { citizen(idNumber: $id) { surname } }")]
    [InlineData("admin", "query($id: String!) { citizen(idNumber: $id) { household { id } } }")]
    [InlineData("department:SASSA", "query($id: String!) { eligibility(idNumber: $id, programme: OLDER_PERSONS_GRANT) { eligible } }")]
    [InlineData("auditor", "query($id: String!) { audit { accessLog(idNumber: $id) { edges { node { at } } } } }")]
    public async Task A_read_that_would_show_a_person_without_a_purpose_is_refused_and_reads_nothing(string role, string query)
    {
        var id = await _caseworker.RegisterAsync(new DateOnly(1950, 6, 6));
        var before = await api.ScalarAsync<long>($"SELECT count(*) FROM {api.Sql.Document<AccessRecord>()}");

        var (response, body) = await api.ClientWithoutPurpose(role).GraphQLResponseAsync(query, new { id });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        body.TransportErrorCodes().Should().Equal("PURPOSE_REQUIRED");
        body.TryGetProperty("data", out _).Should().BeFalse("nothing runs");
        body.GetProperty("errors")[0].GetProperty("message").GetString().Should().NotContain(id);
        (await api.ScalarAsync<long>($"SELECT count(*) FROM {api.Sql.Document<AccessRecord>()}")).Should().Be(before);

        // A purpose that carries an ID number is no purpose: the log holds no personal data.
        var withId = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables = new { id } }) };
        withId.Headers.Add("X-Purpose", $"checking {id}");
        var refused = JsonDocument.Parse(await (await api.ClientWithoutPurpose(role).SendAsync(withId)).Content.ReadAsStringAsync()).RootElement;
        refused.TransportErrorCodes().Should().Equal("PURPOSE_REQUIRED");
    }

    [Fact]
    public async Task Answers_that_show_no_one_need_no_purpose_and_a_change_s_purpose_is_the_change()
    {
        var client = api.ClientWithoutPurpose("caseworker");
        (await client.GraphQLAsync("{ programmes { code } statistics { population(groupBy: SEX) { key count } } }")).Data("programmes").GetArrayLength().Should().BeGreaterThan(0);

        var id = await client.RegisterAsync();

        (await AccessLogAsync(id)).Select(e => (e.Operation, e.Purpose)).Should().Equal(("registerCitizen", "registerCitizen"));
    }

    [Fact]
    public async Task Reads_that_arrive_while_the_log_commits_share_its_next_commit()
    {
        var id = await _caseworker.RegisterAsync();
        var log = api.Services.GetRequiredService<Registry.Api.Audit.AccessLog>();
        var read = "query($id: String!) { citizen(idNumber: $id) { surname } }";
        Task<(string, JsonElement)> Read(string correlation)
        {
            var client = api.ClientFor("caseworker");
            client.DefaultRequestHeaders.Add("X-Correlation-Id", correlation);
            return client.GraphQLResponseAsync(read, new { id }).ContinueWith(t => (correlation, t.Result.Body));
        }

        await using var conn = new NpgsqlConnection(api.ConnectionString);
        await conn.OpenAsync();
        await using var hold = await conn.BeginTransactionAsync();
        // Hold the log's table so the first commit waits, and the reads after it queue behind it.
        await new NpgsqlCommand($"LOCK TABLE {api.Sql.Document<AccessRecord>()} IN EXCLUSIVE MODE", conn, hold).ExecuteNonQueryAsync();
        var group = $"group-{Guid.NewGuid():N}";
        var first = Read($"{group}-first");
        while (await api.ScalarAsync<long>($"SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = '{api.Sql.Document<AccessRecord>()}'::regclass") == 0) await Task.Delay(5);
        var queued = Enumerable.Range(0, 20).Select(i => Read($"{group}-{i}")).ToArray();
        while (log.Waiting < queued.Length) await Task.Delay(5);
        await hold.RollbackAsync();

        var answers = await Task.WhenAll(queued.Append(first));
        answers.Should().OnlyContain(a => a.Item2.GetProperty("data").GetProperty("citizen").GetProperty("surname").GetString() == "Mokoena");
        (await api.ScalarAsync<long>($"SELECT count(DISTINCT xmin::text) FROM {api.Sql.Document<AccessRecord>()} WHERE data ->> 'CorrelationId' LIKE $1", group + "-%"))
            .Should().Be(2, "the first read's commit, then one commit for the twenty that waited for it");
    }

    [Fact]
    public async Task A_read_the_access_log_cannot_store_is_not_answered()
    {
        var id = await _caseworker.RegisterAsync();
        await using var conn = new NpgsqlConnection(api.ConnectionString);
        await conn.OpenAsync();
        // The log's table refuses every new row, as a full disk or a lost primary would.
        await new NpgsqlCommand($"ALTER TABLE {api.Sql.Document<AccessRecord>()} ADD CONSTRAINT refuse_all CHECK (false) NOT VALID", conn).ExecuteNonQueryAsync();
        try
        {
            var (response, body) = await _caseworker.GraphQLResponseAsync("query($id: String!) { citizen(idNumber: $id) { surname idNumber } }", new { id });

            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            body.TransportErrorCodes().Should().Equal("ACCESS_LOG_UNAVAILABLE");
            body.TryGetProperty("data", out _).Should().BeFalse("an unlogged read is not answered");
            body.ToString().Should().NotContain(id).And.NotContain("Mokoena");
        }
        finally
        {
            await new NpgsqlCommand($"ALTER TABLE {api.Sql.Document<AccessRecord>()} DROP CONSTRAINT refuse_all", conn).ExecuteNonQueryAsync();
        }

        (await _caseworker.GraphQLAsync("query($id: String!) { citizen(idNumber: $id) { idNumber } }", new { id })).Data("citizen").GetProperty("idNumber").GetString().Should().Be(id);
    }
}
