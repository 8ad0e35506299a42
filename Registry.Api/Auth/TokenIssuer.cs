using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Registry.Api.Auth;

/// <summary>JWT settings from configuration (Auth:SigningKey, Auth:Issuer, Auth:Audience).</summary>
public sealed class AuthSettings
{
    public const string Section = "Auth";
    public const int MinimumKeyBytes = 32;

    public string SigningKey { get; set; } = "";
    public string Issuer { get; set; } = "registry";
    public string Audience { get; set; } = "registry";

    public SymmetricSecurityKey Key()
    {
        var bytes = Encoding.UTF8.GetBytes(SigningKey);
        if (bytes.Length < MinimumKeyBytes)
            throw new InvalidOperationException($"Auth:SigningKey (Auth__SigningKey) must be set to at least {MinimumKeyBytes} bytes.");
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
                NameClaimType = JwtRegisteredClaimNames.Sub,
                RoleClaimType = Roles.ClaimType,
                ClockSkew = TimeSpan.FromMinutes(1),
            };
        });
        return services;
    }
}
