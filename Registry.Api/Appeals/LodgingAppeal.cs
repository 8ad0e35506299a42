using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Domain.Appeals;
using Registry.Domain.Entitlements;
using Registry.Projections.Entitlements;

namespace Registry.Api.Appeals;

public sealed record LodgeAppeal(string DecisionId, string Grounds, CommandContext Context) : RegistryCommand;

public static class LodgeAppealHandler
{
    /// <summary>The appeal's stream is named by the decision: one appeal per decision, and two lodged at once collide in the store.</summary>
    public static async Task<CommandResult> Handle(LodgeAppeal cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var appealed = Guid.TryParse(cmd.DecisionId, out var decisionId) ? await AppealedAsync(session, decisionId, ct) : null;
        return await session.DecideAsync<Appeal>(Appeal.StreamIdFor(decisionId), cmd, clock,
            (existing, today) => AppealDecisions.Lodge(existing, appealed, cmd.Grounds, cmd.Context.Actor, today, clock.GetUtcNow()), ct);
    }

    /// <summary>The recorded decision and whether it is still its entitlement's last; null when none was recorded (or its person was erased).</summary>
    private static async Task<AppealedDecision?> AppealedAsync(IQuerySession session, Guid decisionId, CancellationToken ct)
    {
        if (await session.LoadAsync<DecisionLocation>(decisionId, ct) is not { } where
            || await session.LoadAsync<Entitlement>(where.EntitlementId, ct) is not { } entitlement
            || entitlement is { Status: EntitlementStatus.Terminated, LastDecision: null })
            return null;
        return entitlement.LastDecision is { } last && last.DecisionId == decisionId
            ? new AppealedDecision(decisionId, entitlement.Id, entitlement.BeneficiaryId, last.Decision.On, Latest: true)
            : new AppealedDecision(decisionId, entitlement.Id, entitlement.BeneficiaryId, default, Latest: false);
    }
}

public sealed class LodgeAppealInput : ChangeInput
{
    public string DecisionId { get; init; } = "";
    public string Grounds { get; init; } = "";
}

public sealed class LodgeAppealInputType : InputObjectGraphType<LodgeAppealInput>
{
    public LodgeAppealInputType()
    {
        Name = "LodgeAppealInput";
        Field<NonNullGraphType<IdGraphType>>("decisionId").Description("The recorded decision appealed against (EligibilityDecision.id, the receipt's decisionId).");
        Field(x => x.Grounds).Description("Why the decision is wrong, in the appellant's words; sealed under the person's key.");
        Field(x => x.IdempotencyKey, nullable: true)
            .Description("Replaying a request with the same key returns the first result and writes nothing new.");
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<AppealPayloadType>>("lodgeAppeal")
            .Argument<NonNullGraphType<LodgeAppealInputType>>("input")
            .AuthorizeWithRoles(Roles.Caseworker)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<LodgeAppealInput>("input");
                return await AppealFields.PayloadAsync(ctx, await ctx.SendAsync(input, c => new LodgeAppeal(input.DecisionId, input.Grounds, c)));
            });
}
