using JasperFx.Events;
using Marten.Events.Aggregation;
using Registry.Domain.Appeals;

namespace Registry.Projections.Appeals;

/// <summary>Inline: a lodged appeal is on its entitlement in the same request; the store's row names the decision, not the person's words.</summary>
public partial class AppealProjection : SingleStreamProjection<Appeal, Guid>
{
    public AppealProjection()
    {
        foreach (var type in Appeal.EventTypes) IncludeType(type);
    }

    public override Appeal? Evolve(Appeal? snapshot, Guid id, IEvent e) =>
        Appeal.Evolve(snapshot, e.Data) is { } next ? next with { Version = e.Version } : null;
}
