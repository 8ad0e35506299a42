using JasperFx.Events;
using Marten;
using Registry.Projections.Sql;

namespace Registry.Projections.Integrity;

/// <summary>
/// Seals every event any session appends, whoever the writer (commands, re-evaluation, seeding), just
/// before it is saved: the hash goes into the event's own header.
/// </summary>
public sealed class EventChainListener : DocumentSessionListenerBase
{
    public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var serializer = session.DocumentStore.Options.Serializer();
        foreach (var stream in session.PendingChanges.Streams())
        {
            if (stream.Events.Count == 0) continue;
            long before;
            string previous;
            if (stream.ActionType == StreamActionType.Start)
            {
                (before, previous) = (0, EventChain.Genesis);
            }
            else
            {
                before = stream.ExpectedVersionOnServer ?? (await session.Events.FetchStreamStateAsync(stream.Id, token))?.Version ?? 0;
                previous = before == 0 ? EventChain.Genesis : await PreviousHashAsync(session, stream.Id, before, token);
            }

            var effectiveDate = session.GetHeader(EventHeaders.EffectiveDate)?.ToString();
            var reason = session.GetHeader(EventHeaders.Reason)?.ToString();
            var version = before;
            foreach (var e in stream.Events)
            {
                version++;
                var type = e.EventTypeName;
                previous = EventChain.Hash(previous, stream.Id, version, type, serializer.ToJson(e.Data), effectiveDate, reason,
                    session.LastModifiedBy, session.CorrelationId);
                e.SetHeader(EventChain.HashHeader, previous);
            }
        }
    }

    private static async Task<string> PreviousHashAsync(IDocumentSession session, Guid streamId, long version, CancellationToken token)
    {
        var rows = await session.AdvancedSql.QueryAsync<string>(RegistrySql.Of(session).StoredHash, token, streamId, version);
        return rows.FirstOrDefault() ?? "";
    }
}
