using JasperFx.Events;
using Marten.Events.Aggregation;
using Registry.Domain.Notices;

namespace Registry.Projections.Notices;

public partial class WebhookSubscriptionProjection : SingleStreamProjection<WebhookSubscription, Guid>
{
    public WebhookSubscriptionProjection()
    {
        foreach (var type in WebhookSubscription.EventTypes) IncludeType(type);
    }

    public override WebhookSubscription? Evolve(WebhookSubscription? snapshot, Guid id, IEvent e) =>
        WebhookSubscription.Evolve(snapshot, e.Data) is { } next ? next with { Version = e.Version } : null;
}

public enum DeliveryStatus { Delivered, Retrying, DeadLettered }

/// <summary>
/// How far a subscription's notices have been pushed: every notice up to <see cref="DeliveredThrough"/> was
/// delivered or dead-lettered. <see cref="Queued"/> while a delivery message for it is on its way, so one batch
/// is in flight per subscription and its notices arrive in order. Operational state, not a fact of the register.
/// </summary>
public sealed class WebhookProgress
{
    public Guid Id { get; set; }
    public long DeliveredThrough { get; set; }
    public bool Queued { get; set; }
    public DateTimeOffset? QueuedAt { get; set; }
}

/// <summary>One notice's delivery to one subscription: its status, how many attempts it took, the last failure (a status code, never the body).</summary>
public sealed record WebhookDelivery(
    Guid Id, Guid SubscriptionId, Guid NoticeId, long Position, DeliveryStatus Status, int Attempts, string? LastError,
    DateTimeOffset LastAttemptAt)
{
    public static Guid IdFor(Guid subscriptionId, Guid noticeId) => ChangeNotice.IdFor(noticeId, subscriptionId.ToString("N"));
}
