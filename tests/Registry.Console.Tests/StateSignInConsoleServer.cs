using Registry.Testing;

namespace Registry.Console.Tests;

/// <summary>The service in Production, signing staff in at <see cref="TestIdentityProvider"/>: the only way in there.</summary>
public sealed class StateSignInConsoleServer : ConsoleServer
{
    public TestIdentityProvider Provider { get; private set; } = null!;

    protected override string EnvironmentName => "Production";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Auth__Oidc__Authority"] = Provider.Address.ToString(),
        ["Auth__Oidc__ClientId"] = TestIdentityProvider.ClientId,
        ["Auth__Oidc__ClientSecret"] = TestIdentityProvider.ClientSecret,
        ["Auth__Oidc__RoleClaim"] = TestIdentityProvider.RoleClaim,
        ["Auth__Oidc__RequireHttpsMetadata"] = "false",
    };

    public override async Task InitializeAsync()
    {
        Provider = await TestIdentityProvider.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }
}
