namespace Registry.Api.Commands;

/// <summary>
/// What every command carries besides its facts: who, why, when-effective, retry key, version seen,
/// and, for work a change set off, the causing event; for a change held for four eyes, who approved it.
/// </summary>
public sealed record CommandContext(
    string Operation,
    string Actor,
    string CorrelationId,
    DateOnly EffectiveDate,
    string? Reason = null,
    string? IdempotencyKey = null,
    long? ExpectedVersion = null,
    string? CausationId = null,
    string? Fingerprint = null,
    string? ApprovedBy = null);

/// <summary>A command handled by Wolverine against one stream; <see cref="CommandDispatcher"/> is the only sender.</summary>
public abstract record RegistryCommand
{
    public abstract CommandContext Context { get; init; }

    /// <summary>
    /// What a log line may say about a command: its type and ids, never its facts. Wolverine logs a failed
    /// command under its type's name with this text, and a record would otherwise print every property
    /// (ID number, names, address, income, disability). Sealed, so no command can bring that back.
    /// </summary>
    public sealed override string ToString() =>
        $"{GetType().Name} {{ Operation = {Context.Operation}, CorrelationId = {Context.CorrelationId} }}";
}

public static class CommandFingerprint
{
    /// <summary>
    /// Keyed hash (the blind-index key) of a command's facts and expected version (not who sent it or when), so a key
    /// reused for other facts is caught. Keyed, because the facts hold ID numbers: a plain hash of them could be
    /// reversed by trying every number, and the record outlives an erasure.
    /// </summary>
    public static string Of(RegistryCommand command, Registry.Projections.Privacy.MasterKeys keys)
    {
        var node = System.Text.Json.JsonSerializer.SerializeToNode(command, command.GetType())!.AsObject();
        node.Remove(nameof(RegistryCommand.Context));
        node["expectedVersion"] = command.Context.ExpectedVersion;
        return keys.BlindIndex(node.ToJsonString());
    }
}
