using System.Globalization;
using System.Text.Json;
using Marten;
using Registry.Api.Commands;
using Registry.Api.Hosting;
using Registry.Api.Notices;
using Registry.Domain.Common;
using Registry.Domain.Notices;
using Registry.Projections.Privacy;

namespace Registry.Api.Dci;

// DCI registry/subscribe and registry/unsubscribe, on the register's own webhook subscriptions: a DCI
// subscription is a WebhookSubscribed with Format Dci, written by the same SubscribeToNotices command through
// the CommandDispatcher, checked by the same callback policy, and delivered by the same DeliverNotices
// (WebhookPoster builds the standard's notify envelope for it). See docs/dci.md.

internal sealed record SubscribeResponseMessage(string? TransactionId, string CorrelationId, IReadOnlyList<SubscribeResponseItem> SubscribeResponse);

internal sealed record SubscribeResponseItem(string? ReferenceId, DateTimeOffset Timestamp, string Status, string? StatusReasonCode = null,
    string? StatusReasonMessage = null, IReadOnlyList<SubscriptionInfo>? Subscriptions = null, string? Locale = null);

/// <param name="RegEventType">A string for one kind of notice, a list for several (see <see cref="DciNoticeKinds"/>).</param>
internal sealed record SubscriptionInfo(string Version, string Code, string Status, DateTimeOffset Timestamp, string RegType, object RegEventType, string NotifyRecordType);

internal sealed record UnsubscribeResponseMessage(string? TransactionId, string CorrelationId, DateTimeOffset Timestamp, string Status, string? StatusReasonCode,
    string? StatusReasonMessage, IReadOnlyList<SubscriptionStatusItem> SubscriptionStatus);

internal sealed record SubscriptionStatusItem(string Code, string Status);

/// <summary>
/// DCI reg_event_type values and the notices they stand for: the register's notice kinds, spelt as GraphQL spells
/// them. A department served by DCI (SASSA, DHS, DBE) hears these four; HOUSEHOLD_CHANGED is a municipality's.
/// </summary>
public static class DciNoticeKinds
{
    public static readonly IReadOnlyDictionary<string, NoticeKind> ByEventType = new Dictionary<string, NoticeKind>(StringComparer.Ordinal)
    {
        ["ELIGIBILITY_CHANGED"] = NoticeKind.EligibilityChanged,
        ["ENTITLEMENT_STATUS_CHANGED"] = NoticeKind.EntitlementStatusChanged,
        ["BENEFICIARY_DIED"] = NoticeKind.BeneficiaryDied,
        ["PARAMETERS_PUBLISHED"] = NoticeKind.ParametersPublished,
    };

    /// <summary>What a subscription without reg_event_type hears: every kind a department's feed holds.</summary>
    public static readonly IReadOnlyList<NoticeKind> All = [.. ByEventType.Values.Order()];

    public static string EventType(NoticeKind kind) => ByEventType.Single(p => p.Value == kind).Key;

    /// <summary>The kinds reg_event_type names (absent or null: all; a string: one; a list: those), or null when it names anything else.</summary>
    public static IReadOnlyList<NoticeKind>? Parse(JsonElement criteria)
    {
        if (!criteria.TryGetProperty("reg_event_type", out var value) || value.ValueKind == JsonValueKind.Null) return All;
        var names = value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array when value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) => value.EnumerateArray().Select(v => v.GetString()!).ToList(),
            _ => (List<string>?)null,
        };
        if (names is not { Count: > 0 } || names.Any(n => !ByEventType.ContainsKey(n))) return null;
        return [.. names.Select(n => ByEventType[n]).Distinct().Order()];
    }
}

internal sealed partial class DciService
{
    public const string SubscribeOperation = "dci.subscribe";
    public const string UnsubscribeOperation = "dci.unsubscribe";

    public Task SubscribeAsync(HttpContext http) => ServeAsync(http, "subscribe", needsPurpose: true, AnswerSubscribeAsync);

    public Task UnsubscribeAsync(HttpContext http) => ServeAsync(http, "unsubscribe", needsPurpose: false, AnswerUnsubscribeAsync);

    private async Task AnswerSubscribeAsync(HttpContext http, IServiceProvider services, TimeProvider clock, DciRequest dci)
    {
        var transactionId = Text(dci.Message, "transaction_id");
        var requests = dci.Message.TryGetProperty("subscribe_request", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : null;
        if (HeaderRejection(dci.Header, "subscribe", requests?.Count) is { } rejected)
        {
            await WriteEnvelope(http, clock, "on-subscribe", dci.SenderId, rejected.Code, rejected.Message, 0, new SubscribeResponseMessage(transactionId, dci.CorrelationId, []));
            return;
        }
        if (transactionId is not { Length: > 0 and <= 99 } || requests is null)
        {
            await TransportError(http, StatusCodes.Status400BadRequest, DciReasonCodes.RequestBad,
                "The message is a SubscribeRequest: transaction_id (1 to 99 characters) and a subscribe_request list.");
            return;
        }
        if (dci.SenderId.Length > WebhookSubscription.MaxReceiverIdLength)
        {
            await TransportError(http, StatusCodes.Status400BadRequest, DciReasonCodes.SenderIdInvalid,
                $"sender_id has at most {WebhookSubscription.MaxReceiverIdLength} characters: it is the receiver_id of every notify message.");
            return;
        }
        // The subscriber's callback is the header's sender_uri, held to the same policy as any webhook's.
        var callback = Text(dci.Header, "sender_uri")?.Trim();
        if (services.GetRequiredService<WebhookSettings>().Policy.Check(callback) is { } refused)
        {
            await TransportError(http, StatusCodes.Status400BadRequest, DciReasonCodes.SenderUriInvalid,
                "header.sender_uri is where the notify messages are posted. " + refused.Message);
            return;
        }

        var feed = ReadingChanges.FeedOf(http.User);
        var subscribed = (await services.GetRequiredService<IQuerySession>().Query<WebhookSubscription>()
                .Where(s => s.Feed == feed && s.CallbackUrl == callback).ToListAsync(http.RequestAborted))
            .Where(s => s.IsActive && s.Format == NoticeFormat.Dci).Select(s => s.Kinds).ToList();
        var items = new List<SubscribeResponseItem>();
        var references = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in requests)
            items.Add(await SubscribeOneAsync(http, services, clock, dci, feed, callback!, request, references, subscribed));
        await WriteEnvelope(http, clock, "on-subscribe", dci.SenderId, null, null, items.Count, new SubscribeResponseMessage(transactionId, dci.CorrelationId, items));
    }

    private static async Task<SubscribeResponseItem> SubscribeOneAsync(HttpContext http, IServiceProvider services, TimeProvider clock, DciRequest dci, string feed,
        string callback, JsonElement request, HashSet<string> references, List<IReadOnlyList<NoticeKind>> subscribed)
    {
        var now = clock.GetUtcNow();
        var referenceId = request.ValueKind == JsonValueKind.Object ? Text(request, "reference_id") : null;
        SubscribeResponseItem Rejected(string code, string why) => new(referenceId, now, DciReasonCodes.Rejected, code, why);

        if (referenceId is not { Length: > 0 and <= 99 }) return Rejected(DciReasonCodes.ReferenceIdInvalid, "Each subscribe request has a reference_id of 1 to 99 characters.");
        if (!references.Add(referenceId)) return Rejected(DciReasonCodes.ReferenceIdDuplicate, "reference_id is used twice in this message.");
        if (Text(request, "timestamp") is not { } ts || !DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return Rejected(DciReasonCodes.TimestampInvalid, "timestamp is an ISO 8601 date and time with its offset.");
        if (!request.TryGetProperty("subscribe_criteria", out var criteria) || criteria.ValueKind != JsonValueKind.Object)
            return Rejected(DciReasonCodes.NotifyDetailsInvalid, "A subscribe request has subscribe_criteria.");
        if (criteria.TryGetProperty("version", out var version) && !(version.ValueKind == JsonValueKind.String && version.GetString() == DciEndpoint.Version))
            return Rejected(DciReasonCodes.NotifyDetailsInvalid, $"subscribe_criteria.version is {DciEndpoint.Version}.");
        if (!Absent(criteria, "reg_type") && Text(criteria, "reg_type") != DciEndpoint.RegType)
            return Rejected(DciReasonCodes.NotifyDetailsInvalid, $"reg_type is {DciEndpoint.RegType}.");
        if (!Absent(criteria, "notify_record_type") && Text(criteria, "notify_record_type") != DciEndpoint.RecordType)
            return Rejected(DciReasonCodes.NotifyDetailsInvalid, $"notify_record_type is {DciEndpoint.RecordType}: each notice names its person by UIN.");
        if (!Absent(criteria, "frequency"))
            return Rejected(DciReasonCodes.NotifyDetailsInvalid, "frequency is not supported: the register notifies as each change is recorded.");
        if (!Absent(criteria, "filter"))
            return Rejected(DciReasonCodes.NotifyDetailsInvalid, "filter is not supported: every notice of the event types is sent; leave it out, null or {}.");
        if (DciNoticeKinds.Parse(criteria) is not { } kinds)
            return Rejected(DciReasonCodes.NotifyTypesInvalid,
                $"reg_event_type is one of {string.Join(", ", DciNoticeKinds.ByEventType.Keys)}, a list of them, or absent for all.");
        if (subscribed.Any(k => k.SequenceEqual(kinds)))
            return Rejected(DciReasonCodes.EventAlreadySubscribed, "Your department already has this subscription at this sender_uri.");

        var id = Guid.CreateVersion7(now);
        var actor = http.User.Identity!.Name!;
        // A DCI subscriber checks the register's Ed25519 signature; the webhook secret is sealed as for any
        // subscription but never shown, and no X-Registry-Signature is sent with its notify messages.
        var (sealedSecret, keyId) = WebhookSecret.SealFor(services.GetRequiredService<MasterKeys>(), id, WebhookSecret.Create());
        var subscribe = new WebhookSubscribed(id, feed, callback, kinds, dci.Purpose, sealedSecret, keyId, 0, actor, now, NoticeFormat.Dci, dci.SenderId);
        var context = new CommandContext(SubscribeOperation, actor, dci.CorrelationId, clock.Today(), dci.Purpose);
        var result = await services.GetRequiredService<CommandDispatcher>().SendAsync(new SubscribeToNotices(subscribe, context), http.RequestAborted);
        if (!result.Succeeded) return Rejected(DciReasonCodes.NotifyDetailsInvalid, result.Errors[0].Message);
        subscribed.Add(kinds);
        object eventType = kinds.Count == 1 ? DciNoticeKinds.EventType(kinds[0]) : kinds.Select(DciNoticeKinds.EventType).ToList();
        return new SubscribeResponseItem(referenceId, now, DciReasonCodes.Success,
            Subscriptions: [new SubscriptionInfo(DciEndpoint.Version, id.ToString(), "subscribe", now, DciEndpoint.RegType, eventType, DciEndpoint.RecordType)],
            Locale: Text(request, "locale"));
    }

    private async Task AnswerUnsubscribeAsync(HttpContext http, IServiceProvider services, TimeProvider clock, DciRequest dci)
    {
        var now = clock.GetUtcNow();
        var transactionId = Text(dci.Message, "transaction_id");
        var codes = dci.Message.TryGetProperty("subscription_codes", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : null;
        Task Answer(string status, string? code, string? why, IReadOnlyList<SubscriptionStatusItem> statuses) =>
            WriteEnvelope(http, clock, "on-unsubscribe", dci.SenderId, null, null, statuses.Count,
                new UnsubscribeResponseMessage(transactionId, dci.CorrelationId, now, status, code, why, statuses));
        if (HeaderRejection(dci.Header, "unsubscribe", codes?.Count) is { } rejected)
        {
            await WriteEnvelope(http, clock, "on-unsubscribe", dci.SenderId, rejected.Code, rejected.Message, 0,
                new UnsubscribeResponseMessage(transactionId, dci.CorrelationId, now, DciReasonCodes.Rejected, null, null, []));
            return;
        }
        if (transactionId is not { Length: > 0 and <= 99 } || codes is not { Count: > 0 } || codes.Any(c => c.ValueKind != JsonValueKind.String))
        {
            await TransportError(http, StatusCodes.Status400BadRequest, DciReasonCodes.RequestBad,
                "The message is an UnSubscribeRequest: transaction_id (1 to 99 characters) and a subscription_codes list of codes.");
            return;
        }
        // The standard spells it both "timestamp" and "timesstamp"; either, when given, is a date and time.
        foreach (var name in new[] { "timestamp", "timesstamp" })
            if (!Absent(dci.Message, name) && !(Text(dci.Message, name) is { } ts && DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)))
            {
                await Answer(DciReasonCodes.Rejected, DciReasonCodes.TimestampInvalid, "timestamp is an ISO 8601 date and time with its offset.", []);
                return;
            }

        // Every code is checked before any is ended, so a message with one bad code changes nothing.
        // Another department's subscription is answered as no subscription: its existence is not told.
        var feed = ReadingChanges.FeedOf(http.User);
        var session = services.GetRequiredService<IQuerySession>();
        var ids = new List<Guid>();
        for (var i = 0; i < codes.Count; i++)
        {
            var subscription = Guid.TryParse(codes[i].GetString(), out var id) ? await session.LoadAsync<WebhookSubscription>(id, http.RequestAborted) : null;
            if (subscription is null || subscription.Feed != feed)
            {
                await Answer(DciReasonCodes.Rejected, DciReasonCodes.SubscriptionCodeInvalid, $"subscription_codes[{i}] is not a subscription of your department; nothing was unsubscribed.", []);
                return;
            }
            if (!subscription.IsActive)
            {
                await Answer(DciReasonCodes.Rejected, DciReasonCodes.EventAlreadyUnsubscribed, $"subscription_codes[{i}] has already ended; nothing was unsubscribed.", []);
                return;
            }
            if (!ids.Contains(id)) ids.Add(id);
        }

        var dispatcher = services.GetRequiredService<CommandDispatcher>();
        var context = new CommandContext(UnsubscribeOperation, http.User.Identity!.Name!, dci.CorrelationId, clock.Today());
        var statuses = new List<SubscriptionStatusItem>();
        (string Code, string Why)? failed = null;
        foreach (var id in ids)
        {
            var result = await dispatcher.SendAsync(new UnsubscribeFromNotices(id, feed, context), http.RequestAborted);
            if (result.Succeeded) statuses.Add(new SubscriptionStatusItem(id.ToString(), "unsubscribe"));
            else failed ??= result.Errors[0].Code == ErrorCodes.NoChange
                ? (DciReasonCodes.EventAlreadyUnsubscribed, "A subscription ended while this message was handled.")
                : (DciReasonCodes.SubscriptionCodeInvalid, "A subscription could not be ended.");
        }
        if (failed is { } f) await Answer(DciReasonCodes.Rejected, f.Code, f.Why, statuses);
        else await Answer(DciReasonCodes.Success, null, null, statuses);
    }

    /// <summary>Left out, null, or empty ({} / [] / ""): not asking for anything.</summary>
    private static bool Absent(JsonElement element, string property) =>
        !element.TryGetProperty(property, out var value) || value.ValueKind switch
        {
            JsonValueKind.Null => true,
            JsonValueKind.Object => !value.EnumerateObject().Any(),
            JsonValueKind.Array => value.GetArrayLength() == 0,
            JsonValueKind.String => value.GetString()!.Length == 0,
            _ => false,
        };
}
