using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.GraphQL;
using Registry.Domain.Notices;
using Registry.Projections.Notices;

namespace Registry.Api.Notices;

public sealed class DeliveryStatusType : EnumerationGraphType<DeliveryStatus>;

/// <summary>One notice's delivery, with the notice as the subscription's department may see it.</summary>
public sealed record WebhookDeliveryView(WebhookDelivery Delivery, NoticeView? Notice);

public sealed class WebhookDeliveryType : ObjectGraphType<WebhookDeliveryView>
{
    public WebhookDeliveryType()
    {
        Name = "WebhookDelivery";
        Field<ChangeNoticeType>("notice").Resolve(ctx => ctx.Source.Notice);
        Field<NonNullGraphType<DeliveryStatusType>>("status").Resolve(ctx => ctx.Source.Delivery.Status);
        Field<NonNullGraphType<IntGraphType>>("attempts").Resolve(ctx => ctx.Source.Delivery.Attempts);
        Field<StringGraphType>("lastError").Description("Why the last attempt failed: a status code or a timeout, never the receiver's answer.")
            .Resolve(ctx => ctx.Source.Delivery.LastError);
        Field<NonNullGraphType<DateTimeScalar>>("lastAttemptAt").Resolve(ctx => ctx.Source.Delivery.LastAttemptAt);
    }
}

public sealed class WebhookDeliveryEdgeType() : EdgeType<WebhookDeliveryType, WebhookDeliveryView>("WebhookDelivery");

public sealed class WebhookDeliveryConnectionType() : ConnectionType<WebhookDeliveryType, WebhookDeliveryEdgeType, WebhookDeliveryView>("WebhookDelivery");

public static class WebhookDeliveries
{
    /// <summary>A page of a subscription's deliveries in notice order, after a cursor over the notices' positions.</summary>
    public static async Task<Connection<WebhookDeliveryView>> PageAsync(IResolveFieldContext ctx, WebhookSubscription subscription)
    {
        var size = Paging.PageSize(ctx.GetArgument<int?>("first"), 50);
        var after = Paging.AfterSequence(ctx.GetArgument<string?>("after")) ?? 0;
        var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
        var mine = session.Query<WebhookDelivery>().Where(d => d.SubscriptionId == subscription.Id);
        var total = await mine.CountAsync(ctx.CancellationToken);
        var rows = await mine.Where(d => d.Position > after).OrderBy(d => d.Position).Take(size + 1).ToListAsync(ctx.CancellationToken);
        var notices = await session.LoadManyAsync<ChangeNotice>(ctx.CancellationToken, rows.Select(r => r.NoticeId));
        var shown = (await NoticeFeed.ShowAsync(session, subscription.Feed, notices, ctx.CancellationToken)).ToDictionary(v => v.Notice.Id);
        var views = rows.Select(r => new WebhookDeliveryView(r, shown.GetValueOrDefault(r.NoticeId))).ToList();
        return Paging.PageBy(views, size, total, v => Paging.Cursor(v.Delivery.Position));
    }
}
