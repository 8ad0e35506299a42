using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
using Registry.Api.Commands;
using Registry.Api.Eligibility;
using Registry.Api.GraphQL;
using Registry.Domain.Appeals;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Eligibility;
using Registry.Domain.Entitlements;

namespace Registry.Api.Appeals;

public sealed record DecideAppeal(string AppealId, AppealOutcome Outcome, string Reason, CommandContext Context) : RegistryCommand;

public static class DecideAppealHandler
{
    /// <summary>
    /// Upholding closes the appeal. Overturning takes the decision again, for the original decision's date with what the
    /// register knows now, and records it on the entitlement in the same transaction as the appeal's outcome: both
    /// streams are checked against the versions read, so a concurrent change fails the whole decision.
    /// </summary>
    public static async Task<CommandResult> Handle(DecideAppeal cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (!Guid.TryParse(cmd.AppealId, out var id) || await session.LoadAsync<Appeal>(id, ct) is not { } appeal)
            return CommandResult.Rejected(AppealFields.NotFound);
        if (cmd.Context.ExpectedVersion is { } seen && seen != appeal.Version)
            return CommandResult.Rejected(ErrorCodes.StaleVersion, "The appeal was changed by someone else since you read it; reload it and try again.", "expectedVersion");

        var now = clock.GetUtcNow();
        var newDecisionId = Guid.CreateVersion7(now);
        var decided = AppealDecisions.Decide(appeal, cmd.Outcome, cmd.Reason, cmd.Context.Actor, now, newDecisionId);
        if (decided.Error is { } refused) return CommandResult.Rejected(refused);
        var decisions = new List<(Guid, long, Decision)> { (appeal.Id, appeal.Version, decided) };

        if (cmd.Outcome == AppealOutcome.Overturn)
        {
            if (await session.LoadAsync<Entitlement>(appeal.EntitlementId, ct) is not { } entitlement)
                return CommandResult.Rejected(AppealFields.NotFound);
            var (evaluated, inputs, error) = await ReevaluateAsync(session, clock, entitlement, appeal.DecisionDate, ct);
            if (error is not null) return CommandResult.Rejected(error with { Field = "outcome" });
            var overturn = AppealDecisions.Overturn(entitlement, appeal, evaluated!, inputs!, newDecisionId);
            if (overturn.Error is { } still) return CommandResult.Rejected(still);
            decisions.Add((entitlement.Id, entitlement.Version, overturn));
        }
        return session.AppendDecided(cmd, decisions, clock);
    }

    /// <summary>The entitlement's rules for <paramref name="on"/>, with the facts of that date as the register knows them now.</summary>
    private static async Task<(EligibilityDecision?, EligibilityFacts?, DomainError?)> ReevaluateAsync(IDocumentSession session, TimeProvider clock,
        Entitlement entitlement, DateOnly on, CancellationToken ct)
    {
        var people = (await session.LoadManyAsync<Citizen>(ct, new[] { entitlement.BeneficiaryId, entitlement.ApplicantId }.OfType<Guid>().Distinct()))
            .ToDictionary(c => c.Id);
        if (!people.TryGetValue(entitlement.BeneficiaryId, out var beneficiary))
            return (null, null, new DomainError(ErrorCodes.NotFound, "The beneficiary is no longer in the register."));
        var applicant = entitlement.ApplicantId is { } a ? people.GetValueOrDefault(a)?.IdNumber : null;
        var loaded = await new EligibilityFactsLoader(session, clock).LoadAsync([new FactsRequest(beneficiary.IdNumber, on, applicant)], [entitlement.Programme], ct);
        if (loaded.Facts[0].Error is { } error) return (null, null, error);
        if (loaded.Programmes.GetValueOrDefault(entitlement.Programme)?.InForceOn(on) is not { } parameters)
            return (null, null, new DomainError(ErrorCodes.NoParametersInForce, $"No parameters of {entitlement.Programme} were in force on {on:yyyy-MM-dd}."));
        var facts = loaded.Facts[0].Facts! with { AssessedEntitlementId = entitlement.Id };
        if (EligibilityRules.Unanswerable(entitlement.Programme, facts, on) is { } unanswerable) return (null, null, unanswerable);
        return (EligibilityRules.Evaluate(entitlement.Programme, facts, parameters, on), facts, null);
    }
}

public sealed class AppealOutcomeType : EnumerationGraphType<AppealOutcome>;

public sealed class DecideAppealInput : ChangeInput
{
    public string AppealId { get; init; } = "";
    public AppealOutcome Outcome { get; init; }
}

public sealed class DecideAppealInputType : InputObjectGraphType<DecideAppealInput>
{
    public DecideAppealInputType()
    {
        Name = "DecideAppealInput";
        Field<NonNullGraphType<IdGraphType>>("appealId");
        Field<NonNullGraphType<AppealOutcomeType>>("outcome");
        Field(x => x.Reason, nullable: false).Description("Why, for the appellant; sealed under the person's key.");
        Field(x => x.ExpectedVersion, nullable: true)
            .Description("The appeal's version you last read; a different current version is rejected with STALE_VERSION.");
        Field(x => x.IdempotencyKey, nullable: true)
            .Description("Replaying a request with the same key returns the first result and writes nothing new.");
    }

    /// <summary>A supervisor's: the second pair of eyes on an appeal a caseworker lodged.</summary>
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<AppealPayloadType>>("decideAppeal")
            .Argument<NonNullGraphType<DecideAppealInputType>>("input")
            .AuthorizeWithRoles(Roles.Supervisor)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<DecideAppealInput>("input");
                // The reason is the event's, sealed there; it is not also written, unsealed, as the events' reason header.
                return await AppealFields.PayloadAsync(ctx, await ctx.SendAsync(input,
                    c => new DecideAppeal(input.AppealId, input.Outcome, input.Reason ?? "", c with { Reason = null })));
            });
}
