using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Registry.Api.Tests;

/// <summary>
/// A bearer token is used only when it is HS256-signed with the register's key, names its subject,
/// expires, and lives no longer than Auth:MaxTokenLifetimeHours (12 h by default).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TokenTests(RegistryApiFactory api)
{
    private const string Query = "{ citizens(first: 1) { totalCount } }";

    /// <summary>A token built by hand, so every part of it is the test's choice.</summary>
    private static string Jwt(object payload, string alg = "HS256", string key = RegistryApiFactory.SigningKey)
    {
        var header = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new { alg, typ = "JWT" }));
        var body = Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload));
        var input = Encoding.ASCII.GetBytes($"{header}.{body}");
        var bytes = Encoding.UTF8.GetBytes(key);
        byte[] signature = alg switch
        {
            "HS256" => HMACSHA256.HashData(bytes, input),
            "HS384" => HMACSHA384.HashData(bytes, input),
            "HS512" => HMACSHA512.HashData(bytes, input),
            _ => [],
        };
        return $"{header}.{body}.{Base64UrlEncoder.Encode(signature)}";
    }

    private static long At(TimeSpan fromNow) => DateTimeOffset.UtcNow.Add(fromNow).ToUnixTimeSeconds();

    private static object Claims(string? sub = "test-caseworker", TimeSpan? iat = null, TimeSpan? nbf = null, TimeSpan? exp = null, bool withIat = true, bool withNbf = true, bool withExp = true)
    {
        var claims = new Dictionary<string, object> { ["iss"] = "registry", ["aud"] = "registry", ["role"] = "caseworker" };
        if (sub is not null) claims["sub"] = sub;
        if (withIat) claims["iat"] = At(iat ?? TimeSpan.Zero);
        if (withNbf) claims["nbf"] = At(nbf ?? TimeSpan.Zero);
        if (withExp) claims["exp"] = At(exp ?? TimeSpan.FromHours(1));
        return claims;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> AskWithAsync(string token)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var (response, body) = await client.GraphQLResponseAsync(Query);
        return (response.StatusCode, body);
    }

    [Fact]
    public async Task A_hand_built_token_that_keeps_the_rules_is_accepted()
    {
        var (status, body) = await AskWithAsync(Jwt(Claims()));
        status.Should().Be(HttpStatusCode.OK);
        body.Data("citizens").GetProperty("totalCount").GetInt32().Should().BeGreaterThanOrEqualTo(0);
    }

    public static TheoryData<string, string, string?> Refused => new()
    {
        { "signed with another key", Jwt(Claims(), key: new string('x', 64)), null },
        { "alg none, unsigned", Jwt(Claims(), alg: "none"), null },
        { "HS384 with the register's key", Jwt(Claims(), alg: "HS384"), null },
        { "HS512 with the register's key", Jwt(Claims(), alg: "HS512"), null },
        { "no sub", Jwt(Claims(sub: null)), "The bearer token names no subject ('sub'); the register records who acts." },
        { "blank sub", Jwt(Claims(sub: " ")), "The bearer token names no subject ('sub'); the register records who acts." },
        { "no exp", Jwt(Claims(withExp: false)), "The bearer token has no expiry ('exp')." },
        { "13 h from iat", Jwt(Claims(exp: TimeSpan.FromHours(13))), "The bearer token lives longer than the register accepts (12 h)." },
        { "issued 3 h ago for 10 h more", Jwt(Claims(iat: TimeSpan.FromHours(-3), nbf: TimeSpan.FromHours(-3), exp: TimeSpan.FromHours(10))), "The bearer token lives longer than the register accepts (12 h)." },
        { "13 h from nbf, no iat", Jwt(Claims(withIat: false, exp: TimeSpan.FromHours(13))), "The bearer token lives longer than the register accepts (12 h)." },
        { "a year, no iat or nbf", Jwt(Claims(withIat: false, withNbf: false, exp: TimeSpan.FromDays(365))), "The bearer token lives longer than the register accepts (12 h)." },
        { "iat in the future", Jwt(Claims(iat: TimeSpan.FromHours(5), withNbf: false, exp: TimeSpan.FromHours(14))), "The bearer token lives longer than the register accepts (12 h)." },
        { "expired", Jwt(Claims(iat: TimeSpan.FromHours(-3), nbf: TimeSpan.FromHours(-3), exp: TimeSpan.FromHours(-2))), "The bearer token has expired." },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_token_that_breaks_a_rule_is_refused_with_UNAUTHENTICATED(string why, string token, string? message)
    {
        var (status, body) = await AskWithAsync(token);

        status.Should().Be(HttpStatusCode.Unauthorized, why);
        body.TransportErrorCodes().Should().Equal("UNAUTHENTICATED");
        body.TryGetProperty("data", out _).Should().BeFalse();
        if (message is not null) body.GetProperty("errors")[0].GetProperty("message").GetString().Should().Be(message, why);
    }

    [Fact]
    public async Task The_token_verb_mints_in_Development_but_refuses_Production_unless_told_and_never_beyond_the_cap()
    {
        (await Token("--role", "caseworker", "--environment", "Development")).Should().Be(0);
        (await Token("--role", "caseworker", "--environment", "Production")).Should().Be(2);
        (await Token("--role", "caseworker", "--environment", "Staging")).Should().Be(2);
        (await Token("--role", "caseworker", "--environment", "Production", "--production")).Should().Be(0);
        (await Token("--role", "caseworker", "--environment", "Development", "--hours", "13")).Should().Be(2);
        (await Token("--production", "--hours", "12.5", "--role", "caseworker", "--environment", "Production")).Should().Be(2);
        (await Token("--role", "caseworker", "--environment", "Development", "--hours", "twelve")).Should().Be(1, "a value that is no number is a usage error, answered by JasperFx");
        (await Token("--role", "caseworker", "--environment", "Development", "--hours", "12")).Should().Be(0);
    }

    private async Task<string> DevTokenOnPageAsync(string host, string? remote)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        request.Headers.Host = host;
        if (remote is not null) request.Headers.Add(RegistryApiFactory.RemoteAddressHeader, remote);
        var page = await (await api.CreateClient().SendAsync(request)).Content.ReadAsStringAsync();
        var marker = "name=\"registry-dev-token\" content=\"";
        page.Should().Contain(marker);
        var start = page.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return page[start..page.IndexOf('"', start)];
    }

    [Theory]
    [InlineData("localhost", "127.0.0.1")]
    [InlineData("localhost:5080", "127.0.0.1")]
    [InlineData("127.0.0.1:5080", "127.0.0.1")]
    [InlineData("[::1]:5080", "::1")]
    [InlineData("LOCALHOST", "::ffff:127.0.0.1")]
    public async Task The_Development_GraphiQL_page_carries_a_token_for_a_browser_on_this_machine(string host, string remote)
    {
        var token = await DevTokenOnPageAsync(host, remote);
        var (status, _) = await AskWithAsync(token);
        status.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("registry.gov.za", "127.0.0.1")]
    [InlineData("registry.gov.za:443", "::1")]
    [InlineData("localhost", "10.1.2.3")]
    [InlineData("127.0.0.1", "192.168.0.7")]
    [InlineData("localhost", null)]
    public async Task The_GraphiQL_page_carries_no_token_for_anyone_else(string host, string? remote) =>
        (await DevTokenOnPageAsync(host, remote)).Should().BeEmpty();

    [Fact]
    public async Task A_Production_server_refuses_the_same_tokens_and_its_GraphiQL_page_carries_no_token()
    {
        await using var production = await IsolatedRegistryFactory.StartAsync(api, "Production");
        production.Services.GetRequiredService<IHostEnvironment>().EnvironmentName.Should().Be("Production");
        async Task<HttpStatusCode> StatusWith(string token) =>
            (await production.ClientFor(token).GraphQLResponseAsync(Query)).Response.StatusCode;

        (await StatusWith(api.Token("caseworker"))).Should().Be(HttpStatusCode.OK);
        (await StatusWith(api.Token("department:MUNICIPALITY"))).Should().Be(HttpStatusCode.Unauthorized);
        (await StatusWith(Jwt(Claims(), alg: "HS384"))).Should().Be(HttpStatusCode.Unauthorized);
        (await StatusWith(Jwt(Claims(sub: null)))).Should().Be(HttpStatusCode.Unauthorized);
        (await StatusWith(Jwt(Claims(exp: TimeSpan.FromDays(30))))).Should().Be(HttpStatusCode.Unauthorized);

        var request = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        request.Headers.Host = "localhost";
        request.Headers.Add(RegistryApiFactory.RemoteAddressHeader, "127.0.0.1");
        (await (await production.CreateClient().SendAsync(request)).Content.ReadAsStringAsync()).Should().Contain("name=\"registry-dev-token\" content=\"\"");
    }

    /// <summary>The token verb's command line, run in this process.</summary>
    private Task<int> Token(params string[] args) => api.CommandLine().RunAsync(["token", .. args]);
}
