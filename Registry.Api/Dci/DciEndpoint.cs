using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Marten;
using Registry.Api.Audit;
using Registry.Api.Auth;
using Registry.Api.GraphQL;
using Registry.Api.Hosting;
using Registry.Projections.Privacy;

namespace Registry.Api.Dci;

/// <summary>The DCI settings (section Dci); the sender keys are read by <see cref="DciSenderKeys"/>.</summary>
public sealed class DciSettings
{
    public const string Section = "Dci";

    /// <summary>The register's DCI identity: the sender_id of its responses and the first part of its kidId.</summary>
    public string RegistryId { get; set; } = "registry";
    public int DefaultPageSize { get; set; } = 20;
    public int MaxPageSize { get; set; } = 100;

    /// <summary>More matches than this and a search is refused (rjct.search.too_many_records_found), however it is paged.</summary>
    public int MaxRecordsFound { get; set; } = 1_000;

    /// <summary>Search requests in one message (rjct.total_count.limit_exceeded beyond).</summary>
    public int MaxSearchRequests { get; set; } = 10;
}

/// <summary>
/// POST /dci/registry/sync/search (the DCI registry core's synchronous search) for department services, and
/// GET /.well-known/registry-keys, the public key its responses are signed with. See docs/dci.md.
/// </summary>
public static class DciEndpoint
{
    public const string SearchPath = "/dci/registry/sync/search";
    public const string KeysPath = "/.well-known/registry-keys";
    public const string Version = "1.0.0";
    public const string Operation = "dci.search";
    public const string RegType = "ns:org:RegistryType:Social";
    public const string RecordType = "spdci-extensions-dci:Person";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public const string SubscribePath = "/dci/registry/subscribe";
    public const string UnsubscribePath = "/dci/registry/unsubscribe";

    public static DciSettings SettingsFrom(IConfiguration configuration) =>
        configuration.GetSection(DciSettings.Section).Get<DciSettings>() ?? new DciSettings();

    /// <summary>The settings and the register's signing key as services: the webhook poster signs DCI notify messages with the same key.</summary>
    public static void AddRegistryDci(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(SettingsFrom(configuration));
        services.AddSingleton(sp => new RegisterSigningKey(sp.GetRequiredService<MasterKeys>(), sp.GetRequiredService<DciSettings>().RegistryId));
    }

    public static void MapRegistryDci(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<DciSettings>();
        var senders = DciSenderKeys.From(app.Configuration);
        var signing = app.Services.GetRequiredService<RegisterSigningKey>();
        var dci = new DciService(settings, senders, signing);
        app.MapPost(SearchPath, (HttpContext http) => dci.SearchAsync(http));
        app.MapPost(SubscribePath, (HttpContext http) => dci.SubscribeAsync(http));
        app.MapPost(UnsubscribePath, (HttpContext http) => dci.UnsubscribeAsync(http));
        app.MapGet(KeysPath, () => Results.Json(new
        {
            keys = new[] { new { key_id = signing.KeyId, alg = "Ed25519", public_key = Convert.ToBase64String(signing.PublicKey), registry_id = signing.RegistryId } },
        }));
    }
}

internal sealed record ResponseHeader(string Version, string MessageId, DateTimeOffset MessageTs, string Action, string Status, string? StatusReasonCode,
    string? StatusReasonMessage, int TotalCount, int CompletedCount, string SenderId, string? ReceiverId, bool IsMsgEncrypted);

internal sealed record SearchResponseMessage(string? TransactionId, string CorrelationId, IReadOnlyList<SearchResponseItem> SearchResponse);

internal sealed record SearchResponseItem(string? ReferenceId, DateTimeOffset Timestamp, string Status, string? StatusReasonCode = null,
    string? StatusReasonMessage = null, SearchResultData? Data = null, PageDetails? Pagination = null, string? Locale = null);

internal sealed record SearchResultData(string Version, string RegType, string RegRecordType, IReadOnlyList<DciPersonRecord> RegRecords);

internal sealed record PageDetails(int PageSize, int PageNumber, int TotalCount);

/// <summary>The register's signed DCI messages: answers, and the notify messages it posts to subscribers.</summary>
internal static class DciEnvelope
{
    /// <summary>
    /// {signature, header, message}: the header and message are serialised once, signed over exactly those bytes,
    /// and written as they were signed, so a receiver can check them as they arrive.
    /// </summary>
    public static byte[] Signed<T>(RegisterSigningKey signing, ResponseHeader header, T message, DateTimeOffset now)
    {
        var headerBytes = JsonSerializer.SerializeToUtf8Bytes(header, DciEndpoint.Json);
        var body = JsonSerializer.SerializeToUtf8Bytes(message, DciEndpoint.Json);
        var signature = signing.Sign(headerBytes, body, now);
        using var envelope = new MemoryStream();
        envelope.Write("{\"signature\":"u8);
        envelope.Write(JsonSerializer.SerializeToUtf8Bytes(signature.ToString()));
        envelope.Write(",\"header\":"u8);
        envelope.Write(headerBytes);
        envelope.Write(",\"message\":"u8);
        envelope.Write(body);
        envelope.Write("}"u8);
        return envelope.ToArray();
    }
}

/// <summary>A DCI message that passed the checks every endpoint makes: the caller, the envelope, the signature.</summary>
internal sealed record DciRequest(DciView View, string? Purpose, string SenderId, JsonElement Header, JsonElement Message, string CorrelationId, JsonDocument Document);

internal sealed partial class DciService(DciSettings settings, DciSenderKeys senders, RegisterSigningKey signing)
{
    public Task SearchAsync(HttpContext http) => ServeAsync(http, "search", needsPurpose: true, AnswerSearchAsync);

    /// <summary>The checks every DCI endpoint makes, then <paramref name="answer"/>; faults become the standard's transport errors.</summary>
    private async Task ServeAsync(HttpContext http, string action, bool needsPurpose, Func<HttpContext, IServiceProvider, TimeProvider, DciRequest, Task> answer)
    {
        var services = http.RequestServices;
        var clock = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Registry.Dci");
        var correlationId = RegistryExecution.CorrelationId(http.Request.Headers["X-Correlation-Id"].FirstOrDefault());
        http.Response.Headers["X-Correlation-Id"] = correlationId;
        try
        {
            if (await ReadAsync(http, services, clock, correlationId, needsPurpose) is not { } request) return;
            using (request.Document) await answer(http, services, clock, request);
        }
        catch (BadHttpRequestException bad)
        {
            // The body could not be read whole (too large for the server, or cut short).
            await TransportError(http, bad.StatusCode, DciReasonCodes.RequestBad, "The message could not be read.");
        }
        catch (AccessLogUnavailableException)
        {
            await TransportError(http, StatusCodes.Status503ServiceUnavailable, DciReasonCodes.ServiceUnavailable,
                "The access log could not record this read, so it is not answered; try again.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            // Types, SQLSTATE and frames only: a message may quote what was asked.
            logger.LogError("DCI {Action} failed, correlation {CorrelationId}: {Fault}", action, correlationId, Faults.Describe(ex, withStackTrace: true));
            await TransportError(http, StatusCodes.Status500InternalServerError, DciReasonCodes.ServiceUnavailable, "The register could not complete this request; it has been logged.");
        }
    }

    /// <summary>The caller, the envelope and its signature checked; null when a transport error was written instead.</summary>
    private async Task<DciRequest?> ReadAsync(HttpContext http, IServiceProvider services, TimeProvider clock, string correlationId, bool needsPurpose)
    {
        // The same bearer tokens and role parser as /graphql; only a department service reads here.
        if (http.User.Identity?.IsAuthenticated != true)
        {
            await TransportError(http, StatusCodes.Status401Unauthorized, DciReasonCodes.RequestUnauthorized, "A valid bearer token is required.");
            return null;
        }
        if (DciView.Of(http.User) is not { } view)
        {
            await TransportError(http, StatusCodes.Status403Forbidden, DciReasonCodes.RequestForbidden,
                "The DCI search serves a token that speaks for exactly one of department:SASSA, department:DHS or department:DBE.");
            return null;
        }
        var purpose = PurposeRule.Parse(http.Request.Headers[PurposeRule.Header].FirstOrDefault());
        if (needsPurpose && purpose is null)
        {
            await TransportError(http, StatusCodes.Status400BadRequest, DciReasonCodes.RequestBad,
                $"Say why in the {PurposeRule.Header} header (1 to {PurposeRule.MaxLength} characters, no ID numbers): every person shown is access-logged with it.");
            return null;
        }

        var limits = services.GetRequiredService<GraphQLLimits>();
        using var body = new MemoryStream();
        if (http.Request.ContentLength is not > 0 || http.Request.ContentLength <= limits.MaxRequestBytes)
            await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        if (http.Request.ContentLength > limits.MaxRequestBytes || body.Length > limits.MaxRequestBytes)
        {
            await TransportError(http, StatusCodes.Status413PayloadTooLarge, DciReasonCodes.RequestBad, $"Messages are limited to {limits.MaxRequestBytes} bytes.");
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            await TransportError(http, StatusCodes.Status400BadRequest, DciReasonCodes.RequestBad, "The body is not JSON.");
            return null;
        }
        DciRequest? request = null;
        try
        {
            return request = await CheckAsync(http, clock, document, view, purpose, correlationId);
        }
        finally
        {
            // Handed on when checked (ServeAsync disposes it after the answer); otherwise done with here.
            if (request is null) document.Dispose();
        }
    }

    private async Task<DciRequest?> CheckAsync(HttpContext http, TimeProvider clock, JsonDocument document, DciView view, string? purpose, string correlationId)
    {
        var root = document.RootElement;
        if (!Readable(root))
        {
            await TransportError(http, StatusCodes.Status400BadRequest, DciReasonCodes.RequestBad,
                "The body holds text that is not valid Unicode, or the NUL character (U+0000), which the register cannot store.");
            return null;
        }
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("header", out var header) || header.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object
            || Text(header, "sender_id") is not { Length: > 0 } senderId
            || Text(header, "message_id") is not { Length: > 0 })
        {
            await TransportError(http, StatusCodes.Status400BadRequest, DciReasonCodes.RequestBad,
                "The body is a DCI envelope {signature, header, message}; the header names at least message_id and sender_id.");
            return null;
        }
        var signature = root.TryGetProperty("signature", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        if (root.TryGetProperty("signature", out s) && s.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            await TransportError(http, StatusCodes.Status401Unauthorized, DciReasonCodes.SignatureInvalid, "The signature is a string.");
            return null;
        }
        if (senders.Refusal(signature, senderId, JsonMarshal.GetRawUtf8Value(header), JsonMarshal.GetRawUtf8Value(message), clock.GetUtcNow()) is { } refusal)
        {
            await TransportError(http, StatusCodes.Status401Unauthorized, refusal.Code, refusal.Message);
            return null;
        }
        if (header.TryGetProperty("is_msg_encrypted", out var encrypted) && encrypted.ValueKind == JsonValueKind.True)
        {
            await TransportError(http, StatusCodes.Status400BadRequest, DciReasonCodes.EncryptionInvalid, "Encrypted messages are not supported here; send is_msg_encrypted false.");
            return null;
        }

        return new DciRequest(view, purpose, senderId, header, message, correlationId, document);
    }

    private async Task AnswerSearchAsync(HttpContext http, IServiceProvider services, TimeProvider clock, DciRequest dci)
    {
        var (view, purpose, senderId, header, message, correlationId) = (dci.View, dci.Purpose!, dci.SenderId, dci.Header, dci.Message, dci.CorrelationId);
        var transactionId = Text(message, "transaction_id");
        var requests = message.TryGetProperty("search_request", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : null;
        if (HeaderRejection(header, "search", requests?.Count) is { } rejected)
        {
            await WriteEnvelope(http, clock, "on-search", senderId, rejected.Code, rejected.Message, 0, new SearchResponseMessage(transactionId, correlationId, []));
            return;
        }
        if (transactionId is not { Length: > 0 and <= 99 } || requests is null)
        {
            await TransportError(http, StatusCodes.Status400BadRequest, DciReasonCodes.RequestBad,
                "The message is a SearchRequest: transaction_id (1 to 99 characters) and a search_request list.");
            return;
        }

        var session = services.GetRequiredService<IQuerySession>();
        var items = new List<SearchResponseItem>();
        var shown = new HashSet<Guid>();
        var references = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            var (item, people) = await SearchOneAsync(session, view, request, references, clock, http.RequestAborted);
            items.Add(item);
            shown.UnionWith(people);
        }

        // An answered read is a logged read: every person shown is recorded, with the purpose, before the answer leaves.
        var at = clock.GetUtcNow();
        var roles = string.Join(",", http.User.FindAll(Roles.ClaimType).Select(c => c.Value));
        await services.GetRequiredService<AccessLog>().WriteAsync([.. shown.Select(id =>
            new AccessRecord(Guid.CreateVersion7(at), id, at, http.User.Identity!.Name!, roles, view.Department, purpose, DciEndpoint.Operation, correlationId))]);
        await WriteEnvelope(http, clock, "on-search", senderId, null, null, items.Count, new SearchResponseMessage(transactionId, correlationId, items));
    }

    /// <summary>Why the message as a whole is rejected (MsgHeaderStatusReasonCode), or null.</summary>
    private (string Code, string Message)? HeaderRejection(JsonElement header, string action, int? requests)
    {
        if (header.TryGetProperty("version", out var version) && !(version.ValueKind == JsonValueKind.String && version.GetString() == DciEndpoint.Version))
            return (DciReasonCodes.VersionInvalid, $"The register speaks DCI version {DciEndpoint.Version}.");
        if (Text(header, "action") != action)
            return (DciReasonCodes.ActionNotSupported, $"This endpoint answers the action '{action}'.");
        if (Text(header, "message_ts") is not { } ts || !DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return (DciReasonCodes.MessageTsInvalid, "message_ts is an ISO 8601 date and time with its offset.");
        if (requests is not { } n) return null;
        if (header.TryGetProperty("total_count", out var total) && !(total.ValueKind == JsonValueKind.Number && total.TryGetInt32(out var count) && count == n))
            return (DciReasonCodes.TotalCountInvalid, $"total_count is the number of {action} requests in the message.");
        if (n > settings.MaxSearchRequests)
            return (DciReasonCodes.TotalCountLimitExceeded, $"A message holds at most {settings.MaxSearchRequests} {action} requests.");
        return null;
    }

    private async Task<(SearchResponseItem Item, IReadOnlyList<Guid> People)> SearchOneAsync(IQuerySession session, DciView view, JsonElement request,
        HashSet<string> references, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var referenceId = request.ValueKind == JsonValueKind.Object ? Text(request, "reference_id") : null;
        SearchResponseItem Rejected(string code, string why) => new(referenceId, now, DciReasonCodes.Rejected, code, why);

        if (referenceId is not { Length: > 0 and <= 99 }) return (Rejected(DciReasonCodes.ReferenceIdInvalid, "Each search request has a reference_id of 1 to 99 characters."), []);
        if (!references.Add(referenceId)) return (Rejected(DciReasonCodes.ReferenceIdDuplicate, "reference_id is used twice in this message."), []);
        if (Text(request, "timestamp") is not { } ts || !DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return (Rejected(DciReasonCodes.TimestampInvalid, "timestamp is an ISO 8601 date and time with its offset."), []);
        if (!request.TryGetProperty("search_criteria", out var criteria) || criteria.ValueKind != JsonValueKind.Object)
            return (Rejected(DciReasonCodes.SearchCriteriaInvalid, "A search request has search_criteria."), []);
        if (criteria.TryGetProperty("version", out var version) && !(version.ValueKind == JsonValueKind.String && version.GetString() == DciEndpoint.Version))
            return (Rejected(DciReasonCodes.SearchCriteriaInvalid, $"search_criteria.version is {DciEndpoint.Version}."), []);
        if (criteria.TryGetProperty("sort", out var sort) && !(sort.ValueKind == JsonValueKind.Null || sort.ValueKind == JsonValueKind.Array && sort.GetArrayLength() == 0))
            return (Rejected(DciReasonCodes.SortInvalid, "Sorting is not supported: records come in a fixed order, stable across pages."), []);
        if (Page(criteria) is not { } page)
            return (Rejected(DciReasonCodes.PaginationInvalid, $"pagination.page_size is 1 to {settings.MaxPageSize} and page_number at least 1."), []);
        var (query, problem) = DciQuery.Parse(Text(criteria, "query_type"), criteria.TryGetProperty("query", out var q) ? q : default);
        if (query is null) return (Rejected(DciReasonCodes.SearchCriteriaInvalid, problem!), []);

        if (await DciSearch.RunAsync(session, view, query, page.Size, page.Number, settings.MaxRecordsFound, ct) is not { } found)
            return (Rejected(DciReasonCodes.TooManyRecordsFound, $"More than {settings.MaxRecordsFound} people match: narrow the query."), []);
        var locale = Text(request, "locale");
        return (new SearchResponseItem(referenceId, now, DciReasonCodes.Success,
            Data: new SearchResultData(DciEndpoint.Version, DciEndpoint.RegType, DciEndpoint.RecordType, found.Records),
            Pagination: new PageDetails(page.Size, page.Number, found.TotalCount), Locale: locale), found.People);
    }

    private (int Size, int Number)? Page(JsonElement criteria)
    {
        if (!criteria.TryGetProperty("pagination", out var pagination) || pagination.ValueKind == JsonValueKind.Null) return (settings.DefaultPageSize, 1);
        if (pagination.ValueKind != JsonValueKind.Object
            || !pagination.TryGetProperty("page_size", out var size) || size.ValueKind != JsonValueKind.Number || !size.TryGetInt32(out var pageSize)
            || pageSize < 1 || pageSize > settings.MaxPageSize)
            return null;
        if (!pagination.TryGetProperty("page_number", out var number)) return (pageSize, 1);
        return number.ValueKind == JsonValueKind.Number && number.TryGetInt32(out var pageNumber) && pageNumber >= 1 ? (pageSize, pageNumber) : null;
    }

    /// <summary>Every name and string reads as text without NUL: checked once, so no later read of the message can fail on it.</summary>
    private static bool Readable(JsonElement element)
    {
        try
        {
            return Walk(element);
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        static bool Walk(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.String => !e.GetString()!.Contains('\0'),
            JsonValueKind.Array => e.EnumerateArray().All(Walk),
            JsonValueKind.Object => e.EnumerateObject().All(p => !p.Name.Contains('\0') && Walk(p.Value)),
            _ => true,
        };
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>
    /// The signed answer (see <see cref="DciEnvelope.Signed"/>), to the caller's sender_id.
    /// </summary>
    private async Task WriteEnvelope<T>(HttpContext http, TimeProvider clock, string action, string receiverId, string? reasonCode, string? reasonMessage, int count, T message)
    {
        var now = clock.GetUtcNow();
        var header = new ResponseHeader(DciEndpoint.Version, Guid.CreateVersion7(now).ToString(), now, action,
            reasonCode is null ? DciReasonCodes.Success : DciReasonCodes.Rejected, reasonCode, reasonMessage, count, count, signing.RegistryId, receiverId, false);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.Body.WriteAsync(DciEnvelope.Signed(signing, header, message, now), http.RequestAborted);
    }

    /// <summary>The standard's HttpErrorResponse: {"errors": [{"code", "message"}]}. Never the values sent.</summary>
    private static Task TransportError(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { errors = new[] { new { code, message } } });
    }
}
