using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Registry.Api.Tests;

/// <summary>Each event is sealed into its stream's hash chain; edits, deletions and reorderings in the table are caught.</summary>
[Collection(ApiCollection.Name)]
public sealed class IntegrityTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");
    private readonly HttpClient _auditor = api.ClientFor("auditor");

    private async Task<(string IdNumber, Guid StreamId)> CitizenWithHistoryAsync()
    {
        var id = await _caseworker.RegisterAsync(new DateOnly(1972, 2, 2));
        foreach (var income in new[] { 1000m, 2000m, 3000m })
            await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = income, source = "OTHER" });
        var streamId = Guid.Parse((await _caseworker.CitizenAsync(id)).GetProperty("id").GetString()!);
        return (id, streamId);
    }

    private async Task<JsonElement> VerifyAsync(string idNumber) =>
        (await _auditor.GraphQLAsync("query($id: String!) { audit { verifyIntegrity(idNumber: $id) { streamsChecked eventsChecked intact firstBrokenSequence } } }", new { id = idNumber }))
        .Data("audit").GetProperty("verifyIntegrity");

    private async Task ExecuteAsync(string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(api.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        await cmd.ExecuteNonQueryAsync();
    }

    private Task<long> SequenceOfAsync(Guid stream, int version) =>
        api.ScalarAsync<long>($"SELECT seq_id FROM {api.Sql.Events} WHERE stream_id = $1 AND version = $2", stream, (long)version);

    [Fact]
    public async Task An_untouched_history_verifies_and_every_event_carries_its_hash()
    {
        var (id, _) = await CitizenWithHistoryAsync();

        var report = await VerifyAsync(id);
        report.GetProperty("intact").GetBoolean().Should().BeTrue();
        report.GetProperty("eventsChecked").GetInt32().Should().Be(4);
        var hashes = (await _auditor.GraphQLAsync("query($id: String!) { audit { history(idNumber: $id) { edges { node { hash } } } } }", new { id }))
            .Data("audit").GetProperty("history").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("hash").GetString()).ToList();
        hashes.Should().HaveCount(4).And.OnlyHaveUniqueItems().And.OnlyContain(h => h!.Length == 64);

        var whole = (await _auditor.GraphQLAsync("{ audit { verifyIntegrity { intact streamsChecked } } }")).Data("audit").GetProperty("verifyIntegrity");
        whole.GetProperty("streamsChecked").GetInt32().Should().BeGreaterThan(1);
    }

    [Fact]
    public async Task An_event_edited_in_the_table_is_caught()
    {
        var (id, stream) = await CitizenWithHistoryAsync();
        await ExecuteAsync($"UPDATE {api.Sql.Events} SET data = jsonb_set(data, '{{MonthlyIncome}}', '99') WHERE stream_id = $1 AND version = 3", stream);

        var report = await VerifyAsync(id);
        report.GetProperty("intact").GetBoolean().Should().BeFalse();
        report.GetProperty("firstBrokenSequence").GetInt64().Should().Be(await SequenceOfAsync(stream, 3));
    }

    [Fact]
    public async Task A_deleted_event_is_caught()
    {
        var (id, stream) = await CitizenWithHistoryAsync();
        var fourth = await SequenceOfAsync(stream, 4);
        await ExecuteAsync($"DELETE FROM {api.Sql.Events} WHERE stream_id = $1 AND version = 2", stream);

        var report = await VerifyAsync(id);
        report.GetProperty("intact").GetBoolean().Should().BeFalse();
        report.GetProperty("firstBrokenSequence").GetInt64().Should().BeLessThanOrEqualTo(fourth);
    }

    [Fact]
    public async Task Reordered_events_are_caught()
    {
        var (id, stream) = await CitizenWithHistoryAsync();
        // Swap versions 2 and 3 (through a free number, as (stream, version) is unique).
        await ExecuteAsync($"UPDATE {api.Sql.Events} SET version = 1000 WHERE stream_id = $1 AND version = 2", stream);
        await ExecuteAsync($"UPDATE {api.Sql.Events} SET version = 2 WHERE stream_id = $1 AND version = 3", stream);
        await ExecuteAsync($"UPDATE {api.Sql.Events} SET version = 3 WHERE stream_id = $1 AND version = 1000", stream);

        (await VerifyAsync(id)).GetProperty("intact").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task An_exported_history_verifies_offline_and_an_edited_export_does_not()
    {
        var (id, _) = await CitizenWithHistoryAsync();
        var file = Path.Combine(Path.GetTempPath(), $"registry-export-{Guid.NewGuid():N}.jsonl");
        try
        {
            (await api.CommandLine().RunAsync("export", "--id-number", id, "--out", file)).Should().Be(0);
            var lines = await File.ReadAllLinesAsync(file);
            lines.Should().HaveCount(4);
            Registry.Api.Audit.HistoryExport.VerifyFile(lines).Intact.Should().BeTrue();
            (await api.CommandLine().RunAsync("verify-export", file)).Should().Be(0);

            // The income is stored sealed (with the event's other personal values); altering the ciphertext is altering the event.
            var line = System.Text.Json.Nodes.JsonNode.Parse(lines[2])!;
            var income = line["data"]!["$personal"]!;
            var sealedIncome = income["$sealed"]!.GetValue<string>();
            income["$sealed"] = (sealedIncome[0] == 'A' ? "B" : "A") + sealedIncome[1..];
            lines[2] = line.ToJsonString();
            var tampered = Registry.Api.Audit.HistoryExport.VerifyFile(lines);
            tampered.Intact.Should().BeFalse();
            tampered.FirstBrokenSequence.Should().Be(JsonDocument.Parse(lines[2]).RootElement.GetProperty("sequence").GetInt64());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_deleted_stream_escapes_the_stream_chains_but_not_the_signed_checkpoints()
    {
        var (id, stream) = await CitizenWithHistoryAsync();
        var last = await SequenceOfAsync(stream, 4);
        var store = api.Services.GetRequiredService<Marten.IDocumentStore>();
        var key = api.Services.GetRequiredService<Registry.Api.Audit.CheckpointKey>().Bytes;
        var sealedUpTo = await Checkpoints.SealUpToAsync(api.Services, last);
        await using (var query = store.QuerySession())
            (await Registry.Projections.Integrity.IntegrityCheckpoints.VerifyAsync(query, key, CancellationToken.None)).Intact.Should().BeTrue();

        await ExecuteAsync($"DELETE FROM {api.Sql.Events} WHERE stream_id = $1", stream);

        (await VerifyAsync(id)).GetProperty("eventsChecked").GetInt32().Should().Be(0, "the stream's own chain is gone with it");
        await using (var query = store.QuerySession())
        {
            var report = await Registry.Projections.Integrity.IntegrityCheckpoints.VerifyAsync(query, key, CancellationToken.None);
            report.Intact.Should().BeFalse();
            report.FirstBrokenCheckpoint.Should().BeLessThanOrEqualTo(sealedUpTo.UpToSequence);
        }
    }

    [Fact]
    public async Task A_check_of_the_whole_register_runs_in_the_background_shows_its_progress_and_finds_an_altered_event()
    {
        await using var register = await IsolatedRegistryFactory.StartAsync(api);
        var caseworker = register.ClientFor(api.Token("caseworker"));
        caseworker.DefaultRequestHeaders.Add("X-Purpose", RegistryApiFactory.Purpose);
        var auditor = register.ClientFor(api.Token("auditor"));
        var id = await caseworker.RegisterAsync();
        (await caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = 900m, source = "OTHER" })).ErrorCodes().Should().BeEmpty();
        await using (var conn = new NpgsqlConnection(register.ConnectionString))
        {
            await conn.OpenAsync();
            await Checkpoints.SealUpToAsync(register.Services, (long)(await new NpgsqlCommand($"SELECT max(seq_id) FROM {register.Sql.Events}", conn).ExecuteScalarAsync())!);
        }

        async Task<JsonElement> CheckAsync()
        {
            var started = (await auditor.GraphQLAsync("mutation { startRegisterCheck { id status eventsChecked eventsTotal requestedBy report { intact } } }")).Data("startRegisterCheck");
            started.GetProperty("eventsTotal").GetInt64().Should().BeGreaterThan(2);
            started.GetProperty("requestedBy").GetString().Should().NotBeNullOrEmpty();
            for (var waited = System.Diagnostics.Stopwatch.StartNew(); ; await Task.Delay(100))
            {
                var check = (await auditor.GraphQLAsync("query($id: ID!) { audit { registerCheck(id: $id) { status eventsChecked eventsTotal finishedAt report { intact streamsChecked eventsChecked firstBrokenStream checkpointFinding } } } }",
                    new { id = started.GetProperty("id").GetString() })).Data("audit").GetProperty("registerCheck");
                if (check.GetProperty("status").GetString() == "DONE" || waited.Elapsed > TimeSpan.FromSeconds(60))
                {
                    check.GetProperty("status").GetString().Should().Be("DONE");
                    return check;
                }
                check.GetProperty("report").ValueKind.Should().Be(JsonValueKind.Null, "a check that is running has no answer yet");
            }
        }

        var intact = await CheckAsync();
        intact.GetProperty("report").GetProperty("intact").GetBoolean().Should().BeTrue();
        intact.GetProperty("report").GetProperty("checkpointFinding").GetString().Should().Be("INTACT");
        intact.GetProperty("eventsChecked").GetInt64().Should().Be(intact.GetProperty("eventsTotal").GetInt64());

        var stream = Guid.Parse((await caseworker.CitizenAsync(id)).GetProperty("id").GetString()!);
        await using (var conn = new NpgsqlConnection(register.ConnectionString))
        {
            await conn.OpenAsync();
            await using var alter = new NpgsqlCommand($"UPDATE {register.Sql.Events} SET data = jsonb_set(data, '{{Source}}', '\"Employment\"') WHERE stream_id = $1 AND version = 2", conn);
            alter.Parameters.AddWithValue(stream);
            (await alter.ExecuteNonQueryAsync()).Should().Be(1);
        }
        var broken = (await CheckAsync()).GetProperty("report");
        broken.GetProperty("intact").GetBoolean().Should().BeFalse();
        broken.GetProperty("firstBrokenStream").GetString().Should().Be(stream.ToString());

        (await caseworker.GraphQLAsync("mutation { startRegisterCheck { id } }")).TransportErrorCodes().Should().Equal("FORBIDDEN");
    }
}
