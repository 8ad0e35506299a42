using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;
using Npgsql;
using Registry.Api.Auth;

namespace Registry.Console.Tests;

/// <summary>
/// The built service as its own process on a real port (a browser needs one), in Development so the
/// sign-in page exists, on a scratch database of the PostgreSQL server in ConnectionStrings__Registry
/// (dropped afterwards); and one headless Chromium, Debian's (/usr/bin/chromium), driven by Playwright.
/// </summary>
public class ConsoleServer : IAsyncLifetime
{
    /// <summary>The ASP.NET Core environment the service runs in.</summary>
    protected virtual string EnvironmentName => "Development";

    /// <summary>Settings the service gets beside the keys and the database, as environment variables (Section__Key).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public const string SigningKey = "test-signing-key-0123456789abcdef0123456789abcdef";
    private const string CheckpointKey = "test-checkpoint-key-0123456789abcdef0123456789ab";
    private const string MasterKey = "dGVzdC1tYXN0ZXIta2V5LTAxMjM0NTY3ODlhYmNkZWY=";
    private const string BlindIndexKey = "dGVzdC1ibGluZC1pbmRleC1rZXktMDEyMzQ1Njc4OWE=";
    public const string Chromium = "/usr/bin/chromium";

    private readonly string _server = Environment.GetEnvironmentVariable("ConnectionStrings__Registry")
        ?? throw new InvalidOperationException("Set ConnectionStrings__Registry (./test.sh does) to reach PostgreSQL.");
    private readonly string _database = $"registry_console_{DateTime.UtcNow:yyyyMMddHHmmss}_{Guid.NewGuid():N}"[..50];
    private Process? _process;
    private IPlaywright? _playwright;
    private static int _sequence;

    public Uri Address { get; } = new($"http://127.0.0.1:{FreePort()}");
    public IBrowser Browser { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(_server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        var (project, dll) = Service();
        var start = new ProcessStartInfo("dotnet", [dll, "serve"]) { WorkingDirectory = project, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var key in start.Environment.Keys.Where(k => k.Contains("__")).ToList()) start.Environment.Remove(key);
        start.Environment["ConnectionStrings__Registry"] = new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString;
        start.Environment["Auth__SigningKey"] = SigningKey;
        start.Environment["Integrity__CheckpointKey"] = CheckpointKey;
        start.Environment["Registry__MasterKey"] = MasterKey;
        start.Environment["Registry__BlindIndexKey"] = BlindIndexKey;
        start.Environment["Wolverine__Durability"] = "Solo";
        // A signed checkpoint soon after each change, so that the whole register verifies within a test.
        start.Environment["Integrity__CheckpointSeconds"] = "1";
        // The forms' tests apply changes at once; a server with the register's four-eyes list says so in its Settings.
        start.Environment["FourEyes__Commands"] = "none";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = EnvironmentName;
        start.Environment["ASPNETCORE_URLS"] = Address.ToString();
        foreach (var (key, value) in Settings) start.Environment[key] = value;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilReadyAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // Chromium's sandbox refuses to run as root (CI containers); elsewhere it stays on.
            Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
        });
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_process is { HasExited: false }) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
        _process?.Dispose();
        if (Environment.GetEnvironmentVariable("REGISTRY_KEEP_TEST_DB") == "1") return;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_server);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>A fresh browser context (its own cookies), with or without JavaScript.</summary>
    public async Task<IPage> NewPageAsync(bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Address.ToString(), JavaScriptEnabled = javaScript });
        return await context.NewPageAsync();
    }

    /// <summary>The API client a department system would be: a bearer token on /graphql.</summary>
    public HttpClient ApiClient(params string[] roles)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TokenIssuer.Issue(new AuthSettings { SigningKey = SigningKey }, $"test-{string.Join("-", roles)}", roles, TimeSpan.FromHours(1), DateTimeOffset.UtcNow));
        client.DefaultRequestHeaders.Add("X-Purpose", "console test");
        return client;
    }

    public static async Task<JsonElement> GraphQLAsync(HttpClient client, string query, object variables)
    {
        var response = await client.PostAsJsonAsync("/graphql", new { query, variables });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        body.TryGetProperty("errors", out var errors).Should().BeFalse($"the request should succeed, but got {errors}");
        return body.GetProperty("data");
    }

    /// <summary>Registers a new adult through /graphql and answers their ID number.</summary>
    public async Task<string> RegisterPersonAsync(string firstNames = "Naledi", string surname = "Mokoena", DateOnly? bornOn = null)
    {
        var born = bornOn ?? new DateOnly(1985, 6, 15);
        var id = Registry.Domain.Citizens.SaIdNumber.Create(born, Registry.Domain.Common.Sex.Female, Registry.Domain.Common.Citizenship.Citizen,
            Interlocked.Increment(ref _sequence)).Value;
        using var api = ApiClient(Roles.Caseworker);
        var data = await GraphQLAsync(api, """
            mutation($input: RegisterCitizenInput!) { registerCitizen(input: $input) { version errors { code message } } }
            """, new
        {
            input = new
            {
                idNumber = id, firstNames, surname, dateOfBirth = born.ToString("yyyy-MM-dd"), sex = "FEMALE", citizenship = "CITIZEN",
                address = new { line1 = "12 Long Street", city = "Cape Town", municipalityCode = "CPT", province = "WESTERN_CAPE", postalCode = "8001" },
            },
        });
        data.GetProperty("registerCitizen").GetProperty("errors").GetArrayLength().Should().Be(0);
        return id;
    }

    /// <summary>The service's last lines of output, shown when it fails to start.</summary>
    private readonly Queue<string> _output = new();

    public string RecentOutput() { lock (_output) return string.Join(Environment.NewLine, _output); }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > 40) _output.Dequeue();
        }
    }

    /// <summary>Forms a household with <paramref name="head"/> at its head and <paramref name="child"/> as the head's child.</summary>
    public async Task FormHouseholdAsync(string head, string child)
    {
        using var api = ApiClient(Roles.Caseworker);
        var formed = await GraphQLAsync(api, "mutation($input: FormHouseholdInput!) { formHousehold(input: $input) { household { id } errors { code } } }", new
        {
            input = new { headIdNumber = head, address = new { line1 = "12 Long Street", city = "Cape Town", municipalityCode = "CPT", province = "WESTERN_CAPE", postalCode = "8001" } },
        });
        var householdId = formed.GetProperty("formHousehold").GetProperty("household").GetProperty("id").GetString();
        var added = await GraphQLAsync(api, "mutation($input: AddHouseholdMemberInput!) { addHouseholdMember(input: $input) { errors { code } } }",
            new { input = new { householdId, idNumber = child, relationship = "CHILD" } });
        added.GetProperty("addHouseholdMember").GetProperty("errors").GetArrayLength().Should().Be(0);
    }

    public async Task ApplyAsync(string programme, string beneficiary)
    {
        using var api = ApiClient(Roles.Caseworker);
        var applied = await GraphQLAsync(api, "mutation($input: ApplyForEntitlementInput!) { applyForEntitlement(input: $input) { errors { code } } }",
            new { input = new { programme, beneficiaryIdNumber = beneficiary } });
        applied.GetProperty("applyForEntitlement").GetProperty("errors").GetArrayLength().Should().Be(0);
    }

    private async Task WaitUntilReadyAsync()
    {
        using var probe = new HttpClient { BaseAddress = Address };
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"The service exited at start with code {_process.ExitCode}:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}");
            try
            {
                if ((await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The service did not start listening within 60 s.");
    }

    /// <summary>The service project folder and its dll of the tests' own build configuration.</summary>
    private static (string Project, string Dll) Service()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var repository = output;
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Registry.sln"))) repository = repository.Parent;
        var project = Path.Combine(repository?.FullName ?? throw new InvalidOperationException("Registry.sln not found above the test output."), "Registry.Api");
        var dll = Path.Combine(project, "bin", output.Parent!.Name, output.Name, "Registry.Api.dll");
        File.Exists(dll).Should().BeTrue($"the service is built with the tests ({dll})");
        return (project, dll);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The same service in Production: no sign-in page.</summary>
public sealed class ProductionConsoleServer : ConsoleServer
{
    protected override string EnvironmentName => "Production";
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleServer>
{
    public const string Name = "console";
}
