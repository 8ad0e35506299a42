using Marten;
using Registry.Projections.Sql;

namespace Registry.Projections.Integrity;

public sealed record IntegrityReport(int StreamsChecked, long EventsChecked, bool Intact, long? FirstBrokenSequence, Guid? FirstBrokenStream);

/// <summary>
/// Where a check of the chains has got to: the last row read in (stream, version) order, the stream being
/// followed (its last hash and next version), and the tallies so far. Small and serialisable, so a check of
/// the whole register can stop after any page and go on from here.
/// </summary>
public sealed record ChainProgress(Guid LastStream, long LastVersion, Guid Current, string PreviousHash, long ExpectedVersion, bool Broken,
    int Streams, long Events, long? FirstBroken, Guid? BrokenStream)
{
    public static readonly ChainProgress Start = new(Guid.Empty, 0, Guid.Empty, EventChain.Genesis, 1, false, 0, 0, null, null);

    public IntegrityReport Report => new(Streams, Events, FirstBroken is null, FirstBroken, BrokenStream);
}

/// <summary>Recomputes every stream's chain from the stored rows and reports the first link that does not hold.</summary>
public static class EventChainVerifier
{
    public const int PageSize = RegistrySql.ChainPageSize;

    private sealed record ChainRow(Guid StreamId, long Version, long Sequence, string Type, string Data, string? Hash,
        string? EffectiveDate, string? Reason, string? Actor, string? Correlation);

    public static async Task<IntegrityReport> VerifyAsync(IQuerySession session, IReadOnlyCollection<Guid>? streamIds, CancellationToken ct)
    {
        var progress = ChainProgress.Start;
        for (var more = true; more;) (progress, more) = await VerifyPageAsync(session, progress, streamIds, ct);
        return progress.Report;
    }

    /// <summary>One keyset page in (stream, version) order, which keeps memory flat on a large store; false when it was the last.</summary>
    public static async Task<(ChainProgress Progress, bool More)> VerifyPageAsync(IQuerySession session, ChainProgress progress,
        IReadOnlyCollection<Guid>? streamIds, CancellationToken ct)
    {
        var sql = RegistrySql.Of(session);
        var (current, previousHash, expectedVersion, broken) = (progress.Current, progress.PreviousHash, progress.ExpectedVersion, progress.Broken);
        var (streams, events, firstBroken, brokenStream) = (progress.Streams, progress.Events, progress.FirstBroken, progress.BrokenStream);
        var page = streamIds is null ? sql.ChainPage : sql.ChainPageOfStreams;
        object[] parameters = streamIds is null ? [progress.LastStream, progress.LastVersion] : [progress.LastStream, progress.LastVersion, streamIds.ToArray()];
        var rows = await session.AdvancedSql.QueryAsync<ChainRow>(page, ct, parameters);
        foreach (var row in rows)
        {
            if (row.StreamId != current)
            {
                (current, previousHash, expectedVersion, broken) = (row.StreamId, EventChain.Genesis, 1L, false);
                streams++;
            }
            events++;
            if (broken) continue;
            var expected = EventChain.Hash(previousHash, row.StreamId, row.Version, row.Type, row.Data, row.EffectiveDate, row.Reason, row.Actor, row.Correlation);
            if (row.Version != expectedVersion || row.Hash != expected)
            {
                broken = true;
                if (firstBroken is null || row.Sequence < firstBroken) (firstBroken, brokenStream) = (row.Sequence, row.StreamId);
                continue;
            }
            (previousHash, expectedVersion) = (row.Hash!, expectedVersion + 1);
        }
        var (lastStream, lastVersion) = rows.Count > 0 ? (rows[^1].StreamId, rows[^1].Version) : (progress.LastStream, progress.LastVersion);
        return (new ChainProgress(lastStream, lastVersion, current, previousHash, expectedVersion, broken, streams, events, firstBroken, brokenStream),
            rows.Count == PageSize);
    }
}
