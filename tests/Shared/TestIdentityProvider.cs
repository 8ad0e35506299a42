using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Registry.Testing;

/// <summary>
/// A small OpenID Connect provider for the tests, standing in for the state's: discovery, keys, the authorisation
/// code flow with PKCE and a client secret, RS256 ID tokens. Who signs in next is set by its user (<see cref="Next"/>).
/// The console's tests and the benchmark sign in through it.
/// It answers on "localhost" while the console answers on 127.0.0.1: to a browser they are different sites, as the
/// state's provider and the register are.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "registry-console";
    public const string ClientSecret = "test-client-secret-0123456789";
    public const string RoleClaim = "registry_roles";

    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-provider-key" };
    private readonly ConcurrentDictionary<string, Grant> _codes = new();
    private readonly WebApplication _app;

    public Uri Address { get; }
    private string Issuer => Address.ToString().TrimEnd('/');

    /// <summary>The member of staff the provider signs in at the next authorisation request.</summary>
    public (string Subject, string[] Roles) Next { get; set; } = ("staff-0001", ["caseworker"]);

    /// <summary>When set, ID tokens are signed with a key the provider does not publish: a forged answer.</summary>
    public bool Forge { get; set; }

    private TestIdentityProvider(int port)
    {
        Address = new Uri($"http://localhost:{port}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Address.ToString());
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = Issuer + "/authorize",
            ["token_endpoint"] = Issuer + "/token",
            ["jwks_uri"] = Issuer + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        _app.MapGet("/jwks", () => Results.Json(new { keys = new[] { JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId }) } }));
        _app.MapGet("/authorize", Authorize);
        _app.MapPost("/token", TokenAsync);
    }

    public static async Task<TestIdentityProvider> StartAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var provider = new TestIdentityProvider(port);
        await provider._app.StartAsync();
        return provider;
    }

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query;
        if (q["client_id"] != ClientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]))
            return Results.BadRequest("invalid_request");
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = new Grant(Next.Subject, Next.Roles, q["nonce"].ToString(), q["code_challenge"].ToString(), q["redirect_uri"].ToString());
        var separator = q["redirect_uri"].ToString().Contains('?') ? '&' : '?';
        return Results.Redirect($"{q["redirect_uri"]}{separator}code={code}&state={Uri.EscapeDataString(q["state"].ToString())}");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret) return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        if (!_codes.TryRemove(form["code"].ToString(), out var grant) || form["redirect_uri"] != grant.RedirectUri
            || Challenge(form["code_verifier"].ToString()) != grant.CodeChallenge)
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        var now = DateTime.UtcNow;
        var claims = new List<Claim> { new("sub", grant.Subject), new("nonce", grant.Nonce) };
        claims.AddRange(grant.Roles.Select(r => new Claim(RoleClaim, r)));
        var signingKey = Forge ? new RsaSecurityKey(RSA.Create(2048)) { KeyId = _key.KeyId } : _key;
        var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer, Audience = ClientId, IssuedAt = now, NotBefore = now, Expires = now.AddMinutes(10),
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.RsaSha256),
        });
        return Results.Json(new { id_token = idToken, access_token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), token_type = "Bearer", expires_in = 600 });
    }

    private static string Challenge(string verifier) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed record Grant(string Subject, string[] Roles, string Nonce, string CodeChallenge, string RedirectUri);
}
