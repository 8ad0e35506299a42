using JasperFx.Events;
using Marten.Events.Aggregation;
using Registry.Domain.ChangeRequests;

namespace Registry.Projections.ChangeRequests;

/// <summary>Each change request folded inline, so the approval queue lists what was just asked.</summary>
public partial class ChangeRequestProjection : SingleStreamProjection<ChangeRequest, Guid>
{
    public ChangeRequestProjection()
    {
        foreach (var type in ChangeRequest.EventTypes) IncludeType(type);
    }

    public override ChangeRequest? Evolve(ChangeRequest? snapshot, Guid id, IEvent e) =>
        ChangeRequest.Evolve(snapshot, e.Data) is { } next ? next with { Version = e.Version } : null;
}
