using JasperFx.Events;
using Marten.Events.Aggregation;
using Registry.Domain.Citizens;

namespace Registry.Projections.Citizens;

/// <summary>Inline: the citizen document changes in the same transaction as its events, so the unique ID-number index guards registration.</summary>
public partial class CitizenProjection : SingleStreamProjection<Citizen, Guid>
{
    // Declared, so Marten fetches the document only for events the fold reads, and a rebuild reads only those.
    public CitizenProjection()
    {
        foreach (var type in Citizen.EventTypes) IncludeType(type);
    }

    public override Citizen? Evolve(Citizen? snapshot, Guid id, IEvent e) =>
        // A rebuild reads an erased person's registration as placeholders: no document, not even for a moment
        // (two erased people would collide on the unique ID-number index).
        e.Data is CitizenRegistered { IdNumber: Erasure.Placeholder } ? null
        : Citizen.Evolve(snapshot, e.Data) is { } next
            ? next with { Version = e.Version, LastChangedAt = EventHeaders.RecordedAt(e) }
            : null;
}
