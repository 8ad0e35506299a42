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

    public static DateOnly EffectiveDateOf(IEvent e) =>
        e.GetHeader(EffectiveDate)?.ToString() is { } text && DateOnly.TryParseExact(text, "yyyy-MM-dd", out var d)
            ? d
            : DateOnly.FromDateTime(e.Timestamp.UtcDateTime);
}
