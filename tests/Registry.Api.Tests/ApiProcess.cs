using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Registry.Api.Tests;

/// <summary>
/// The built service run as its own process (the same dll start.sh runs), for what an in-process host
/// cannot show: dying by SIGKILL with work in flight.
/// </summary>
public sealed class ApiProcess : IDisposable
{
    private readonly Process _process;
    private readonly Uri _address;

    private ApiProcess(Process process, Uri address) => (_process, _address) = (process, address);

    /// <summary>The service project folder and its built dll of the tests' own configuration.</summary>
    public static (string Project, string Dll) Service()
    {
        // tests/Registry.Api.Tests/bin/<Configuration>/<tfm>/ → the service's own build of the same configuration.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var repository = output;
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Registry.sln"))) repository = repository.Parent;
        var project = Path.Combine(repository?.FullName ?? throw new InvalidOperationException("Registry.sln not found above the test output."), "Registry.Api");
        var dll = Path.Combine(project, "bin", configuration, output.Name, "Registry.Api.dll");
        File.Exists(dll).Should().BeTrue($"the service is built with the tests ({dll})");
        return (project, dll);
    }

    /// <summary>The binary's command line as an operator types it: one verb, run to its end.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var (project, dll) = Service();
        var start = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            WorkingDirectory = project, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        // Only what the test gives: not the test process's own settings.
        foreach (var key in start.Environment.Keys.Where(k => k.Contains("__")).ToList()) start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output, await error);
    }

    /// <summary>The environment of a service on <paramref name="connectionString"/> with the tests' keys.</summary>
    public static Dictionary<string, string> EnvironmentFor(string connectionString) => new()
    {
        ["ConnectionStrings__Registry"] = connectionString,
        ["Auth__SigningKey"] = RegistryApiFactory.SigningKey,
        ["Integrity__CheckpointKey"] = RegistryApiFactory.CheckpointKey,
        ["Registry__MasterKey"] = RegistryApiFactory.MasterKey,
        ["Registry__BlindIndexKey"] = RegistryApiFactory.BlindIndexKey,
        ["Wolverine__Durability"] = "Solo",
        // As in the in-process host: changes apply at once unless a test asks for four eyes.
        ["FourEyes__Commands"] = "none",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
    };

    public static async Task<ApiProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var (project, dll) = Service();
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet", [dll, "serve"])
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in EnvironmentFor(connectionString)) start.Environment[key] = value;
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var api = new ApiProcess(process, address);
        using var probe = api.ClientFor(null);
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited) throw new InvalidOperationException($"The service exited at start with code {process.ExitCode}.");
            try
            {
                if ((await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return api;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        api.Dispose();
        throw new TimeoutException("The service did not start listening within 30 s.");
    }

    public Uri Address => _address;

    public HttpClient ClientFor(string? token)
    {
        var client = new HttpClient { BaseAddress = _address };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        client.DefaultRequestHeaders.Add("X-Purpose", RegistryApiFactory.Purpose);
        return client;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, no draining of queues.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
