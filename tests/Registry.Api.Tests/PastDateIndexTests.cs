using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Registry.Projections.Households;
using Registry.Projections;

namespace Registry.Api.Tests;

/// <summary>A past-date answer finds the households a person ever joined by index, however many events the register holds.</summary>
[Collection(ApiCollection.Name)]
public sealed class PastDateIndexTests(RegistryApiFactory api)
{
    [Fact]
    public async Task The_households_a_citizen_ever_joined_are_found_by_index_not_by_a_scan()
    {
        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var query = StateAsOf.HouseholdsEverJoined(session, [Guid.NewGuid(), Guid.NewGuid()]).ToCommand();

        await using var conn = new NpgsqlConnection(api.ConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        // A register's worth of joinings, with fresh statistics, in a transaction rolled back afterwards:
        // on a table this size the planner picks a scan unless an index serves the query.
        var joinings = api.Sql.Document<HouseholdJoining>();
        await new NpgsqlCommand($"""
            INSERT INTO {joinings} (id, data)
            SELECT 'plan-' || g, jsonb_build_object('Id', 'plan-' || g, 'CitizenId', gen_random_uuid(), 'HouseholdId', gen_random_uuid())
            FROM generate_series(1, 50000) g;
            ANALYZE {joinings};
            """, conn, tx).ExecuteNonQueryAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN " + query.CommandText, conn, tx);
        foreach (NpgsqlParameter parameter in query.Parameters) explain.Parameters.Add(parameter.Clone());
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        await tx.RollbackAsync();

        string.Join("\n", plan).Should().Contain(RegistryDocuments.HouseholdJoiningCitizenIndex).And.NotContain("Seq Scan", string.Join("\n", plan));
    }
}
