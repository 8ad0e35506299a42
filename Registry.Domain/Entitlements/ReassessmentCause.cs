namespace Registry.Domain.Entitlements;

/// <summary>What set a re-assessment off; <c>Appeal</c>: a decision taken again because an appeal was overturned.</summary>
public enum ReassessmentTrigger { CircumstancesChanged, SchoolAttendance, ParametersPublished, AgeLimit, Appeal }

/// <summary>
/// Why a re-assessment ran, as data rather than a sentence: the kind of trigger; the change it came
/// from (<see cref="Source"/>: the causing event as "stream:version", or the age-limit day), which is
/// what makes a redelivered message record nothing twice; the correlation id of the request that made
/// the change, so an auditor's search by correlation id finds everything the request caused; and a
/// sentence for the history.
/// </summary>
public sealed record ReassessmentCause(ReassessmentTrigger Trigger, string Source, string? CorrelationId, string Description)
{
    /// <summary>The causing event, named by its stream and the version it wrote.</summary>
    public static string EventSource(Guid streamId, long version) => $"{streamId:N}:{version}";

    public static ReassessmentCause AgeLimit(DateOnly limit, string? correlationId) =>
        new(ReassessmentTrigger.AgeLimit, $"age-limit:{limit:yyyy-MM-dd}", correlationId, $"age limit {limit:yyyy-MM-dd}");
}
