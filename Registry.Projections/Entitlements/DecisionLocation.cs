using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Registry.Domain.Entitlements;

namespace Registry.Projections.Entitlements;

/// <summary>Where a recorded decision lives: its id is the decision's, so a replay finds its entitlement by primary key, not by scanning the events.</summary>
public sealed record DecisionLocation(Guid Id, Guid EntitlementId);

public partial class DecisionLocationProjection : EventProjection
{
    public DecisionLocationProjection()
    {
        IncludeType<EntitlementAssessed>();
        IncludeType<EntitlementReassessed>();
    }

    public override ValueTask ApplyAsync(IDocumentOperations ops, IEvent e, CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case EntitlementAssessed assessed:
                ops.Store(new DecisionLocation(assessed.DecisionId, e.StreamId));
                break;
            case EntitlementReassessed reassessed:
                ops.Store(new DecisionLocation(reassessed.DecisionId, e.StreamId));
                break;
        }
        return ValueTask.CompletedTask;
    }
}
