using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
using Registry.Api.ChangeRequests;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Api.Hosting;
using Registry.Api.Reassessment;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Entitlements;
using Registry.Domain.Households;
using Registry.Projections.Households;
using Wolverine;

namespace Registry.Api.Citizens;

/// <summary>Merge the duplicate record into the survivor: both named by ID number; the expected version is the duplicate's.</summary>
public sealed record MergeCitizens(string SurvivorIdNumber, string DuplicateIdNumber, CommandContext Context) : RegistryCommand;

/// <summary>
/// One transaction over every stream the merge touches: the merge's own, both people's, the duplicate's household
/// and the entitlements moved or ended (see <see cref="Merging"/>). Then both people and the household are re-assessed.
/// </summary>
public static class MergeCitizensHandler
{
    public static async Task<(CommandResult, OutgoingMessages)> Handle(MergeCitizens cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var today = clock.Today();
        var (survivor, unknownSurvivor) = await MergeReading.FindAsync(session, cmd.SurvivorIdNumber, "survivor", today, ct);
        if (unknownSurvivor is not null) return (CommandResult.Rejected(unknownSurvivor), []);
        var (duplicate, unknownDuplicate) = await MergeReading.FindAsync(session, cmd.DuplicateIdNumber, "duplicate", today, ct);
        if (unknownDuplicate is not null) return (CommandResult.Rejected(unknownDuplicate), []);

        var s = await MergeReading.PartyAsync(session, survivor!, null, ct);
        var d = await MergeReading.PartyAsync(session, duplicate!, cmd.Context.ExpectedVersion, ct);
        var mergeId = Guid.CreateVersion7(clock.GetUtcNow());
        var decided = Merging.Merge(mergeId, s, d, cmd.Context.Reason, clock.GetUtcNow(), today);
        if (decided.Error is { } error) return (CommandResult.Rejected(error), []);

        var result = session.AppendDecided(cmd, [.. decided.Decisions.Select(x => (x.StreamId, x.Version, x.Decision))], clock, reasonAbout: s.Citizen.Id);
        // The survivor (and their household), and the household the duplicate left or the survivor joined.
        var moved = decided.Decisions.SelectMany(x => x.Decision.Events).OfType<CitizensMerged>().Single().Household?.HouseholdId;
        return (result, MergeReading.Reassess(cmd, today, (s.Citizen.Id, s.Version + 1, moved), "records merged"));
    }
}

/// <summary>What the merge and the unmerge read before their pure decisions.</summary>
public static class MergeReading
{
    public static async Task<(Citizen? Citizen, DomainError? Error)> FindAsync(IQuerySession session, string idNumber, string field, DateOnly today, CancellationToken ct)
    {
        if (!SaIdNumber.TryParse(idNumber, today, out _, out var invalid)) return (null, invalid! with { Field = field });
        return await CitizenLookup.FindAsync(session, idNumber, ct) is { } citizen ? (citizen, null) : (null, CitizenLookup.NotFound(field));
    }

    public static async Task<MergeParty> PartyAsync(IQuerySession session, Citizen citizen, long? expectedVersion, CancellationToken ct)
    {
        var membership = await session.LoadAsync<HouseholdMembership>(citizen.Id, ct);
        var household = membership is null ? null : await session.LoadAsync<Household>(membership.HouseholdId, ct);
        var entitlements = await session.Query<Entitlement>().Where(e => e.BeneficiaryId == citizen.Id).ToListAsync(ct);
        return new MergeParty(citizen, household, [.. entitlements], expectedVersion ?? citizen.Version);
    }

    /// <summary>One re-assessment per person, caused by the event the change wrote on their stream (and of the household it touched).</summary>
    public static OutgoingMessages Reassess(RegistryCommand cmd, DateOnly today, (Guid Citizen, long Version, Guid? Household) first, string what,
        (Guid Citizen, long Version)? second = null)
    {
        var messages = new OutgoingMessages
        {
            new CircumstancesChanged(first.Citizen, first.Household, today, Cause(first.Citizen, first.Version)),
        };
        if (second is var (citizen, version)) messages.Add(new CircumstancesChanged(citizen, null, today, Cause(citizen, version)));
        return messages;

        ReassessmentCause Cause(Guid stream, long version) =>
            new(ReassessmentTrigger.CircumstancesChanged, ReassessmentCause.EventSource(stream, version), cmd.Context.CorrelationId, what);
    }
}

public sealed class MergeCitizensInput : ChangeInput
{
    public string Survivor { get; init; } = "";
    public string Duplicate { get; init; } = "";
}

public sealed class MergeCitizensInputType : InputObjectGraphType<MergeCitizensInput>
{
    public MergeCitizensInputType()
    {
        Name = "MergeCitizensInput";
        Field(x => x.Survivor).Description("The ID number of the record that stays.");
        Field(x => x.Duplicate).Description("The ID number of the record merged into it; lookups by it answer with the survivor afterwards.");
        Field(x => x.Reason, nullable: false).Description("Why the two are one person, e.g. the case reference.");
        Field(x => x.IdempotencyKey, nullable: true).Description("Replaying a request with the same key returns the first result and writes nothing new.");
        Field(x => x.ExpectedVersion, nullable: true).Description("The duplicate's version you last read; a different current version is rejected with STALE_VERSION.");
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<MergePayloadType>>("mergeCitizens")
            .Description("Merges a duplicate record into the surviving one, moving its household membership and entitlements (docs/merges.md).")
            .Argument<NonNullGraphType<MergeCitizensInputType>>("input")
            .AuthorizeWithRoles(Roles.Caseworker)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<MergeCitizensInput>("input");
                return await MergePayload.From(ctx, await ctx.SendAsync(input, context => new MergeCitizens(input.Survivor.Trim(), input.Duplicate.Trim(), context)));
            });
}

/// <param name="ChangeRequestId">Set when the merge or unmerge waits for a second person: nothing has changed yet.</param>
public sealed record MergePayload(Guid? MergeId, Citizen? Survivor, Citizen? Duplicate, IReadOnlyList<DomainError> Errors, Guid? ChangeRequestId = null)
{
    /// <summary>
    /// The command's result names the merge's stream; both people are read as they are now. A held merge names
    /// the duplicate's record (unchanged), a held unmerge the merge itself (still in force).
    /// </summary>
    public static async Task<MergePayload> From(IResolveFieldContext ctx, CommandResult result)
    {
        if (!result.Succeeded) return new MergePayload(null, null, null, result.Errors);
        var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
        var merge = await session.LoadAsync<CitizenMerge>(result.StreamId!.Value, ctx.CancellationToken);
        if (merge is null)
            return result.ChangeRequestId is { } heldMerge
                ? new MergePayload(null, null, await session.LoadAsync<Citizen>(result.StreamId.Value, ctx.CancellationToken), [], heldMerge)
                : new MergePayload(result.StreamId, null, null, []);
        var people = (await session.LoadManyAsync<Citizen>(ctx.CancellationToken, merge.SurvivorId, merge.DuplicateId)).ToDictionary(c => c.Id);
        return new MergePayload(merge.Id, people.GetValueOrDefault(merge.SurvivorId), people.GetValueOrDefault(merge.DuplicateId), [], result.ChangeRequestId);
    }
}

public sealed class MergePayloadType : ObjectGraphType<MergePayload>
{
    public MergePayloadType()
    {
        Name = "MergePayload";
        Field<IdGraphType>("mergeId").Description("Names the merge for unmergeCitizens.").Resolve(ctx => ctx.Source.MergeId);
        Field<CitizenType>("survivor").Resolve(ctx => ctx.Source.Survivor);
        Field<CitizenType>("duplicate").Description("The merged record itself (mergedInto set while merged).").Resolve(ctx => ctx.Source.Duplicate);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
        this.AddChangeRequestField(p => p.ChangeRequestId);
    }
}

/// <summary>A record merged into a survivor: its ID number, its stream id, the merge, and when.</summary>
public sealed record MergedRecord(string IdNumber, Guid CitizenId, Guid MergeId, DateTimeOffset MergedAt);

public sealed class MergedRecordType : ObjectGraphType<MergedRecord>
{
    public MergedRecordType()
    {
        Name = "MergedRecord";
        Field(x => x.IdNumber);
        Field<NonNullGraphType<IdGraphType>>("citizenId").Resolve(ctx => ctx.Source.CitizenId);
        Field<NonNullGraphType<IdGraphType>>("mergeId").Resolve(ctx => ctx.Source.MergeId);
        Field(x => x.MergedAt);
    }
}

public sealed record MergeLink(Guid SurvivorId, Guid MergeId);

public sealed class MergeLinkType : ObjectGraphType<MergeLink>
{
    public MergeLinkType()
    {
        Name = "MergeLink";
        Field<NonNullGraphType<IdGraphType>>("survivorId").Resolve(ctx => ctx.Source.SurvivorId);
        Field<NonNullGraphType<IdGraphType>>("mergeId").Resolve(ctx => ctx.Source.MergeId);
    }
}

/// <summary>The merge fields of Citizen, and the lookup that follows a merged record to its survivor.</summary>
public static class MergedLookup
{
    public static void AddToCitizen(CitizenType citizen)
    {
        citizen.Field<NonNullGraphType<ListGraphType<NonNullGraphType<MergedRecordType>>>>("mergedRecords")
            .Description("Records merged into this one (and not unmerged): their ID numbers now find this record.")
            .ResolveAsync(async ctx =>
            {
                if (ctx.Source.MergedRecords is not { Count: > 0 } merged) return (object?)Array.Empty<MergedRecord>();
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                var records = (await session.LoadManyAsync<Citizen>(ctx.CancellationToken, merged.Select(m => m.CitizenId))).ToDictionary(c => c.Id);
                return (object?)merged.Where(m => records.ContainsKey(m.CitizenId)).Select(m => new MergedRecord(records[m.CitizenId].IdNumber, m.CitizenId, m.MergeId, m.MergedAt)).ToList();
            });
        citizen.Field<MergeLinkType>("mergedInto")
            .Description("Set on a record merged into another: the survivor's id and the merge. Null for a person's own record.")
            .Resolve(ctx => ctx.Source is { MergedInto: { } survivor, MergeId: { } merge } ? new MergeLink(survivor, merge) : null);
        citizen.Field<MergedRecordType>("lookedUpThrough")
            .Description("Set when this record was found by the ID number of a record merged into it: that record. Null when found by its own number.")
            .Resolve(ctx => ctx.Registry().ReachedThrough.GetValueOrDefault(ctx.Source.Id));
    }

    /// <summary>A merged record answers with its survivor, remembering for lookedUpThrough which number led there.</summary>
    public static async Task<Citizen?> FollowAsync(IResolveFieldContext ctx, IQuerySession session, Citizen? found)
    {
        if (found is not { MergedInto: { } survivorId, MergeId: { } mergeId }) return found;
        if (await session.LoadAsync<Citizen>(survivorId, ctx.CancellationToken) is not { } survivor) return found;
        var mergedAt = survivor.MergedRecords?.FirstOrDefault(m => m.MergeId == mergeId)?.MergedAt ?? default;
        ctx.Registry().ReachedThrough[survivor.Id] = new MergedRecord(found.IdNumber, found.Id, mergeId, mergedAt);
        return survivor;
    }
}
