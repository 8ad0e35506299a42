using JasperFx.Events;
using Marten;
using Marten.Events;
using Registry.Api.Hosting;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Entitlements;
using Registry.Domain.Households;
using Registry.Projections;
using Registry.Projections.Privacy;

namespace Registry.Api.Commands;

/// <summary>The one way a handler writes: stamp the metadata, append the decided events, remember the idempotency key.</summary>
public static class StreamWriting
{
    public static CommandResult StartStream<T>(this IDocumentSession session, Guid streamId, Decision decision, RegistryCommand command, TimeProvider clock)
        where T : class
    {
        if (decision.Error is { } error) return CommandResult.Rejected(error);
        // A new person's (or household's) key is created with their first events, before a reason is sealed under it.
        if (typeof(T) == typeof(Citizen) || typeof(T) == typeof(Household)) EventSealing.Of(session).KeyFor(session, streamId, newPerson: true);
        session.Stamp(command.Context, SubjectOf<T>(streamId, null, decision));
        session.Events.StartStream<T>(streamId, decision.Events);
        return session.Remember(command, streamId, decision.Events.Count, clock);
    }

    /// <summary>
    /// The write path of a change to one existing stream: fetch it for writing at the version the caller saw (the store
    /// refuses a different one as STALE_VERSION), answer <paramref name="notFound"/> when it has no state,
    /// take the pure decision on its state and the register's today, append.
    /// </summary>
    public static Task<CommandResult> DecideAsync<T>(this IDocumentSession session, Guid streamId, RegistryCommand command, TimeProvider clock,
        DomainError notFound, Func<T, DateOnly, Decision> decide, CancellationToken ct) where T : class =>
        session.DecideAsync<T>(streamId, command, clock, (current, today) => current is null ? Decision.Reject(notFound) : decide(current, today), ct);

    /// <summary>The same for a stream the decision may start (an application, a programme's first parameters).</summary>
    public static async Task<CommandResult> DecideAsync<T>(this IDocumentSession session, Guid streamId, RegistryCommand command, TimeProvider clock,
        Func<T?, DateOnly, Decision> decide, CancellationToken ct) where T : class
    {
        var stream = command.Context.ExpectedVersion is { } version
            ? await session.Events.FetchForWriting<T>(streamId, version, ct)
            : await session.Events.FetchForWriting<T>(streamId, ct);
        return session.Append(stream, decide(stream.Aggregate, clock.Today()), command, clock);
    }

    private static CommandResult Append<T>(this IDocumentSession session, IEventStream<T> stream, Decision decision, RegistryCommand command, TimeProvider clock)
        where T : class
    {
        if (decision.Error is { } error) return CommandResult.Rejected(error);
        session.Stamp(command.Context, SubjectOf(stream.Id, stream.Aggregate, decision));
        var newVersion = stream.StartingVersion.GetValueOrDefault() + decision.Events.Count;
        stream.AppendMany(decision.Events);
        return session.Remember(command, stream.Id, newVersion, clock);
    }

    /// <summary>
    /// One command's decisions on many streams, in one transaction: each stream is checked against the
    /// version its decision was taken on, so a concurrent writer fails the whole batch rather than being overwritten.
    /// The first decision's stream is the one the command is about: its new version is the result, and what an
    /// idempotent retry answers. The reason is stored as it is: the callers' reasons are the system's own
    /// sentences, or an erasure's reference, which must not name the person. A caseworker's reason about one person
    /// (a merge's) is sealed under <paramref name="reasonAbout"/>'s key instead.
    /// </summary>
    public static CommandResult AppendDecided(this IDocumentSession session, RegistryCommand command, IReadOnlyList<(Guid StreamId, long Version, Decision Decision)> decisions,
        TimeProvider clock, Guid? reasonAbout = null)
    {
        session.Stamp(command.Context, reasonAbout);
        foreach (var (streamId, version, decision) in decisions)
            if (decision.Events.Count > 0) session.Events.Append(streamId, version + decision.Events.Count, decision.Events);
        return decisions is [var (subject, from, first), ..]
            ? session.Remember(command, subject, from + first.Events.Count, clock)
            : new CommandResult(null, null, []);
    }

    /// <summary>
    /// The person a single-stream change is about: their own stream, an entitlement or appeal of theirs, the member a
    /// household change names (the new head, for a change of head). Programmes have none.
    /// </summary>
    private static Guid? SubjectOf<T>(Guid streamId, T? aggregate, Decision decision) where T : class =>
        typeof(T) == typeof(Citizen) ? streamId
        : aggregate is Entitlement entitlement ? entitlement.BeneficiaryId
        : aggregate is Domain.ChangeRequests.ChangeRequest request ? request.PersonId
        : aggregate is Registry.Domain.Appeals.Appeal appeal ? appeal.BeneficiaryId
        : decision.Events.Select(e => e switch
        {
            EntitlementApplied applied => applied.BeneficiaryId,
            Registry.Domain.Appeals.AppealLodged lodged => lodged.BeneficiaryId,
            HouseholdFormed formed => formed.HeadCitizenId,
            MemberJoined joined => joined.CitizenId,
            MemberLeft left => left.CitizenId,
            HeadChanged changed => changed.NewHeadCitizenId,
            Domain.ChangeRequests.ChangeRequested requested => requested.PersonId,
            _ => (Guid?)null,
        }).FirstOrDefault(id => id is not null);

    /// <summary>Who, why, when, which request; a reason about one person is sealed under their key, as their events are.</summary>
    private static void Stamp(this IDocumentSession session, CommandContext context, Guid? subject = null)
    {
        session.LastModifiedBy = context.Actor;
        session.CorrelationId = context.CorrelationId;
        if (context.CausationId is { } causation) session.CausationId = causation;
        if (context.ApprovedBy is { } approver) session.SetHeader(EventHeaders.ApprovedBy, approver);
        session.SetHeader(EventHeaders.EffectiveDate, context.EffectiveDate.ToString("yyyy-MM-dd"));
        if (!string.IsNullOrWhiteSpace(context.Reason))
            session.SetHeader(EventHeaders.Reason, subject is { } person ? EventSealing.Of(session).SealText(person, context.Reason.Trim()) : context.Reason.Trim());
    }

    private static CommandResult Remember(this IDocumentSession session, RegistryCommand command, Guid streamId, long version, TimeProvider clock)
    {
        var context = command.Context;
        if (context.IdempotencyKey is { } key)
        {
            // Insert, not store: a concurrent retry with the same key fails on the primary key and rolls back whole.
            session.Insert(new IdempotencyRecord(IdempotencyRecord.IdFor(context.Operation, key), streamId, version,
                context.Fingerprint ?? CommandFingerprint.Of(command, EventSealing.Of(session).Keys.Master), context.Actor, clock.GetUtcNow()));
        }
        return CommandResult.Accepted(streamId, version);
    }
}
