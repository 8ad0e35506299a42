using JasperFx.CommandLine;

namespace Registry.Api.Hosting.Verbs;

public class ServeInput : NetCoreInput
{
    [Description("Addresses to listen on, e.g. http://127.0.0.1:5080 (otherwise ASPNETCORE_URLS)")]
    public string? UrlsFlag { get; set; }
}

[Description("Serve the register: GraphQL, health, and the async projections", Name = "serve")]
public sealed class ServeCommand : RegistryVerb<ServeInput>
{
    protected override async Task<int> RunAsync(ServeInput input)
    {
        if (input.UrlsFlag is { } urls)
            input.HostBuilder.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls }));
        var host = input.BuildHost();
        await host.RunAsync();
        return 0;
    }
}
