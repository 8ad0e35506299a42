using JasperFx.CommandLine;

namespace Registry.Api.Hosting;

/// <summary>
/// The IHostBuilder JasperFx's commands are given: it collects what a command (or JasperFx's own
/// --environment, --contentRoot, --log-level flags) asks of the host, and only on Build() makes the
/// WebApplicationBuilder and the register on it. A command that needs no database never builds it,
/// and a verb configures its host here (configuration in memory), not through arguments.
/// </summary>
public sealed class RegistryHostBuilder : IHostBuilder
{
    private readonly List<Action<IConfigurationBuilder>> _hostConfiguration = [];
    private readonly List<Action<HostBuilderContext, IConfigurationBuilder>> _appConfiguration = [];
    private readonly List<Action<HostBuilderContext, IServiceCollection>> _services = [];

    private readonly string[] _arguments = [];

    public RegistryHostBuilder() { }

    /// <summary>
    /// A builder given ASP.NET Core's own `--key=value` configuration arguments: only for the service run
    /// without a verb, which is how WebApplicationFactory hands the test host its settings.
    /// </summary>
    public RegistryHostBuilder(string[] aspNetCoreArguments) => _arguments = aspNetCoreArguments;

    /// <summary>A builder whose configuration also holds <paramref name="settings"/> (e.g. a test's connection string).</summary>
    public RegistryHostBuilder(IReadOnlyDictionary<string, string?> settings) =>
        _appConfiguration.Add((_, c) => c.AddInMemoryCollection(settings));

    public IDictionary<object, object> Properties { get; } = new Dictionary<object, object>();

    /// <summary>
    /// What the verb that ran answered: JasperFx itself answers only 0 or 1, the verbs also 2 (bad input,
    /// a missing setting).
    /// </summary>
    public int? ExitCode { get; internal set; }

    public IHostBuilder ConfigureHostConfiguration(Action<IConfigurationBuilder> configureDelegate)
    {
        _hostConfiguration.Add(configureDelegate);
        return this;
    }

    public IHostBuilder ConfigureAppConfiguration(Action<HostBuilderContext, IConfigurationBuilder> configureDelegate)
    {
        _appConfiguration.Add(configureDelegate);
        return this;
    }

    public IHostBuilder ConfigureServices(Action<HostBuilderContext, IServiceCollection> configureDelegate)
    {
        _services.Add(configureDelegate);
        return this;
    }

    public IHostBuilder UseServiceProviderFactory<TContainerBuilder>(IServiceProviderFactory<TContainerBuilder> factory)
        where TContainerBuilder : notnull => throw new NotSupportedException("The register uses the default service provider.");

    public IHostBuilder UseServiceProviderFactory<TContainerBuilder>(Func<HostBuilderContext, IServiceProviderFactory<TContainerBuilder>> factory)
        where TContainerBuilder : notnull => throw new NotSupportedException("The register uses the default service provider.");

    public IHostBuilder ConfigureContainer<TContainerBuilder>(Action<HostBuilderContext, TContainerBuilder> configureDelegate) =>
        throw new NotSupportedException("The register uses the default service provider.");

    /// <summary>The register's host, with everything asked of this builder applied.</summary>
    public IHost Build()
    {
        try
        {
            return RegistryHost.Build(CreateBuilder());
        }
        catch (ConfigurationMissingException missing) when (IsCommandLine)
        {
            // Marten's and Wolverine's own commands (codegen, db-apply, …) would print it with a stack trace:
            // a missing setting is the operator's to fix, so one line and the verbs' exit code for bad settings.
            Console.Error.WriteLine(missing.Message);
            Environment.Exit(2);
            throw;
        }
    }

    /// <summary>The process's own command line (Program), which may end the process; never a test's in-process run.</summary>
    public bool IsCommandLine { get; init; }

    /// <summary>
    /// The WebApplicationBuilder with the environment, configuration and services asked for, before the register
    /// is composed on it: for a verb that only needs the configuration (token, verify-projections).
    /// </summary>
    public WebApplicationBuilder CreateBuilder()
    {
        // The environment and content root are fixed when a WebApplicationBuilder is made, so they go in its options.
        var host = new ConfigurationBuilder();
        foreach (var configure in _hostConfiguration) configure(host);
        var hostSettings = host.Build();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = hostSettings[HostDefaults.EnvironmentKey],
            ContentRootPath = hostSettings[HostDefaults.ContentRootKey],
            ApplicationName = hostSettings[HostDefaults.ApplicationKey],
            Args = _arguments,
        });
        var context = new HostBuilderContext(Properties) { Configuration = builder.Configuration, HostingEnvironment = builder.Environment };
        foreach (var configure in _appConfiguration) configure(context, builder.Configuration);
        foreach (var configure in _services) configure(context, builder.Services);
        return builder;
    }

    /// <summary>
    /// Runs one command line against this builder, as Program does, and answers the verb's exit code:
    /// how the tests run a verb in-process against their own database.
    /// </summary>
    public async Task<int> RunAsync(params string[] args)
    {
        var executor = CommandExecutor.For(factory =>
        {
            factory.RegisterCommands(typeof(RegistryHostBuilder).Assembly);
            // JasperFx's own (codegen): the test that proves the pre-generated code current runs it in-process.
            factory.RegisterCommands(typeof(JasperFx.CodeGeneration.Commands.GenerateCodeCommand).Assembly);
            factory.ConfigureRun = run =>
            {
                if (run.Input is IHostBuilderInput input) input.HostBuilder = this;
            };
        });
        var exit = await executor.ExecuteAsync(args);
        return ExitCode ?? exit;
    }
}
