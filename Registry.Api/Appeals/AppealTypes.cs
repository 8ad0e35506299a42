using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;
using Marten;
using Registry.Api.Audit;
using Registry.Api.Auth;
using Registry.Api.Commands;
using Registry.Api.Eligibility;
using Registry.Api.Entitlements;
using Registry.Api.GraphQL;
using Registry.Domain.Appeals;
using Registry.Domain.Common;

namespace Registry.Api.Appeals;

public sealed record AppealEvidence(string Evidence, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>An appeal with its words: the state from the read model, the free text opened from its (sealed) events.</summary>
public sealed record AppealView(Appeal Appeal, string Grounds, IReadOnlyList<AppealEvidence> Evidence, string? Reason, AppealOutcome? Outcome)
{
    public static async Task<AppealView> OfAsync(IQuerySession session, Appeal appeal, CancellationToken ct)
    {
        var grounds = "";
        var evidence = new List<AppealEvidence>();
        string? reason = null;
        AppealOutcome? outcome = null;
        foreach (var e in await session.Events.FetchStreamAsync(appeal.Id, token: ct))
            switch (e.Data)
            {
                case AppealLodged lodged: grounds = lodged.Grounds; break;
                case AppealEvidenceRecorded recorded: evidence.Add(new AppealEvidence(recorded.Evidence, recorded.RecordedBy, recorded.RecordedAt)); break;
                case AppealUpheld upheld: (reason, outcome) = (upheld.Reason, AppealOutcome.Uphold); break;
                case AppealOverturned overturned: (reason, outcome) = (overturned.Reason, AppealOutcome.Overturn); break;
            }
        return new AppealView(appeal, grounds, evidence, reason, outcome);
    }

    public static async Task<IReadOnlyList<AppealView>> OfAsync(IQuerySession session, IEnumerable<Appeal> appeals, CancellationToken ct)
    {
        var views = new List<AppealView>();
        foreach (var appeal in appeals.OrderBy(a => a.LodgedAt)) views.Add(await OfAsync(session, appeal, ct));
        return views;
    }
}

public sealed class AppealStatusType : EnumerationGraphType<AppealStatus>;

public sealed class AppealEvidenceType : ObjectGraphType<AppealEvidence>
{
    public AppealEvidenceType()
    {
        Name = "AppealEvidence";
        Field(x => x.Evidence);
        Field(x => x.RecordedBy);
        Field<NonNullGraphType<DateTimeScalar>>("recordedAt").Resolve(ctx => ctx.Source.RecordedAt);
    }
}

public sealed class AppealType : ObjectGraphType<AppealView>
{
    public AppealType()
    {
        Name = "Appeal";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Appeal.Id);
        Field<NonNullGraphType<IdGraphType>>("decisionId").Description("The decision appealed against.").Resolve(ctx => ctx.Source.Appeal.DecisionId);
        Field<NonNullGraphType<IdGraphType>>("entitlementId").Resolve(ctx => ctx.Source.Appeal.EntitlementId);
        Field<NonNullGraphType<AppealStatusType>>("status").Resolve(ctx => ctx.Source.Appeal.Status);
        Field<NonNullGraphType<StringGraphType>>("grounds").Resolve(ctx => ctx.Source.Grounds);
        Field<NonNullGraphType<StringGraphType>>("lodgedBy").Resolve(ctx => ctx.Source.Appeal.LodgedBy);
        Field<NonNullGraphType<DateTimeScalar>>("lodgedAt").Resolve(ctx => ctx.Source.Appeal.LodgedAt);
        Field<NonNullGraphType<DateScalar>>("decisionDate").Description("The appealed decision's date: the window runs from it, an overturn decides for it.")
            .Resolve(ctx => ctx.Source.Appeal.DecisionDate);
        Field<NonNullGraphType<DateScalar>>("deadline").Description($"The last day it could be lodged: {Appeal.WindowDays} days after the decision's date.")
            .Resolve(ctx => ctx.Source.Appeal.Deadline);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AppealEvidenceType>>>>("evidence").Resolve(ctx => ctx.Source.Evidence);
        Field<StringGraphType>("decidedBy").Resolve(ctx => ctx.Source.Appeal.DecidedBy);
        Field<DateTimeScalar>("decidedAt").Resolve(ctx => ctx.Source.Appeal.DecidedAt);
        Field<AppealOutcomeType>("outcome").Resolve(ctx => ctx.Source.Outcome);
        Field<StringGraphType>("reason").Description("The supervisor's reason, once decided.").Resolve(ctx => ctx.Source.Reason);
        Field<EligibilityDecisionType>("newDecision").Description("The decision taken when the appeal was overturned, with its own receipt.")
            .Resolve().WithService<IQuerySession>()
            .ResolveAsync(async (ctx, session) => ctx.Source.Appeal.NewDecisionId is { } id && await DecisionRecord.FindAsync(session, id, ctx.CancellationToken) is { } recorded
                ? EligibilityAnswer.Recorded(id, recorded.Decision, EligibilityAnswer.PeopleIn(recorded.Inputs))
                : null);
        Field<NonNullGraphType<IntGraphType>>("version").Resolve(ctx => (int)ctx.Source.Appeal.Version);
        this.ShowsPeople(v => [v.Appeal.BeneficiaryId]);
    }
}

public sealed record AppealPayload(AppealView? Appeal, int? Version, IReadOnlyList<DomainError> Errors);

public sealed class AppealPayloadType : ObjectGraphType<AppealPayload>
{
    public AppealPayloadType()
    {
        Name = "AppealPayload";
        Field<AppealType>("appeal").Resolve(ctx => ctx.Source.Appeal);
        Field(x => x.Version, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}

public static class AppealFields
{
    public static readonly DomainError NotFound = new(ErrorCodes.NotFound, "No appeal with this id exists.", "appealId");

    public static async Task<AppealPayload> PayloadAsync(IResolveFieldContext ctx, CommandResult result)
    {
        if (!result.Succeeded) return new AppealPayload(null, null, result.Errors);
        var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
        var appeal = await session.LoadAsync<Appeal>(result.StreamId!.Value, ctx.CancellationToken);
        return new AppealPayload(appeal is null ? null : await AppealView.OfAsync(session, appeal, ctx.CancellationToken), (int)result.Version!.Value, []);
    }

    /// <summary>appeal(id): for those who see recorded decisions, caseworkers and auditors.</summary>
    public static void AddTo(ObjectGraphType query) =>
        query.Field<AppealType>("appeal")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AuthorizeWithRoles(Roles.Caseworker, Roles.Auditor)
            .Resolve().WithService<IQuerySession>()
            .ResolveAsync(async (ctx, session) => Guid.TryParse(ctx.GetArgument<string>("id"), out var id) && await session.LoadAsync<Appeal>(id, ctx.CancellationToken) is { } appeal
                ? await AppealView.OfAsync(session, appeal, ctx.CancellationToken)
                : null);

    /// <summary>Entitlement.appeals: every appeal against its decisions, a page of entitlements in one query.</summary>
    public static void AddTo(EntitlementType entitlement) =>
        entitlement.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AppealType>>>>("appeals").Resolve(object? (ctx) =>
        {
            var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
            return ctx.Registry().Loader<Guid, IReadOnlyList<AppealView>>("Entitlement.appeals", async (ids, ct) =>
            {
                var appeals = await session.Query<Appeal>().Where(a => a.EntitlementId.IsOneOf(ids.ToArray())).ToListAsync(ct);
                var views = await AppealView.OfAsync(session, appeals, ct);
                return ids.ToDictionary(id => id, id => (IReadOnlyList<AppealView>)[.. views.Where(v => v.Appeal.EntitlementId == id)]);
            }).Load(ctx.Source.Id);
        });

    /// <summary>
    /// EligibilityDecision.appealId: the appeal against a recorded decision, if one was lodged; null for a decision only
    /// asked or replayed. An id, not the appeal: a decision type that led to appeals that lead to decisions would nest
    /// without end, and departments, who see asked decisions, never reach an appeal.
    /// </summary>
    public static void AddTo(EligibilityDecisionType decision) =>
        decision.Field<IdGraphType>("appealId")
            .Description("The appeal lodged against this recorded decision (appeal(id:) reads it); null when there is none.")
            .Resolve().WithService<IQuerySession>()
            .ResolveAsync(async (ctx, session) => ctx.Source.DecisionId is { } id && !ctx.Source.Replay
                                                  && await session.LoadAsync<Appeal>(Appeal.StreamIdFor(id), ctx.CancellationToken) is { } appeal
                ? appeal.Id
                : (Guid?)null);
}
