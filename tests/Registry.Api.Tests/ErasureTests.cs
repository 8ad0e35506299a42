using System.Diagnostics;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Registry.Api.Audit;
using Registry.Domain.Common;
using Registry.Projections.Integrity;
using Registry.Projections.Municipalities;
using Registry.Projections.Privacy;

namespace Registry.Api.Tests;

/// <summary>
/// Crypto-shredding: a person's data is sealed in the events from the start, and an erasure leaves no readable
/// copy anywhere in the database while the history, its hash chains and the read models stay consistent.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ErasureTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");
    private readonly HttpClient _admin = api.ClientFor("admin");
    private readonly HttpClient _auditor = api.ClientFor("auditor");

    private const string EraseMutation = "mutation($i: EraseCitizenInput!) { eraseCitizen(input: $i) { citizenId categories errors { code field } } }";

    private sealed record Person(string IdNumber, string FirstNames, string Surname, string Line1, Guid StreamId)
    {
        public string[] Values => [IdNumber, FirstNames, Surname, Line1];
    }

    private async Task<Person> RegisterDistinctiveAsync(DateOnly born)
    {
        var (first, surname, line1) = (Caseworker.UniqueSurname("Nomvula"), Caseworker.UniqueSurname("Qwabe"), Caseworker.UniqueSurname("Street of "));
        var id = RegistryApiFactory.NewIdNumber(born).Value;
        var payload = (await _caseworker.GraphQLAsync(Caseworker.RegisterMutation, new
        {
            input = Caseworker.RegisterInput(id, born, firstNames: first, surname: surname,
                address: new { line1, city = "Cape Town", municipalityCode = "CPT", province = "WESTERN_CAPE", postalCode = "8001" }),
        })).Data("registerCitizen");
        payload.ErrorCodes().Should().BeEmpty();
        return new Person(id, first, surname, line1, Guid.Parse(payload.GetProperty("citizen").GetProperty("id").GetString()!));
    }

    private async Task<string> EventsTextAsync(Guid? stream = null) =>
        await api.ScalarAsync<string>(
            $"SELECT coalesce(string_agg(data::text || ' ' || coalesce(headers::text, ''), E'\\n'), '') FROM {api.Sql.Events}" + (stream is null ? "" : " WHERE stream_id = $1"),
            stream is { } s ? [s] : []) ?? "";

    /// <summary>The whole test database as pg_dump writes it: every table, every row.</summary>
    private async Task<string> DumpAsync()
    {
        var cs = new NpgsqlConnectionStringBuilder(api.ConnectionString);
        var start = new ProcessStartInfo(PgDump(),
            ["--host", cs.Host!, "--port", cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--username", cs.Username!, "--dbname", cs.Database!, "--no-password"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["PGPASSWORD"] = cs.Password ?? "" },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, await errors);
        return await output;
    }

    /// <summary>The newest pg_dump installed (it must be at least the server's version), else the one on the PATH.</summary>
    private static string PgDump() =>
        (Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [])
            .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            .Where(x => File.Exists(Path.Combine(x.Dir, "bin", "pg_dump")))
            .OrderByDescending(x => x.Version).Select(x => Path.Combine(x.Dir, "bin", "pg_dump")).FirstOrDefault() ?? "pg_dump";

    private async Task<JsonElement> EntitlementAsync(string id) =>
        (await _caseworker.GraphQLAsync("query($id: ID!) { entitlement(id: $id) { status version lastDecision { eligible } } }", new { id })).Data("entitlement");

    /// <summary>The municipal view is an async projection, not a message: read it once the daemon has caught up.</summary>
    private async Task<T> CaughtUpAsync<T>(Func<Task<T>> read, Func<T, bool> expected)
    {
        await api.AsyncProjectionsCaughtUpAsync();
        var value = await read();
        expected(value).Should().BeTrue("the municipal view has processed every event so far");
        return value;
    }

    [Fact]
    public async Task A_new_persons_events_hold_no_readable_personal_data_while_their_citizen_document_does()
    {
        var person = await RegisterDistinctiveAsync(new DateOnly(1979, 9, 9));
        (await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput",
            new { idNumber = person.IdNumber, monthlyIncome = 12345.67m, source = "EMPLOYMENT", reason = $"payslip of {person.FirstNames} {person.Surname}" }))
            .ErrorCodes().Should().BeEmpty();

        var events = await EventsTextAsync(person.StreamId);
        events.Should().Contain("$sealed");
        foreach (var value in person.Values.Append("12345.67")) events.Should().NotContain(value);
        var document = await api.ScalarAsync<string>($"SELECT data::text FROM {api.Sql.Citizens} WHERE id = $1", person.StreamId);
        foreach (var value in person.Values.Append("12345.67")) document.Should().Contain(value, "the citizen document is plain, for lookups");

        // Read back through the register, the values are the ones recorded.
        var citizen = await _caseworker.CitizenAsync(person.IdNumber);
        citizen.GetProperty("surname").GetString().Should().Be(person.Surname);
        citizen.GetProperty("monthlyIncome").GetDecimal().Should().Be(12345.67m);
    }

    [Fact]
    public async Task Events_sealed_one_envelope_per_value_still_read_as_recorded()
    {
        var person = await RegisterDistinctiveAsync(new DateOnly(1972, 2, 2));
        (await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = person.IdNumber, monthlyIncome = 4321.5m, source = "PENSION" }))
            .ErrorCodes().Should().BeEmpty();
        // The earlier format: each personal value in its own envelope, sealed at its own place.
        var store = api.Services.GetRequiredService<IDocumentStore>();
        var key = EventSealing.Of(store).Keys.Find(person.StreamId)!;
        Dictionary<string, string> Envelope(string property, string json) => new()
        {
            [SealingConverter<object>.SealedField] = Seal.Encrypt(key, person.StreamId, $"IncomeDeclared.{property}", json),
            [SealingConverter<object>.SubjectField] = person.StreamId.ToString(),
        };
        var legacy = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["MonthlyIncome"] = Envelope("MonthlyIncome", "4321.5"),
            ["Source"] = Envelope("Source", "\"Pension\""),
        });
        await api.ScalarAsync<int>($"UPDATE {api.Sql.Events} SET data = $1::jsonb WHERE stream_id = $2 AND type = 'income_declared' RETURNING 1", legacy, person.StreamId);
        (await api.ScalarAsync<string>($"SELECT data::text FROM {api.Sql.Events} WHERE stream_id = $1 AND type = 'income_declared'", person.StreamId))
            .Should().NotContain(SealingConverter<object>.PersonalField, "the income event is in the earlier format now").And.Contain(SealingConverter<object>.SealedField);

        await using var session = store.QuerySession();
        var income = (await session.Events.FetchStreamAsync(person.StreamId)).Select(e => e.Data).OfType<Domain.Citizens.IncomeDeclared>().Single();
        income.Should().Be(new Domain.Citizens.IncomeDeclared(4321.5m, IncomeSource.Pension));
    }

    [Fact]
    public async Task An_erased_person_leaves_no_readable_copy_and_the_history_chains_and_read_models_stay_consistent()
    {
        var person = await RegisterDistinctiveAsync(new DateOnly(1950, 5, 5));
        var housemate = await _caseworker.RegisterAsync(new DateOnly(1980, 1, 1));
        var household = (await _caseworker.FormHouseholdAsync(housemate)).GetProperty("household").GetProperty("id").GetString()!;
        (await _caseworker.AddMemberAsync(household, person.IdNumber, "PARENT")).ErrorCodes().Should().BeEmpty();
        var entitlement = (await _caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput",
            new { programme = "OLDER_PERSONS_GRANT", beneficiaryIdNumber = person.IdNumber }, "entitlement { id status } errors { code }")).GetProperty("entitlement");
        entitlement.GetProperty("status").GetString().Should().Be("ACTIVE");
        var entitlementId = entitlement.GetProperty("id").GetString()!;
        (await api.WithItsMessagesAsync(() => _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput",
            new { idNumber = person.IdNumber, monthlyIncome = 12345.67m, source = "EMPLOYMENT", reason = $"payslip of {person.FirstNames} {person.Surname}" })))
            .ErrorCodes().Should().BeEmpty();
        (await EntitlementAsync(entitlementId)).GetProperty("status").GetString().Should().Be("SUSPENDED", "the income re-assessment has run, so its decision is stored too");
        var values = person.Values.Append("12345.67").ToArray();
        var before = await EventsTextAsync();
        foreach (var value in values) before.Should().NotContain(value, "the events hold the person's data sealed from the start");

        var erased = (await _admin.GraphQLAsync(EraseMutation, new { i = new { idNumber = person.IdNumber, legalBasis = "COURT_ORDER", reason = "order 2026/0417" } }))
            .Data("eraseCitizen");
        erased.ErrorCodes().Should().BeEmpty();
        erased.GetProperty("citizenId").GetString().Should().Be(person.StreamId.ToString());
        erased.GetProperty("categories").EnumerateArray().Select(c => c.GetString()).Should().Contain(["ID_NUMBER", "NAMES", "ADDRESS", "INCOME", "ELIGIBILITY_DECISIONS"]);

        (await _caseworker.GraphQLAsync("query($id: String!) { citizen(idNumber: $id) { id } }", new { id = person.IdNumber }))
            .Data("citizen").ValueKind.Should().Be(JsonValueKind.Null);
        (await EntitlementAsync(entitlementId)).GetProperty("status").GetString().Should().Be("TERMINATED");
        var members = (await _caseworker.GraphQLAsync("query($id: ID!) { household(id: $id) { members { citizen { idNumber } } } }", new { id = household }))
            .Data("household").GetProperty("members").EnumerateArray().Select(m => m.GetProperty("citizen").GetProperty("idNumber").GetString()).ToList();
        members.Should().Equal(housemate);
        var history = (await _auditor.GraphQLAsync("query($id: ID!) { audit { history(householdId: $id) { edges { node { type data } } } } }", new { id = household }))
            .Data("audit").GetProperty("history").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("type").GetString()).ToList();
        history.Should().Equal("household_formed", "member_joined", "member_left");
        // The person's own history is still there, and reads as erased.
        var own = (await _auditor.GraphQLAsync("query($id: ID!) { audit { history(householdId: $id) { edges { node { type data reason } } } } }", new { id = person.StreamId }))
            .Data("audit").GetProperty("history").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToList();
        own.Select(e => e.GetProperty("type").GetString()).Should().Equal("citizen_registered", "income_declared", "citizen_erased");
        own[0].GetProperty("data").GetString().Should().Contain("[erased]");
        own[1].GetProperty("reason").GetString().Should().Be("[erased]");

        // The chains verify over the stored ciphertext, and a rebuild gives the same read models.
        var store = api.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.QuerySession())
        {
            var report = await EventChainVerifier.VerifyAsync(session, [person.StreamId, Guid.Parse(household), Guid.Parse(entitlementId)], CancellationToken.None);
            report.Intact.Should().BeTrue();
            report.StreamsChecked.Should().Be(3);
        }
        await CaughtUpAsync(() => api.ScalarAsync<string>($"SELECT data ->> 'MonthlyIncome' FROM {api.Sql.Document<MunicipalHousehold>()} WHERE id = $1", Guid.Parse(household)),
            income => income == "0");
        // The register is shared with tests that tamper with events on purpose: what must match is what this one touched.
        var verification = await ProjectionVerification.RunAsync(api.ConnectionString, api.Services.GetRequiredService<IConfiguration>(), null, CancellationToken.None);
        var housemateId = (await _caseworker.CitizenAsync(housemate)).GetProperty("id").GetString()!;
        verification.Differences.Where(d => new[] { person.StreamId.ToString(), household, entitlementId, housemateId }.Any(d.Contains)).Should().BeEmpty();

        var dump = await DumpAsync();
        dump.Should().Contain(person.StreamId.ToString(), "the dump is of the database that held the person");
        foreach (var value in values) dump.Should().NotContain(value);
    }

    private async Task<string> FormAtAsync(string headIdNumber, string line1)
    {
        var formed = await _caseworker.MutateAsync("formHousehold", "FormHouseholdInput", new
        {
            headIdNumber, address = new { line1, city = "Cape Town", municipalityCode = "CPT", province = "WESTERN_CAPE", postalCode = "8001" },
        }, Caseworker.HouseholdSelection);
        formed.ErrorCodes().Should().BeEmpty();
        return formed.GetProperty("household").GetProperty("id").GetString()!;
    }

    private async Task<string?> HouseholdLineAsync(string id) =>
        (await _caseworker.GraphQLAsync("query($id: ID!) { household(id: $id) { address { line1 } } }", new { id }))
            .Data("household").GetProperty("address").GetProperty("line1").GetString();

    [Fact]
    public async Task An_erasure_takes_the_address_of_every_household_no_one_lives_in_any_more_and_leaves_the_one_others_live_in()
    {
        var person = await RegisterDistinctiveAsync(new DateOnly(1961, 6, 1));
        var (leftLine, sharedLine, currentLine) = (Caseworker.UniqueSurname("Old Lane "), Caseworker.UniqueSurname("Shared Lane "), Caseworker.UniqueSurname("New Lane "));
        // One household they left alone (dissolved), one they left to a housemate, and the one they live in alone.
        var left = await FormAtAsync(person.IdNumber, leftLine);
        (await _caseworker.MutateAsync("removeHouseholdMember", "RemoveHouseholdMemberInput", new { householdId = left, idNumber = person.IdNumber }, Caseworker.HouseholdSelection))
            .ErrorCodes().Should().BeEmpty();
        var shared = await FormAtAsync(person.IdNumber, sharedLine);
        var housemate = await _caseworker.RegisterAsync(new DateOnly(1990, 3, 3));
        (await _caseworker.AddMemberAsync(shared, housemate, "CHILD")).ErrorCodes().Should().BeEmpty();
        (await _caseworker.MutateAsync("changeHouseholdHead", "ChangeHouseholdHeadInput", new { householdId = shared, idNumber = housemate }, Caseworker.HouseholdSelection))
            .ErrorCodes().Should().BeEmpty();
        (await _caseworker.MutateAsync("removeHouseholdMember", "RemoveHouseholdMemberInput", new { householdId = shared, idNumber = person.IdNumber }, Caseworker.HouseholdSelection))
            .ErrorCodes().Should().BeEmpty();
        var current = await FormAtAsync(person.IdNumber, currentLine);
        var events = await EventsTextAsync();
        foreach (var line in new[] { leftLine, sharedLine, currentLine }) events.Should().NotContain(line, "a household's address is sealed in its events");
        (await HouseholdLineAsync(left)).Should().Be(leftLine, "until the erasure the address reads as recorded");

        var request = new { idNumber = person.IdNumber, legalBasis = "SUBJECT_REQUEST", reason = "request 2026/88", idempotencyKey = $"erase-{person.StreamId}" };
        var first = (await _admin.GraphQLAsync(EraseMutation, new { i = request })).Data("eraseCitizen");
        first.ErrorCodes().Should().BeEmpty();
        Task<long> StreamEventsAsync() => api.ScalarAsync<long>($"SELECT count(*) FROM {api.Sql.Events} WHERE stream_id = $1", person.StreamId);
        var erasedAt = await StreamEventsAsync();
        // A retry of the same request answers as the first did and erases nothing more.
        var retry = (await _admin.GraphQLAsync(EraseMutation, new { i = request })).Data("eraseCitizen");
        retry.ErrorCodes().Should().BeEmpty();
        retry.GetProperty("citizenId").GetString().Should().Be(person.StreamId.ToString());
        retry.GetProperty("categories").EnumerateArray().Select(c => c.GetString()).Should().Equal(first.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        (await StreamEventsAsync()).Should().Be(erasedAt);

        (await HouseholdLineAsync(left)).Should().Be(Domain.Citizens.Erasure.Placeholder);
        (await HouseholdLineAsync(current)).Should().Be(Domain.Citizens.Erasure.Placeholder);
        (await HouseholdLineAsync(shared)).Should().Be(sharedLine, "the housemate still lives there");
        var history = (await _auditor.GraphQLAsync("query($id: ID!) { audit { history(householdId: $id) { edges { node { type data } } } } }", new { id = current }))
            .Data("audit").GetProperty("history").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToList();
        history.Select(e => e.GetProperty("type").GetString()).Should().Equal("household_formed", "member_left", "household_dissolved", "household_address_erased");
        history[0].GetProperty("data").GetString().Should().Contain(Domain.Citizens.Erasure.Placeholder);

        var store = api.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.QuerySession())
            (await EventChainVerifier.VerifyAsync(session, [Guid.Parse(left), Guid.Parse(shared), Guid.Parse(current)], CancellationToken.None)).Intact.Should().BeTrue();
        // The municipal view is background work: once it has caught up with the housemate's household, it must match a replay.
        await CaughtUpAsync(() => api.ScalarAsync<string>(
                $"SELECT string_agg(id::text || ':' || (data ->> 'Members'), ',' ORDER BY id) FROM {api.Sql.Document<MunicipalHousehold>()} WHERE id = ANY($1)",
                new[] { Guid.Parse(left), Guid.Parse(shared), Guid.Parse(current) }),
            seen => seen == $"{shared}:1");
        var verification = await ProjectionVerification.RunAsync(api.ConnectionString, api.Services.GetRequiredService<IConfiguration>(), null, CancellationToken.None);
        verification.Differences.Where(d => new[] { left, shared, current, person.StreamId.ToString() }.Any(d.Contains)).Should().BeEmpty();
        var dump = await DumpAsync();
        dump.Should().Contain(sharedLine, "the household others live in keeps its address in its document");
        foreach (var value in person.Values.Append(leftLine).Append(currentLine)) dump.Should().NotContain(value);
    }

    [Fact]
    public async Task An_erasure_with_bad_input_or_by_a_caseworker_writes_nothing()
    {
        var person = await RegisterDistinctiveAsync(new DateOnly(1988, 8, 8));
        var before = await api.EventCountAsync();

        var unknown = RegistryApiFactory.NewIdNumber(new DateOnly(1991, 1, 1)).Value;
        (await _admin.GraphQLAsync(EraseMutation, new { i = new { idNumber = unknown, legalBasis = "RETENTION_EXPIRED", reason = "retention" } }))
            .Data("eraseCitizen").ErrorCodes().Should().Equal("NOT_FOUND");
        (await _admin.GraphQLAsync(EraseMutation, new { i = new { idNumber = person.IdNumber, reason = "no basis given" } }))
            .TransportErrorCodes().Should().NotBeEmpty("the legal basis is required");
        (await _admin.GraphQLAsync(EraseMutation, new { i = new { idNumber = person.IdNumber, legalBasis = "SUBJECT_REQUEST", reason = "  " } }))
            .Data("eraseCitizen").ErrorCodes().Should().Equal("REASON_REQUIRED");
        (await _caseworker.GraphQLAsync(EraseMutation, new { i = new { idNumber = person.IdNumber, legalBasis = "COURT_ORDER", reason = "order" } }))
            .TransportErrorCodes().Should().Equal("FORBIDDEN");

        (await api.EventCountAsync()).Should().Be(before);
        (await _caseworker.CitizenAsync(person.IdNumber)).GetProperty("surname").GetString().Should().Be(person.Surname);
    }

    [Fact]
    public async Task An_erased_person_is_not_imported_again_from_an_old_export()
    {
        var id = RegistryApiFactory.NewIdNumber(new DateOnly(1977, 7, 7)).Value;
        var csv = string.Join('\n', string.Join(',', Import.LegacyRegister.Columns),
            $"{id},Zodwa,{Caseworker.UniqueSurname("Khumalo")},1977-07-07,FEMALE,CITIZEN,7 Reed St,Brits,NW372,NorthWest,0250,E1,HEAD,900");
        var store = api.Services.GetRequiredService<IDocumentStore>();
        (await Import.LegacyRegister.ImportAsync(new StringReader(csv), store, TimeProvider.System, null, CancellationToken.None)).Imported.Should().Be(1);
        (await _admin.GraphQLAsync(EraseMutation, new { i = new { idNumber = id, legalBasis = "UNLAWFULLY_COLLECTED", reason = "complaint 88/2026" } }))
            .Data("eraseCitizen").ErrorCodes().Should().BeEmpty();
        var before = await api.EventCountAsync();

        var again = await Import.LegacyRegister.ImportAsync(new StringReader(csv), store, TimeProvider.System, null, CancellationToken.None);

        again.Imported.Should().Be(0);
        again.Rejects.Select(r => r.Code).Should().Equal("CITIZEN_ERASED");
        (await api.EventCountAsync()).Should().Be(before);
        (await _caseworker.GraphQLAsync("query($id: String!) { citizen(idNumber: $id) { id } }", new { id })).Data("citizen").ValueKind.Should().Be(JsonValueKind.Null);
    }

    // ===== Statistics: the erased are still counted, by nothing that points back to them ==========

    private HttpClient Statistics => api.ClientFor("department:STATSSA");

    private static object HomeIn(string municipality) => Caseworker.Address(municipality, "Brits", "NORTH_WEST");

    private static readonly object Gauteng = Caseworker.Address("JHB", "Johannesburg", "GAUTENG");

    private async Task<JsonElement> EraseAsync(string idNumber) =>
        (await _admin.GraphQLAsync(EraseMutation, new { i = new { idNumber, legalBasis = "SUBJECT_REQUEST", reason = "request 2026/0311" } })).Data("eraseCitizen");

    private async Task<string?> GrantAsync(string idNumber) =>
        (await _caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput", new { programme = "OLDER_PERSONS_GRANT", beneficiaryIdNumber = idNumber },
            "entitlement { status } errors { code }")).GetProperty("entitlement").GetProperty("status").GetString();

    /// <summary>The published count of one cell; null when suppressed or empty.</summary>
    private async Task<int?> PublishedAsync(string field, string grouping, string key)
    {
        var cells = (await Statistics.GraphQLAsync($"{{ statistics {{ {field}(groupBy: {grouping}) {{ key count }} }} }}"))
            .Data("statistics").GetProperty(field).EnumerateArray().Where(c => c.GetProperty("key").GetString() == key).ToList();
        return cells is [var cell] && cell.GetProperty("count").ValueKind == JsonValueKind.Number ? cell.GetProperty("count").GetInt32() : null;
    }

    /// <summary>
    /// Adds people to a cell one at a time until its published count steps up. The true count then ends in 5
    /// (it went from …4, shown rounded down, to …5, shown rounded up), so one person fewer would show 10 fewer.
    /// </summary>
    private static async Task ToRoundingEdgeAsync(string cell, Func<Task<int?>> published, Func<Task> addOne)
    {
        var before = await published();
        for (var added = 0; added < 30; added++)
        {
            await addOne();
            var after = await published();
            if (before is not null && after > before) return;
            before = after;
        }
        false.Should().BeTrue("{0} should step up within 30 people", cell);
    }

    [Fact]
    public async Task An_erased_person_is_still_counted_in_every_statistic_they_were_in()
    {
        // A pensioner with a grant, in a municipality of 15 people: 15 is published as 20, 14 would be 10.
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1950, 3, 3), address: HomeIn("QSE"));
        (await GrantAsync(pensioner)).Should().Be("ACTIVE");
        for (var i = 0; i < 14; i++) await _caseworker.RegisterAsync(new DateOnly(1990, 2, 1).AddDays(i), Sex.Male, address: HomeIn("QSE"));

        // Every other cell the pensioner is in, brought to the edge where one person fewer shows; each by people
        // who are in none of the cells set before it.
        var cells = new (string Field, string Grouping, string Key, Func<Task> AddOne)[]
        {
            ("beneficiaries", "PROVINCE", "NORTH_WEST", async () => (await GrantAsync(await _caseworker.RegisterAsync(new DateOnly(1945, 1, 1), Sex.Male, address: HomeIn("NW372")))).Should().Be("ACTIVE")),
            ("beneficiaries", "PROGRAMME", "OLDER_PERSONS_GRANT", async () => (await GrantAsync(await _caseworker.RegisterAsync(new DateOnly(1945, 1, 1), Sex.Male, address: Gauteng))).Should().Be("ACTIVE")),
            ("population", "AGE_BAND", "60+", () => _caseworker.RegisterAsync(new DateOnly(1945, 1, 1), Sex.Male, address: Gauteng)),
            ("population", "PROVINCE", "NORTH_WEST", () => _caseworker.RegisterAsync(new DateOnly(1990, 1, 1), Sex.Male, address: HomeIn("NW372"))),
            ("population", "SEX", "FEMALE", () => _caseworker.RegisterAsync(new DateOnly(1990, 1, 1), Sex.Female, address: Gauteng)),
        };
        foreach (var (field, grouping, key, addOne) in cells)
            await ToRoundingEdgeAsync($"{field} {key}", () => PublishedAsync(field, grouping, key), addOne);
        var shown = cells.Select(c => (c.Field, c.Grouping, c.Key)).Append(("population", "MUNICIPALITY", "QSE")).ToList();
        async Task<List<int?>> Read()
        {
            var counts = new List<int?>();
            foreach (var (field, grouping, key) in shown) counts.Add(await PublishedAsync(field, grouping, key));
            return counts;
        }
        var before = await Read();
        before[^1].Should().Be(20);

        (await EraseAsync(pensioner)).ErrorCodes().Should().BeEmpty();

        (await _caseworker.GraphQLAsync("query($id: String!) { citizen(idNumber: $id) { id } }", new { id = pensioner }))
            .Data("citizen").ValueKind.Should().Be(JsonValueKind.Null);
        (await Read()).Should().Equal(before, "the pensioner is still counted, by sex, province, age band, municipality and grant: {0}", string.Join(", ", shown));
    }

    [Fact]
    public async Task What_the_statistics_keep_of_erased_people_is_tallies_that_name_no_one()
    {
        async Task<JsonElement> Residue() =>
            JsonDocument.Parse(await api.ScalarAsync<string>($"SELECT coalesce((SELECT data::text FROM {api.Sql.ErasedResidues}), '{{}}')") ?? "{}").RootElement.Clone();
        static long Tally(JsonElement residue, string tally, string key) =>
            residue.TryGetProperty(tally, out var t) && t.TryGetProperty(key, out var n) ? n.GetInt64() : 0;

        var living = await RegisterDistinctiveAsync(new DateOnly(1963, 4, 4));
        var deceased = await RegisterDistinctiveAsync(new DateOnly(1962, 2, 2));
        (await _caseworker.MutateAsync("recordDeath", "RecordDeathInput",
            new { idNumber = deceased.IdNumber, dateOfDeath = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3).ToString("yyyy-MM-dd"), reason = "DHA-1663 notice 4711" }))
            .ErrorCodes().Should().BeEmpty();
        var before = await Residue();

        (await EraseAsync(living.IdNumber)).ErrorCodes().Should().BeEmpty();
        (await EraseAsync(deceased.IdNumber)).ErrorCodes().Should().BeEmpty();
        var after = await Residue();

        // The living woman born in 1963 in Cape Town is counted once more; the dead one, not in the population, not at all.
        long Added(string tally, string key) => Tally(after, tally, key) - Tally(before, tally, key);
        (Added("BirthYear", "1963"), Added("BirthYear", "1962"), Added("Sex", "Female"), Added("Province", "WesternCape"), Added("Municipality", "CPT"))
            .Should().Be((1L, 0L, 1L, 1L, 1L));
        after.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(["Id", "BirthYear", "Sex", "Province", "Municipality", "BeneficiaryProvince"]);
        after.GetProperty("Id").GetString().Should().Be(ErasedResidue.TheTallies, "it is one document for everyone, not one per person");
        (await api.ScalarAsync<long>($"SELECT count(*) FROM {api.Sql.ErasedResidues}")).Should().Be(1);
        (await api.ScalarAsync<string>("SELECT string_agg(column_name::text, ',' ORDER BY column_name) FROM information_schema.columns WHERE table_schema = 'registry' AND table_name = 'mt_doc_erasedresidue'"))
            .Should().Be("data,id", "no column says when a count was added, which would match it to the erasure");
        var text = after.ToString();
        foreach (var person in new[] { living, deceased })
            text.Should().NotContainAny([person.StreamId.ToString(), .. person.Values]);
        text.Should().NotContainAny("1963-04-04", "1962-02-02", "630404", "620202");
    }

    [Fact]
    public async Task Outside_development_the_register_does_not_start_without_its_master_key()
    {
        var start = () => ApiProcess.StartAsync(api.ConnectionString, new Dictionary<string, string> { ["Registry__MasterKey"] = "" });
        (await start.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*exited at start*");
    }
}
