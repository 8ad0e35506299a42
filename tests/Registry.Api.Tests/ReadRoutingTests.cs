using GraphQL;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Registry.Api.GraphQL;
using Registry.Api.Hosting;

namespace Registry.Api.Tests;

/// <summary>
/// Read-replica routing, without a replica: the test server is listed twice in a multi-host connection
/// string. Which server answers cannot be seen here (scripts/replica-demo.sh proves that against a real
/// standby); what is checked is the wiring that decides it, and that the register works through it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ReadRoutingTests(RegistryApiFactory api)
{
    [Fact]
    public void With_one_host_nothing_is_routed()
    {
        api.Services.GetService<ReadRouting.QueryRoute>().Should().BeNull();
        using var scope = api.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<IQuerySession>().Should().NotBeAssignableTo<IDocumentSession>();
    }

    [Fact]
    public async Task With_several_hosts_queries_take_standby_sessions_and_mutations_primary_ones()
    {
        var database = $"registry_test_routing_{Environment.ProcessId}_{DateTime.UtcNow:HHmmss}";
        var server = new NpgsqlConnectionStringBuilder(api.ServerConnectionString);
        var twice = $"{server.Host}:{server.Port},{server.Host}:{server.Port}";
        await RegistryApiFactory.CreateDatabaseAsync(api.ServerConnectionString, database);
        try
        {
            await using var factory = api.AnotherHost(("ConnectionStrings:Registry",
                new NpgsqlConnectionStringBuilder(api.ServerConnectionString) { Host = twice, Database = database }.ConnectionString));
            var store = factory.Services.GetRequiredService<IDocumentStore>();
            ((StoreOptions)store.Options).Advanced.MultiHostSettings.ReadSessionPreference.Should().Be(TargetSessionAttributes.PreferStandby);
            ((StoreOptions)store.Options).Advanced.MultiHostSettings.WriteSessionPreference.Should().Be(TargetSessionAttributes.Primary);

            // A query operation marks its request for the standby; a mutation does not.
            (await SessionOfOperation(factory.Services, "{ __typename }")).Should().NotBeAssignableTo<IDocumentSession>();
            (await SessionOfOperation(factory.Services, "mutation { __typename }")).Should().BeAssignableTo<IDocumentSession>(
                "a mutation reads its own writes, so its reads go to the primary");

            // A Wolverine handler's IQuerySession comes from the configured session factory: the primary.
            var handlers = factory.Services.GetRequiredService<Wolverine.Marten.Publishing.OutboxedSessionFactory>();
            await using (var handlerSession = handlers.QuerySession(new Wolverine.Runtime.MessageContext(
                             factory.Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>())))
                handlerSession.Should().BeAssignableTo<IDocumentSession>();

            // Everything still works through the routed sessions: the mutation reads back what it wrote.
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", api.Token("caseworker"));
            client.DefaultRequestHeaders.Add("X-Purpose", RegistryApiFactory.Purpose);
            var id = await client.RegisterAsync(new DateOnly(1990, 4, 2));
            (await client.GraphQLAsync("query($id: String!) { citizen(idNumber: $id) { idNumber } }", new { id }))
                .Data("citizen").GetProperty("idNumber").GetString().Should().Be(id);
        }
        finally
        {
            await RegistryApiFactory.DropDatabaseAsync(api.ServerConnectionString, database);
        }
    }

    /// <summary>Runs an operation in a request scope and returns the IQuerySession that scope's resolvers get.</summary>
    private static async Task<IQuerySession> SessionOfOperation(IServiceProvider services, string query)
    {
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<IDocumentExecuter<RegistrySchema>>().ExecuteAsync(o =>
        {
            o.Query = query;
            o.RequestServices = scope.ServiceProvider;
        });
        result.Errors.Should().BeNullOrEmpty();
        return scope.ServiceProvider.GetRequiredService<IQuerySession>();
    }
}
