using Npgsql;
using NpgsqlTypes;
using Registry.Api.Hosting;

namespace Registry.Api.Tests;

/// <summary>A pooled connection that saw a statement fail still runs the statements it is given, and answers with their rows.</summary>
[Collection(ApiCollection.Name)]
public sealed class PooledConnectionTests(RegistryApiFactory api)
{
    // A lookup that may find nothing, and a statement after it whose rows must not be taken for the lookup's.
    private const string Lookup = "SELECT 'found ' || $1::text WHERE $2::int > 0";
    private const string Other = "SELECT 'other ' || $1::text";

    [Fact]
    public async Task A_statement_refused_at_bind_as_it_is_prepared_leaves_its_connection_answering_each_statement_with_its_own_rows()
    {
        // One connection for everything, and an operator's connection string that asks for auto-prepare.
        var asked = api.ConnectionString + ";Maximum Pool Size=1;Max Auto Prepare=64;Auto Prepare Min Usages=2";
        await using var source = NpgsqlDataSource.Create(RegistryConnection.Tuned(asked));

        (await RunAsync(source, (Lookup, ["a", 1]))).Should().Equal("found a");
        // The second run is the one Npgsql would prepare on; PostgreSQL refuses the NUL when it binds the parameters.
        var refused = async () => await RunAsync(source, (Lookup, ["b\0", 1]));
        (await refused.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.CharacterNotInRepertoire);

        (await RunAsync(source, (Lookup, ["c", 0]), (Other, ["someone else"]))).Should().Equal(null, "other someone else");
        (await RunAsync(source, (Lookup, ["d", 1]))).Should().Equal("found d");
    }

    /// <summary>Each statement's first row (null where it has none), read result set by result set.</summary>
    private static async Task<List<string?>> RunAsync(NpgsqlDataSource source, params (string Sql, object[] Args)[] statements)
    {
        await using var connection = await source.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        foreach (var (sql, args) in statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var arg in args)
                command.Parameters.Add(arg is int n ? new NpgsqlParameter { Value = n, NpgsqlDbType = NpgsqlDbType.Integer } : new NpgsqlParameter { Value = arg, NpgsqlDbType = NpgsqlDbType.Text });
            batch.BatchCommands.Add(command);
        }
        var rows = new List<string?>();
        await using var reader = await batch.ExecuteReaderAsync();
        do rows.Add(await reader.ReadAsync() ? reader.GetString(0) : null);
        while (await reader.NextResultAsync());
        return rows;
    }
}
