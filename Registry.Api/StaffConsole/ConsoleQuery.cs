using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using Registry.Api.GraphQL;

namespace Registry.Api.StaffConsole;

/// <summary>What the register answered a console page: the data, or why not (the API's own error codes).</summary>
public sealed record ConsoleAnswer(JsonElement Data, IReadOnlyList<string> ErrorCodes)
{
    public bool Refused => ErrorCodes.Contains(Domain.Common.ErrorCodes.Forbidden);
    public bool Failed => ErrorCodes.Count > 0;
}

/// <summary>
/// A console page's way to the data: the register's own GraphQL schema through <see cref="RegistryExecution"/>,
/// as the signed-in person, so the console can show nothing the API would not answer that role.
/// </summary>
public sealed class ConsoleQuery(RegistryExecution execution, IGraphQLTextSerializer serializer)
{
    public async Task<ConsoleAnswer> RunAsync(HttpContext http, string query, object variables, string? purpose)
    {
        // Variables go through the same JSON reading as /graphql's, so types (Decimal, enums) are coerced the same way.
        var request = serializer.Deserialize<GraphQLRequest>(JsonSerializer.Serialize(new { query, variables }))!;
        // As /graphql refuses it: text PostgreSQL cannot store would fail only after the register began to act.
        if (await NulCharacter.InAsync(request, http.RequestAborted)) return new ConsoleAnswer(default, [Domain.Common.ErrorCodes.InvalidRequest]);
        var correlationId = RegistryExecution.CorrelationId(null);
        http.Response.Headers["X-Correlation-Id"] = correlationId;
        var result = await execution.ExecuteAsync(http.User, correlationId, purpose, request, http.RequestAborted);
        using var answer = JsonDocument.Parse(serializer.Serialize(result));
        var root = answer.RootElement;
        var codes = root.TryGetProperty("errors", out var errors)
            ? errors.EnumerateArray().Select(e => e.TryGetProperty("extensions", out var x) && x.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "").ToList()
            : [];
        return new ConsoleAnswer(root.TryGetProperty("data", out var data) ? data.Clone() : default, codes);
    }
}

/// <summary>A domain rejection as a form shows it: the input field it names (the id of the form's field) and the message.</summary>
public sealed record FieldError(string? Field, string Code, string Message)
{
    public static IReadOnlyList<FieldError> From(JsonElement errors) =>
    [
        .. errors.EnumerateArray().Select(e => new FieldError(
            e.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.Array ? f.EnumerateArray().Select(p => p.GetString()).LastOrDefault() : null,
            e.GetProperty("code").GetString() ?? "",
            e.GetProperty("message").GetString() ?? "")),
    ];
}
