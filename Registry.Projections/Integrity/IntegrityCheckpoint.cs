using System.Security.Cryptography;
using System.Text;
using Marten;
using Registry.Projections.Sql;

namespace Registry.Projections.Integrity;

/// <summary>
/// A signed digest over the global event sequence up to a point: every event's hash, in sequence
/// order, chained to the checkpoint before. Per-stream chains cannot see a whole stream deleted or
/// events moved between streams; the checkpoints can. Signed with HMAC, so a checkpoint cannot be
/// recomputed by someone who can edit the table but does not hold the key.
/// </summary>
public sealed record IntegrityCheckpoint(long Id, long FromSequence, int Events, string Digest, string PreviousDigest, string Signature, DateTimeOffset At)
{
    public long UpToSequence => Id;
}

public enum CheckpointFinding
{
    Intact,
    /// <summary>A checkpoint no longer matches the events it sealed, its predecessor or its signature.</summary>
    Broken,
    /// <summary>Events are stored but no checkpoint seals any of them: deleted, or never written.</summary>
    NoCheckpoint,
    /// <summary>No checkpoint recomputed from the stored events has the digest an outside witness kept.</summary>
    WitnessNotMatched,
}

/// <param name="WitnessedSequence">The checkpoint (sealed up to this sequence) that matched the witnessed digest, when one was given.</param>
public sealed record CheckpointReport(int CheckpointsChecked, CheckpointFinding Finding, long? FirstBrokenCheckpoint, long? WitnessedSequence = null)
{
    public bool Intact => Finding == CheckpointFinding.Intact;
}

/// <summary>
/// A checkpoint's digest as an outside witness keeps it (the `witness` verb prints it). Whoever holds
/// the key can rewrite events, hashes and checkpoints together; they cannot change what the witness kept.
/// </summary>
public sealed record CheckpointWitness(long? Sequence, string Digest)
{
    /// <summary>The witness line (JSON with sequence and digest) or a bare 64-hex-digit digest; null if it is neither.</summary>
    public static CheckpointWitness? Parse(string text)
    {
        text = text.Trim();
        if (text.StartsWith('{'))
        {
            try
            {
                using var json = System.Text.Json.JsonDocument.Parse(text);
                var root = json.RootElement;
                return root.TryGetProperty("digest", out var d) && d.GetString() is { } digest && IsDigest(digest)
                    ? new CheckpointWitness(root.TryGetProperty("sequence", out var s) ? s.GetInt64() : null, digest.ToLowerInvariant())
                    : null;
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException)
            {
                return null;
            }
        }
        return IsDigest(text) ? new CheckpointWitness(null, text.ToLowerInvariant()) : null;
    }

    private static bool IsDigest(string s) => s.Length == 64 && s.All(char.IsAsciiHexDigit);
}

public static class IntegrityCheckpoints
{
    private const string Genesis = "genesis";

    /// <summary>Seals the events committed since the last checkpoint, up to the daemon's high-water mark (no gaps can fill in below it).</summary>
    public static async Task<IntegrityCheckpoint?> CreateAsync(IDocumentSession session, byte[] key, DateTimeOffset now, CancellationToken ct)
    {
        var last = await LatestAsync(session, ct);
        var from = (last?.Id ?? 0) + 1;
        var safe = (await session.AdvancedSql.QueryAsync<long>(RegistrySql.Of(session).HighWaterMark, ct))[0];
        if (safe < from) return null;
        var (digest, count) = await DigestAsync(session, last?.Digest ?? Genesis, from, safe, ct);
        if (count == 0) return null;
        var checkpoint = new IntegrityCheckpoint(safe, from, count, digest, last?.Digest ?? Genesis, Sign(key, safe, digest), now);
        session.Insert(checkpoint);
        await session.SaveChangesAsync(ct);
        return checkpoint;
    }

    /// <summary>
    /// Recomputes every checkpoint from the stored events. With a witness, one of them must also have
    /// the witnessed digest: a register rewritten with the key verifies on its own, but not against that.
    /// </summary>
    public static async Task<CheckpointReport> VerifyAsync(IQuerySession session, byte[] key, CancellationToken ct, CheckpointWitness? witness = null)
    {
        var checkpoints = await session.Query<IntegrityCheckpoint>().OrderBy(c => c.Id).ToListAsync(ct);
        if (checkpoints.Count == 0)
        {
            // An empty table proves nothing: deleting every checkpoint must not read as "intact".
            var anyEvents = (await session.AdvancedSql.QueryAsync<bool>(RegistrySql.Of(session).AnyEvents, ct))[0];
            if (anyEvents) return new CheckpointReport(0, CheckpointFinding.NoCheckpoint, null);
        }
        var previous = Genesis;
        var expectedFrom = 1L;
        long? witnessed = null;
        foreach (var c in checkpoints)
        {
            var (digest, count) = await DigestAsync(session, previous, c.FromSequence, c.UpToSequence, ct);
            if (c.FromSequence != expectedFrom || c.PreviousDigest != previous || c.Digest != digest || c.Events != count
                || !CryptographicOperations.FixedTimeEquals(Convert.FromHexString(c.Signature), Convert.FromHexString(Sign(key, c.UpToSequence, c.Digest))))
                return new CheckpointReport(checkpoints.Count, CheckpointFinding.Broken, c.Id);
            if (witness is not null && digest == witness.Digest && (witness.Sequence ?? c.UpToSequence) == c.UpToSequence) witnessed = c.UpToSequence;
            (previous, expectedFrom) = (c.Digest, c.UpToSequence + 1);
        }
        if (witness is not null && witnessed is null) return new CheckpointReport(checkpoints.Count, CheckpointFinding.WitnessNotMatched, null);
        return new CheckpointReport(checkpoints.Count, CheckpointFinding.Intact, null, witnessed);
    }

    /// <summary>The newest checkpoint, for a witness to keep.</summary>
    public static Task<IntegrityCheckpoint?> LatestAsync(IQuerySession session, CancellationToken ct) =>
        session.Query<IntegrityCheckpoint>().OrderByDescending(c => c.Id).FirstOrDefaultAsync(ct);

    /// <summary>Streams the hashes: after a bulk import a range holds millions of events, which must not all sit in memory.</summary>
    private static async Task<(string Digest, int Count)> DigestAsync(IQuerySession session, string previous, long from, long to, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(previous));
        var count = 0;
        await foreach (var h in session.AdvancedSql.StreamAsync<string>(RegistrySql.Of(session).SequenceHashes, ct, from, to))
        {
            sha.AppendData(Encoding.UTF8.GetBytes("\n" + h));
            count++;
        }
        return (Convert.ToHexStringLower(sha.GetHashAndReset()), count);
    }

    private static string Sign(byte[] key, long upTo, string digest) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{upTo}:{digest}")));
}
