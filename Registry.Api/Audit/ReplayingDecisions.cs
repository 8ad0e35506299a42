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
            .Resolve(ctx => EligibilityAnswer.Recorded(ctx.Source.DecisionId, ctx.Source.Recorded.Replayed, ctx.Source.People));
        Field<NonNullGraphType<BooleanGraphType>>("identical").Resolve(ctx => ctx.Source.Recorded.Identical);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("differences").Resolve(ctx => ctx.Source.Recorded.Differences);
        Field<NonNullGraphType<EligibilityDecisionType>>("withTodaysParameters")
            .Description("What the rules say for the same inputs with the parameters in force today.")
            .Resolve(ctx => EligibilityAnswer.Recorded(ctx.Source.DecisionId, ctx.Source.Today.Replayed, ctx.Source.People));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("todaysDifferences").Resolve(ctx => ctx.Source.Today.Differences);
        this.ShowsPeople(r => r.People);
    }
}

public static class ReplayingDecisions
{
    /// <summary>A replay re-runs the decision with the parameters used then and with today's: what the budget counts before and charges while running.</summary>
    public const int ReplayEvaluations = 2;

    public static void AddTo(AuditViewType audit) =>
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
}

/// <summary>Finds a recorded decision by its id and re-runs it with the parameters used then and with today's.</summary>
public sealed class DecisionReplays(IQuerySession session, TimeProvider clock)
{
    public async Task<DecisionReplayView> ReplayAsync(string decisionIdText, CancellationToken ct)
    {
        var notFound = new ExecutionError("No decision with this id was recorded.") { Code = ErrorCodes.NotFound };
        if (!Guid.TryParse(decisionIdText, out var decisionId)) throw notFound;
        var where = await session.LoadAsync<DecisionLocation>(decisionId, ct) ?? throw notFound;
        var recorded = (await session.Events.FetchStreamAsync(where.EntitlementId, token: ct)).Select(e => e.Data).Select(d => d switch
        {
            EntitlementAssessed a when a.DecisionId == decisionId => (a.Decision, a.Inputs),
            EntitlementReassessed r when r.DecisionId == decisionId => (r.Decision, r.Inputs),
            _ => default((EligibilityDecision, EligibilityFacts)?),
        }).First(x => x is not null)!.Value;

        var programme = await session.LoadAsync<Programme>(ProgrammeInfo.StreamIdFor(recorded.Item1.Programme), ct);
        var usedThen = programme?.Version(recorded.Item1.ParameterVersion)
                       ?? throw new ExecutionError($"Parameter set {recorded.Item1.ParameterVersion} is not in the register.") { Code = ErrorCodes.NotFound };
        var inForceToday = programme.InForceOn(clock.Today()) ?? usedThen;
        return new DecisionReplayView(decisionId,
            DecisionComparison.Replay(recorded.Item1, recorded.Item2, usedThen),
            DecisionComparison.Replay(recorded.Item1, recorded.Item2, inForceToday),
            EligibilityAnswer.PeopleIn(recorded.Item2));
    }
}
