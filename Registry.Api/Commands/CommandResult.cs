using Registry.Domain.Common;

namespace Registry.Api.Commands;

/// <summary>
/// The answer to a command: the stream it changed and its new version, or why nothing was written; or, for a change
/// held for a second person, the record it is to (at its unchanged version) and the change request that holds it.
/// </summary>
public sealed record CommandResult(Guid? StreamId, long? Version, IReadOnlyList<DomainError> Errors, Guid? ChangeRequestId = null)
{
    public bool Succeeded => Errors.Count == 0;

    public static CommandResult Accepted(Guid streamId, long version) => new(streamId, version, []);
    public static CommandResult Held(Guid streamId, long version, Guid changeRequestId) => new(streamId, version, [], changeRequestId);
    public static CommandResult Rejected(DomainError error) => new(null, null, [error]);
    public static CommandResult Rejected(string code, string message, string? field = null) => Rejected(new DomainError(code, message, field));
}
