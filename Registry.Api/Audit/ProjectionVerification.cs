using Marten;
using Npgsql;
using Registry.Api.Hosting;
using Registry.Projections;

namespace Registry.Api.Audit;

/// <summary>
/// Rebuilds every read model into a scratch schema from a copy of the events and compares it, document
/// by document, with the live read models. The live schema is only read.
/// </summary>
public static class ProjectionVerification
{
    public const string ScratchSchema = "registry_verify";

    public sealed record Result(long Events, IReadOnlyList<string> Differences, TimeSpan Elapsed);

    public static async Task<Result> RunAsync(string connectionString, IConfiguration configuration, Action<string>? progress, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await ExecuteAsync(connectionString, $"DROP SCHEMA IF EXISTS {ScratchSchema} CASCADE", ct);
        try
        {
            using var scratch = DocumentStore.For(opts => RegistryHost.ConfigureStore(opts, connectionString, ScratchSchema, configuration));
            await scratch.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

            // The same events, copied inside PostgreSQL, so the rebuild reads exactly what the live one did.
            await ExecuteAsync(connectionString, $"""
                INSERT INTO {ScratchSchema}.mt_streams SELECT * FROM registry.mt_streams;
                INSERT INTO {ScratchSchema}.mt_events SELECT * FROM registry.mt_events;
                SELECT setval('{ScratchSchema}.mt_events_sequence', (SELECT coalesce(max(seq_id), 1) FROM {ScratchSchema}.mt_events));
                """, ct);
            var events = await ScalarAsync(connectionString, $"SELECT count(*) FROM {ScratchSchema}.mt_events", ct);
            progress?.Invoke($"Copied {events:N0} events into {ScratchSchema}; rebuilding…");

            using var daemon = await scratch.BuildProjectionDaemonAsync();
            foreach (var phase in scratch.Options.RebuildPhases())
                await Task.WhenAll(phase.Select(async name =>
                {
                    await daemon.RebuildProjectionAsync(name, TimeSpan.FromMinutes(60), ct);
                    progress?.Invoke($"  rebuilt {name}");
                }));

            var differences = new List<string>();
            // The read models only: keys, erased identities and the erased people's tallies are no projection's, and no rebuild remakes them.
            foreach (var table in new[] { "citizen", "household", "householdmembership", "householdjoining", "entitlement", "socialgrantrecord", "municipalhousehold", "programme" })
            {
                var rows = await ListAsync(connectionString, $"""
                    SELECT coalesce(l.id::text, s.id::text) || ': ' || CASE WHEN l.id IS NULL THEN 'only in the rebuild'
                           WHEN s.id IS NULL THEN 'only in the live read model' ELSE 'differs' END
                    FROM registry.mt_doc_{table} l FULL JOIN {ScratchSchema}.mt_doc_{table} s ON s.id = l.id
                    WHERE l.id IS NULL OR s.id IS NULL OR l.data <> s.data
                    ORDER BY 1 LIMIT 100
                    """, ct);
                differences.AddRange(rows.Select(r => $"{table} {r}"));
            }
            return new Result(events, differences, started.Elapsed);
        }
        finally
        {
            await ExecuteAsync(connectionString, $"DROP SCHEMA IF EXISTS {ScratchSchema} CASCADE", ct);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await new NpgsqlCommand(sql, conn).ExecuteNonQueryAsync(ct);
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        return (long)(await new NpgsqlCommand(sql, conn).ExecuteScalarAsync(ct))!;
    }

    private static async Task<List<string>> ListAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using var reader = await new NpgsqlCommand(sql, conn).ExecuteReaderAsync(ct);
        var list = new List<string>();
        while (await reader.ReadAsync(ct)) list.Add(reader.GetString(0));
        return list;
    }
}
