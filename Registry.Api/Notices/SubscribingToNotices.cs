using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
using Registry.Api.Commands;
using Registry.Api.Eligibility;
using Registry.Api.GraphQL;
using Registry.Domain.Common;
using Registry.Domain.Notices;
using Registry.Projections.Notices;
using Registry.Projections.Privacy;

namespace Registry.Api.Notices;

// A department asks to be told: `subscribe` checks the callback against the policy, starts the
// subscription's stream at the feed's newest notice, and answers the signing secret once. The notices
// after that position are pushed (see DeliveringNotices); earlier ones are read through `changes`.

public sealed record SubscribeToNotices(WebhookSubscribed Request, CommandContext Context) : RegistryCommand;

public sealed record UnsubscribeFromNotices(Guid SubscriptionId, string Feed, CommandContext Context) : RegistryCommand;

public static class SubscribeToNoticesHandler
{
    public static async Task<CommandResult> Handle(SubscribeToNotices cmd, IDocumentSession session, WebhookSettings settings, TimeProvider clock, CancellationToken ct)
    {
        var head = await NoticeFeed.HeadAsync(session, cmd.Request.Feed, ct);
        var decision = WebhookSubscription.Subscribe(cmd.Request with { StartsAfter = head }, settings.Policy);
        var result = session.StartStream<WebhookSubscription>(cmd.Request.SubscriptionId, decision, cmd, clock);
        if (result.Succeeded) session.Insert(new WebhookProgress { Id = cmd.Request.SubscriptionId, DeliveredThrough = head });
        return result;
    }
}

public static class UnsubscribeFromNoticesHandler
{
    public static async Task<CommandResult> Handle(UnsubscribeFromNotices cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var result = await session.DecideAsync<WebhookSubscription>(cmd.SubscriptionId, cmd, clock, SubscribingToNotices.NoSuchSubscription,
            // Another department's subscription is answered as no subscription: its existence is not told.
            (s, _) => s.Feed != cmd.Feed ? Decision.Reject(SubscribingToNotices.NoSuchSubscription)
                : WebhookSubscription.Unsubscribe(s, cmd.Context.Actor, clock.GetUtcNow()), ct);
        // Nothing more to deliver, so nothing for the dispatcher to look at; the deliveries stay readable.
        if (result.Succeeded) session.Delete<WebhookProgress>(cmd.SubscriptionId);
        return result;
    }
}

public sealed class SubscribeInput : ChangeInput
{
    public string CallbackUrl { get; init; } = "";
    public List<NoticeKind> Kinds { get; init; } = [];
    public string? Description { get; init; }
}

public sealed class SubscribeInputType : InputObjectGraphType<SubscribeInput>
{
    public SubscribeInputType()
    {
        Name = "SubscribeInput";
        Field(x => x.CallbackUrl).Description("Where the notices are posted: https, on the register's allow-list.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<NoticeKindType>>>>("kinds");
        Field(x => x.Description, nullable: true);
    }
}

public sealed record SubscribePayload(WebhookSubscription? Subscription, string? Secret, IReadOnlyList<DomainError> Errors);

public sealed class SubscribePayloadType : ObjectGraphType<SubscribePayload>
{
    public SubscribePayloadType()
    {
        Name = "SubscribePayload";
        Field<WebhookSubscriptionType>("subscription").Resolve(ctx => ctx.Source.Subscription);
        Field<StringGraphType>("secret").Description("The key of the deliveries' signatures. Shown this once: the register keeps it sealed.")
            .Resolve(ctx => ctx.Source.Secret);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}

public sealed record UnsubscribePayload(WebhookSubscription? Subscription, IReadOnlyList<DomainError> Errors);

public sealed class UnsubscribePayloadType : ObjectGraphType<UnsubscribePayload>
{
    public UnsubscribePayloadType()
    {
        Name = "UnsubscribePayload";
        Field<WebhookSubscriptionType>("subscription").Resolve(ctx => ctx.Source.Subscription);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}

public sealed class WebhookSubscriptionType : ObjectGraphType<WebhookSubscription>
{
    public WebhookSubscriptionType()
    {
        Name = "WebhookSubscription";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field(x => x.CallbackUrl);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<NoticeKindType>>>>("kinds").Resolve(ctx => ctx.Source.Kinds);
        Field(x => x.Description, nullable: true);
        Field<NonNullGraphType<NoticeFormatType>>("format")
            .Description("How the notices are posted: REGISTRY, the register's own signed batch; DCI, the DCI standard's notify envelope (subscribed at /dci/registry/subscribe).")
            .Resolve(ctx => ctx.Source.Format);
        Field<NonNullGraphType<BooleanGraphType>>("active").Resolve(ctx => ctx.Source.IsActive);
        Field<NonNullGraphType<DateTimeScalar>>("subscribedAt").Resolve(ctx => ctx.Source.SubscribedAt);
        Field<DateTimeScalar>("unsubscribedAt").Resolve(ctx => ctx.Source.UnsubscribedAt);
        Field<StringGraphType>("startCursor")
            .Description("Where in the feed the subscription began: `changes(after:)` from here reads every notice it pushes, so a consumer that was away can catch up. Null from the feed's start.")
            .Resolve(ctx => ctx.Source.StartsAfter == 0 ? null : NoticeCursor.For(ctx.RequestServices!.GetRequiredService<MasterKeys>(), ctx.Source.Feed, ctx.Source.StartsAfter));
        Field<NonNullGraphType<WebhookDeliveryConnectionType>>("deliveries")
            .Description("This subscription's deliveries, oldest notice first: delivered, still retrying, or dead-lettered.")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx => await WebhookDeliveries.PageAsync(ctx, ctx.Source));
    }
}

public sealed class NoticeFormatType : EnumerationGraphType<NoticeFormat>;

public static class SubscribingToNotices
{
    public static readonly DomainError NoSuchSubscription = new(ErrorCodes.NotFound, "Your department has no webhook subscription with this id.", "id");

    public static void AddQueriesTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<WebhookSubscriptionType>>>>("webhookSubscriptions")
            .Description("The caller's department's webhook subscriptions, active and ended, oldest first.")
            .AuthorizeWithRoles(Roles.AnyDepartment)
            .ResolveAsync(async ctx =>
            {
                var feed = ReadingChanges.FeedOf(ctx.Registry().User);
                return await ctx.RequestServices!.GetRequiredService<IQuerySession>().Query<WebhookSubscription>()
                    .Where(s => s.Feed == feed).OrderBy(s => s.SubscribedAt).ToListAsync(ctx.CancellationToken);
            });

        query.Field<WebhookSubscriptionType>("webhookSubscription")
            .Description("One of the caller's department's subscriptions; null for any other id.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AuthorizeWithRoles(Roles.AnyDepartment)
            .ResolveAsync(async ctx => await FindAsync(ctx, ctx.GetArgument<string>("id")));
    }

    public static void AddMutationsTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<SubscribePayloadType>>("subscribe")
            .Description("Asks the register to post the caller's department's notices of these kinds to a callback, signed with the secret it answers once.")
            .Argument<NonNullGraphType<SubscribeInputType>>("input")
            .AuthorizeWithRoles(Roles.AnyDepartment)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<SubscribeInput>("input");
                var services = ctx.RequestServices!;
                var feed = ReadingChanges.FeedOf(ctx.Registry().User);
                var clock = services.GetRequiredService<TimeProvider>();
                var id = Guid.CreateVersion7(clock.GetUtcNow());
                var secret = WebhookSecret.Create();
                var (sealedSecret, keyId) = WebhookSecret.SealFor(services.GetRequiredService<MasterKeys>(), id, secret);
                var request = new WebhookSubscribed(id, feed, input.CallbackUrl.Trim(), input.Kinds, input.Description, sealedSecret, keyId, 0,
                    ctx.Registry().Actor, clock.GetUtcNow());
                var result = await ctx.SendAsync(input, c => new SubscribeToNotices(request, c));
                if (!result.Succeeded) return new SubscribePayload(null, null, result.Errors);
                return new SubscribePayload(await services.GetRequiredService<IQuerySession>().LoadAsync<WebhookSubscription>(id, ctx.CancellationToken), secret, []);
            });

        mutation.Field<NonNullGraphType<UnsubscribePayloadType>>("unsubscribe")
            .Description("Ends a subscription: nothing more is posted to it; its deliveries stay readable.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AuthorizeWithRoles(Roles.AnyDepartment)
            .ResolveAsync(async ctx =>
            {
                var feed = ReadingChanges.FeedOf(ctx.Registry().User);
                if (!Guid.TryParse(ctx.GetArgument<string>("id"), out var id)) return new UnsubscribePayload(null, [NoSuchSubscription]);
                var result = await ctx.SendAsync(new SubscribeInput(), c => new UnsubscribeFromNotices(id, feed, c));
                if (!result.Succeeded) return new UnsubscribePayload(null, result.Errors);
                return new UnsubscribePayload(await ctx.RequestServices!.GetRequiredService<IQuerySession>().LoadAsync<WebhookSubscription>(id, ctx.CancellationToken), []);
            });
    }

    private static async Task<WebhookSubscription?> FindAsync(IResolveFieldContext ctx, string id)
    {
        var feed = ReadingChanges.FeedOf(ctx.Registry().User);
        if (!Guid.TryParse(id, out var key)) return null;
        var subscription = await ctx.RequestServices!.GetRequiredService<IQuerySession>().LoadAsync<WebhookSubscription>(key, ctx.CancellationToken);
        return subscription?.Feed == feed ? subscription : null;
    }
}
