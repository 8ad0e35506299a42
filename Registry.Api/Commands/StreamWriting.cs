using JasperFx.Events;
using Marten;
using Marten.Events;
using Registry.Domain.Common;
using Registry.Projections;

namespace Registry.Api.Commands;

/// <summary>The one way a handler writes: stamp the metadata, append the decided events, remember the idempotency key.</summary>
public static class StreamWriting
{
    public static CommandResult StartStream<T>(this IDocumentSession session, Guid streamId, Decision decision, RegistryCommand command, TimeProvider clock)
        where T : class
    {
        if (decision.Error is { } error) return CommandResult.Rejected(error);
        session.Stamp(command.Context);
        session.Events.StartStream<T>(streamId, decision.Events);
        return session.Remember(command, streamId, decision.Events.Count, clock);
    }

    public static CommandResult Append<T>(this IDocumentSession session, IEventStream<T> stream, Decision decision, RegistryCommand command, TimeProvider clock)
        where T : class
    {
        if (decision.Error is { } error) return CommandResult.Rejected(error);
        session.Stamp(command.Context);
        var newVersion = stream.StartingVersion.GetValueOrDefault() + decision.Events.Count;
        stream.AppendMany(decision.Events);
        return session.Remember(command, stream.Id, newVersion, clock);
    }

    /// <summary>
    /// One command's decisions on many streams, in one transaction: each stream is checked against the
    /// version its decision was taken on, so a concurrent writer fails the whole batch rather than being overwritten.
    /// </summary>
    public static void AppendDecided(this IDocumentSession session, RegistryCommand command, IEnumerable<(Guid StreamId, long Version, Decision Decision)> decisions)
    {
        session.Stamp(command.Context);
        foreach (var (streamId, version, decision) in decisions)
            if (decision.Events.Count > 0) session.Events.Append(streamId, version + decision.Events.Count, decision.Events);
    }

    private static void Stamp(this IDocumentSession session, CommandContext context)
    {
        session.LastModifiedBy = context.Actor;
        session.CorrelationId = context.CorrelationId;
        if (context.CausationId is { } causation) session.CausationId = causation;
        session.SetHeader(EventHeaders.EffectiveDate, context.EffectiveDate.ToString("yyyy-MM-dd"));
        if (!string.IsNullOrWhiteSpace(context.Reason)) session.SetHeader(EventHeaders.Reason, context.Reason.Trim());
    }

    private static CommandResult Remember(this IDocumentSession session, RegistryCommand command, Guid streamId, long version, TimeProvider clock)
    {
        var context = command.Context;
        if (context.IdempotencyKey is { } key)
        {
            // Insert, not store: a concurrent retry with the same key fails on the primary key and rolls back whole.
            session.Insert(new IdempotencyRecord(IdempotencyRecord.IdFor(context.Operation, key), streamId, version,
                CommandFingerprint.Of(command), context.Actor, clock.GetUtcNow()));
        }
        return CommandResult.Accepted(streamId, version);
    }
}
