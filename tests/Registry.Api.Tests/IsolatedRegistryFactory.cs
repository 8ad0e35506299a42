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
    private readonly RegistryApiFactory _shared;
    private readonly string _server;
    private readonly string _environment;
    private readonly string? _schema;
    private (string Key, string Value)[] _settings = [];
    private bool _ownsDatabase = true;

    private IsolatedRegistryFactory(RegistryApiFactory shared, string database, string environment, string? schema)
    {
        _shared = shared;
        var server = _server = shared.ServerConnectionString;
        _environment = environment;
        _schema = schema;
        Database = database;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
    }

    public string Database { get; }
    public string ConnectionString { get; }

    /// <summary>The raw SQL texts and table names for this register's schema.</summary>
    public RegistrySql Sql => Services.GetRequiredService<RegistrySql>();

    /// <param name="schema">The store's schema (Registry:Schema), when not the default.</param>
    /// <param name="settings">Further settings of this register alone.</param>
    public static async Task<IsolatedRegistryFactory> StartAsync(RegistryApiFactory shared, string environment = "Development", string? schema = null,
        params (string Key, string Value)[] settings)
    {
        // At most 60 characters (PostgreSQL's limit is 63), whatever the process id's length.
        var name = $"registry_test_isolated_{Environment.ProcessId}_{Guid.NewGuid():N}";
        var database = name[..Math.Min(name.Length, 60)];
        await RegistryApiFactory.CreateDatabaseAsync(shared.ServerConnectionString, database);
        var factory = new IsolatedRegistryFactory(shared, database, environment, schema) { _settings = settings };
        _ = factory.Server;
        return factory;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.ConfigureServices(s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, RemoteAddressFromHeader>());
        // The shared host's keys (Production refuses to start without them), on this database.
        foreach (var (key, value) in _shared.SettingsWith(("ConnectionStrings:Registry", ConnectionString))) builder.UseSetting(key, value);
        // The tests seal checkpoints themselves, when they choose; the background writer stays out of the way.
        builder.UseSetting("Integrity:CheckpointSeconds", "86400");
        if (_schema is not null) builder.UseSetting("Registry:Schema", _schema);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    /// <summary>Another node of the same register: a second host on this database (it leaves the database to this one).</summary>
    public IsolatedRegistryFactory SecondNode()
    {
        var node = new IsolatedRegistryFactory(_shared, Database, _environment, _schema) { _ownsDatabase = false };
        _ = node.Server;
        return node;
    }

    public HttpClient ClientFor(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    /// <summary>The command line of a verb run in this process against this database (configured in memory).</summary>
    public RegistryHostBuilder CommandLine() =>
        _shared.CommandLine(("ConnectionStrings:Registry", ConnectionString), ("Registry:Schema", _schema ?? RegistrySql.DefaultSchema));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase) await RegistryApiFactory.DropDatabaseAsync(_server, Database);
    }
}
