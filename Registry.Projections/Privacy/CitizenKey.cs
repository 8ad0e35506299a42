namespace Registry.Projections.Privacy;

/// <summary>
/// One person's data key (or a household's, for its address), wrapped (AES-GCM) under the master key named by <see cref="MasterKeyId"/>. Written in
/// the transaction of the person's first events, so no ciphertext is ever committed without its key. An
/// erasure keeps the row but drops the key (<see cref="WrappedKey"/> null, <see cref="ErasedAt"/> set).
/// </summary>
public sealed record CitizenKey(Guid Id, string? WrappedKey, string MasterKeyId, DateTimeOffset CreatedAt, DateTimeOffset? ErasedAt = null);
