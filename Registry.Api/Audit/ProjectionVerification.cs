using Marten;
using Npgsql;
using Registry.Api.Hosting;
using Registry.Domain.Citizens;
using Registry.Domain.Entitlements;
using Registry.Domain.Households;
using Registry.Domain.Programmes;
using Registry.Projections;
using Registry.Projections.Households;
using Registry.Projections.Municipalities;
using Registry.Projections.SocialDevelopment;
using Registry.Projections.Sql;

namespace Registry.Api.Audit;

/// <summary>
/// Rebuilds every read model into a scratch schema from a copy of the events and compares it, document
/// by document, with the live read models. The live schema is only read.
/// </summary>
public static class ProjectionVerification
{
    public sealed record Result(long Events, IReadOnlyList<string> Differences, TimeSpan Elapsed);

    public static async Task<Result> RunAsync(string connectionString, IConfiguration configuration, Action<string>? progress, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var live = RegistrySql.For(RegistryHost.SchemaOf(configuration));
        // Beside the live schema, named after it: two registers in one database verify apart.
        var copy = RegistrySql.For(live.Schema + "_verify");
        await ExecuteAsync(connectionString, copy.DropSchema, ct);
        try
        {
            using var scratch = DocumentStore.For(opts => RegistryHost.ConfigureStore(opts, connectionString, configuration, copy.Schema));
            await scratch.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

            // The same events, copied inside PostgreSQL, so the rebuild reads exactly what the live one did.
            await ExecuteAsync(connectionString, live.CopyEventsInto(copy), ct);
            var events = await ScalarAsync(connectionString, copy.EventRowCount, ct);
            progress?.Invoke($"Copied {events:N0} events into {copy.Schema}; rebuilding…");

            using var daemon = await scratch.BuildProjectionDaemonAsync();
            foreach (var phase in scratch.Options.RebuildPhases())
                await Task.WhenAll(phase.Select(async name =>
                {
                    await daemon.RebuildProjectionAsync(name, TimeSpan.FromMinutes(60), ct);
                    progress?.Invoke($"  rebuilt {name}");
                }));

            var differences = new List<string>();
            // The read models only: keys, erased identities and the erased people's tallies are no projection's, and no rebuild remakes them.
            foreach (var model in new[] { typeof(Citizen), typeof(Household), typeof(HouseholdMembership), typeof(HouseholdJoining), typeof(Entitlement),
                         typeof(SocialGrantRecord), typeof(MunicipalHousehold), typeof(Programme) })
            {
                var rows = await ListAsync(connectionString, live.ReadModelDifferences(copy, model), ct);
                differences.AddRange(rows.Select(r => $"{model.Name.ToLowerInvariant()} {r}"));
            }
            return new Result(events, differences, started.Elapsed);
        }
        finally
        {
            await ExecuteAsync(connectionString, copy.DropSchema, ct);
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
