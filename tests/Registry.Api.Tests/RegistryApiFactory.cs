using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wolverine.Tracking;
using OpenTelemetry.Trace;
using Registry.Api.Auth;
using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Api.Tests;

/// <summary>
/// The API in-process over real HTTP semantics, against a real PostgreSQL: a fresh database per test
/// run (dropped afterwards), so runs never see each other's data. The server comes from
/// ConnectionStrings__Registry, which ./test.sh points at the project's private cluster.
/// </summary>
public sealed class RegistryApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string SigningKey = "test-signing-key-0123456789abcdef0123456789abcdef";
    public const string CheckpointKey = "test-checkpoint-key-0123456789abcdef0123456789ab";

    /// <summary>Test requests may say which address they come from; TestServer itself gives none.</summary>
    public const string RemoteAddressHeader = "X-Test-Remote-Address";

    // Base64 of 32 bytes each: the keys that wrap the data keys and key the blind indexes (Production requires them).
    public const string MasterKey = "dGVzdC1tYXN0ZXIta2V5LTAxMjM0NTY3ODlhYmNkZWY=";
    public const string BlindIndexKey = "dGVzdC1ibGluZC1pbmRleC1rZXktMDEyMzQ1Njc4OWE=";
    private static int _sequence;

    private readonly string _serverConnectionString;
    private readonly string _databaseName = $"registry_test_{DateTime.UtcNow:yyyyMMddHHmmss}_{Environment.ProcessId}";

    public RegistryApiFactory()
    {
        _serverConnectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Registry")
            ?? throw new InvalidOperationException("Set ConnectionStrings__Registry (./test.sh does) to reach PostgreSQL.");
        ConnectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = _databaseName }.ConnectionString;
    }

    public string ConnectionString { get; }

    /// <summary>The raw SQL texts and table names for the test host's schema, for tests that inspect or tamper with the tables.</summary>
    public RegistrySql Sql => Services.GetRequiredService<RegistrySql>();

    /// <summary>The PostgreSQL server the tests run against, without a database name of ours.</summary>
    public string ServerConnectionString => _serverConnectionString;

    public static async Task CreateDatabaseAsync(string serverConnectionString, string name)
    {
        await using var admin = new NpgsqlConnection(serverConnectionString);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
        await create.ExecuteNonQueryAsync();
    }

    public static async Task DropDatabaseAsync(string serverConnectionString, string name)
    {
        if (Environment.GetEnvironmentVariable("REGISTRY_KEEP_TEST_DB") == "1") return;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(serverConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        // An autovacuum worker on a freshly filled database is no process our role may end (42501): it
        // finishes within moments, so the drop is tried again rather than left for the next run.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 30)
            {
                await Task.Delay(1000);
            }
        }
    }

    public async Task InitializeAsync()
    {
        await CreateDatabaseAsync(_serverConnectionString, _databaseName);
        _ = Server; // start the host now: schema applied before the first test
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await DropDatabaseAsync(_serverConnectionString, _databaseName);
    }

    /// <summary>
    /// The test host's settings, given through its builder (never the process environment, which every
    /// host and verb of the test run would share); a verb a test runs in-process gets them the same way.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Registry"] = ConnectionString,
        ["Auth:SigningKey"] = SigningKey,
        ["Integrity:CheckpointKey"] = CheckpointKey,
        ["Registry:MasterKey"] = MasterKey,
        ["Registry:BlindIndexKey"] = BlindIndexKey,
        ["Wolverine:Durability"] = "Solo",
        // Tiny pages and batches, so a publication over a handful of test entitlements still walks several pages.
        ["Registry:ReassessmentPageSize"] = "2",
        ["Registry:ReassessmentBatchSize"] = "1",
        // Webhook receivers run on 127.0.0.1; retries come quickly, so a receiver that fails ten times is done in seconds.
        ["Webhooks:AllowedHosts"] = "127.0.0.1",
        ["Webhooks:FirstRetryMilliseconds"] = "50",
        ["Webhooks:LongestRetryMilliseconds"] = "400",
        ["Webhooks:TimeoutMilliseconds"] = "500",
        ["Webhooks:PollMilliseconds"] = "100",
        ["Webhooks:MaxAttempts"] = "12",
        ["Wolverine:ScheduledJobPollingMilliseconds"] = "100",
        // The commands' own tests apply them at once; ChangeRequestTests run with the register's four-eyes list.
        ["FourEyes:Commands"] = "none",
        // A DCI sender that must sign its messages (DciTests holds its private key).
        [$"Dci:SenderKeys:{DciTests.SignedSender}"] = DciTests.SenderPublicKey,
    };

    /// <summary>The settings with some replaced (another database, another durability mode).</summary>
    public Dictionary<string, string?> SettingsWith(params (string Key, string? Value)[] changes)
    {
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in changes) settings[key] = value;
        return settings;
    }

    /// <summary>The settings as ASP.NET Core's `--key=value` arguments, for a host a test builds itself; later ones override.</summary>
    public string[] Arguments(params string[] more) => [.. Settings.Select(s => $"--{s.Key}={s.Value}"), .. more];

    /// <summary>The settings as the configuration a store or verification is built from.</summary>
    public IConfiguration ConfigurationWith(params (string Key, string? Value)[] changes) =>
        new ConfigurationBuilder().AddInMemoryCollection(SettingsWith(changes)).Build();

    /// <summary>A second host of the API with some settings changed (a restarted service, another database).</summary>
    public WebApplicationFactory<Program> AnotherHost(params (string Key, string? Value)[] changes) =>
        WithWebHostBuilder(b => { foreach (var (key, value) in changes) b.UseSetting(key, value); });

    /// <summary>The command line of a verb run in this process, with the test host's settings and some changed.</summary>
    public Registry.Api.Hosting.RegistryHostBuilder CommandLine(params (string Key, string? Value)[] changes) => new(SettingsWith(changes));

    /// <summary>Every span the host's OpenTelemetry pipeline exported, as an OTLP collector would receive them.</summary>
    public SpanLog Spans { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureServices(s => s
            .AddSingleton<IStartupFilter, RemoteAddressFromHeader>()
            .ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans)));
        if (Environment.GetEnvironmentVariable("REGISTRY_TEST_LOG") is { } log)
            builder.ConfigureLogging(l => l.AddFilter("Marten", LogLevel.Information).AddFilter("JasperFx", LogLevel.Information).AddFilter("Wolverine", LogLevel.Information).AddProvider(new FileLogProvider(log)));
    }

    public string Token(params string[] roles) =>
        TokenIssuer.Issue(new AuthSettings { SigningKey = SigningKey }, $"test-{string.Join("-", roles)}", roles, TimeSpan.FromHours(1), DateTimeOffset.UtcNow);

    /// <summary>What every test client says in X-Purpose; reads that show a person are refused without one.</summary>
    public const string Purpose = "registry test";

    /// <summary>
    /// Runs a request and waits, by Wolverine's message tracking, until every message it caused (re-assessments
    /// sent through the outbox, their cascades) has been handled: no polling, no guessed delay.
    /// </summary>
    public async Task<T> WithItsMessagesAsync<T>(Func<Task<T>> request)
    {
        T result = default!;
        await Services.GetRequiredService<Microsoft.Extensions.Hosting.IHost>().TrackActivity().Timeout(TimeSpan.FromSeconds(60))
            .ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(async _ => result = await request()));
        return result;
    }

    /// <summary>
    /// Waits, by Marten's own progress tracking, until the async projections (the municipal view) have
    /// processed every event appended so far: no polling of a query, no guessed delay.
    /// </summary>
    public Task AsyncProjectionsCaughtUpAsync() =>
        Marten.Events.TestingExtensions.WaitForNonStaleProjectionDataAsync(Services.GetRequiredService<Marten.IDocumentStore>(), TimeSpan.FromSeconds(60));

    public HttpClient ClientFor(params string[] roles)
    {
        var client = ClientWithoutPurpose(roles);
        client.DefaultRequestHeaders.Add("X-Purpose", Purpose);
        return client;
    }

    public HttpClient ClientWithoutPurpose(params string[] roles)
    {
        var client = CreateClient();
        if (roles.Length > 0) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(roles));
        return client;
    }

    /// <summary>A valid, never-before-used ID number for a person born on the given date.</summary>
    public static SaIdNumber NewIdNumber(DateOnly born, Sex sex = Sex.Female, Citizenship citizenship = Citizenship.Citizen) =>
        SaIdNumber.Create(born, sex, citizenship, Interlocked.Increment(ref _sequence) % 5000);

    /// <summary>
    /// Events the register holds. Marten records a failed transaction's claimed sequence numbers as
    /// "tombstone" placeholders so its projection daemon sees no gaps; they carry no data and are not counted.
    /// </summary>
    /// <summary>A database of its own, for a service run as its own process (killed, restarted) beside the shared host.</summary>
    public async Task OnOwnDatabaseAsync(string stem, Func<string, Task> test)
    {
        var database = $"registry_test_{stem}_{Environment.ProcessId}_{DateTime.UtcNow:HHmmss}";
        var connection = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database }.ConnectionString;
        await CreateDatabaseAsync(ServerConnectionString, database);
        try
        {
            await test(connection);
        }
        finally
        {
            await DropDatabaseAsync(ServerConnectionString, database);
        }
    }

    public async Task<long> EventCountAsync()
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM {Sql.Events} WHERE type <> 'tombstone'", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task<T?> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        var value = await cmd.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }
}

/// <summary>Sets the connection's remote address from <see cref="RegistryApiFactory.RemoteAddressHeader"/>, as a real socket would.</summary>
public sealed class RemoteAddressFromHeader : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((http, proceed) =>
        {
            if (http.Request.Headers[RegistryApiFactory.RemoteAddressHeader].FirstOrDefault() is { } address)
                http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(address);
            return proceed();
        });
        next(app);
    };
}

/// <summary>Seals the register's events into signed checkpoints up to a sequence, as the checkpoint writer does every minute.</summary>
public static class Checkpoints
{
    public static async Task<Registry.Projections.Integrity.IntegrityCheckpoint> SealUpToAsync(IServiceProvider services, long sequence)
    {
        var store = services.GetRequiredService<Marten.IDocumentStore>();
        var key = services.GetRequiredService<Registry.Api.Audit.CheckpointKey>().Bytes;
        Registry.Projections.Integrity.IntegrityCheckpoint? sealedUpTo = null;
        // The high-water mark follows the appends within moments; seal as far as it allows until the sequence is covered.
        for (var attempt = 0; attempt < 100 && (sealedUpTo?.UpToSequence ?? 0) < sequence; attempt++)
        {
            await using var session = store.LightweightSession();
            sealedUpTo = await Registry.Projections.Integrity.IntegrityCheckpoints.CreateAsync(session, key, DateTimeOffset.UtcNow, CancellationToken.None) ?? sealedUpTo;
            if ((sealedUpTo?.UpToSequence ?? 0) < sequence) await Task.Delay(100);
        }
        sealedUpTo.Should().NotBeNull();
        sealedUpTo!.UpToSequence.Should().BeGreaterThanOrEqualTo(sequence);
        return sealedUpTo;
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<RegistryApiFactory>
{
    public const string Name = "api";
}

public static class GraphQLHttp
{
    public static async Task<JsonElement> GraphQLAsync(this HttpClient client, string query, object? variables = null)
    {
        var (_, body) = await client.GraphQLResponseAsync(query, variables);
        return body;
    }

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> GraphQLResponseAsync(this HttpClient client, string query, object? variables = null)
    {
        var response = await client.PostAsJsonAsync("/graphql", new { query, variables });
        var text = await response.Content.ReadAsStringAsync();
        return (response, JsonDocument.Parse(text).RootElement.Clone());
    }

    public static JsonElement Data(this JsonElement body, string field)
    {
        body.TryGetProperty("errors", out var errors).Should().BeFalse($"the request should succeed, but got {errors}");
        return body.GetProperty("data").GetProperty(field);
    }

    public static string[] ErrorCodes(this JsonElement payload) =>
        [.. payload.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()!)];

    public static string[] TransportErrorCodes(this JsonElement body) =>
        [.. body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("extensions").GetProperty("code").GetString()!)];
}
