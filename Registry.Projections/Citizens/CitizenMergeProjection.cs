using JasperFx.Events;
using Marten.Events.Aggregation;
using Registry.Domain.Citizens;

namespace Registry.Projections.Citizens;

/// <summary>Inline: a merge is found by its id in the transaction after the one that recorded it, for an unmerge or a retry's answer.</summary>
public partial class CitizenMergeProjection : SingleStreamProjection<CitizenMerge, Guid>
{
    public CitizenMergeProjection()
    {
        foreach (var type in CitizenMerge.EventTypes) IncludeType(type);
    }

    public override CitizenMerge? Evolve(CitizenMerge? snapshot, Guid id, IEvent e) =>
        CitizenMerge.Evolve(snapshot, e.Data) is { } next ? next with { Version = e.Version } : null;
}
