using Marten;
using Registry.Projections.Sql;

namespace Registry.Projections.Integrity;

public sealed record IntegrityReport(int StreamsChecked, long EventsChecked, bool Intact, long? FirstBrokenSequence, Guid? FirstBrokenStream);

/// <summary>Recomputes every stream's chain from the stored rows and reports the first link that does not hold.</summary>
public static class EventChainVerifier
{
    public const int PageSize = RegistrySql.ChainPageSize;

    private sealed record ChainRow(Guid StreamId, long Version, long Sequence, string Type, string Data, string? Hash,
        string? EffectiveDate, string? Reason, string? Actor, string? Correlation);

    public static async Task<IntegrityReport> VerifyAsync(IQuerySession session, IReadOnlyCollection<Guid>? streamIds, CancellationToken ct)
    {
        int streams = 0;
        long events = 0;
        long? firstBroken = null;
        Guid? brokenStream = null;
        var (lastStream, lastVersion) = (Guid.Empty, 0L);
        var (current, previousHash, expectedVersion, broken) = (Guid.Empty, EventChain.Genesis, 1L, false);
        var sql = RegistrySql.Of(session);

        while (true)
        {
            // Keyset pages in (stream, version) order keep memory flat on a large store.
            var page = streamIds is null ? sql.ChainPage : sql.ChainPageOfStreams;
            object[] parameters = streamIds is null ? [lastStream, lastVersion] : [lastStream, lastVersion, streamIds.ToArray()];
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
            if (rows.Count < PageSize) break;
            (lastStream, lastVersion) = (rows[^1].StreamId, rows[^1].Version);
        }
        return new IntegrityReport(streams, events, firstBroken is null, firstBroken, brokenStream);
    }
}
