using GraphQL;
using JasperFx.Events;
using Marten;
using Registry.Api.Citizens;
using Registry.Api.GraphQL;
using Registry.Api.Hosting;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Entitlements;
using Registry.Projections;

namespace Registry.Api.Audit;

/// <summary>
/// What the auditor's questions read: history, state as of a date, integrity, the access log. The resolvers
/// (AuditViewType) only read arguments and note whom an answer shows; the reading is here.
/// </summary>
public sealed class AuditQueries(IQuerySession session, TimeProvider clock, CheckpointKey checkpointKey)
{
    public sealed record CitizenAsOf(Citizen? Citizen, Households.HouseholdView? Household, ExecutionError? Refusal);

    public sealed record EntitlementsAsOf(Guid CitizenId, List<Entitlement> Entitlements, ExecutionError? Refusal);

    /// <summary>One stream's events or one request's, in order, a page at a time.</summary>
    public async Task<Connection<RecordedEventView>> HistoryAsync(StreamSelector selector, int size, long? after, CancellationToken ct)
    {
        IQueryable<IEvent> events = session.Events.QueryAllRawEvents();
        if (selector.Name == "correlationId")
            events = events.Where(e => e.CorrelationId == selector.Value);
        else
        {
            var streamId = await StreamOfAsync(selector, ct);
            events = events.Where(e => e.StreamId == streamId);
        }
        return await PageAsync(events, size, after, ct);
    }

    /// <summary>One stream's history: a person's own record, as a caseworker reads it on their page.</summary>
    public Task<Connection<RecordedEventView>> StreamHistoryAsync(Guid streamId, int size, long? after, CancellationToken ct) =>
        PageAsync(session.Events.QueryAllRawEvents().Where(e => e.StreamId == streamId), size, after, ct);

    private async Task<Connection<RecordedEventView>> PageAsync(IQueryable<IEvent> events, int size, long? after, CancellationToken ct)
    {
        var total = await events.CountAsync(ct);
        var page = after is { } seq ? events.Where(e => e.Sequence > seq) : events;
        var rows = await page.OrderBy(e => e.Sequence).Take(size + 1).ToListAsync(ct);
        return Paging.PageBy(await RecordedEventView.OfAsync(session, rows, ct), size, total, e => Paging.Cursor(e.Event.Sequence));
    }

    public async Task<CitizenAsOf> CitizenAsOfAsync(AsOfQuestion question, CancellationToken ct)
    {
        var (citizen, validAt, knownAt, refusal) = await AsOfAsync(question, ct);
        if (knownAt is null) return new CitizenAsOf(null, null, refusal);
        var known = (await StateAsOf.EventsAsync(session, [citizen.Id], knownAt, ct))[citizen.Id].ToList();
        if (known.Count == 0)
            return new CitizenAsOf(null, null, new ExecutionError("The register had not recorded this citizen by knownAt.") { Code = ErrorCodes.NotYetRecorded });
        var household = await HouseholdAsOfAsync(citizen.Id, validAt, knownAt.Value, ct);
        return new CitizenAsOf(StateAsOf.Citizen(known, validAt), household, null);
    }

    public async Task<EntitlementsAsOf> EntitlementsAsOfAsync(AsOfQuestion question, CancellationToken ct)
    {
        var (citizen, validAt, knownAt, refusal) = await AsOfAsync(question, ct);
        if (knownAt is null) return new EntitlementsAsOf(citizen.Id, [], refusal);
        var streams = await session.Query<Entitlement>().Where(e => e.BeneficiaryId == citizen.Id).Select(e => e.Id).ToListAsync(ct);
        var events = await StateAsOf.EventsAsync(session, streams, knownAt, ct);
        return new EntitlementsAsOf(citizen.Id, streams.Select(id => StateAsOf.Entitlement(events[id], validAt)).OfType<Entitlement>().ToList(), null);
    }

    /// <summary>The hash chains of one stream or of the whole register; the whole register also against the signed checkpoints.</summary>
    public async Task<IntegrityView> VerifyIntegrityAsync(StreamSelector selector, CancellationToken ct)
    {
        Guid[]? streams = selector.Name is null ? null : [await StreamOfAsync(selector, ct)];
        var chains = await Registry.Projections.Integrity.EventChainVerifier.VerifyAsync(session, streams, ct);
        var checkpoints = streams is null
            ? await Registry.Projections.Integrity.IntegrityCheckpoints.VerifyAsync(session, checkpointKey.Bytes, ct)
            : null;
        return new IntegrityView(chains, checkpoints);
    }

    /// <summary>Who read this citizen's data: the citizen's id (whom the answer is about) and a page of the records.</summary>
    public async Task<(Guid CitizenId, Connection<AccessRecord> Page)> AccessLogAsync(string idNumber, int size, Guid? after, CancellationToken ct)
    {
        var citizen = await CitizenOrNotFoundAsync(idNumber, ct);
        var (rows, total) = await Paging.KeysetAsync(session.Query<AccessRecord>().Where(r => r.CitizenId == citizen.Id), size, after, r => r.Id, ct);
        return (citizen.Id, Paging.Page(rows, size, total, r => r.Id));
    }

    /// <summary>The household the citizen belonged to on validAt, with its members as they were, by what was known at knownAt.</summary>
    private async Task<Households.HouseholdView?> HouseholdAsOfAsync(Guid citizenId, DateOnly validAt, DateTimeOffset knownAt, CancellationToken ct)
    {
        var households = await StateAsOf.EventsAsync(session, await StateAsOf.HouseholdsEverJoinedAsync(session, [citizenId], ct), knownAt, ct);
        foreach (var events in households)
        {
            if (StateAsOf.Household(events, validAt) is not { Dissolved: false } household || !household.HasMember(citizenId)) continue;
            var memberEvents = await StateAsOf.EventsAsync(session, household.Members.Select(m => m.CitizenId), knownAt, ct);
            var members = household.Members.Select(m => StateAsOf.Citizen(memberEvents[m.CitizenId], validAt)).OfType<Citizen>().ToDictionary(c => c.Id);
            return new Households.HouseholdView(household with { Members = [.. household.Members.Where(m => members.ContainsKey(m.CitizenId))] }, members);
        }
        return null;
    }

    private async Task<Citizen> CitizenOrNotFoundAsync(string idNumber, CancellationToken ct) =>
        await CitizenLookup.FindAsync(session, idNumber, ct)
        ?? throw new ExecutionError(CitizenLookup.NotFound().Message) { Code = ErrorCodes.NotFound };

    /// <summary>
    /// The common part of the as-of questions. A knownAt in the future is answered with KNOWN_AT_IN_FUTURE
    /// and no data (knownAt null), never with a guess.
    /// </summary>
    private async Task<(Citizen Citizen, DateOnly ValidAt, DateTimeOffset? KnownAt, ExecutionError? Refusal)> AsOfAsync(AsOfQuestion question, CancellationToken ct)
    {
        var citizen = await CitizenOrNotFoundAsync(question.IdNumber, ct);
        var validAt = question.ValidAt ?? clock.Today();
        var knownAt = question.KnownAt ?? clock.GetUtcNow();
        if (knownAt <= clock.GetUtcNow()) return (citizen, validAt, knownAt, null);
        return (citizen, validAt, null, new ExecutionError("knownAt lies in the future: the register cannot say what it will have recorded.") { Code = ErrorCodes.KnownAtInFuture });
    }

    private async Task<Guid> StreamOfAsync(StreamSelector selector, CancellationToken ct)
    {
        if (selector.Name == "idNumber") return (await CitizenOrNotFoundAsync(selector.Value!, ct)).Id;
        return Guid.TryParse(selector.Value, out var id) && await session.Events.FetchStreamStateAsync(id, ct) is not null
            ? id
            : throw new ExecutionError($"No stream with this {selector.Name} exists.") { Code = ErrorCodes.NotFound };
    }
}
