using JasperFx.CommandLine;

namespace Registry.Api.Hosting.Verbs;

/// <summary>
/// A verb of the register's binary. It answers an exit code, not JasperFx's true/false: 0 done, 1 what was
/// checked is not intact, 2 the operator's input or settings are wrong, answered in one line without a stack trace.
/// </summary>
public abstract class RegistryVerb<TInput> : JasperFxAsyncCommand<TInput> where TInput : NetCoreInput
{
    public sealed override async Task<bool> Execute(TInput input)
    {
        int code;
        try
        {
            code = await RunAsync(input);
        }
        catch (ConfigurationMissingException missing)
        {
            // A missing setting is the operator's to fix: one line, no stack trace.
            Console.Error.WriteLine($"{CommandFactory.CommandNameFor(GetType())}: {missing.Message}");
            code = 2;
        }
        catch (UnwritableOutputException unwritable)
        {
            // So is an output file that cannot be made (no such folder, no permission).
            Console.Error.WriteLine($"{CommandFactory.CommandNameFor(GetType())}: {unwritable.Message}");
            code = 2;
        }
        if (input.HostBuilder is RegistryHostBuilder registry) registry.ExitCode = code;
        return code == 0;
    }

    protected abstract Task<int> RunAsync(TInput input);

    /// <summary>
    /// The register's host for a verb that works on the database and serves nothing: a throwaway port (no
    /// collision with a running API), plus the verb's own <paramref name="settings"/>, in memory.
    /// </summary>
    protected static IHost BuildHost(TInput input, IReadOnlyDictionary<string, string?>? settings = null)
    {
        // Log lines go to standard error: standard output is the verb's own answer (a token, --json figures).
        var all = new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0", ["Logging:Console:LogToStandardErrorThreshold"] = "Trace" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        input.HostBuilder.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(all));
        return input.BuildHost();
    }

    /// <summary>Reading or replaying only: Wolverine as a mediator, so this process does not also claim the async projections.</summary>
    protected static readonly IReadOnlyDictionary<string, string?> MediatorOnly =
        new Dictionary<string, string?> { ["Wolverine:Durability"] = "MediatorOnly" };

    /// <summary>The configuration and environment alone, for a verb that needs no database.</summary>
    protected static WebApplicationBuilder ConfigurationOnly(TInput input)
    {
        input.ApplyHostBuilderInput();
        return input.HostBuilder is RegistryHostBuilder registry
            ? registry.CreateBuilder()
            : throw new InvalidOperationException("The register's verbs run on a RegistryHostBuilder.");
    }
}

/// <summary>An output file named on the command line that cannot be created: the operator's to fix.</summary>
public sealed class UnwritableOutputException(string message) : IOException(message);

/// <summary>The verbs' output files, created before any work starts so that a bad path costs nothing.</summary>
public static class OutputFiles
{
    /// <summary>
    /// A UTF-8 writer to a new (or emptied) file; one that holds ID numbers is made readable by its owner only.
    /// </summary>
    public static StreamWriter Create(string path, bool ownerOnly)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (ownerOnly && !OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            var writer = new StreamWriter(path, new System.Text.UTF8Encoding(false), options);
            // An existing file keeps its mode on FileMode.Create: narrow it too.
            if (ownerOnly && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return writer;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UnwritableOutputException($"cannot create the output file {path}: {e.GetType().Name.Replace("Exception", "", StringComparison.Ordinal)}.");
        }
    }
}
