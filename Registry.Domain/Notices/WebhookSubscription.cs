using Registry.Domain.Common;

namespace Registry.Domain.Notices;

/// <summary>A department asked to be told of its notices at a callback address. The secret is stored sealed, never plain.</summary>
/// <param name="Feed">The department's feed the notices come from (its department, or MUNICIPALITY:&lt;code&gt;).</param>
/// <param name="StartsAfter">The feed position at subscription: only later notices are pushed; earlier ones are read through `changes`.</param>
/// <param name="Format">How the notices are posted; last and optional, so events stored before it read as <see cref="NoticeFormat.Registry"/>.</param>
/// <param name="ReceiverId">For <see cref="NoticeFormat.Dci"/>: the subscriber's DCI sender_id, the receiver_id of each notify message.</param>
public sealed record WebhookSubscribed(
    Guid SubscriptionId, string Feed, string CallbackUrl, IReadOnlyList<NoticeKind> Kinds, string? Description,
    string SealedSecret, string SecretKeyId, long StartsAfter, string SubscribedBy, DateTimeOffset SubscribedAt,
    NoticeFormat Format = NoticeFormat.Registry, string? ReceiverId = null);

public sealed record WebhookUnsubscribed(string UnsubscribedBy, DateTimeOffset UnsubscribedAt);

/// <summary>A webhook subscription, folded from its stream.</summary>
public sealed record WebhookSubscription(
    Guid Id, string Feed, string CallbackUrl, IReadOnlyList<NoticeKind> Kinds, string? Description,
    string SealedSecret, string SecretKeyId, long StartsAfter, string SubscribedBy, DateTimeOffset SubscribedAt,
    DateTimeOffset? UnsubscribedAt = null, long Version = 0, NoticeFormat Format = NoticeFormat.Registry, string? ReceiverId = null)
{
    public const int MaxDescriptionLength = 200;
    public const int MaxReceiverIdLength = 99;

    public bool IsActive => UnsubscribedAt is null;

    public static readonly IReadOnlyList<Type> EventTypes = [typeof(WebhookSubscribed), typeof(WebhookUnsubscribed)];

    public static WebhookSubscription? Evolve(WebhookSubscription? state, object @event) => (state, @event) switch
    {
        (_, WebhookSubscribed e) => new WebhookSubscription(e.SubscriptionId, e.Feed, e.CallbackUrl, e.Kinds, e.Description,
            e.SealedSecret, e.SecretKeyId, e.StartsAfter, e.SubscribedBy, e.SubscribedAt, Format: e.Format, ReceiverId: e.ReceiverId),
        (null, _) => null,
        (var s, WebhookUnsubscribed e) => s with { UnsubscribedAt = e.UnsubscribedAt },
        var (s, _) => s,
    };

    /// <summary>A callback the policy accepts, for at least one kind of notice, described briefly if at all.</summary>
    public static Decision Subscribe(WebhookSubscribed request, CallbackPolicy policy)
    {
        if (policy.Check(request.CallbackUrl) is { } refused) return Decision.Reject(refused);
        if (request.Kinds.Count == 0)
            return Decision.Reject(ErrorCodes.InvalidInput, "Name at least one kind of notice to be told of.", "kinds");
        if (request.Description is { Length: > MaxDescriptionLength })
            return Decision.Reject(ErrorCodes.InvalidInput, $"A description has at most {MaxDescriptionLength} characters.", "description");
        if (request.Format == NoticeFormat.Dci && request.ReceiverId is not { Length: > 0 and <= MaxReceiverIdLength })
            return Decision.Reject(ErrorCodes.InvalidInput, $"A DCI subscription names its receiver in 1 to {MaxReceiverIdLength} characters.", "receiverId");
        return Decision.Accept(request with { Kinds = [.. request.Kinds.Distinct().Order()], Description = NullIfBlank(request.Description) });
    }

    public static Decision Unsubscribe(WebhookSubscription subscription, string by, DateTimeOffset at) =>
        subscription.IsActive
            ? Decision.Accept(new WebhookUnsubscribed(by, at))
            : Decision.Reject(ErrorCodes.NoChange, "This subscription has already ended.", "id");

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
