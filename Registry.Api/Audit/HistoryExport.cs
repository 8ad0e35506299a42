using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Registry.Projections.Integrity;
using Registry.Projections.Sql;

namespace Registry.Api.Audit;

/// <summary>
/// A stream's or a request's full history as JSON lines, each with its hash and the hash before it in
/// its stream, so an external auditor can check the chain offline with <see cref="VerifyFile"/>.
/// </summary>
public static class HistoryExport
{
    public sealed record Line(long Sequence, Guid StreamId, long Version, string Type, JsonNode Data, string? EffectiveDate, string? Reason,
        string? Actor, string? CorrelationId, string? CausationId, DateTimeOffset RecordedAt, string? Hash, string? PreviousHash);

    private sealed record Row(long Sequence, Guid StreamId, long Version, string Type, string Data, string? EffectiveDate, string? Reason,
        string? Actor, string? CorrelationId, string? CausationId, DateTimeOffset RecordedAt, string? Hash, string? PreviousHash);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> WriteAsync(IQuerySession session, Guid? streamId, string? correlationId, TextWriter output, CancellationToken ct)
    {
        var sql = RegistrySql.Of(session);
        var history = streamId is not null ? sql.StreamHistory : sql.RequestHistory;
        object key = streamId is { } id ? id : correlationId!;
        var rows = await session.AdvancedSql.QueryAsync<Row>(history, ct, key, key);
        foreach (var r in rows)
        {
            var line = new Line(r.Sequence, r.StreamId, r.Version, r.Type, JsonNode.Parse(r.Data)!, r.EffectiveDate, r.Reason, r.Actor,
                r.CorrelationId, r.CausationId, r.RecordedAt, r.Hash, r.Version == 1 ? EventChain.Genesis : r.PreviousHash);
            await output.WriteLineAsync(JsonSerializer.Serialize(line, Json));
        }
        return rows.Count;
    }

    /// <summary>Checks an export without the database: every line's hash, and the links between lines of one stream.</summary>
    public static (bool Intact, int Lines, long? FirstBrokenSequence) VerifyFile(IEnumerable<string> lines)
    {
        var last = new Dictionary<Guid, (long Version, string Hash)>();
        var count = 0;
        foreach (var text in lines.Where(l => l.Length > 0))
        {
            count++;
            var line = JsonSerializer.Deserialize<Line>(text, Json)!;
            var expected = EventChain.Hash(line.PreviousHash ?? "", line.StreamId, line.Version, line.Type, line.Data.ToJsonString(),
                line.EffectiveDate, line.Reason, line.Actor, line.CorrelationId);
            var linked = !last.TryGetValue(line.StreamId, out var before) || before.Version + 1 != line.Version || before.Hash == line.PreviousHash;
            if (expected != line.Hash || !linked) return (false, count, line.Sequence);
            last[line.StreamId] = (line.Version, line.Hash!);
        }
        return (true, count, null);
    }
}
