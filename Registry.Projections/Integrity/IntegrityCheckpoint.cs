using System.Security.Cryptography;
using System.Text;
using Marten;

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

public sealed record CheckpointReport(int CheckpointsChecked, bool Intact, long? FirstBrokenCheckpoint);

public static class IntegrityCheckpoints
{
    private const string Genesis = "genesis";

    /// <summary>Seals the events committed since the last checkpoint, up to the daemon's high-water mark (no gaps can fill in below it).</summary>
    public static async Task<IntegrityCheckpoint?> CreateAsync(IDocumentSession session, byte[] key, DateTimeOffset now, CancellationToken ct)
    {
        var last = await session.Query<IntegrityCheckpoint>().OrderByDescending(c => c.Id).FirstOrDefaultAsync(ct);
        var from = (last?.Id ?? 0) + 1;
        var safe = (await session.AdvancedSql.QueryAsync<long>(
            "SELECT coalesce((SELECT last_seq_id FROM registry.mt_event_progression WHERE name = 'HighWaterMark'), 0)", ct))[0];
        if (safe < from) return null;
        var (digest, count) = await DigestAsync(session, last?.Digest ?? Genesis, from, safe, ct);
        if (count == 0) return null;
        var checkpoint = new IntegrityCheckpoint(safe, from, count, digest, last?.Digest ?? Genesis, Sign(key, safe, digest), now);
        session.Insert(checkpoint);
        await session.SaveChangesAsync(ct);
        return checkpoint;
    }

    public static async Task<CheckpointReport> VerifyAsync(IQuerySession session, byte[] key, CancellationToken ct)
    {
        var checkpoints = await session.Query<IntegrityCheckpoint>().OrderBy(c => c.Id).ToListAsync(ct);
        var previous = Genesis;
        var expectedFrom = 1L;
        foreach (var c in checkpoints)
        {
            var (digest, count) = await DigestAsync(session, previous, c.FromSequence, c.UpToSequence, ct);
            if (c.FromSequence != expectedFrom || c.PreviousDigest != previous || c.Digest != digest || c.Events != count
                || !CryptographicOperations.FixedTimeEquals(Convert.FromHexString(c.Signature), Convert.FromHexString(Sign(key, c.UpToSequence, c.Digest))))
                return new CheckpointReport(checkpoints.Count, false, c.Id);
            (previous, expectedFrom) = (c.Digest, c.UpToSequence + 1);
        }
        return new CheckpointReport(checkpoints.Count, true, null);
    }

    /// <summary>Streams the hashes: after a bulk import a range holds millions of events, which must not all sit in memory.</summary>
    private static async Task<(string Digest, int Count)> DigestAsync(IQuerySession session, string previous, long from, long to, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(previous));
        var count = 0;
        await foreach (var h in session.AdvancedSql.StreamAsync<string>(
                           "SELECT seq_id::text || ':' || coalesce(headers ->> 'hash', '') FROM registry.mt_events " +
                           "WHERE seq_id BETWEEN ? AND ? AND type <> 'tombstone' ORDER BY seq_id", ct, from, to))
        {
            sha.AppendData(Encoding.UTF8.GetBytes("\n" + h));
            count++;
        }
        return (Convert.ToHexStringLower(sha.GetHashAndReset()), count);
    }

    private static string Sign(byte[] key, long upTo, string digest) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{upTo}:{digest}")));
}
