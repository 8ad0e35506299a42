using Marten;
using Microsoft.Extensions.Configuration;
using Registry.Api.Hosting;
using Registry.Api.Import;
using Registry.Domain.Citizens;
using Registry.Projections.Privacy;

namespace Registry.Api.Tests;

/// <summary>A master-key rotation in a database of its own: after rewrap-keys, the new key alone opens every person's data.</summary>
[Collection(ApiCollection.Name)]
public sealed class KeyRotationTests(RegistryApiFactory api)
{
    private const string OldKey = "b2xkLW1hc3Rlci1rZXktMDEyMzQ1Njc4OWFiY2RlZmc=";
    private const string NewKey = "bmV3LW1hc3Rlci1rZXktMDEyMzQ1Njc4OWFiY2RlZmc=";

    private static IConfiguration Keys(string master, string? previous = null) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["environment"] = "Production",
        [RegistryKeys.MasterKey] = master,
        [RegistryKeys.PreviousMasterKeys] = previous,
        [RegistryKeys.BlindIndexKey] = RegistryApiFactory.BlindIndexKey,
    }).Build();

    [Fact]
    public async Task After_rewrap_keys_the_new_master_key_alone_opens_every_persons_data()
    {
        var database = $"registry_rotation_{Guid.NewGuid():N}";
        await RegistryApiFactory.CreateDatabaseAsync(api.ServerConnectionString, database);
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(api.ServerConnectionString) { Database = database }.ConnectionString;
        try
        {
            var id = RegistryApiFactory.NewIdNumber(new DateOnly(1969, 9, 19)).Value;
            using (var store = DocumentStore.For(opts => RegistryHost.ConfigureStore(opts, connectionString, Keys(OldKey))))
            {
                await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
                var csv = string.Join('\n', string.Join(',', LegacyRegister.Columns),
                    $"{id},Lerato,Sithole,1969-09-19,FEMALE,CITIZEN,9 Vine St,Brits,NW372,NorthWest,0250,R1,HEAD,1500");
                (await LegacyRegister.ImportAsync(new StringReader(csv), store, TimeProvider.System, null, CancellationToken.None)).Imported.Should().Be(1);
            }

            (await api.CommandLine(("ConnectionStrings:Registry", connectionString), (RegistryKeys.MasterKey, NewKey), (RegistryKeys.PreviousMasterKeys, OldKey))
                .RunAsync("rewrap-keys")).Should().Be(0);

            using (var store = DocumentStore.For(opts => RegistryHost.ConfigureStore(opts, connectionString, Keys(NewKey))))
            {
                await using var session = store.QuerySession();
                var citizen = await session.Query<Citizen>().SingleAsync(c => c.IdNumber == id);
                var registered = (await session.Events.FetchStreamAsync(citizen.Id)).Select(e => e.Data).OfType<CitizenRegistered>().Single();
                registered.IdNumber.Should().Be(id);
                registered.Surname.Should().Be("Sithole");
                var underOld = await session.AdvancedSql.QueryAsync<long>(
                    $"SELECT count(*) FROM {RegistrySql.Of(store).CitizenKeys} WHERE data ->> 'MasterKeyId' <> ?", CancellationToken.None, MasterKeys.IdOf(Convert.FromBase64String(NewKey)));
                underOld.Single().Should().Be(0);
            }
        }
        finally
        {
            await RegistryApiFactory.DropDatabaseAsync(api.ServerConnectionString, database);
        }
    }
}
