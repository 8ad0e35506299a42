using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;
using Registry.Api.Auth;
using Registry.Domain.Common;

namespace Registry.Api.GraphQL;

public sealed class GraphQLLimits
{
    public const string Section = "GraphQL";
    public int MaxDepth { get; set; } = 10;
    public int MaxComplexity { get; set; } = 10_000;
    public int TimeoutSeconds { get; set; } = 30;
    public long MaxRequestBytes { get; set; } = 256 * 1024;

    /// <summary>Total length of the validated document texts kept for reuse (a document's parsed form takes about ten times its text).</summary>
    public long DocumentCacheBytes { get; set; } = 1_000_000;

    /// <summary>__schema and __type answered; unset, only in Development (GraphiQL needs them there).</summary>
    public bool? Introspection { get; set; }

    /// <summary>
    /// Introspection's own allowance, as finite as any query's: GraphiQL's schema fetch (graphql-js's
    /// standard query, nine levels of ofType) is 15 deep, and its estimate grows with the schema (about 2.1
    /// million with today's, each list counted as 5 items); this admits it with room for the schema to grow,
    /// and refuses two copies of it in one request.
    /// </summary>
    public int MaxIntrospectionDepth { get; set; } = 15;
    public int MaxIntrospectionComplexity { get; set; } = 3_500_000;

    /// <summary>
    /// Eligibility evaluations one request may ask for, across all its fields and aliases: one full
    /// batch (the size eligibilityBatch was built and measured for), not twelve of them under aliases.
    /// </summary>
    public int MaxEvaluationsPerRequest { get; set; } = Eligibility.EligibilityService.MaxBatch;
}

/// <summary>POST /graphql runs a request for an authenticated caller; GET /graphql serves the GraphiQL page.</summary>
public static class GraphQLEndpoint
{
    public static void MapRegistryGraphQL(this WebApplication app)
    {
        app.MapPost("/graphql", ExecuteAsync);
        app.MapGet("/graphql", GraphiQLPage);
        app.MapGet("/", () => Results.Redirect("/graphql"));
    }

    private static async Task ExecuteAsync(HttpContext http, RegistryExecution execution, IGraphQLTextSerializer serializer, GraphQLLimits limits)
    {
        if (http.User.Identity?.IsAuthenticated != true)
        {
            await WriteError(http, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, await WhyUnauthenticatedAsync(http));
            return;
        }
        if (http.Request.ContentLength > limits.MaxRequestBytes)
        {
            await WriteError(http, StatusCodes.Status413PayloadTooLarge, ErrorCodes.RequestTooLarge, $"Requests are limited to {limits.MaxRequestBytes} bytes.");
            return;
        }
        if (http.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            await WriteError(http, StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType, "Send the request as application/json.");
            return;
        }

        GraphQLRequest? request;
        try
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync(http.RequestAborted);
            request = body.Length > limits.MaxRequestBytes ? null : serializer.Deserialize<GraphQLRequest>(body);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            request = null;
        }
        if (string.IsNullOrWhiteSpace(request?.Query))
        {
            await WriteError(http, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, "The body must be a JSON object with a 'query' string (and optional 'variables', 'operationName').");
            return;
        }
        if (await NulCharacter.InAsync(request, http.RequestAborted))
        {
            await WriteError(http, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest,
                "The request holds the NUL character (U+0000), which the register cannot store; send the text without it.");
            return;
        }

        var correlationId = RegistryExecution.CorrelationId(http.Request.Headers["X-Correlation-Id"].FirstOrDefault());
        http.Response.Headers["X-Correlation-Id"] = correlationId;
        ExecutionResult result;
        try
        {
            result = await execution.ExecuteAsync(http.User, correlationId, http.Request.Headers[Audit.PurposeRule.Header].FirstOrDefault(), request, http.RequestAborted);
        }
        catch (Audit.AccessLogUnavailableException)
        {
            await WriteError(http, StatusCodes.Status503ServiceUnavailable, ErrorCodes.AccessLogUnavailable,
                "The access log could not record this read, so it is not answered; try again.");
            return;
        }

        http.Response.ContentType = "application/graphql-response+json; charset=utf-8";
        http.Response.StatusCode = result.Executed ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        await http.Response.WriteAsync(serializer.Serialize(result), http.RequestAborted);
    }

    /// <summary>
    /// The register's own refusals (TokenRules) say what is wrong; the token library's say only which
    /// kind of check failed, never the token's contents.
    /// </summary>
    private static async Task<string> WhyUnauthenticatedAsync(HttpContext http)
    {
        // The handler caches its result for the request: this does not validate the token again.
        var failure = (await http.AuthenticateAsync()).Failure;
        return failure switch
        {
            null => "A bearer token is required.",
            AuthenticationFailureException ours => ours.Message,
            SecurityTokenExpiredException => "The bearer token has expired.",
            SecurityTokenNotYetValidException => "The bearer token is not valid yet.",
            SecurityTokenNoExpirationException => "The bearer token has no expiry ('exp').",
            _ => "The bearer token is not valid: its signature, algorithm, issuer or audience does not hold.",
        };
    }

    private static Task WriteError(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/graphql-response+json; charset=utf-8";
        return http.Response.WriteAsJsonAsync(new { errors = new[] { new { message, extensions = new { code } } } });
    }

    /// <summary>
    /// The bundled GraphiQL page. In Development it carries a caseworker token so it works out of the box,
    /// but only for a browser on this machine: anyone who can reach a misconfigured server otherwise gets a caseworker's token.
    /// </summary>
    private static async Task<IResult> GraphiQLPage(HttpContext http, IWebHostEnvironment env, IConfiguration configuration, TimeProvider clock)
    {
        var file = env.WebRootFileProvider.GetFileInfo("graphiql/index.html");
        if (!file.Exists) return Results.NotFound();
        using var reader = new StreamReader(file.CreateReadStream());
        var html = await reader.ReadToEndAsync();
        var settings = AuthSettings.From(configuration);
        var token = env.IsDevelopment() && IsLocalBrowser(http)
            ? TokenIssuer.Issue(settings, "graphiql-dev", [Roles.Caseworker], settings.MaxTokenLifetime, clock.GetUtcNow())
            : "";
        return Results.Content(html.Replace("__REGISTRY_DEV_TOKEN__", token), "text/html; charset=utf-8");
    }

    /// <summary>A loopback connection that also names a loopback host: a proxy forwarding outside traffic names the public host.</summary>
    public static bool IsLocalBrowser(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } remote && System.Net.IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote)
        && http.Request.Host.Host.ToLowerInvariant() is "localhost" or "127.0.0.1" or "[::1]";
}
