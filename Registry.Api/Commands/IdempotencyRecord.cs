namespace Registry.Api.Commands;

/// <summary>
/// The first outcome of a command sent with an idempotency key. Stored in the same transaction as the
/// command's events, so either both exist or neither; a retry finds it and appends nothing.
/// </summary>
public sealed record IdempotencyRecord(string Id, Guid StreamId, long Version, string Fingerprint, string Actor, DateTimeOffset RecordedAt)
{
    public static string IdFor(string operation, string key) => $"{operation}:{key}";
}
