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
using Registry.Projections.Privacy;
using Marten.Patching;
using Wolverine;

namespace Registry.Api.Citizens;

/// <summary>Erase a person from the register (POPIA s24): their data key is destroyed, their events stay and read as erased.</summary>
public sealed record EraseCitizen(string IdNumber, ErasureBasis? LegalBasis, CommandContext Context) : RegistryCommand;

/// <summary>
/// One transaction: CitizenErased on the person's stream, every entitlement of theirs terminated from today,
/// their leaving of the household (so it stays consistent), the data key dropped, the access log's link to
/// them cut, and their anonymous tallies added to the statistics' residue. The inline projections delete the citizen's document and membership in the same commit.
/// </summary>
public static class EraseCitizenHandler
{
    public static async Task<(CommandResult, OutgoingMessages)> Handle(EraseCitizen cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var none = new OutgoingMessages();
        var today = RegistryClock.Today(clock);
        if (!SaIdNumber.TryParse(cmd.IdNumber, today, out _, out var invalid)) return (CommandResult.Rejected(invalid!), none);
        if (await CitizenLookup.FindAsync(session, cmd.IdNumber, ct) is not { } citizen) return (CommandResult.Rejected(CitizenLookup.NotFound()), none);

        var entitlements = await session.Query<Entitlement>().Where(e => e.BeneficiaryId == citizen.Id).ToListAsync(ct);
        var erased = Erasure.Erase(citizen, cmd.LegalBasis, cmd.Context.Reason, entitlements.Count > 0);
        if (erased.Error is { } error) return (CommandResult.Rejected(error), none);
        var version = cmd.Context.ExpectedVersion ?? citizen.Version;
        var decisions = new List<(Guid, long, Decision)> { (citizen.Id, version, erased) };
        decisions.AddRange(entitlements.Select(e => (e.Id, e.Version, EntitlementDecisions.EndByErasure(today))));

        // Their current household loses them; it and any earlier household of theirs that no one lives in any
        // more lose the address too, under keys destroyed with theirs.
        Household? household = null;
        var forgotten = new List<Guid>();
        var current = (await session.LoadAsync<HouseholdMembership>(citizen.Id, ct))?.HouseholdId;
        var joined = await session.Query<HouseholdJoining>().Where(j => j.CitizenId == citizen.Id).Select(j => j.HouseholdId).ToListAsync(ct);
        foreach (var past in await session.LoadManyAsync<Household>(ct, (current is { } living ? joined.Append(living) : joined).Distinct()))
        {
            var change = Decision.Accept();
            var after = past;
            if (past.Id == current)
            {
                // A head with others still there is refused as removeHouseholdMember refuses it: name a new head first.
                change = HouseholdDecisions.RemoveMember(past, citizen.Id, today, today);
                if (change.Error is { } refused) return (CommandResult.Rejected(refused), none);
                after = change.Events.Aggregate(past, (h, e) => Household.Evolve(h, e, today)!);
                household = past;
            }
            var erasedAddress = HouseholdDecisions.EraseAddress(after).Events;
            if (erasedAddress.Count > 0) forgotten.Add(past.Id);
            if (change.Events.Count + erasedAddress.Count > 0) decisions.Add((past.Id, past.Version, Decision.Accept([.. change.Events, .. erasedAddress])));
        }
        var result = session.AppendDecided(cmd, decisions, clock);

        // The keys go with the events that record their going; the rows stay to say when.
        var now = clock.GetUtcNow();
        foreach (var subject in forgotten.Prepend(citizen.Id)) await DestroyKeyAsync(session, subject, now, ct);
        session.Store(new ErasedIdentity(ErasedIdentity.IdFor(EventSealing.Of(session).Keys.Master, citizen.IdNumber), now, cmd.LegalBasis!.Value));
        ForgetInAccessLog(session, citizen.Id);
        // A simulation's row of them holds their figures; the run's tallies keep counting them.
        session.DeleteWhere<Projections.Simulation.SimulatedPerson>(p => p.CitizenId == citizen.Id);
        session.DeleteWhere<Projections.Simulation.EnactmentDifference>(d => d.CitizenId == citizen.Id);
        // The statistics keep counting them, by the coarse values they group by and nothing that links back.
        await ErasedResidue.CountInAsync(session, citizen, entitlements.Count, ct);

        var messages = new OutgoingMessages();
        // Their housemates' entitlements counted them: re-assess them without.
        if (household is not null)
            messages.Add(new CircumstancesChanged(null, household.Id, today, new ReassessmentCause(ReassessmentTrigger.CircumstancesChanged,
                ReassessmentCause.EventSource(household.Id, household.Version + 1), cmd.Context.CorrelationId, "member erased")));
        return (result, messages);
    }

    private static async Task DestroyKeyAsync(IDocumentSession session, Guid subject, DateTimeOffset now, CancellationToken ct)
    {
        var key = await session.LoadAsync<CitizenKey>(subject, ct) ?? new CitizenKey(subject, null, "", now);
        // Evicted from every cache once this commits (EventSealing's listener): not before, when a read would only load it again.
        session.Store(key with { WrappedKey = null, ErasedAt = now });
    }

    /// <summary>The access log keeps that a read happened, not whose data it was (the nil id stands for "erased"); found by its index on the citizen.</summary>
    private static void ForgetInAccessLog(IDocumentSession session, Guid citizenId) =>
        session.Patch<Audit.AccessRecord>(r => r.CitizenId == citizenId).Set(r => r.CitizenId, Guid.Empty);
}

public sealed class EraseCitizenInput : ChangeInput
{
    public string IdNumber { get; init; } = "";
    public ErasureBasis? LegalBasis { get; init; }
}

public sealed class ErasureBasisType : EnumerationGraphType<ErasureBasis>;

/// <param name="ChangeRequestId">Set when the erasure waits for a second administrator: nothing is erased yet.</param>
public sealed record ErasurePayload(Guid? CitizenId, IReadOnlyList<string> Categories, IReadOnlyList<DomainError> Errors, Guid? ChangeRequestId = null);

public sealed class ErasurePayloadType : ObjectGraphType<ErasurePayload>
{
    public ErasurePayloadType()
    {
        Name = "ErasurePayload";
        Field<IdGraphType>("citizenId").Description("The erased person's stream id (not personal: nothing links it to them any more).")
            .Resolve(ctx => ctx.Source.CitizenId);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("categories")
            .Description("The kinds of personal data erased, e.g. ID_NUMBER, NAMES, ADDRESS, INCOME.").Resolve(ctx => ctx.Source.Categories);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
        this.AddChangeRequestField(p => p.ChangeRequestId);
    }
}

public sealed class EraseCitizenInputType : InputObjectGraphType<EraseCitizenInput>
{
    public EraseCitizenInputType()
    {
        Name = "EraseCitizenInput";
        Field(x => x.IdNumber);
        Field<NonNullGraphType<ErasureBasisType>>("legalBasis");
        Field(x => x.Reason, nullable: false)
            .Description("The request or order reference. Recorded unencrypted, as evidence of the erasure: it must not name the person.");
        Field(x => x.ExpectedVersion, nullable: true);
        Field(x => x.IdempotencyKey, nullable: true).Description("Replaying a request with the same key returns the first result and erases nothing more.");
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<ErasurePayloadType>>("eraseCitizen")
            .Description("Erases a person (POPIA s24): destroys their data key and read models; their events stay, readable only as erased.")
            .Argument<NonNullGraphType<EraseCitizenInputType>>("input")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<EraseCitizenInput>("input");
                var result = await ctx.SendAsync(input, c => new EraseCitizen(input.IdNumber.Trim(), input.LegalBasis, c with { EffectiveDate = ctx.RequestServices!.GetRequiredService<TimeProvider>().Today() }));
                if (!result.Succeeded) return new ErasurePayload(null, [], result.Errors);
                if (result.ChangeRequestId is { } held) return new ErasurePayload(result.StreamId, [], [], held);
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                var erasure = await session.Events.FetchStreamAsync(result.StreamId!.Value, result.Version!.Value, fromVersion: result.Version.Value, token: ctx.CancellationToken);
                return new ErasurePayload(result.StreamId, erasure.Select(e => e.Data).OfType<CitizenErased>().SingleOrDefault()?.Categories ?? [], []);
            });
}
