using Marten;
using Microsoft.Extensions.Configuration;
using Registry.Api.Audit;
using Registry.Api.Hosting;
using Registry.Api.Import;

namespace Registry.Api.Tests;

/// <summary>The rebuild verb on a register of national shape, in a database of its own: afterwards the read models equal a fresh replay.</summary>
[Collection(ApiCollection.Name)]
public sealed class RebuildTests(RegistryApiFactory api)
{
    [Fact]
    public async Task A_rebuild_of_a_register_of_over_50000_events_leaves_every_read_model_as_a_replay_makes_it()
    {
        var database = $"registry_rebuild_{Guid.NewGuid():N}";
        await RegistryApiFactory.CreateDatabaseAsync(api.ServerConnectionString, database);
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(api.ServerConnectionString) { Database = database }.ConnectionString;
        // The environment carries the register's keys (RegistryApiFactory sets them), as it does for a real verb.
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        try
        {
            using (var store = DocumentStore.For(opts => RegistryHost.ConfigureStore(opts, connectionString, "registry", configuration)))
            {
                var file = new StringWriter();
                await LegacyRegister.GenerateAsync(file, 20_000, DateOnly.FromDateTime(DateTime.UtcNow));
                await LegacyRegister.ImportAsync(new StringReader(file.ToString()), store, TimeProvider.System, null, CancellationToken.None);
                using var daemon = await store.BuildProjectionDaemonAsync();
                await daemon.CatchUpAsync(CancellationToken.None);
            }
            var events = await CountAsync(connectionString, "SELECT count(*) FROM registry.mt_events WHERE type <> 'tombstone'");
            events.Should().BeGreaterThan(50_000);

            (await Verbs.RebuildAsync([$"--ConnectionStrings:Registry={connectionString}"])).Should().Be(0);

            (await CountAsync(connectionString, "SELECT count(*) FROM registry.mt_doc_municipalhousehold WHERE (data ->> 'Members')::int = 0"))
                .Should().Be(0, "every household has a living member; a household computed from half-rebuilt documents counts none");
            var verification = await ProjectionVerification.RunAsync(connectionString, configuration, null, CancellationToken.None);
            verification.Differences.Should().BeEmpty();
        }
        finally
        {
            await RegistryApiFactory.DropDatabaseAsync(api.ServerConnectionString, database);
        }
    }

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var conn = new Npgsql.NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        return (long)(await new Npgsql.NpgsqlCommand(sql, conn).ExecuteScalarAsync())!;
    }
}
