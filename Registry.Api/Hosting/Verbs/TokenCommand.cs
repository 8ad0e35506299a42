using JasperFx.CommandLine;
using Registry.Api.Auth;

namespace Registry.Api.Hosting.Verbs;

public sealed class TokenInput : NetCoreInput
{
    [Description("The roles: caseworker, auditor, admin, department:SASSA|DHS|DBE|STATSSA, department:MUNICIPALITY:<CODE> (default caseworker)")]
    public List<string> RoleFlag { get; set; } = [];

    [Description("The token's subject (default dev-<role>)")]
    public string? SubjectFlag { get; set; }

    [Description("Hours the token is valid, at most Auth:MaxTokenLifetimeHours (the default)")]
    public FlagValue<double>? HoursFlag { get; set; }

    [Description("Mint a token outside Development too: production tokens normally come from the identity provider")]
    public bool ProductionFlag { get; set; }
}

/// <summary>The token is the last line of output, so scripts can take it with `tail -n 1`.</summary>
[Description("Print a token for the configured signing key (in Development; elsewhere only with --production)", Name = "token")]
public sealed class TokenCommand : RegistryVerb<TokenInput>
{
    protected override Task<int> RunAsync(TokenInput input) => Task.FromResult(Mint(input));

    private static int Mint(TokenInput input)
    {
        var roles = input.RoleFlag.Count > 0 ? input.RoleFlag : [Roles.Caseworker];
        if (roles.FirstOrDefault(r => !Roles.IsKnown(r)) is { } unknown)
        {
            Console.Error.WriteLine($"Unknown role '{unknown}'. Roles: caseworker, supervisor, auditor, admin, analyst, department:SASSA|DHS|DBE|STATSSA, department:MUNICIPALITY:<CODE>.");
            return 2;
        }
        var builder = ConfigurationOnly(input);
        if (!builder.Environment.IsDevelopment() && !input.ProductionFlag)
        {
            Console.Error.WriteLine($"Not minting a token against the {builder.Environment.EnvironmentName} configuration; pass --production if that is meant.");
            return 2;
        }
        var settings = AuthSettings.From(builder.Configuration);
        var subject = input.SubjectFlag ?? $"dev-{roles[0].Replace(':', '-')}";
        var hours = input.HoursFlag?.Value ?? settings.MaxTokenLifetimeHours;
        if (!(hours > 0 && hours <= settings.MaxTokenLifetimeHours))
        {
            Console.Error.WriteLine($"--hours must be more than 0 and at most {settings.MaxTokenLifetimeHours:0.##} (Auth:MaxTokenLifetimeHours); the register refuses longer tokens.");
            return 2;
        }
        var token = TokenIssuer.Issue(settings, subject, roles, TimeSpan.FromHours(hours), TimeProvider.System.GetUtcNow());
        Console.Error.WriteLine($"Token for '{subject}' with roles {string.Join(", ", roles)}, valid {hours} h:");
        Console.WriteLine(token);
        return 0;
    }
}
