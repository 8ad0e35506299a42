using JasperFx.Events;
using Marten.Events.Aggregation;
using Registry.Domain.Entitlements;

namespace Registry.Projections.Entitlements;

/// <summary>Inline: an application's decision is readable in the same request that made it.</summary>
public partial class EntitlementProjection : SingleStreamProjection<Entitlement, Guid>
{
    public EntitlementProjection()
    {
        foreach (var type in Entitlement.EventTypes) IncludeType(type);
    }

    public override Entitlement? Evolve(Entitlement? snapshot, Guid id, IEvent e) =>
        Entitlement.Evolve(snapshot, e.Data) is { } next ? next with { Version = e.Version } : null;
}
