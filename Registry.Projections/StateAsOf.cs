using JasperFx.Events;
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
    public static Citizen? Citizen(IEnumerable<IEvent> events, DateOnly on) =>
        InEffectiveOrder(events, on, e => e.Data is CitizenRegistered or CitizenRecordCorrected)
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

    private static IEnumerable<IEvent> InEffectiveOrder(IEnumerable<IEvent> events, DateOnly on, Func<IEvent, bool> alwaysTrue) =>
        events
            .Select(e => (Event: e, Effective: alwaysTrue(e) ? DateOnly.MinValue : EventHeaders.EffectiveDateOf(e)))
            .Where(x => x.Effective <= on)
            .OrderBy(x => x.Effective).ThenBy(x => x.Event.Sequence).ThenBy(x => x.Event.Version)
            .Select(x => x.Event);
}
