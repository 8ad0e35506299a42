using Marten;

namespace Registry.Projections.Integrity;

public sealed record IntegrityReport(int StreamsChecked, long EventsChecked, bool Intact, long? FirstBrokenSequence, Guid? FirstBrokenStream);

/// <summary>Recomputes every stream's chain from the stored rows and reports the first link that does not hold.</summary>
public static class EventChainVerifier
{
    public const int PageSize = 10_000;

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

        while (true)
        {
            // Keyset pages in (stream, version) order keep memory flat on a large store.
            var filter = streamIds is null ? "" : "AND stream_id = ANY(?)";
            object[] parameters = streamIds is null ? [lastStream, lastVersion] : [lastStream, lastVersion, streamIds.ToArray()];
            var rows = await session.AdvancedSql.QueryAsync<ChainRow>($"""
                SELECT jsonb_build_object('StreamId', stream_id, 'Version', version, 'Sequence', seq_id, 'Type', type, 'Data', data::text,
                  'Hash', headers ->> 'hash', 'EffectiveDate', headers ->> 'effectiveDate', 'Reason', headers ->> 'reason',
                  'Actor', user_name, 'Correlation', correlation_id)
                FROM registry.mt_events
                WHERE type <> 'tombstone' AND (stream_id, version) > (?, ?) {filter}
                ORDER BY stream_id, version LIMIT {PageSize}
                """, ct, parameters);
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
