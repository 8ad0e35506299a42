using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Registry.Api.Hosting;

namespace Registry.Api.Tests;

/// <summary>
/// The API in-process on a database of its own, for tests whose register must hold only what they
/// wrote (the shared one carries other tests' deliberate tampering). Configured through the builder.
/// </summary>
public sealed class IsolatedRegistryFactory : WebApplicationFactory<Program>
{
    private readonly string _server;
    private readonly string _environment;

    private IsolatedRegistryFactory(string server, string database, string environment)
    {
        _server = server;
        _environment = environment;
        Database = database;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
    }

    public string Database { get; }
    public string ConnectionString { get; }

    public static async Task<IsolatedRegistryFactory> StartAsync(RegistryApiFactory shared, string environment = "Development")
    {
        // At most 60 characters (PostgreSQL's limit is 63), whatever the process id's length.
        var name = $"registry_test_isolated_{Environment.ProcessId}_{Guid.NewGuid():N}";
        var database = name[..Math.Min(name.Length, 60)];
        await RegistryApiFactory.CreateDatabaseAsync(shared.ServerConnectionString, database);
        var factory = new IsolatedRegistryFactory(shared.ServerConnectionString, database, environment);
        _ = factory.Server;
        return factory;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.ConfigureServices(s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, RemoteAddressFromHeader>());
        builder.UseSetting("ConnectionStrings:Registry", ConnectionString);
        // The tests seal checkpoints themselves, when they choose; the background writer stays out of the way.
        builder.UseSetting("Integrity:CheckpointSeconds", "86400");
    }

    public HttpClient ClientFor(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    /// <summary>The command line of a verb run in this process against this database (configured in memory).</summary>
    public RegistryHostBuilder CommandLine() => new(new Dictionary<string, string?> { ["ConnectionStrings:Registry"] = ConnectionString });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await RegistryApiFactory.DropDatabaseAsync(_server, Database);
    }
}
