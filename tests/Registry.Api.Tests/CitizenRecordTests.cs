using Registry.Domain.Common;

namespace Registry.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class CitizenRecordTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");
    private readonly HttpClient _auditor = api.ClientFor("auditor");

    private async Task<System.Text.Json.JsonElement[]> HistoryAsync(string idNumber) =>
        [.. (await _auditor.GraphQLAsync("query($id: String!) { audit { history(idNumber: $id, first: 100) { edges { node { type data reason } } } } }", new { id = idNumber }))
            .Data("audit").GetProperty("history").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))];

    [Fact]
    public async Task A_caseworker_reads_the_changes_to_a_record_on_the_record_paged_and_access_logged()
    {
        var id = await _caseworker.RegisterAsync();
        (await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = 1200m, source = "EMPLOYMENT", reason = "payslip seen", effectiveDate = "2026-01-31" }))
            .ErrorCodes().Should().BeEmpty();
        const string query = "query($id: String!, $after: String) { citizen(idNumber: $id) { history(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { type actor reason effectiveDate } } } } }";

        var first = (await _caseworker.GraphQLAsync(query, new { id, after = (string?)null })).Data("citizen").GetProperty("history");
        first.GetProperty("totalCount").GetInt32().Should().Be(2);
        first.GetProperty("edges")[0].GetProperty("node").GetProperty("type").GetString().Should().Be("citizen_registered");
        var second = (await _caseworker.GraphQLAsync(query, new { id, after = first.GetProperty("pageInfo").GetProperty("endCursor").GetString() })).Data("citizen").GetProperty("history");
        var change = second.GetProperty("edges")[0].GetProperty("node");
        change.GetProperty("type").GetString().Should().Be("income_declared");
        change.GetProperty("reason").GetString().Should().Be("payslip seen");
        change.GetProperty("effectiveDate").GetString().Should().Be("2026-01-31");
        change.GetProperty("actor").GetString().Should().NotBeNullOrEmpty();
        second.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean().Should().BeFalse();

        (await _caseworker.GraphQLAsync(query, new { id, after = "bm90IGEgY3Vyc29y" })).TransportErrorCodes().Should().Equal("INVALID_CURSOR");
        var reads = (await _auditor.GraphQLAsync("query($id: String!) { audit { accessLog(idNumber: $id, first: 100) { edges { node { operation purpose } } } } }", new { id }))
            .Data("audit").GetProperty("accessLog").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("operation").GetString());
        reads.Count(o => o == "citizen").Should().BeGreaterThanOrEqualTo(2, "each read of the history is a read of the person");
    }

    [Fact]
    public async Task A_registered_citizen_can_be_read_back_with_everything_that_was_recorded()
    {
        var born = new DateOnly(1962, 3, 14);
        var id = RegistryApiFactory.NewIdNumber(born, Sex.Male, Citizenship.PermanentResident).Value;

        var payload = (await _caseworker.GraphQLAsync(Caseworker.RegisterMutation, new
        {
            input = Caseworker.RegisterInput(id, born, "MALE", "PERMANENT_RESIDENT", "  Sipho Thabo ", "Ndlovu",
                address: Caseworker.Address("ETH", "Durban", "KWAZULU_NATAL")),
        })).Data("registerCitizen");

        payload.ErrorCodes().Should().BeEmpty();
        payload.GetProperty("version").GetInt32().Should().Be(1);
        var citizen = await _caseworker.CitizenAsync(id);
        citizen.GetProperty("firstNames").GetString().Should().Be("Sipho Thabo");
        citizen.GetProperty("surname").GetString().Should().Be("Ndlovu");
        citizen.GetProperty("dateOfBirth").GetString().Should().Be("1962-03-14");
        citizen.GetProperty("sex").GetString().Should().Be("MALE");
        citizen.GetProperty("citizenship").GetString().Should().Be("PERMANENT_RESIDENT");
        citizen.GetProperty("address").GetProperty("municipalityCode").GetString().Should().Be("ETH");
        citizen.GetProperty("address").GetProperty("province").GetString().Should().Be("KWAZULU_NATAL");
        citizen.GetProperty("id").GetString().Should().Be(payload.GetProperty("citizen").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Each_change_is_applied_and_bumps_the_version()
    {
        var id = await _caseworker.RegisterAsync(new DateOnly(1970, 1, 20));

        var renamed = await _caseworker.MutateAsync("changeCitizenName", "ChangeCitizenNameInput",
            new { idNumber = id, firstNames = "Palesa", surname = "Khumalo", expectedVersion = 1, reason = "marriage" });
        renamed.ErrorCodes().Should().BeEmpty();
        renamed.GetProperty("version").GetInt32().Should().Be(2);

        var moved = await _caseworker.MutateAsync("changeCitizenAddress", "ChangeCitizenAddressInput",
            new { idNumber = id, address = Caseworker.Address("JHB", "Johannesburg", "GAUTENG"), expectedVersion = 2 });
        moved.ErrorCodes().Should().BeEmpty();

        var income = await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput",
            new { idNumber = id, monthlyIncome = 3450.75m, source = "EMPLOYMENT", expectedVersion = 3, effectiveDate = "2026-01-01" });
        income.ErrorCodes().Should().BeEmpty();

        var disability = await _caseworker.MutateAsync("recordDisabilityAssessment", "RecordDisabilityAssessmentInput",
            new { idNumber = id, disabled = true, permanent = true });
        disability.ErrorCodes().Should().BeEmpty();

        var citizen = await _caseworker.CitizenAsync(id);
        citizen.GetProperty("firstNames").GetString().Should().Be("Palesa");
        citizen.GetProperty("surname").GetString().Should().Be("Khumalo");
        citizen.GetProperty("address").GetProperty("city").GetString().Should().Be("Johannesburg");
        citizen.GetProperty("monthlyIncome").GetDecimal().Should().Be(3450.75m);
        citizen.GetProperty("incomeSource").GetString().Should().Be("EMPLOYMENT");
        citizen.GetProperty("disabled").GetBoolean().Should().BeTrue();
        citizen.GetProperty("version").GetInt32().Should().Be(5);

        var effective = await api.ScalarAsync<string>(
            $"SELECT headers->>'effectiveDate' FROM {api.Sql.Events} WHERE type = 'income_declared' AND stream_id = $1::uuid",
            Guid.Parse(citizen.GetProperty("id").GetString()!));
        effective.Should().Be("2026-01-01");
    }

    [Fact]
    public async Task Every_event_records_actor_correlation_reason_and_effective_date()
    {
        var id = await _caseworker.RegisterAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new
            {
                query = "mutation($i: ChangeCitizenNameInput!) { changeCitizenName(input: $i) { errors { code } } }",
                variables = new { i = new { idNumber = id, firstNames = "Zanele", surname = "Mokoena", reason = "spelling at birth registration", effectiveDate = "2025-05-05" } },
            }),
        };
        request.Headers.Add("X-Correlation-Id", "case-4711");
        (await _caseworker.SendAsync(request)).EnsureSuccessStatusCode();

        var row = await api.ScalarAsync<string>(
            $"SELECT concat_ws('|', user_name, correlation_id, headers->>'effectiveDate') FROM {api.Sql.Events} WHERE type = 'citizen_name_changed' AND correlation_id = 'case-4711'");
        row.Should().Be("test-caseworker|case-4711|2025-05-05");
        // The reason may name the person: it is stored sealed under their key, and the auditor reads it back.
        var stored = await api.ScalarAsync<string>($"SELECT headers->>'reason' FROM {api.Sql.Events} WHERE type = 'citizen_name_changed' AND correlation_id = 'case-4711'");
        stored.Should().StartWith("sealed:").And.NotContain("spelling");
        (await HistoryAsync(id)).Single(e => e.GetProperty("type").GetString() == "citizen_name_changed")
            .GetProperty("reason").GetString().Should().Be("spelling at birth registration");
    }

    [Fact]
    public async Task A_death_is_recorded_once_and_freezes_the_citizens_circumstances()
    {
        var id = await _caseworker.RegisterAsync(new DateOnly(1940, 8, 1));

        var noReason = await _caseworker.GraphQLAsync(
            "mutation { recordDeath(input: { idNumber: \"" + id + "\", dateOfDeath: \"2026-02-01\" }) { errors { code } } }");
        noReason.TransportErrorCodes().Should().NotBeEmpty("reason is a required input field");

        var died = await _caseworker.MutateAsync("recordDeath", "RecordDeathInput",
            new { idNumber = id, dateOfDeath = "2026-02-01", reason = "DHA-1663 notice 12345" });
        died.ErrorCodes().Should().BeEmpty();
        (await _caseworker.CitizenAsync(id)).GetProperty("dateOfDeath").GetString().Should().Be("2026-02-01");

        var before = await api.EventCountAsync();
        (await _caseworker.MutateAsync("recordDeath", "RecordDeathInput", new { idNumber = id, dateOfDeath = "2026-02-02", reason = "again" }))
            .ErrorCodes().Should().Equal("CITIZEN_DECEASED");
        (await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = 100, source = "OTHER" }))
            .ErrorCodes().Should().Equal("CITIZEN_DECEASED");
        (await api.EventCountAsync()).Should().Be(before);

        var effective = await api.ScalarAsync<string>(
            $"SELECT headers->>'effectiveDate' FROM {api.Sql.Events} WHERE type = 'citizen_died' AND stream_id = $1::uuid",
            Guid.Parse((await _caseworker.CitizenAsync(id)).GetProperty("id").GetString()!));
        effective.Should().Be("2026-02-01", "the effective date of a death is the date of death");
    }

    [Fact]
    public async Task A_correction_keeps_the_old_value_and_must_leave_the_identity_consistent()
    {
        var id = await _caseworker.RegisterAsync(new DateOnly(1990, 4, 4));

        var corrected = await _caseworker.MutateAsync("correctCitizenRecord", "CorrectCitizenRecordInput",
            new { idNumber = id, field = "surname", value = "Mokoena-Dlamini", reason = "capture error on form BI-9" });
        corrected.ErrorCodes().Should().BeEmpty();
        (await _caseworker.CitizenAsync(id)).GetProperty("surname").GetString().Should().Be("Mokoena-Dlamini");
        var correction = System.Text.Json.JsonDocument.Parse((await HistoryAsync(id))
            .Single(e => e.GetProperty("type").GetString() == "citizen_record_corrected").GetProperty("data").GetString()!).RootElement;
        $"{correction.GetProperty("OldValue").GetString()}>{correction.GetProperty("NewValue").GetString()}".Should().Be("Mokoena>Mokoena-Dlamini");

        var before = await api.EventCountAsync();
        (await _caseworker.MutateAsync("correctCitizenRecord", "CorrectCitizenRecordInput",
            new { idNumber = id, field = "sex", value = "MALE", reason = "claimed wrong" })).ErrorCodes().Should().Equal("INVALID_ID_NUMBER");
        (await _caseworker.MutateAsync("correctCitizenRecord", "CorrectCitizenRecordInput",
            new { idNumber = id, field = "favouriteColour", value = "blue", reason = "x" })).ErrorCodes().Should().Equal("INVALID_INPUT");
        (await api.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task An_ID_number_correction_moves_the_citizen_to_the_new_number()
    {
        var born = new DateOnly(1977, 7, 7);
        var wrong = await _caseworker.RegisterAsync(born);
        var right = RegistryApiFactory.NewIdNumber(born).Value;

        (await _caseworker.MutateAsync("correctCitizenRecord", "CorrectCitizenRecordInput",
            new { idNumber = wrong, field = "idNumber", value = right, reason = "digits transposed at capture" })).ErrorCodes().Should().BeEmpty();

        (await _caseworker.CitizenAsync(right)).GetProperty("idNumber").GetString().Should().Be(right);
        (await _caseworker.GraphQLAsync("query($id: String!) { citizen(idNumber: $id) { id } }", new { id = wrong }))
            .Data("citizen").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
    }
}
