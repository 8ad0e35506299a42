using JasperFx.Events;
using Marten.Events.Aggregation;
using Registry.Domain.Simulation;

namespace Registry.Projections.Simulation;

public partial class SimulationRunProjection : SingleStreamProjection<SimulationRun, Guid>
{
    public SimulationRunProjection()
    {
        foreach (var type in SimulationRun.EventTypes) IncludeType(type);
    }

    public override SimulationRun? Evolve(SimulationRun? snapshot, Guid id, IEvent e) =>
        SimulationRun.Evolve(snapshot, e.Data) is { } next ? next with { Version = e.Version } : null;
}
