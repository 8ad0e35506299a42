using Registry.Domain.Common;

namespace Registry.Domain.ChangeRequests;

// Four eyes: a sensitive change asked for by one person waits, as a change request, for a second person to
// approve it. The request keeps the command as asked (its facts, effective date and the version of the record it
// was asked against), so what is approved is exactly what was requested, and never over a newer state.

public enum ChangeRequestStatus { Pending, Approved, Rejected, Withdrawn, Superseded }

/// <summary>A sensitive change asked for and held until a second person decides it.</summary>
/// <param name="Operation">The mutation asked for (recordDeath, correctCitizenRecord, …).</param>
/// <param name="Summary">What is asked, in words that name no person and hold none of their values.</param>
/// <param name="SubjectStreamId">The record the change is to (a citizen, a household, a programme).</param>
/// <param name="PersonId">The person the change is about, when there is one: the facts are sealed under their key.</param>
/// <param name="SubjectVersion">The record's version when asked: approval applies the change at this version or not at all.</param>
/// <param name="CommandType">The command's type name, one the policy names.</param>
/// <param name="Facts">The command's facts as stored: sealed under the person's key when there is a person.</param>
/// <param name="Reason">The maker's reason as stored (sealed like the facts).</param>
public sealed record ChangeRequested(
    Guid RequestId, string Operation, string Summary, Guid SubjectStreamId, Guid? PersonId, long SubjectVersion,
    string CommandType, string Facts, DateOnly EffectiveDate, string? Reason, string RequestedBy, DateTimeOffset RequestedAt);

public sealed record ChangeApproved(string DecidedBy, DateTimeOffset DecidedAt, string? Reason, long AppliedVersion);

public sealed record ChangeRejected(string DecidedBy, DateTimeOffset DecidedAt, string? Reason);

public sealed record ChangeWithdrawn(string WithdrawnBy, DateTimeOffset WithdrawnAt);

/// <summary>Approved, but the record had changed since the request (or the change no longer applies): nothing was applied.</summary>
public sealed record ChangeSuperseded(string DecidedBy, DateTimeOffset DecidedAt, string Code);

/// <summary>A change request, folded from its stream; also its read model.</summary>
public sealed record ChangeRequest(
    Guid Id, string Operation, string Summary, Guid SubjectStreamId, Guid? PersonId, long SubjectVersion,
    string CommandType, string Facts, DateOnly EffectiveDate, string? Reason, string RequestedBy, DateTimeOffset RequestedAt,
    ChangeRequestStatus Status = ChangeRequestStatus.Pending, string? DecidedBy = null, DateTimeOffset? DecidedAt = null,
    string? DecisionReason = null, long? AppliedVersion = null, string? SupersededBy = null, long Version = 0)
{
    public static readonly IReadOnlyList<Type> EventTypes =
        [typeof(ChangeRequested), typeof(ChangeApproved), typeof(ChangeRejected), typeof(ChangeWithdrawn), typeof(ChangeSuperseded)];

    public static ChangeRequest? Evolve(ChangeRequest? state, object @event) => (state, @event) switch
    {
        (_, ChangeRequested e) => new ChangeRequest(e.RequestId, e.Operation, e.Summary, e.SubjectStreamId, e.PersonId, e.SubjectVersion,
            e.CommandType, e.Facts, e.EffectiveDate, e.Reason, e.RequestedBy, e.RequestedAt),
        (null, _) => null,
        (var s, ChangeApproved e) => s with { Status = ChangeRequestStatus.Approved, DecidedBy = e.DecidedBy, DecidedAt = e.DecidedAt, DecisionReason = e.Reason, AppliedVersion = e.AppliedVersion },
        (var s, ChangeRejected e) => s with { Status = ChangeRequestStatus.Rejected, DecidedBy = e.DecidedBy, DecidedAt = e.DecidedAt, DecisionReason = e.Reason },
        (var s, ChangeWithdrawn e) => s with { Status = ChangeRequestStatus.Withdrawn, DecidedBy = e.WithdrawnBy, DecidedAt = e.WithdrawnAt },
        (var s, ChangeSuperseded e) => s with { Status = ChangeRequestStatus.Superseded, DecidedBy = e.DecidedBy, DecidedAt = e.DecidedAt, SupersededBy = e.Code },
        var (s, _) => s,
    };
}

/// <summary>The decisions on a change request: only a pending one is decided, and never by the person who asked.</summary>
public static class ChangeRequestDecisions
{
    /// <summary>Whether <paramref name="decider"/> may approve or reject the request (null: they may).</summary>
    public static DomainError? MayDecide(ChangeRequest request, string decider)
    {
        if (request.Status != ChangeRequestStatus.Pending) return NotPending(request);
        return request.RequestedBy == decider
            ? new DomainError(ErrorCodes.FourEyes, "A change needs a second person: someone other than who asked for it must approve or reject it.", "id")
            : null;
    }

    public static Decision Approve(ChangeRequest request, string decider, string? reason, long appliedVersion, DateTimeOffset at) =>
        MayDecide(request, decider) is { } refused ? Decision.Reject(refused) : Decision.Accept(new ChangeApproved(decider, at, reason, appliedVersion));

    /// <summary>Rejecting says why, so the person who asked can put it right.</summary>
    public static Decision Reject(ChangeRequest request, string decider, string? reason, DateTimeOffset at)
    {
        if (MayDecide(request, decider) is { } refused) return Decision.Reject(refused);
        return string.IsNullOrWhiteSpace(reason)
            ? Decision.Reject(ErrorCodes.ReasonRequired, "Say why the change is rejected.", "reason")
            : Decision.Accept(new ChangeRejected(decider, at, reason));
    }

    /// <summary>
    /// Approved, but refused by the record as it is now: the request is closed as superseded (the second person
    /// was right to look, and the first asks again against the current record).
    /// </summary>
    public static Decision Supersede(ChangeRequest request, string decider, string code, DateTimeOffset at) =>
        MayDecide(request, decider) is { } refused ? Decision.Reject(refused) : Decision.Accept(new ChangeSuperseded(decider, at, code));

    /// <summary>Only the person who asked may take their request back, and only while it waits.</summary>
    public static Decision Withdraw(ChangeRequest request, string by, DateTimeOffset at)
    {
        if (request.Status != ChangeRequestStatus.Pending) return Decision.Reject(NotPending(request));
        return request.RequestedBy != by
            ? Decision.Reject(ErrorCodes.Forbidden, "Only the person who asked for a change may withdraw it; a supervisor rejects it.", "id")
            : Decision.Accept(new ChangeWithdrawn(by, at));
    }

    private static DomainError NotPending(ChangeRequest request) =>
        new(ErrorCodes.ChangeNotPending, $"This change request is already {request.Status.ToString().ToLowerInvariant()}.", "id");
}
