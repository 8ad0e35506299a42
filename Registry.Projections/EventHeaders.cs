using JasperFx.Events;

namespace Registry.Projections;

/// <summary>
/// Event metadata beyond Marten's own columns (user name = actor, correlation id, causation id,
/// timestamp = when the register learnt it). Written once per command, read by projections and auditors.
/// </summary>
public static class EventHeaders
{
    /// <summary>When the fact became true in the world (ISO date), as opposed to when it was recorded.</summary>
    public const string EffectiveDate = "effectiveDate";

    /// <summary>Why the caseworker made the change; required for corrections, deaths and suspensions.</summary>
    public const string Reason = "reason";

    /// <summary>The second person who approved a change held for four eyes (the first is the event's user name).</summary>
    public const string ApprovedBy = "approvedBy";

    /// <summary>
    /// When the register learnt of the event, at PostgreSQL's precision (microseconds), so that a live
    /// projection and a rebuild from the stored rows agree to the tick.
    /// </summary>
    public static DateTimeOffset RecordedAt(IEvent e) => new(e.Timestamp.Ticks - e.Timestamp.Ticks % 10, e.Timestamp.Offset);

    public static DateOnly EffectiveDateOf(IEvent e) => e.GetHeader(EffectiveDate) switch
    {
        // Marten's header reader turns ISO date strings into DateTime; older or raw readers give text.
        DateTime t => DateOnly.FromDateTime(t),
        DateTimeOffset t => DateOnly.FromDateTime(t.DateTime),
        DateOnly d => d,
        var other when DateOnly.TryParseExact(other?.ToString(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var d) => d,
        _ => DateOnly.FromDateTime(e.Timestamp.UtcDateTime),
    };
}
