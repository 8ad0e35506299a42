using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Api.Hosting;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Households;
using Wolverine;

namespace Registry.Api.Citizens;

/// <summary>Undo a merge, named by its id: both records stand for a person of their own again.</summary>
public sealed record UnmergeCitizens(string MergeId, CommandContext Context) : RegistryCommand;

/// <summary>One transaction over the merge's stream, both people's, the entitlements restored and the household rejoined; then both are re-assessed.</summary>
public static class UnmergeCitizensHandler
{
    public static async Task<(CommandResult, OutgoingMessages)> Handle(UnmergeCitizens cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var merge = Guid.TryParse(cmd.MergeId, out var id) ? await session.LoadAsync<CitizenMerge>(id, ct) : null;
        MergeParty? survivor = null, duplicate = null;
        Household? household = null;
        if (merge is not null)
        {
            if (await session.LoadAsync<Citizen>(merge.SurvivorId, ct) is { } s) survivor = await MergeReading.PartyAsync(session, s, null, ct);
            if (await session.LoadAsync<Citizen>(merge.DuplicateId, ct) is { } d) duplicate = await MergeReading.PartyAsync(session, d, null, ct);
            if (merge.Household is { } move) household = await session.LoadAsync<Household>(move.HouseholdId, ct);
        }
        var decided = Merging.Unmerge(merge, survivor, duplicate, household, cmd.Context.Reason, clock.GetUtcNow(), clock.Today());
        if (decided.Error is { } error) return (CommandResult.Rejected(error), []);

        var result = session.AppendDecided(cmd, [.. decided.Decisions.Select(x => (x.StreamId, x.Version, x.Decision))], clock, reasonAbout: survivor!.Citizen.Id);
        return (result, MergeReading.Reassess(cmd, clock.Today(), (survivor.Citizen.Id, survivor.Version + 1, household?.Id), "merge undone",
            (duplicate!.Citizen.Id, duplicate.Version + 1)));
    }
}

public sealed class UnmergeCitizensInput : ChangeInput
{
    public string MergeId { get; init; } = "";
}

public sealed class UnmergeCitizensInputType : InputObjectGraphType<UnmergeCitizensInput>
{
    public UnmergeCitizensInputType()
    {
        Name = "UnmergeCitizensInput";
        Field<NonNullGraphType<IdGraphType>>("mergeId").Description("The mergeId mergeCitizens answered with.");
        Field(x => x.Reason, nullable: false).Description("Why the two are two people after all, e.g. the case reference.");
        Field(x => x.IdempotencyKey, nullable: true).Description("Replaying a request with the same key returns the first result and writes nothing new.");
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<MergePayloadType>>("unmergeCitizens")
            .Description("Undoes a merge: restores the duplicate record, its household membership and entitlements where possible (docs/merges.md).")
            .Argument<NonNullGraphType<UnmergeCitizensInputType>>("input")
            .AuthorizeWithRoles(Roles.Caseworker)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<UnmergeCitizensInput>("input");
                return await MergePayload.From(ctx, await ctx.SendAsync(input, context => new UnmergeCitizens(input.MergeId.Trim(), context)));
            });
}
