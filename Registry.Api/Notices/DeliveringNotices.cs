using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using Marten;
using Registry.Api.Auth;
using Registry.Api.GraphQL;
using Registry.Domain.Notices;
using Registry.Projections.Notices;
using Registry.Projections.Privacy;
using Wolverine;

namespace Registry.Api.Notices;

// Push, as durable work: the dispatcher sees a subscription with notices not yet sent and queues one
// DeliverNotices for it (QueueDelivery, which marks its progress queued in the same transaction). A delivery
// posts the next batch after the subscription's position; on a 2xx the position moves and the next batch
// is queued at once; on a failure the same batch is scheduled again, later each time, until it is
// dead-lettered and the position moves past it. One batch per subscription is in flight, so notices arrive in
// order; a slow receiver holds one slot of the queue for at most the timeout, so the others are not kept waiting.
// Killed at any point, the stored message is handled again: a batch may be posted twice (the notice ids
// let the receiver drop the second copy), never lost.

/// <summary>Queue the next delivery for this subscription, unless one is already on its way.</summary>
public sealed record QueueDelivery(Guid SubscriptionId);

/// <summary>Post the subscription's notices after position <see cref="From"/>; this is attempt <see cref="Attempt"/> of that batch.</summary>
public sealed record DeliverNotices(Guid SubscriptionId, long From, int Attempt)
{
    public const string Queue = "webhooks";
}

public static class QueueDeliveryHandler
{
    public static async Task<OutgoingMessages> Handle(QueueDelivery message, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var messages = new OutgoingMessages();
        if (await session.LoadAsync<WebhookProgress>(message.SubscriptionId, ct) is not { } progress) return messages;
        progress.Queued = true;
        progress.QueuedAt = clock.GetUtcNow();
        session.Store(progress);
        messages.Add(new DeliverNotices(progress.Id, progress.DeliveredThrough, 1));
        return messages;
    }
}

public static class DeliverNoticesHandler
{
    [Wolverine.Attributes.RetryNow(typeof(JasperFx.ConcurrencyException), 50, 200, 1000)]
    public static async Task<OutgoingMessages> Handle(DeliverNotices message, IDocumentSession session, WebhookSettings settings, WebhookPoster poster,
        TimeProvider clock, ILogger<WebhookPoster> logger, CancellationToken ct)
    {
        var messages = new OutgoingMessages();
        var progress = await session.LoadAsync<WebhookProgress>(message.SubscriptionId, ct);
        // Handled before (a redelivery after a crash, or a message the dispatcher replaced): its batch is settled.
        if (progress is not { Queued: true } || progress.DeliveredThrough != message.From) return messages;
        var subscription = await session.LoadAsync<WebhookSubscription>(message.SubscriptionId, ct);
        var batch = subscription is { IsActive: true } ? await poster.ReadBatchAsync(subscription, message.From, ct) : null;
        var now = clock.GetUtcNow();
        progress.QueuedAt = now;
        if (batch is null || batch.Notices.Count == 0)
        {
            progress.Queued = false;
            session.Store(progress);
            return messages;
        }

        var failure = await poster.PostAsync(subscription!, batch, ct);
        var status = failure is null ? DeliveryStatus.Delivered
            : message.Attempt < settings.MaxAttempts ? DeliveryStatus.Retrying : DeliveryStatus.DeadLettered;
        foreach (var notice in batch.Notices)
            session.Store(new WebhookDelivery(WebhookDelivery.IdFor(subscription!.Id, notice.Id), subscription.Id, notice.Id, notice.Position,
                status, message.Attempt, failure, now));
        if (status == DeliveryStatus.Retrying)
        {
            messages.Delay(message with { Attempt = message.Attempt + 1 }, settings.RetryAfter(message.Attempt));
        }
        else
        {
            if (status == DeliveryStatus.DeadLettered)
                logger.LogWarning("Webhook subscription {SubscriptionId}: {Count} notices dead-lettered after {Attempts} attempts ({Failure})",
                    subscription!.Id, batch.Notices.Count, message.Attempt, failure);
            progress.DeliveredThrough = batch.Notices[^1].Position;
            messages.Add(new DeliverNotices(progress.Id, progress.DeliveredThrough, 1));
        }
        session.Store(progress);
        return messages;
    }
}

/// <summary>A batch as `changes` showed it to the subscription's department: each notice's JSON, and the cursor after the last.</summary>
public sealed record NoticeBatch(IReadOnlyList<(Guid Id, long Position, JsonElement Json)> Notices, string? Cursor);

/// <summary>
/// Reads a subscription's next batch through the register's own `changes` field, as the department that
/// subscribed (so the same minimisation, and the access log with the purpose "webhook delivery"), and posts it
/// signed. Connections go only to addresses the callback policy allows, checked on the address actually
/// dialled, so a name that resolves somewhere else after it was allowed is still refused.
/// </summary>
public sealed class WebhookPoster : IDisposable
{
    public const string Purpose = "webhook delivery";
    public const string SignatureHeader = "X-Registry-Signature";

    private const string ChangesQuery = """
        query($after: String, $first: Int, $kinds: [NoticeKind!]) {
          changes(after: $after, first: $first, kinds: $kinds) {
            edges { cursor node { id position kind occurredAt recordedAt programme subjectIdNumber householdId
              before { eligible monthlyAmount status } after { eligible monthlyAmount status } changedCriteria correlationId } }
          }
        }
        """;

    /// <summary>The kinds as the schema spells them (ENTITLEMENT_STATUS_CHANGED), for the query's variables.</summary>
    private static readonly NoticeKindType KindNames = new();

    private readonly HttpClient _http;
    private readonly IServiceScopeFactory _scopes;
    private readonly MasterKeys _keys;
    private readonly IGraphQLTextSerializer _serializer;
    private readonly TimeProvider _clock;
    private readonly WebhookSettings _settings;
    private readonly Dci.RegisterSigningKey _signing;

    public WebhookPoster(WebhookSettings settings, IServiceScopeFactory scopes, MasterKeys keys, IGraphQLTextSerializer serializer, TimeProvider clock,
        Dci.RegisterSigningKey signing)
    {
        (_settings, _scopes, _keys, _serializer, _clock, _signing) = (settings, scopes, keys, serializer, clock, signing);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = ConnectAsync,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<NoticeBatch> ReadBatchAsync(WebhookSubscription subscription, long after, CancellationToken ct)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "webhook:" + subscription.Id.ToString("N")), new Claim(Roles.ClaimType, Roles.DepartmentPrefix + subscription.Feed)],
            authenticationType: "webhook", nameType: ClaimTypes.Name, roleType: Roles.ClaimType);
        var variables = new
        {
            after = after == 0 ? null : NoticeCursor.For(_keys, subscription.Feed, after),
            first = _settings.BatchSize,
            kinds = subscription.Kinds.Select(k => KindNames.Serialize(k)).ToList(),
        };
        var request = _serializer.Deserialize<GraphQLRequest>(JsonSerializer.Serialize(new { query = ChangesQuery, variables }))!;
        await using var scope = _scopes.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<RegistryExecution>()
            .ExecuteAsync(new ClaimsPrincipal(identity), RegistryExecution.CorrelationId(null), Purpose, request, ct);
        using var answer = JsonDocument.Parse(_serializer.Serialize(result));
        if (answer.RootElement.TryGetProperty("errors", out var errors))
            throw new InvalidOperationException("Reading a webhook's notices failed: " + string.Join(",", errors.EnumerateArray()
                .Select(e => e.TryGetProperty("extensions", out var x) && x.TryGetProperty("code", out var c) ? c.GetString() : "?")));
        var edges = answer.RootElement.GetProperty("data").GetProperty("changes").GetProperty("edges").EnumerateArray().ToList();
        var notices = edges.Select(e => e.GetProperty("node"))
            .Select(n => (Guid.Parse(n.GetProperty("id").GetString()!), long.Parse(n.GetProperty("position").GetString()!, System.Globalization.CultureInfo.InvariantCulture), n.Clone()))
            .ToList();
        return new NoticeBatch(notices, edges.Count > 0 ? edges[^1].GetProperty("cursor").GetString() : null);
    }

    /// <summary>Null when the receiver took the batch (any 2xx); otherwise what went wrong, in words that hold no data.</summary>
    public async Task<string?> PostAsync(WebhookSubscription subscription, NoticeBatch batch, CancellationToken ct)
    {
        // One body per format, built (and signed) afresh for each attempt, so a retried signature is current.
        var body = subscription.Format == NoticeFormat.Dci ? Dci.DciNotify.Body(_signing, subscription, batch, _clock.GetUtcNow()) : Body(subscription, batch);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.CallbackUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        // A DCI subscriber never saw the webhook secret: its message carries the register's Ed25519 signature instead.
        if (subscription.Format == NoticeFormat.Registry)
            request.Headers.Add(SignatureHeader, WebhookSecret.Signature(WebhookSecret.Open(_keys, subscription), _clock.GetUtcNow().ToUnixTimeSeconds(), body));
        request.Headers.Add("X-Registry-Subscription", subscription.Id.ToString());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_settings.Timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"no answer within {_settings.Timeout.TotalSeconds:0.###} s";
        }
        catch (HttpRequestException e) when (e.InnerException is CallbackRefusedException)
        {
            return "the callback's address is not allowed";
        }
        catch (HttpRequestException e)
        {
            return e.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "the callback's host does not resolve",
                HttpRequestError.ConnectionError => "the callback refused the connection",
                _ => "the request failed: " + e.HttpRequestError,
            };
        }
    }

    private static byte[] Body(WebhookSubscription subscription, NoticeBatch batch)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("subscriptionId", subscription.Id);
            json.WriteString("cursor", batch.Cursor);
            json.WriteStartArray("notices");
            foreach (var notice in batch.Notices) notice.Json.WriteTo(json);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Where(_settings.Policy.MayConnectTo).ToList();
        if (allowed.Count == 0) throw new CallbackRefusedException();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed.Select(a => new IPEndPoint(a, context.DnsEndPoint.Port)).First(), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();
}

public sealed class CallbackRefusedException() : Exception("The callback resolves only to addresses the register may not connect to.");

/// <summary>
/// Looks for subscriptions with notices not yet sent and queues their delivery. A subscription whose queued
/// delivery has not moved for longer than any retry could take is queued again: its message was lost to a fault.
/// </summary>
public sealed class WebhookDispatcher(IDocumentStore store, IServiceScopeFactory scopes, WebhookSettings settings, TimeProvider clock, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.PollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await DispatchAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Webhook dispatch failed: {Fault}", Hosting.Faults.Describe(e, withStackTrace: false));
            }
        }
    }

    private async Task DispatchAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var stuckBefore = clock.GetUtcNow() - settings.LongestRetry - 3 * settings.Timeout - TimeSpan.FromMinutes(1);
        var waiting = await session.Query<WebhookProgress>().Where(p => !p.Queued || p.QueuedAt < stuckBefore).ToListAsync(ct);
        if (waiting.Count == 0) return;
        var subscriptions = (await session.LoadManyAsync<WebhookSubscription>(ct, waiting.Select(p => p.Id))).Where(s => s.IsActive).ToDictionary(s => s.Id);
        await using var scope = scopes.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        foreach (var progress in waiting)
        {
            if (!subscriptions.TryGetValue(progress.Id, out var subscription)) continue;
            if (!await NoticeFeed.AnyAfterAsync(session, subscription.Feed, progress.DeliveredThrough, subscription.Kinds, ct)) continue;
            try
            {
                await bus.InvokeAsync(new QueueDelivery(progress.Id), ct);
            }
            catch (JasperFx.ConcurrencyException)
            {
                // Another node queued it first.
            }
        }
    }
}
