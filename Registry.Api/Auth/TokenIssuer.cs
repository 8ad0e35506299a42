using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Registry.Api.Auth;

/// <summary>JWT settings from configuration (Auth:SigningKey, Auth:Issuer, Auth:Audience, Auth:MaxTokenLifetimeHours).</summary>
public sealed class AuthSettings
{
    public const string Section = "Auth";
    public const int MinimumKeyBytes = 32;

    public string SigningKey { get; set; } = "";
    public string Issuer { get; set; } = "registry";
    public string Audience { get; set; } = "registry";

    /// <summary>The longest a token may live, issued-at (or not-before) to expiry; a longer one is refused.</summary>
    public double MaxTokenLifetimeHours { get; set; } = 12;

    public TimeSpan MaxTokenLifetime => TimeSpan.FromHours(MaxTokenLifetimeHours);

    public SymmetricSecurityKey Key()
    {
        var bytes = Encoding.UTF8.GetBytes(SigningKey);
        if (bytes.Length < MinimumKeyBytes)
            throw new Hosting.ConfigurationMissingException($"Auth:SigningKey (Auth__SigningKey) must be set to at least {MinimumKeyBytes} bytes.");
        return new SymmetricSecurityKey(bytes);
    }

    public static AuthSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<AuthSettings>() ?? new AuthSettings();
}

/// <summary>Mints tokens for the `token` verb and the development GraphiQL page; production tokens come from the identity provider.</summary>
public static class TokenIssuer
{
    public static string Issue(AuthSettings settings, string subject, IEnumerable<string> roles, TimeSpan lifetime, DateTimeOffset now)
    {
        var claims = new List<Claim> { new(JwtRegisteredClaimNames.Sub, subject) };
        claims.AddRange(roles.Select(r => new Claim(Roles.ClaimType, r)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(settings.Key(), SecurityAlgorithms.HmacSha256),
        });
    }

    public static IServiceCollection AddRegistryAuthentication(this IServiceCollection services, AuthSettings settings)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = settings.Issuer,
                ValidAudience = settings.Audience,
                IssuerSigningKey = settings.Key(),
                // The key is symmetric: only HS256 is ours; "none" and every other algorithm are refused.
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                NameClaimType = JwtRegisteredClaimNames.Sub,
                RoleClaimType = Roles.ClaimType,
                ClockSkew = TimeSpan.FromMinutes(1),
            };
            o.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
                    if (TokenRules.Refusal(context.Principal!, context.SecurityToken, settings, clock.GetUtcNow()) is { } refusal) context.Fail(refusal);
                    return Task.CompletedTask;
                },
            };
        });
        return services;
    }
}

/// <summary>What a correctly signed token must also hold before the register acts on it.</summary>
public static class TokenRules
{
    /// <summary>Why the token is refused, in a sentence for the caller; null when it may be used.</summary>
    public static string? Refusal(ClaimsPrincipal principal, SecurityToken token, AuthSettings settings, DateTimeOffset now)
    {
        // Every event records who acted: a token that names no one cannot act.
        if (string.IsNullOrWhiteSpace(principal.FindFirst(JwtRegisteredClaimNames.Sub)?.Value))
            return "The bearer token names no subject ('sub'); the register records who acts.";
        if (token.ValidTo == DateTime.MinValue)
            return "The bearer token has no expiry ('exp').";
        // Lifetime from the earliest start the token claims, and never from later than now.
        var jwt = token as JsonWebToken;
        var start = new[] { jwt?.IssuedAt, token.ValidFrom, now.UtcDateTime }.OfType<DateTime>().Where(d => d != DateTime.MinValue).Min();
        if (token.ValidTo - start > settings.MaxTokenLifetime)
            return $"The bearer token lives longer than the register accepts ({settings.MaxTokenLifetimeHours:0.##} h).";
        if (principal.FindAll(Roles.ClaimType).FirstOrDefault(c => !Roles.IsKnown(c.Value)) is { } unknown)
            return $"The bearer token carries a role the register does not know: '{unknown.Value}'.";
        return null;
    }
}
