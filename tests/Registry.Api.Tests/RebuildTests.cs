using Marten;
using Microsoft.Extensions.Configuration;
using Registry.Api.Audit;
using Registry.Api.Hosting;
using Registry.Api.Import;
using Registry.Domain.Citizens;
using Registry.Projections.Municipalities;
using Registry.Projections.Privacy;

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
        // The register's keys, as the verb has them.
        var configuration = api.ConfigurationWith(("ConnectionStrings:Registry", connectionString));
        var sql = RegistrySql.For(RegistryHost.SchemaOf(configuration));
        try
        {
            using (var store = DocumentStore.For(opts => RegistryHost.ConfigureStore(opts, connectionString, configuration)))
            {
                var file = new StringWriter();
                await LegacyRegister.GenerateAsync(file, 20_000, DateOnly.FromDateTime(DateTime.UtcNow));
                await LegacyRegister.ImportAsync(new StringReader(file.ToString()), store, TimeProvider.System, null, CancellationToken.None);
                using var daemon = await store.BuildProjectionDaemonAsync();
                await daemon.CatchUpAsync(CancellationToken.None);
                // Tallies of an erased person, written as an erasure writes them (this store has no API to erase through).
                await using var session = store.LightweightSession();
                await ErasedResidue.CountInAsync(session, (await session.Query<Citizen>().Take(1).ToListAsync())[0], 1, CancellationToken.None);
                await session.SaveChangesAsync();
            }
            var residue = await ScalarAsync<string>(connectionString, $"SELECT data::text FROM {sql.ErasedResidues}");
            residue.Should().Contain("BeneficiaryProvince");
            var events = await ScalarAsync<long>(connectionString, $"SELECT count(*) FROM {sql.Events} WHERE type <> 'tombstone'");
            events.Should().BeGreaterThan(50_000);

            (await api.CommandLine(("ConnectionStrings:Registry", connectionString)).RunAsync("rebuild")).Should().Be(0);

            (await ScalarAsync<long>(connectionString, $"SELECT count(*) FROM {sql.Document<MunicipalHousehold>()} WHERE (data ->> 'Members')::int = 0"))
                .Should().Be(0, "every household has a living member; a household computed from half-rebuilt documents counts none");
            var verification = await ProjectionVerification.RunAsync(connectionString, configuration, null, CancellationToken.None);
            verification.Differences.Should().BeEmpty();
            (await ScalarAsync<string>(connectionString, $"SELECT data::text FROM {sql.ErasedResidues}"))
                .Should().Be(residue, "no event could remake the erased people's tallies, so neither a rebuild nor its verification touches them");
        }
        finally
        {
            await RegistryApiFactory.DropDatabaseAsync(api.ServerConnectionString, database);
        }
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var conn = new Npgsql.NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        return (T)(await new Npgsql.NpgsqlCommand(sql, conn).ExecuteScalarAsync())!;
    }
}
