using JasperFx.Events;
using Marten.Events.Aggregation;
using Registry.Domain.Households;

namespace Registry.Projections.Households;

public partial class HouseholdProjection : SingleStreamProjection<Household, Guid>
{
    public HouseholdProjection()
    {
        foreach (var type in Household.EventTypes) IncludeType(type);
    }

    public override Household? Evolve(Household? snapshot, Guid id, IEvent e) =>
        Household.Evolve(snapshot, e.Data, EventHeaders.EffectiveDateOf(e)) is { } next
            ? next with { Version = e.Version, LastChangedAt = EventHeaders.RecordedAt(e) }
            : null;
}
