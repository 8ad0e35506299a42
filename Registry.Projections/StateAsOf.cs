using JasperFx.Events;
using Marten;
using Registry.Domain.Citizens;
using Registry.Domain.Households;

namespace Registry.Projections;

/// <summary>
/// State as it was true on a date, from the events the register holds now: events apply in order of
/// their effective date (then of recording), and only up to the date. A registration and a correction
/// of captured data apply whenever they were recorded: they describe what was always true.
/// </summary>
public static class StateAsOf
{
    /// <summary>School fees describe their whole school year, so they too apply whenever recorded.</summary>
    public static Citizen? Citizen(IEnumerable<IEvent> events, DateOnly on) =>
        InEffectiveOrder(events, on, e => e.Data is CitizenRegistered or CitizenRecordCorrected or SchoolFeesRecorded)
            .Aggregate((Citizen?)null, (state, e) => Domain.Citizens.Citizen.Evolve(state, e.Data) is { } next
                ? next with { Version = e.Version, LastChangedAt = EventHeaders.RecordedAt(e) }
                : null);

    public static Household? Household(IEnumerable<IEvent> events, DateOnly on) =>
        InEffectiveOrder(events, on, _ => false)
            .Aggregate((Household?)null, (state, e) => Domain.Households.Household.Evolve(state, e.Data, EventHeaders.EffectiveDateOf(e)) is { } next
                ? next with { Version = e.Version, LastChangedAt = EventHeaders.RecordedAt(e) }
                : null);

    public static Domain.Entitlements.Entitlement? Entitlement(IEnumerable<IEvent> events, DateOnly on) =>
        InEffectiveOrder(events, on, _ => false)
            .Aggregate((Domain.Entitlements.Entitlement?)null, (state, e) => Domain.Entitlements.Entitlement.Evolve(state, e.Data) is { } next
                ? next with { Version = e.Version }
                : null);

    /// <summary>The events of many streams in one round trip, only those recorded by knownAt when given.</summary>
    public static async Task<ILookup<Guid, IEvent>> EventsAsync(IQuerySession session, IEnumerable<Guid> streamIds, DateTimeOffset? knownAt, CancellationToken ct)
    {
        var ids = streamIds.Distinct().ToArray();
        if (ids.Length == 0) return Array.Empty<IEvent>().ToLookup(e => e.StreamId);
        var events = await session.Events.QueryAllRawEvents().Where(e => e.StreamId.IsOneOf(ids)).OrderBy(e => e.Sequence).ToListAsync(ct);
        return events.Where(e => knownAt is null || e.Timestamp <= knownAt).ToLookup(e => e.StreamId);
    }

    /// <summary>Every household any of these citizens ever formed or joined: the candidates for "their household on D".</summary>
    public static async Task<IReadOnlyList<Guid>> HouseholdsEverJoinedAsync(IQuerySession session, IEnumerable<Guid> citizenIds, CancellationToken ct) =>
        await HouseholdsEverJoined(session, citizenIds).ToListAsync(ct);

    /// <summary>The query itself, served by the index on the joining citizen (a test reads its plan).</summary>
    public static IQueryable<Guid> HouseholdsEverJoined(IQuerySession session, IEnumerable<Guid> citizenIds)
    {
        var ids = citizenIds.Distinct().ToArray();
        return session.Query<Households.HouseholdJoining>().Where(j => j.CitizenId.IsOneOf(ids)).Select(j => j.HouseholdId).Distinct();
    }

    private static IEnumerable<IEvent> InEffectiveOrder(IEnumerable<IEvent> events, DateOnly on, Func<IEvent, bool> alwaysTrue) =>
        events
            .Select(e => (Event: e, Effective: alwaysTrue(e) ? DateOnly.MinValue : EventHeaders.EffectiveDateOf(e)))
            .Where(x => x.Effective <= on)
            .OrderBy(x => x.Effective).ThenBy(x => x.Event.Sequence).ThenBy(x => x.Event.Version)
            .Select(x => x.Event);
}
