using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
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

    /// <summary>__schema and __type answered; unset, only in Development (GraphiQL needs them there).</summary>
    public bool? Introspection { get; set; }

    /// <summary>
    /// Introspection's own allowance, as finite as any query's: GraphiQL's schema fetch (graphql-js's
    /// standard query, nine levels of ofType) is 15 deep and estimates 1.38 million (each list counted
    /// as 5 items), whatever the schema's size; this admits it and nothing much bigger.
    /// </summary>
    public int MaxIntrospectionDepth { get; set; } = 15;
    public int MaxIntrospectionComplexity { get; set; } = 2_000_000;

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

    private static async Task ExecuteAsync(HttpContext http, IDocumentExecuter<RegistrySchema> executer,
        IGraphQLTextSerializer serializer, GraphQLLimits limits, ILoggerFactory loggers)
    {
        if (http.User.Identity?.IsAuthenticated != true)
        {
            await WriteError(http, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, "A bearer token is required.");
            return;
        }
        if (http.Request.ContentLength > limits.MaxRequestBytes)
        {
            await WriteError(http, StatusCodes.Status413PayloadTooLarge, "REQUEST_TOO_LARGE", $"Requests are limited to {limits.MaxRequestBytes} bytes.");
            return;
        }
        if (http.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            await WriteError(http, StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "Send the request as application/json.");
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
            await WriteError(http, StatusCodes.Status400BadRequest, "INVALID_REQUEST", "The body must be a JSON object with a 'query' string (and optional 'variables', 'operationName').");
            return;
        }

        var correlationId = http.Request.Headers["X-Correlation-Id"].FirstOrDefault() is { Length: > 0 and <= 100 } given
            ? given
            : Guid.CreateVersion7().ToString();
        http.Response.Headers["X-Correlation-Id"] = correlationId;
        var logger = loggers.CreateLogger("Registry.GraphQL");

        var result = await executer.ExecuteAsync(o =>
        {
            o.Query = request.Query;
            o.Variables = request.Variables;
            o.Extensions = request.Extensions;
            o.OperationName = request.OperationName;
            o.RequestServices = http.RequestServices;
            o.User = http.User;
            o.UserContext = new RegistryUserContext
            {
                Actor = http.User.Identity!.Name ?? "unknown",
                CorrelationId = correlationId,
                User = http.User,
                Purpose = http.Request.Headers["X-Purpose"].FirstOrDefault() is { Length: > 0 and <= 200 } purpose ? purpose : null,
                EvaluationBudget = limits.MaxEvaluationsPerRequest,
            };
            o.CancellationToken = http.RequestAborted;
            o.Timeout = TimeSpan.FromSeconds(limits.TimeoutSeconds);
            o.TimeoutAction = global::GraphQL.Execution.TimeoutAction.ReturnTimeoutError;
            o.UnhandledExceptionDelegate = ctx =>
            {
                // Log the fault for operators (types, SQLSTATE, frames; no message, it may quote the input);
                // callers get a stable code and no stack trace or SQL.
                logger.LogError("Unhandled error in {Field}, correlation {CorrelationId}: {Fault}", ctx.FieldContext?.FieldDefinition.Name,
                    correlationId, Hosting.Faults.Describe(ctx.OriginalException, withStackTrace: true));
                ctx.Exception = new ExecutionError("The register could not complete this request; it has been logged.") { Code = "INTERNAL_ERROR" };
                return Task.CompletedTask;
            };
        });

        http.Response.ContentType = "application/graphql-response+json; charset=utf-8";
        http.Response.StatusCode = result.Executed ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        await http.Response.WriteAsync(serializer.Serialize(result), http.RequestAborted);
    }

    private static Task WriteError(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/graphql-response+json; charset=utf-8";
        return http.Response.WriteAsJsonAsync(new { errors = new[] { new { message, extensions = new { code } } } });
    }

    /// <summary>The bundled GraphiQL page; in Development it carries a caseworker token so it works out of the box.</summary>
    private static async Task<IResult> GraphiQLPage(IWebHostEnvironment env, IConfiguration configuration, TimeProvider clock)
    {
        var file = env.WebRootFileProvider.GetFileInfo("graphiql/index.html");
        if (!file.Exists) return Results.NotFound();
        using var reader = new StreamReader(file.CreateReadStream());
        var html = await reader.ReadToEndAsync();
        var token = env.IsDevelopment()
            ? TokenIssuer.Issue(AuthSettings.From(configuration), "graphiql-dev", [Roles.Caseworker], TimeSpan.FromHours(12), clock.GetUtcNow())
            : "";
        return Results.Content(html.Replace("__REGISTRY_DEV_TOKEN__", token), "text/html; charset=utf-8");
    }
}
