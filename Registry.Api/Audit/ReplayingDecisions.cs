using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;
using JasperFx.Events;
using Marten;
using Registry.Projections.Entitlements;
using Registry.Api.Eligibility;
using Registry.Api.GraphQL;
using Registry.Api.Hosting;
using Registry.Domain.Eligibility;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;
using Registry.Domain.Common;

namespace Registry.Api.Audit;

/// <summary>A replayed decision and the people whose recorded facts it was made from (all of them are shown by its reasons).</summary>
public sealed record DecisionReplayView(Guid DecisionId, DecisionComparison Recorded, DecisionComparison Today, IReadOnlyList<Guid> People);

public sealed class DecisionReplayType : ObjectGraphType<DecisionReplayView>
{
    public DecisionReplayType()
    {
        Name = "DecisionReplay";
        Field<NonNullGraphType<EligibilityDecisionType>>("original").Resolve(ctx => EligibilityAnswer.Recorded(ctx.Source.DecisionId, ctx.Source.Recorded.Original, ctx.Source.People));
        Field<NonNullGraphType<EligibilityDecisionType>>("replayed")
            .Description("The same inputs, rule version and parameter version, evaluated again now.")
            .Resolve(ctx => EligibilityAnswer.Recorded(ctx.Source.DecisionId, ctx.Source.Recorded.Replayed, ctx.Source.People) with { Replay = true });
        Field<NonNullGraphType<BooleanGraphType>>("identical").Resolve(ctx => ctx.Source.Recorded.Identical);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("differences").Resolve(ctx => ctx.Source.Recorded.Differences);
        Field<NonNullGraphType<EligibilityDecisionType>>("withTodaysParameters")
            .Description("What the rules say for the same inputs with the parameters in force today.")
            .Resolve(ctx => EligibilityAnswer.Recorded(ctx.Source.DecisionId, ctx.Source.Today.Replayed, ctx.Source.People) with { Replay = true });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("todaysDifferences").Resolve(ctx => ctx.Source.Today.Differences);
        this.ShowsPeople(r => r.People);
    }
}

public static class ReplayingDecisions
{
    /// <summary>A replay re-runs the decision with the parameters used then and with today's: what the budget counts before and charges while running.</summary>
    public const int ReplayEvaluations = 2;

    public static void AddTo(AuditViewType audit)
    {
        audit.Field<NonNullGraphType<DecisionReplayType>>("replayDecision")
            .Description("Re-runs a recorded decision from its stored inputs with the rule and parameter versions it used, and reports any difference.")
            .Argument<NonNullGraphType<IdGraphType>>("decisionId")
            .Evaluates(ReplayEvaluations)
            .Resolve().WithService<DecisionReplays>()
            .ResolveAsync(async (ctx, replays) =>
            {
                ctx.Registry().SpendEvaluations(ReplayEvaluations);
                return await replays.ReplayAsync(ctx.GetArgument<string>("decisionId"), ctx.CancellationToken);
            });
        audit.Field<NonNullGraphType<DecisionReplayType>>("replayReceipt")
            .Description("Checks a decision receipt's signature, then replays the decision it names as replayDecision does. A receipt that does not verify is INVALID_RECEIPT.")
            .Argument<NonNullGraphType<StringGraphType>>("receipt")
            .Evaluates(ReplayEvaluations)
            .Resolve().WithServices<DecisionReplays, Receipts.DecisionReceipts>()
            .ResolveAsync(async (ctx, replays, receipts) =>
            {
                var check = receipts.Check(ctx.GetArgument<string>("receipt"));
                // The reason names what failed (the format, the key, the signature), never what the receipt says.
                if (!check.Valid || check.DecisionId is not { } decisionId)
                    throw new ExecutionError($"The receipt does not verify: {(check.Valid ? "it names no decision" : check.Problem)}.") { Code = ErrorCodes.InvalidReceipt };
                ctx.Registry().SpendEvaluations(ReplayEvaluations);
                return await replays.ReplayAsync(decisionId.ToString(), ctx.CancellationToken);
            });
    }
}

/// <summary>A decision as recorded on an entitlement: the event that recorded it, the facts it was made from, and when.</summary>
/// <param name="AppealId">Set when the decision was taken because an appeal against an earlier one was overturned.</param>
public sealed record DecisionRecord(Guid DecisionId, Guid EntitlementId, EligibilityDecision Decision, EligibilityFacts Inputs, DateTimeOffset RecordedAt,
    Guid? AppealId = null)
{
    /// <summary>The recorded decision with this id, or null when none was recorded.</summary>
    public static async Task<DecisionRecord?> FindAsync(IQuerySession session, Guid decisionId, CancellationToken ct)
    {
        if (await session.LoadAsync<DecisionLocation>(decisionId, ct) is not { } where) return null;
        foreach (var e in await session.Events.FetchStreamAsync(where.EntitlementId, token: ct))
            switch (e.Data)
            {
                case EntitlementAssessed a when a.DecisionId == decisionId: return new(decisionId, where.EntitlementId, a.Decision, a.Inputs, e.Timestamp);
                case EntitlementReassessed r when r.DecisionId == decisionId:
                    return new(decisionId, where.EntitlementId, r.Decision, r.Inputs, e.Timestamp,
                        r.Trigger == ReassessmentTrigger.Appeal ? Registry.Domain.Appeals.Appeal.AppealOf(r.CauseSource) : null);
            }
        return null;
    }
}

/// <summary>Finds a recorded decision by its id and re-runs it with the parameters used then and with today's.</summary>
public sealed class DecisionReplays(IQuerySession session, TimeProvider clock)
{
    public async Task<DecisionReplayView> ReplayAsync(string decisionIdText, CancellationToken ct)
    {
        var notFound = new ExecutionError("No decision with this id was recorded.") { Code = ErrorCodes.NotFound };
        if (!Guid.TryParse(decisionIdText, out var decisionId)) throw notFound;
        var recorded = await DecisionRecord.FindAsync(session, decisionId, ct) ?? throw notFound;

        var programme = await session.LoadAsync<Programme>(ProgrammeInfo.StreamIdFor(recorded.Decision.Programme), ct);
        var usedThen = programme?.Version(recorded.Decision.ParameterVersion)
                       ?? throw new ExecutionError($"Parameter set {recorded.Decision.ParameterVersion} is not in the register.") { Code = ErrorCodes.NotFound };
        var inForceToday = programme.InForceOn(clock.Today()) ?? usedThen;
        return new DecisionReplayView(decisionId,
            DecisionComparison.Replay(recorded.Decision, recorded.Inputs, usedThen),
            DecisionComparison.Replay(recorded.Decision, recorded.Inputs, inForceToday),
            EligibilityAnswer.PeopleIn(recorded.Inputs));
    }
}
