using JasperFx.Events;
using Marten.Events.Aggregation;
using Registry.Domain.Programmes;

namespace Registry.Projections.Programmes;

public partial class ProgrammeProjection : SingleStreamProjection<Programme, Guid>
{
    public ProgrammeProjection()
    {
        foreach (var type in Programme.EventTypes) IncludeType(type);
    }

    public override Programme? Evolve(Programme? snapshot, Guid id, IEvent e) =>
        Programme.Evolve(snapshot, e.Data) is { } next ? next with { Version = e.Version } : null;
}
