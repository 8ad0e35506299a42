using Registry.Domain.Common;

namespace Registry.Api.Commands;

/// <summary>The answer to a command: the stream it changed and its new version, or why nothing was written.</summary>
public sealed record CommandResult(Guid? StreamId, long? Version, IReadOnlyList<DomainError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public static CommandResult Accepted(Guid streamId, long version) => new(streamId, version, []);
    public static CommandResult Rejected(DomainError error) => new(null, null, [error]);
    public static CommandResult Rejected(string code, string message, string? field = null) => Rejected(new DomainError(code, message, field));
}
