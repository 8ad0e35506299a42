using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
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

        Household? household = null;
        if (await session.LoadAsync<HouseholdMembership>(citizen.Id, ct) is { } membership)
        {
            household = await session.LoadAsync<Household>(membership.HouseholdId, ct);
            if (household is not null)
            {
                // A head with others still there is refused as removeHouseholdMember refuses it: name a new head first.
                var left = HouseholdDecisions.RemoveMember(household, citizen.Id, today, today);
                if (left.Error is { } refused) return (CommandResult.Rejected(refused), none);
                decisions.Add((household.Id, household.Version, left));
            }
        }
        session.AppendDecided(cmd, decisions);

        // The key goes with the events that record its going; the row stays to say when.
        var now = clock.GetUtcNow();
        var key = await session.LoadAsync<CitizenKey>(citizen.Id, ct) ?? new CitizenKey(citizen.Id, null, "", now);
        session.Store(key with { WrappedKey = null, ErasedAt = now });
        session.Store(new ErasedIdentity(ErasedIdentity.IdFor(EventSealing.Of(session).Keys.Master, citizen.IdNumber), now, cmd.LegalBasis!.Value));
        CitizenKeyring.EvictEverywhere(citizen.Id);
        ForgetInAccessLog(session, citizen.Id);
        // The statistics keep counting them, by the coarse values they group by and nothing that links back.
        await ErasedResidue.CountInAsync(session, citizen, entitlements.Count, ct);

        var result = CommandResult.Accepted(citizen.Id, version + erased.Events.Count);
        var messages = new OutgoingMessages();
        // Their housemates' entitlements counted them: re-assess them without.
        if (household is not null)
            messages.Add(new CircumstancesChanged(null, household.Id, today, new ReassessmentCause(ReassessmentTrigger.CircumstancesChanged,
                ReassessmentCause.EventSource(household.Id, household.Version + 1), cmd.Context.CorrelationId, "member erased")));
        return (result, messages);
    }

    /// <summary>The access log keeps that a read happened, not whose data it was (the nil id stands for "erased").</summary>
    private static void ForgetInAccessLog(IDocumentSession session, Guid citizenId) =>
        session.QueueSqlCommand(
            "UPDATE registry.mt_doc_accessrecord SET data = jsonb_set(data, '{CitizenId}', '\"00000000-0000-0000-0000-000000000000\"') WHERE data ->> 'CitizenId' = ?",
            citizenId.ToString());
}

public sealed class EraseCitizenInput : ChangeInput
{
    public string IdNumber { get; init; } = "";
    public ErasureBasis? LegalBasis { get; init; }
}

public sealed class ErasureBasisType : EnumerationGraphType<ErasureBasis>;

public sealed record ErasurePayload(Guid? CitizenId, IReadOnlyList<string> Categories, IReadOnlyList<DomainError> Errors);

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
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                var events = await session.Events.FetchStreamAsync(result.StreamId!.Value, token: ctx.CancellationToken);
                return new ErasurePayload(result.StreamId, events.Select(e => e.Data).OfType<CitizenErased>().LastOrDefault()?.Categories ?? [], []);
            });
}
