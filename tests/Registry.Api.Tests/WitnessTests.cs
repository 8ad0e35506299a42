using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Registry.Api.Hosting;
using Registry.Projections.Integrity;

namespace Registry.Api.Tests;

/// <summary>
/// The checkpoints are signed with a key of their own, an empty checkpoint table proves nothing, and a
/// digest handed to an outside witness catches even an insider who holds the checkpoint key.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WitnessTests(RegistryApiFactory api)
{
    [Fact]
    public async Task Outside_Development_the_service_does_not_start_without_a_checkpoint_key_other_than_the_signing_key()
    {
        var missing = () => RegistryHost.Build(api.Arguments("--environment", "Production", "--Integrity:CheckpointKey="));
        missing.Should().Throw<InvalidOperationException>()
            .WithMessage("Set Integrity:CheckpointKey (Integrity__CheckpointKey) to a key of at least 32 bytes, different from Auth:SigningKey*");

        foreach (var environment in new[] { "Production", "Development" })
        {
            var same = () => RegistryHost.Build(api.Arguments("--environment", environment, $"--Integrity:CheckpointKey={RegistryApiFactory.SigningKey}"));
            same.Should().Throw<InvalidOperationException>().WithMessage("*must differ from Auth:SigningKey*", environment);
        }

        await using var separate = RegistryHost.Build(api.Arguments("--environment", "Production", $"--Integrity:CheckpointKey={RegistryApiFactory.CheckpointKey}"));
        separate.Services.GetRequiredService<Registry.Api.Audit.CheckpointKey>().Bytes.Should().Equal(Encoding.UTF8.GetBytes(RegistryApiFactory.CheckpointKey));
    }

    [Fact]
    public async Task In_Development_an_unset_checkpoint_key_works_but_is_not_the_signing_key()
    {
        await using var first = RegistryHost.Build(api.Arguments("--environment", "Development", "--Integrity:CheckpointKey="));
        await using var second = RegistryHost.Build(api.Arguments("--environment", "Development", "--Integrity:CheckpointKey="));
        var key = first.Services.GetRequiredService<Registry.Api.Audit.CheckpointKey>().Bytes;

        key.Should().NotEqual(Encoding.UTF8.GetBytes(RegistryApiFactory.SigningKey));
        key.Should().Equal(second.Services.GetRequiredService<Registry.Api.Audit.CheckpointKey>().Bytes, "verify and the service must agree on it");
    }

    private static async Task<string> CitizenWithIncomesAsync(HttpClient caseworker)
    {
        var id = await caseworker.RegisterAsync(new DateOnly(1968, 8, 8));
        foreach (var income in new[] { 1500m, 2500m })
            (await caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = income, source = "OTHER" }))
                .ErrorCodes().Should().BeEmpty();
        return id;
    }

    private static async Task<long> LastSequenceAsync(IsolatedRegistryFactory register)
    {
        await using var conn = new NpgsqlConnection(register.ConnectionString);
        await conn.OpenAsync();
        return (long)(await new NpgsqlCommand($"SELECT max(seq_id) FROM {register.Sql.Events} WHERE type <> 'tombstone'", conn).ExecuteScalarAsync())!;
    }

    private async Task<JsonElement> VerifyIntegrityAsync(IsolatedRegistryFactory register) =>
        (await register.ClientFor(api.Token("auditor")).GraphQLAsync("{ audit { verifyIntegrity { intact checkpointsChecked firstBrokenCheckpoint checkpointFinding } } }"))
            .Data("audit").GetProperty("verifyIntegrity");

    [Fact]
    public async Task Events_with_no_signed_checkpoint_are_not_intact()
    {
        await using var register = await IsolatedRegistryFactory.StartAsync(api);
        await CitizenWithIncomesAsync(register.ClientFor(api.Token("caseworker")));

        var unsealed = await VerifyIntegrityAsync(register);
        unsealed.GetProperty("intact").GetBoolean().Should().BeFalse("nothing vouches for the events: the checkpoints may have been deleted");
        unsealed.GetProperty("checkpointsChecked").GetInt32().Should().Be(0);
        unsealed.GetProperty("checkpointFinding").GetString().Should().Be("NO_CHECKPOINT", "an auditor can tell unsealed events from altered ones");
        (await register.CommandLine().RunAsync("verify")).Should().Be(1);

        await Checkpoints.SealUpToAsync(register.Services, await LastSequenceAsync(register));
        var sealedNow = await VerifyIntegrityAsync(register);
        sealedNow.GetProperty("intact").GetBoolean().Should().BeTrue();
        sealedNow.GetProperty("checkpointFinding").GetString().Should().Be("INTACT");
        (await register.CommandLine().RunAsync("verify")).Should().Be(0);
    }

    [Fact]
    public async Task A_witnessed_digest_verifies_until_an_insider_with_the_key_rewrites_events_hashes_and_checkpoints()
    {
        await using var register = await IsolatedRegistryFactory.StartAsync(api);
        var caseworker = register.ClientFor(api.Token("caseworker"));
        var id = await CitizenWithIncomesAsync(caseworker);
        var witnessed = await Checkpoints.SealUpToAsync(register.Services, await LastSequenceAsync(register));
        var file = Path.Combine(Path.GetTempPath(), $"registry-witness-{Guid.NewGuid():N}.json");
        try
        {
            (await register.CommandLine().RunAsync("witness", "--out", file)).Should().Be(0);
            var line = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement;
            line.GetProperty("sequence").GetInt64().Should().Be(witnessed.UpToSequence);
            line.GetProperty("digest").GetString().Should().Be(witnessed.Digest);
            line.GetProperty("signature").GetString().Should().Be(witnessed.Signature);
            line.TryGetProperty("at", out _).Should().BeTrue();

            // The register goes on; the witnessed checkpoint stays in its chain.
            (await caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = 3500m, source = "OTHER" })).ErrorCodes().Should().BeEmpty();
            await Checkpoints.SealUpToAsync(register.Services, await LastSequenceAsync(register));
            (await register.CommandLine().RunAsync("verify", "--witness", file)).Should().Be(0);
            (await register.CommandLine().RunAsync("verify", "--witness", witnessed.Digest)).Should().Be(0);
            (await register.CommandLine().RunAsync("verify", "--witness", "not a digest")).Should().Be(2);

            var key = register.Services.GetRequiredService<Registry.Api.Audit.CheckpointKey>().Bytes;
            await RewriteAsInsiderAsync(register, id, key);

            (await register.CommandLine().RunAsync("verify")).Should().Be(0, "the insider rewrote every hash and checkpoint, so the register agrees with itself");
            (await register.CommandLine().RunAsync("verify", "--witness", file)).Should().Be(1, "but not with what the witness kept");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// What someone with database access and the checkpoint key can do: change a declared income, then
    /// recompute the stream's hash chain and every checkpoint (same ranges, re-signed) so all of it agrees.
    /// </summary>
    private static async Task RewriteAsInsiderAsync(IsolatedRegistryFactory register, string idNumber, byte[] key)
    {
        await using var conn = new NpgsqlConnection(register.ConnectionString);
        await conn.OpenAsync();
        async Task ExecuteAsync(string sql, params object[] args)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
            await cmd.ExecuteNonQueryAsync();
        }

        var stream = (Guid)(await new NpgsqlCommand($"SELECT id FROM {register.Sql.Citizens} WHERE data ->> 'IdNumber' = '{idNumber}'", conn).ExecuteScalarAsync())!;
        await ExecuteAsync($"UPDATE {register.Sql.Events} SET data = jsonb_set(data, '{{MonthlyIncome}}', '99') WHERE stream_id = $1 AND version = 2", stream);

        var rows = new List<(long Sequence, long Version, string Type, string Data, string? Effective, string? Reason, string? Actor, string? Correlation)>();
        await using (var read = new NpgsqlCommand($"""
            SELECT seq_id, version, type, data::text, headers ->> 'effectiveDate', headers ->> 'reason', user_name, correlation_id
            FROM {register.Sql.Events} WHERE stream_id = $1 ORDER BY version
            """, conn) { Parameters = { new() { Value = stream } } })
        await using (var reader = await read.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), Text(reader, 4), Text(reader, 5), Text(reader, 6), Text(reader, 7)));
        var previous = EventChain.Genesis;
        foreach (var r in rows)
        {
            previous = EventChain.Hash(previous, stream, r.Version, r.Type, r.Data, r.Effective, r.Reason, r.Actor, r.Correlation);
            await ExecuteAsync($"UPDATE {register.Sql.Events} SET headers = jsonb_set(headers, '{{hash}}', to_jsonb($1::text)) WHERE seq_id = $2", previous, r.Sequence);
        }

        var store = register.Services.GetRequiredService<Marten.IDocumentStore>();
        await using var session = store.LightweightSession();
        var digest = "genesis";
        foreach (var c in await Marten.QueryableExtensions.ToListAsync(session.Query<IntegrityCheckpoint>().OrderBy(c => c.Id)))
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha.AppendData(Encoding.UTF8.GetBytes(digest));
            await using (var hashes = new NpgsqlCommand(
                $"SELECT seq_id::text || ':' || coalesce(headers ->> 'hash', '') FROM {register.Sql.Events} WHERE seq_id BETWEEN $1 AND $2 AND type <> 'tombstone' ORDER BY seq_id", conn)
                { Parameters = { new() { Value = c.FromSequence }, new() { Value = c.UpToSequence } } })
            await using (var reader = await hashes.ExecuteReaderAsync())
                while (await reader.ReadAsync()) sha.AppendData(Encoding.UTF8.GetBytes("\n" + reader.GetString(0)));
            var resealed = Convert.ToHexStringLower(sha.GetHashAndReset());
            session.Store(c with
            {
                PreviousDigest = digest, Digest = resealed,
                Signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{c.UpToSequence}:{resealed}"))),
            });
            digest = resealed;
        }
        await session.SaveChangesAsync();
    }

    private static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
}
