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

    public static async Task<ApiProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        // tests/Registry.Api.Tests/bin/<Configuration>/<tfm>/ → the service's own build of the same configuration.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var repository = output;
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Registry.sln"))) repository = repository.Parent;
        var project = Path.Combine(repository?.FullName ?? throw new InvalidOperationException("Registry.sln not found above the test output."), "Registry.Api");
        var dll = Path.Combine(project, "bin", configuration, output.Name, "Registry.Api.dll");
        File.Exists(dll).Should().BeTrue($"the service is built with the tests ({dll})");

        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet", [dll, "serve"])
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ConnectionStrings__Registry"] = connectionString,
                ["Auth__SigningKey"] = RegistryApiFactory.SigningKey,
                ["Integrity__CheckpointKey"] = RegistryApiFactory.CheckpointKey,
                ["Registry__MasterKey"] = RegistryApiFactory.MasterKey,
                ["Registry__BlindIndexKey"] = RegistryApiFactory.BlindIndexKey,
                ["Wolverine__Durability"] = "Solo",
                ["ASPNETCORE_URLS"] = address.ToString(),
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
            },
        };
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
