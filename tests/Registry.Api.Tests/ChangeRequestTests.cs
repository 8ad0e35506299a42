using Microsoft.Extensions.Configuration;
using System.Text.Json;
using Npgsql;

namespace Registry.Api.Tests;

/// <summary>
/// Four eyes: with the register's own list of sensitive changes, such a change by one person is held as a change
/// request, and applies only when a second person approves it, exactly as asked and never over a newer record.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ChangeRequestTests(RegistryApiFactory api, FourEyesService service) : IClassFixture<FourEyesService>
{
    private HttpClient As(params string[] roles) => service.ClientFor(api.Token(roles));

    private const string RequestFields = "id command summary facts status requestedBy decidedBy reason requestReason supersededBy subjectVersion appliedVersion citizen { idNumber }";

    private static async Task<JsonElement> RecordDeathAsync(HttpClient client, string idNumber, string? idempotencyKey = null) =>
        await client.MutateAsync("recordDeath", "RecordDeathInput",
            new { idNumber, dateOfDeath = "2026-10-01", reason = "DHA-1663 0012345", idempotencyKey },
            $"citizen {{ dateOfDeath version }} version errors {{ code field }} changeRequest {{ {RequestFields} }}");

    private static async Task<JsonElement> DecideAsync(HttpClient client, string mutation, string id, string? reason = null) =>
        (await client.GraphQLAsync($"mutation($id: ID!, $reason: String) {{ {mutation}(id: $id, reason: $reason) {{ changeRequest {{ {RequestFields} }} errors {{ code field message }} }} }}",
            new { id, reason })).Data(mutation);

    private static string IdOf(JsonElement payload) => payload.GetProperty("changeRequest").GetProperty("id").GetString()!;

    private static string Status(JsonElement payload) => payload.GetProperty("changeRequest").GetProperty("status").GetString()!;

    [Fact]
    public async Task A_death_asked_for_by_a_caseworker_waits_and_applies_when_a_supervisor_approves_it()
    {
        var caseworker = As("caseworker");
        var person = await caseworker.RegisterAsync(new DateOnly(1944, 3, 3));

        var asked = await RecordDeathAsync(caseworker, person);
        asked.ErrorCodes().Should().BeEmpty();
        asked.GetProperty("citizen").GetProperty("dateOfDeath").ValueKind.Should().Be(JsonValueKind.Null, "the record is unchanged until a second person approves");
        asked.GetProperty("version").GetInt32().Should().Be(1);
        var request = asked.GetProperty("changeRequest");
        request.GetProperty("status").GetString().Should().Be("PENDING");
        request.GetProperty("command").GetString().Should().Be("recordDeath");
        request.GetProperty("requestedBy").GetString().Should().Be("test-caseworker");
        request.GetProperty("summary").GetString().Should().NotContain(person);
        request.GetProperty("facts").GetString().Should().Contain("2026-10-01").And.Contain(person);
        request.GetProperty("requestReason").GetString().Should().Be("DHA-1663 0012345");

        var pending = (await caseworker.GraphQLAsync("query($id: String!) { citizen(idNumber: $id) { pendingChanges { id } } changeRequests(status: PENDING, idNumber: $id) { totalCount edges { node { id } } } }",
            new { id = person })).GetProperty("data");
        pending.GetProperty("citizen").GetProperty("pendingChanges").EnumerateArray().Select(r => r.GetProperty("id").GetString()).Should().Equal(IdOf(asked));
        pending.GetProperty("changeRequests").GetProperty("totalCount").GetInt32().Should().Be(1);

        var approved = await DecideAsync(As("supervisor"), "approveChange", IdOf(asked), "Checked against the death notice");
        approved.ErrorCodes().Should().BeEmpty();
        Status(approved).Should().Be("APPROVED");
        approved.GetProperty("changeRequest").GetProperty("decidedBy").GetString().Should().Be("test-supervisor");
        approved.GetProperty("changeRequest").GetProperty("appliedVersion").GetInt32().Should().Be(2);

        var history = (await caseworker.GraphQLAsync("query($id: String!) { citizen(idNumber: $id) { dateOfDeath pendingChanges { id } history { edges { node { type actor approvedBy reason effectiveDate } } } } }",
            new { id = person })).Data("citizen");
        history.GetProperty("dateOfDeath").GetString().Should().Be("2026-10-01");
        history.GetProperty("pendingChanges").GetArrayLength().Should().Be(0);
        var death = history.GetProperty("history").GetProperty("edges").EnumerateArray().Last().GetProperty("node");
        death.GetProperty("type").GetString().Should().Be("citizen_died");
        death.GetProperty("actor").GetString().Should().Be("test-caseworker", "the person who asked is who made the change");
        death.GetProperty("approvedBy").GetString().Should().Be("test-supervisor");
        death.GetProperty("reason").GetString().Should().Be("DHA-1663 0012345");
        death.GetProperty("effectiveDate").GetString().Should().Be("2026-10-01");
    }

    [Fact]
    public async Task Nobody_approves_or_rejects_their_own_request_and_a_refusal_writes_nothing()
    {
        var supervisor = As("supervisor");
        var person = await supervisor.RegisterAsync(new DateOnly(1950, 1, 1));
        var asked = await RecordDeathAsync(supervisor, person);
        Status(asked).Should().Be("PENDING", "a supervisor's own sensitive change needs a second person too");

        var before = await service.EventCountAsync();
        (await DecideAsync(supervisor, "approveChange", IdOf(asked))).ErrorCodes().Should().Equal("FOUR_EYES");
        (await DecideAsync(supervisor, "rejectChange", IdOf(asked), "changed my mind")).ErrorCodes().Should().Equal("FOUR_EYES");
        (await service.EventCountAsync()).Should().Be(before);
        (await supervisor.CitizenAsync(person)).GetProperty("dateOfDeath").ValueKind.Should().Be(JsonValueKind.Null);

        // Another supervisor may.
        Status(await DecideAsync(As("supervisor", "auditor"), "approveChange", IdOf(asked))).Should().Be("APPROVED");
    }

    [Fact]
    public async Task A_record_changed_since_the_request_is_never_overwritten_the_request_is_superseded()
    {
        var caseworker = As("caseworker");
        var person = await caseworker.RegisterAsync(new DateOnly(1961, 5, 20));
        var asked = await caseworker.MutateAsync("correctCitizenRecord", "CorrectCitizenRecordInput",
            new { idNumber = person, field = "dateOfBirth", value = "1961-05-21", reason = "Birth certificate" },
            $"citizen {{ dateOfBirth }} errors {{ code }} changeRequest {{ {RequestFields} }}");
        Status(asked).Should().Be("PENDING");
        asked.GetProperty("changeRequest").GetProperty("subjectVersion").GetInt32().Should().Be(1);

        // Meanwhile someone changes the name: not a held change, it applies at once.
        var renamed = await caseworker.MutateAsync("changeCitizenName", "ChangeCitizenNameInput", new { idNumber = person, firstNames = "Thandiwe", surname = "Mokoena" });
        renamed.ErrorCodes().Should().BeEmpty();
        renamed.GetProperty("version").GetInt32().Should().Be(2);

        var approved = await DecideAsync(As("supervisor"), "approveChange", IdOf(asked));
        approved.ErrorCodes().Should().Equal("STALE_VERSION");
        Status(approved).Should().Be("SUPERSEDED");
        approved.GetProperty("changeRequest").GetProperty("supersededBy").GetString().Should().Be("STALE_VERSION");
        (await caseworker.CitizenAsync(person)).GetProperty("dateOfBirth").GetString().Should().Be("1961-05-20");

        var before = await service.EventCountAsync();
        (await DecideAsync(As("supervisor"), "approveChange", IdOf(asked))).ErrorCodes().Should().Equal("CHANGE_NOT_PENDING");
        (await service.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Only_the_sensitive_fields_of_a_correction_are_held()
    {
        var caseworker = As("caseworker");
        var person = await caseworker.RegisterAsync(new DateOnly(1988, 8, 8));
        var surname = await caseworker.MutateAsync("correctCitizenRecord", "CorrectCitizenRecordInput",
            new { idNumber = person, field = "surname", value = "Dlamini", reason = "Typing error" }, "citizen { surname } errors { code } changeRequest { id }");
        surname.GetProperty("citizen").GetProperty("surname").GetString().Should().Be("Dlamini");
        surname.GetProperty("changeRequest").ValueKind.Should().Be(JsonValueKind.Null);

        var corrected = RegistryApiFactory.NewIdNumber(new DateOnly(1988, 8, 8)).Value;
        var idNumber = await caseworker.MutateAsync("correctCitizenRecord", "CorrectCitizenRecordInput",
            new { idNumber = person, field = "idNumber", value = corrected, reason = "Transposed digits" }, "citizen { idNumber } errors { code } changeRequest { status summary }");
        idNumber.GetProperty("citizen").GetProperty("idNumber").GetString().Should().Be(person);
        idNumber.GetProperty("changeRequest").GetProperty("status").GetString().Should().Be("PENDING");
        idNumber.GetProperty("changeRequest").GetProperty("summary").GetString().Should().Be("Correct the record's idNumber").And.NotContain(corrected);
    }

    [Fact]
    public async Task A_rejection_says_why_and_the_person_who_asked_may_withdraw_only_their_own()
    {
        var caseworker = As("caseworker");
        var person = await caseworker.RegisterAsync(new DateOnly(1940, 2, 2));
        var first = IdOf(await RecordDeathAsync(caseworker, person));

        var before = await service.EventCountAsync();
        (await DecideAsync(As("supervisor"), "rejectChange", first)).ErrorCodes().Should().Equal("REASON_REQUIRED");
        (await service.EventCountAsync()).Should().Be(before);
        var rejected = await DecideAsync(As("supervisor"), "rejectChange", first, "The notice is for another person");
        Status(rejected).Should().Be("REJECTED");
        rejected.GetProperty("changeRequest").GetProperty("reason").GetString().Should().Be("The notice is for another person");

        var second = IdOf(await RecordDeathAsync(caseworker, person));
        var withdrawMutation = "mutation($id: ID!) { withdrawChange(id: $id) { changeRequest { status } errors { code } } }";
        (await As("caseworker", "auditor").GraphQLAsync(withdrawMutation, new { id = second })).Data("withdrawChange").ErrorCodes().Should().Equal("FORBIDDEN");
        (await caseworker.GraphQLAsync(withdrawMutation, new { id = second })).Data("withdrawChange")
            .GetProperty("changeRequest").GetProperty("status").GetString().Should().Be("WITHDRAWN");
        (await caseworker.CitizenAsync(person)).GetProperty("dateOfDeath").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Who_may_decide_is_the_role_the_change_needs()
    {
        var person = await As("caseworker").RegisterAsync(new DateOnly(1952, 9, 9));
        var asked = IdOf(await RecordDeathAsync(As("caseworker"), person));
        var approve = "mutation($id: ID!) { approveChange(id: $id) { errors { code } } }";
        (await As("caseworker", "auditor").GraphQLAsync(approve, new { id = asked })).TransportErrorCodes().Should().Contain("FORBIDDEN");
        (await As("department:SASSA").GraphQLAsync("{ changeRequests { totalCount } }")).TransportErrorCodes().Should().Contain("FORBIDDEN");

        // Figures that are law need a second administrator, not a supervisor.
        var published = await As("admin").MutateAsync("publishProgrammeParameters", "PublishProgrammeParametersInput",
            new { programme = "OLDER_PERSONS_GRANT", effectiveFrom = "2031-04-01", parametersJson = "{\"monthlyAmount\": 2500}", legalReference = "Test notice" },
            "errors { code } changeRequest { id status summary }");
        published.GetProperty("changeRequest").GetProperty("summary").GetString().Should().Be("Publish OLDER_PERSONS_GRANT parameters from 2031-04-01");
        var held = IdOf(published);
        var before = await service.EventCountAsync();
        (await DecideAsync(As("supervisor"), "approveChange", held)).ErrorCodes().Should().Equal("FORBIDDEN");
        (await service.EventCountAsync()).Should().Be(before);
        Status(await DecideAsync(As("admin", "auditor"), "rejectChange", held, "Not budgeted")).Should().Be("REJECTED");
    }

    [Fact]
    public async Task The_queue_counts_when_totalCount_is_asked_for_under_an_alias_or_in_a_fragment_and_pages_alike_without_it()
    {
        var caseworker = As("caseworker");
        var person = await caseworker.RegisterAsync(new DateOnly(1948, 8, 8));
        foreach (var _ in new[] { 1, 2 }) await RecordDeathAsync(caseworker, person);
        const string Page = "pageInfo { hasNextPage endCursor } edges { node { id } }";
        var counted = (await caseworker.GraphQLAsync(
            $"query($id: String!) {{ changeRequests(idNumber: $id, first: 1) {{ waiting: totalCount {Page} }} again: changeRequests(idNumber: $id, first: 1) {{ ...Count }} }} " +
            "fragment Count on ChangeRequestConnection { totalCount }", new { id = person })).GetProperty("data");
        counted.GetProperty("changeRequests").GetProperty("waiting").GetInt32().Should().Be(2);
        counted.GetProperty("again").GetProperty("totalCount").GetInt32().Should().Be(2);

        // Without the count, the same pages: the first, then the second after its cursor, and no third.
        var first = (await caseworker.GraphQLAsync($"query($id: String!) {{ changeRequests(idNumber: $id, first: 1) {{ {Page} }} }}", new { id = person })).Data("changeRequests");
        first.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean().Should().BeTrue();
        var second = (await caseworker.GraphQLAsync($"query($id: String!, $after: String) {{ changeRequests(idNumber: $id, first: 1, after: $after) {{ {Page} }} }}",
            new { id = person, after = first.GetProperty("pageInfo").GetProperty("endCursor").GetString() })).Data("changeRequests");
        second.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean().Should().BeFalse();
        second.GetProperty("edges")[0].GetProperty("node").GetProperty("id").GetString().Should()
            .NotBe(first.GetProperty("edges")[0].GetProperty("node").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_retried_request_is_the_same_request_and_an_unknown_person_is_refused_with_nothing_written()
    {
        var caseworker = As("caseworker");
        var person = await caseworker.RegisterAsync(new DateOnly(1947, 4, 4));
        var key = Guid.NewGuid().ToString();
        var first = await RecordDeathAsync(caseworker, person, key);
        var again = await RecordDeathAsync(caseworker, person, key);
        IdOf(again).Should().Be(IdOf(first));
        (await caseworker.GraphQLAsync("query($id: String!) { changeRequests(idNumber: $id) { totalCount } }", new { id = person }))
            .Data("changeRequests").GetProperty("totalCount").GetInt32().Should().Be(1);

        var before = await service.EventCountAsync();
        var unknown = await RecordDeathAsync(caseworker, RegistryApiFactory.NewIdNumber(new DateOnly(1947, 4, 5)).Value);
        unknown.ErrorCodes().Should().Equal("NOT_FOUND");
        unknown.GetProperty("changeRequest").ValueKind.Should().Be(JsonValueKind.Null);
        (await RecordDeathAsync(caseworker, "12345")).ErrorCodes().Should().Equal("INVALID_ID_NUMBER");
        var stale = await caseworker.MutateAsync("recordDeath", "RecordDeathInput",
            new { idNumber = person, dateOfDeath = "2026-10-01", reason = "DHA-1663", expectedVersion = 7 }, "errors { code } changeRequest { id }");
        stale.ErrorCodes().Should().Equal("STALE_VERSION");
        (await service.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_held_request_keeps_the_person_sealed_and_an_approved_removal_applies_to_the_household()
    {
        var caseworker = As("caseworker");
        var head = await caseworker.RegisterAsync(new DateOnly(1970, 1, 1));
        var child = await caseworker.RegisterAsync(new DateOnly(2012, 1, 1));
        var household = (await caseworker.FormHouseholdAsync(head)).GetProperty("household").GetProperty("id").GetString()!;
        (await caseworker.AddMemberAsync(household, child)).ErrorCodes().Should().BeEmpty();

        var asked = await caseworker.MutateAsync("removeHouseholdMember", "RemoveHouseholdMemberInput",
            new { householdId = household, idNumber = child, reason = "Moved to her grandmother" }, Caseworker.HouseholdSelection + " changeRequest { id status }");
        asked.GetProperty("household").GetProperty("members").GetArrayLength().Should().Be(2, "the household is unchanged while the removal waits");
        var id = asked.GetProperty("changeRequest").GetProperty("id").GetString()!;

        // The stored request names the child by sealed facts only.
        var stored = await service.ScalarAsync<string>($"SELECT data::text FROM {FourEyesService.Sql.Events} WHERE stream_id = $1", Guid.Parse(id));
        stored.Should().NotContain(child).And.NotContain("grandmother");

        Status(await DecideAsync(As("supervisor"), "approveChange", id)).Should().Be("APPROVED");
        var now = await caseworker.GraphQLAsync("query($id: ID!) { household(id: $id) { members { citizen { idNumber } } } }", new { id = household });
        now.Data("household").GetProperty("members").EnumerateArray().Select(m => m.GetProperty("citizen").GetProperty("idNumber").GetString()).Should().Equal(head);
    }

    [Fact]
    public async Task An_erasure_needs_a_second_administrator_and_afterwards_its_request_reads_as_erased()
    {
        var person = await As("caseworker").RegisterAsync(new DateOnly(1990, 10, 10));
        var asked = (await As("admin").GraphQLAsync(
            "mutation($i: EraseCitizenInput!) { eraseCitizen(input: $i) { citizenId categories errors { code } changeRequest { id status facts } } }",
            new { i = new { idNumber = person, legalBasis = "SUBJECT_REQUEST", reason = "Request ER-2026-118" } })).Data("eraseCitizen");
        asked.GetProperty("categories").GetArrayLength().Should().Be(0, "nothing is erased while the request waits");
        asked.GetProperty("changeRequest").GetProperty("facts").GetString().Should().Contain(person);
        (await As("caseworker").CitizenAsync(person)).ValueKind.Should().Be(JsonValueKind.Object);

        var approved = await DecideAsync(As("admin", "auditor"), "approveChange", IdOf(asked));
        approved.ErrorCodes().Should().BeEmpty();
        Status(approved).Should().Be("APPROVED");
        approved.GetProperty("changeRequest").GetProperty("facts").GetString().Should().Be("[erased]");
        (await As("caseworker").CitizenAsync(person)).ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task A_merge_and_its_undoing_each_wait_for_a_supervisor_and_a_merge_already_undone_is_not_asked_for_again()
    {
        var caseworker = As("caseworker");
        var surname = Caseworker.UniqueSurname("Held");
        var survivor = await caseworker.RegisterAsync(new DateOnly(1972, 2, 2), surname: surname);
        var duplicate = await caseworker.RegisterAsync(new DateOnly(1972, 2, 2), surname: surname);
        const string Selection = "mergeId duplicate { idNumber mergedInto { survivorId } } errors { code } changeRequest { id status command citizen { idNumber } }";

        var asked = await caseworker.MutateAsync("mergeCitizens", "MergeCitizensInput", new { survivor, duplicate, reason = "case DUP-40" }, Selection);
        asked.ErrorCodes().Should().BeEmpty();
        asked.GetProperty("mergeId").ValueKind.Should().Be(JsonValueKind.Null);
        asked.GetProperty("duplicate").GetProperty("mergedInto").ValueKind.Should().Be(JsonValueKind.Null, "nothing is merged while the request waits");
        asked.GetProperty("changeRequest").GetProperty("citizen").GetProperty("idNumber").GetString().Should().Be(duplicate);
        Status(asked).Should().Be("PENDING");

        Status(await DecideAsync(As("supervisor"), "approveChange", IdOf(asked))).Should().Be("APPROVED");
        var merged = (await caseworker.CitizenAsync(duplicate)).GetProperty("idNumber").GetString();
        merged.Should().Be(survivor, "the duplicate's number finds the survivor once the merge applies");
        var mergeId = (await caseworker.GraphQLAsync("query($id: String!) { citizen(idNumber: $id) { mergedRecords { mergeId } } }", new { id = survivor }))
            .Data("citizen").GetProperty("mergedRecords")[0].GetProperty("mergeId").GetString();

        const string Undo = "survivor { idNumber } errors { code field } changeRequest { id status command }";
        var undo = await caseworker.MutateAsync("unmergeCitizens", "UnmergeCitizensInput", new { mergeId, reason = "two people after all" }, Undo);
        Status(undo).Should().Be("PENDING");
        (await caseworker.CitizenAsync(duplicate)).GetProperty("idNumber").GetString().Should().Be(survivor, "the merge stands until the undoing is approved");
        Status(await DecideAsync(As("supervisor"), "approveChange", IdOf(undo))).Should().Be("APPROVED");
        (await caseworker.CitizenAsync(duplicate)).GetProperty("idNumber").GetString().Should().Be(duplicate);

        var before = await service.EventCountAsync();
        var again = await caseworker.MutateAsync("unmergeCitizens", "UnmergeCitizensInput", new { mergeId, reason = "again" }, Undo);
        again.ErrorCodes().Should().Equal("ALREADY_UNMERGED");
        again.GetProperty("changeRequest").ValueKind.Should().Be(JsonValueKind.Null);
        (await caseworker.MutateAsync("unmergeCitizens", "UnmergeCitizensInput", new { mergeId = Guid.NewGuid(), reason = "no such" }, Undo))
            .ErrorCodes().Should().Equal("NOT_FOUND");
        (await service.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public void A_policy_naming_a_change_the_register_cannot_hold_stops_the_service_rather_than_let_it_through()
    {
        static ChangeRequests.FourEyesPolicy Policy(string? commands) => ChangeRequests.FourEyesPolicy.From(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["FourEyes:Commands"] = commands }).Build());
        Policy(null).Commands.Should().BeEquivalentTo(ChangeRequests.FourEyesPolicy.DefaultCommands);
        Policy(" ").Commands.Should().BeEquivalentTo(ChangeRequests.FourEyesPolicy.DefaultCommands, "a blank setting must not turn the control off");
        Policy("none").Commands.Should().BeEmpty();
        Policy("recordDeath, correctCitizenRecord.surname").Commands.Should().BeEquivalentTo(["recordDeath", "correctCitizenRecord.surname"]);
        ((Action)(() => Policy("recordDeth"))).Should().Throw<InvalidOperationException>();
        ((Action)(() => Policy("correctCitizenRecord.shoeSize"))).Should().Throw<InvalidOperationException>();
    }
}

/// <summary>
/// The service as its own process on a database of its own, with the register's own four-eyes list (the rest of
/// the suite runs with "none"): the list as start.sh runs it, beside nothing else.
/// </summary>
public sealed class FourEyesService : IAsyncLifetime
{
    private readonly string _server = Environment.GetEnvironmentVariable("ConnectionStrings__Registry")
        ?? throw new InvalidOperationException("Set ConnectionStrings__Registry (./test.sh does) to reach PostgreSQL.");
    private readonly string _database = $"registry_test_foureyes_{Environment.ProcessId}_{DateTime.UtcNow:HHmmss}";
    private ApiProcess? _process;

    private string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString;

    public async Task InitializeAsync()
    {
        await RegistryApiFactory.CreateDatabaseAsync(_server, _database);
        // Empty: the register's own list.
        _process = await ApiProcess.StartAsync(ConnectionString, new Dictionary<string, string> { ["FourEyes__Commands"] = "" });
    }

    public async Task DisposeAsync()
    {
        _process?.Dispose();
        await RegistryApiFactory.DropDatabaseAsync(_server, _database);
    }

    public HttpClient ClientFor(string token) => _process!.ClientFor(token);

    public async Task<long> EventCountAsync() =>
        await ScalarAsync<long>($"SELECT count(*) FROM {Sql.Events} WHERE type <> 'tombstone'");

    public async Task<T?> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var arg in args) cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        return (T?)await cmd.ExecuteScalarAsync();
    }

    public static Registry.Projections.Sql.RegistrySql Sql { get; } = Registry.Projections.Sql.RegistrySql.For(Registry.Projections.Sql.RegistrySql.DefaultSchema);
}
