using Registry.Domain.Common;
using Registry.Domain.Entitlements;
using Registry.Domain.Households;
using Registry.Domain.Programmes;

namespace Registry.Domain.Citizens;

// A merge of a duplicate record into the record that survives, and its undoing. Every event here names
// people by stream id only: the facts stay on the two people's own (sealed) streams.

/// <summary>On the duplicate's stream: from now on this record is the survivor's; lookups by its ID number answer with the survivor.</summary>
public sealed record CitizenMergedInto(Guid SurvivorId, Guid MergeId);

/// <summary>On the duplicate's stream: the merge was undone and the record stands for a person of its own again.</summary>
public sealed record CitizenUnmerged(Guid MergeId);

/// <summary>On the survivor's stream: a duplicate record was merged into this one.</summary>
public sealed record DuplicateMergedIn(Guid DuplicateId, Guid MergeId, DateTimeOffset MergedAt);

/// <summary>On the survivor's stream: the merge of that duplicate was undone.</summary>
public sealed record DuplicateUnmerged(Guid DuplicateId, Guid MergeId);

/// <summary>What a merge did to the duplicate's household, so an unmerge can put it back.</summary>
public enum HouseholdMoveKind
{
    /// <summary>The survivor was in no household and took the duplicate's place, with its relationship.</summary>
    SurvivorTookPlace,
    /// <summary>The survivor already lived in a household (perhaps this one): the duplicate's membership ended.</summary>
    DuplicateLeft,
}

/// <param name="Relationship">The duplicate's relationship to the head (Head when it headed the household).</param>
/// <param name="SurvivorRelationship">The survivor's relationship in the same household before the merge, when it lived there too.</param>
public sealed record HouseholdMove(Guid HouseholdId, HouseholdMoveKind Kind, Relationship Relationship, Relationship? SurvivorRelationship);

public enum EntitlementMoveKind
{
    /// <summary>The survivor held none of the programme: the duplicate's grant ended and the survivor's began with its terms.</summary>
    Transferred,
    /// <summary>The survivor already held one: the duplicate's ended, so no one holds two grants of a programme.</summary>
    Terminated,
}

/// <summary>A held entitlement of the duplicate, as it stood when merged: what an unmerge restores.</summary>
public sealed record EntitlementMove(
    ProgrammeCode Programme, Guid DuplicateEntitlementId, EntitlementMoveKind Kind, EntitlementStatus Status, decimal? MonthlyAmount,
    DateOnly? Since, Guid? DecisionId, Guid? ApplicantId, SuspendedBy? SuspendedBy);

/// <summary>The first event of a merge's own stream (its id is the merge id): who, and what moved.</summary>
public sealed record CitizensMerged(Guid MergeId, Guid SurvivorId, Guid DuplicateId, DateTimeOffset MergedAt, HouseholdMove? Household,
    IReadOnlyList<EntitlementMove> Entitlements);

public sealed record MergeUndone(Guid MergeId, DateTimeOffset UndoneAt);

/// <summary>One merge, folded from its stream.</summary>
public sealed record CitizenMerge(Guid Id, Guid SurvivorId, Guid DuplicateId, DateTimeOffset MergedAt, HouseholdMove? Household,
    IReadOnlyList<EntitlementMove> Entitlements, DateTimeOffset? UndoneAt = null, long Version = 0)
{
    public bool IsUndone => UndoneAt is not null;

    public static readonly IReadOnlyList<Type> EventTypes = [typeof(CitizensMerged), typeof(MergeUndone)];

    public static CitizenMerge? Evolve(CitizenMerge? state, object @event) => (state, @event) switch
    {
        (_, CitizensMerged e) => new CitizenMerge(e.MergeId, e.SurvivorId, e.DuplicateId, e.MergedAt, e.Household, e.Entitlements),
        (null, _) => null,
        (var m, MergeUndone e) => m with { UndoneAt = e.UndoneAt },
        var (m, _) => m,
    };
}

/// <summary>A merge was recorded on the survivor: the duplicate's stream id, the merge, and when.</summary>
public sealed record MergedRecordRef(Guid CitizenId, Guid MergeId, DateTimeOffset MergedAt);

/// <summary>One person of a merge as the decision sees them: their record, their current household, every entitlement of theirs.</summary>
public sealed record MergeParty(Citizen Citizen, Household? Household, IReadOnlyList<Entitlement> Entitlements, long Version)
{
    public Entitlement? Of(ProgrammeCode programme) => Entitlements.FirstOrDefault(e => e.Programme == programme);
}

/// <summary>One stream's decision, at the version it was taken on.</summary>
public sealed record StreamDecision(Guid StreamId, long Version, Decision Decision);

/// <summary>A decision over several streams: all of them are written in one transaction, or none when refused.</summary>
public sealed record MultiStreamDecision(IReadOnlyList<StreamDecision> Decisions, DomainError? Error)
{
    public static MultiStreamDecision Reject(string code, string message, string? field = null) => new([], new DomainError(code, message, field));
    public static MultiStreamDecision Reject(DomainError error) => new([], error);
}

/// <summary>
/// Pure decisions of merging a duplicate record into the survivor and of undoing it. The first decision is
/// always the merge's own stream, so a command's result names the merge.
/// </summary>
public static class Merging
{
    /// <summary>The cause of the termination of a duplicate's grant whose terms the survivor took over.</summary>
    public const string TransferCause = "merge: transferred to the surviving record";
    /// <summary>The cause of the termination of a duplicate's grant of a programme the survivor already held.</summary>
    public const string DuplicateGrantCause = "merge: the surviving record already holds this programme";
    /// <summary>The cause of the termination of the survivor's transferred grant when the merge is undone.</summary>
    public const string UnmergeCause = "unmerge: returned to the restored record";

    public static MultiStreamDecision Merge(Guid mergeId, MergeParty survivor, MergeParty duplicate, string? reason, DateTimeOffset now, DateOnly today)
    {
        Citizen s = survivor.Citizen, d = duplicate.Citizen;
        if (string.IsNullOrWhiteSpace(reason))
            return MultiStreamDecision.Reject(ErrorCodes.ReasonRequired, "A merge needs a reason, e.g. the case reference that establishes the two are one person.", "reason");
        if (s.Id == d.Id)
            return MultiStreamDecision.Reject(ErrorCodes.InvalidInput, "The survivor and the duplicate are the same record.", "duplicate");
        if (d.MergedInto is not null)
            return MultiStreamDecision.Reject(ErrorCodes.AlreadyMerged, "The duplicate was already merged into another record.", "duplicate");
        if (s.MergedInto is not null)
            return MultiStreamDecision.Reject(ErrorCodes.AlreadyMerged, "The survivor was itself merged into another record; merge into that one.", "survivor");
        if (d.MergedRecords is { Count: > 0 })
            return MultiStreamDecision.Reject(ErrorCodes.AlreadyMerged, "Other records were merged into the duplicate; merge into it, or undo those merges first.", "duplicate");
        // A death on one record and not the other is a disagreement a caseworker settles first (a correction);
        // on both, nothing is left to merge that matters to a living person.
        if (!s.IsAlive || !d.IsAlive)
            return MultiStreamDecision.Reject(ErrorCodes.CitizenDeceased, "A deceased person's record is not merged; settle the death record first.", s.IsAlive ? "duplicate" : "survivor");

        var decisions = new List<StreamDecision>();
        var household = HouseholdMoveFor(survivor, duplicate, today, out var householdEvents);
        if (household.Error is { } refused) return MultiStreamDecision.Reject(refused);

        var moves = new List<EntitlementMove>();
        foreach (var e in duplicate.Entitlements.Where(e => e.IsHeld).OrderBy(e => e.Programme))
        {
            var survivors = survivor.Of(e.Programme);
            var kind = survivors is { IsHeld: true } ? EntitlementMoveKind.Terminated : EntitlementMoveKind.Transferred;
            var applicant = e.ApplicantId == d.Id ? s.Id : e.ApplicantId;
            moves.Add(new EntitlementMove(e.Programme, e.Id, kind, e.Status, e.MonthlyAmount, e.Since, e.LastDecision?.DecisionId, e.ApplicantId, e.SuspendedBy));
            decisions.Add(new(e.Id, e.Version, Decision.Accept(new EntitlementTerminated(today,
                kind == EntitlementMoveKind.Transferred ? TransferCause : DuplicateGrantCause))));
            if (kind == EntitlementMoveKind.Transferred)
            {
                var id = Entitlement.StreamIdFor(s.Id, e.Programme);
                decisions.Add(new(id, survivors?.Version ?? 0, Decision.Accept([.. Grant(id, e.Programme, s.Id, applicant, e.Status, e.MonthlyAmount, e.Since,
                    e.LastDecision?.DecisionId, e.SuspendedBy, today)])));
            }
        }
        if (household.Move is { } move) decisions.Add(new(move.HouseholdId, duplicate.Household!.Version, Decision.Accept([.. householdEvents])));

        decisions.InsertRange(0,
        [
            new(mergeId, 0, Decision.Accept(new CitizensMerged(mergeId, s.Id, d.Id, now, household.Move, moves))),
            new(d.Id, duplicate.Version, Decision.Accept(new CitizenMergedInto(s.Id, mergeId))),
            new(s.Id, survivor.Version, Decision.Accept(new DuplicateMergedIn(d.Id, mergeId, now))),
        ]);
        return new MultiStreamDecision(decisions, null);
    }

    /// <summary>
    /// Undoes a merge: the duplicate's grants are restored as they stood when merged (a transferred one is taken back from the
    /// survivor), and its household membership where the household still exists; the re-assessment that follows brings both up to date.
    /// <paramref name="mergedHousehold"/> is the household the merge took the duplicate out of, as it is now.
    /// </summary>
    public static MultiStreamDecision Unmerge(CitizenMerge? merge, MergeParty? survivor, MergeParty? duplicate, Household? mergedHousehold, string? reason,
        DateTimeOffset now, DateOnly today)
    {
        if (merge is null) return MultiStreamDecision.Reject(ErrorCodes.NotFound, "No merge with this id exists.", "mergeId");
        if (merge.IsUndone) return MultiStreamDecision.Reject(ErrorCodes.AlreadyUnmerged, "This merge was already undone.", "mergeId");
        if (string.IsNullOrWhiteSpace(reason))
            return MultiStreamDecision.Reject(ErrorCodes.ReasonRequired, "Undoing a merge needs a reason, e.g. the case reference that shows they are two people.", "reason");
        if (survivor is null || duplicate is null)
            return MultiStreamDecision.Reject(ErrorCodes.CitizenErased, "One of the two people was erased since the merge; it cannot be undone.", "mergeId");
        Citizen s = survivor.Citizen, d = duplicate.Citizen;
        if (s.MergedInto is not null)
            return MultiStreamDecision.Reject(ErrorCodes.AlreadyMerged, "The survivor was itself merged into another record since; undo that merge first.", "mergeId");

        var decisions = new List<StreamDecision>
        {
            new(merge.Id, merge.Version, Decision.Accept(new MergeUndone(merge.Id, now))),
            new(d.Id, duplicate.Version, Decision.Accept(new CitizenUnmerged(merge.Id))),
            new(s.Id, survivor.Version, Decision.Accept(new DuplicateUnmerged(d.Id, merge.Id))),
        };
        foreach (var move in merge.Entitlements)
        {
            if (move.Kind == EntitlementMoveKind.Transferred && survivor.Of(move.Programme) is { IsHeld: true } taken)
                decisions.Add(new(taken.Id, taken.Version, Decision.Accept(new EntitlementTerminated(today, UnmergeCause))));
            var current = duplicate.Of(move.Programme);
            if (current is { IsHeld: true }) continue;
            decisions.Add(new(move.DuplicateEntitlementId, current?.Version ?? 0, Decision.Accept([.. Grant(move.DuplicateEntitlementId, move.Programme, d.Id,
                move.ApplicantId, move.Status, move.MonthlyAmount, move.Since, move.DecisionId, move.SuspendedBy, today)])));
        }
        if (merge.Household is { } household && mergedHousehold is { } h && h.Id == household.HouseholdId
            && RestoreHousehold(household, s.Id, d.Id, h, today) is { Count: > 0 } events)
            decisions.Add(new(h.Id, h.Version, Decision.Accept([.. events])));
        return new MultiStreamDecision(decisions, null);
    }

    private static List<object> RestoreHousehold(HouseholdMove move, Guid s, Guid d, Household h, DateOnly today)
    {
        // A household dissolved since is not revived: a caseworker forms or joins anew.
        if (h.Dissolved || h.HasMember(d)) return [];
        var wasHead = move.Relationship == Relationship.Head;
        var events = new List<object> { new MemberJoined(d, wasHead ? Relationship.OtherRelative : move.Relationship) };
        if (wasHead && h.HeadCitizenId == s)
            events.Add(new HeadChanged(d, s, move.Kind == HouseholdMoveKind.DuplicateLeft ? move.SurvivorRelationship ?? Relationship.OtherRelative : Relationship.OtherRelative));
        // The survivor leaves the place it took, unless it has since come to head the household.
        var after = events.Aggregate(h, (x, e) => Household.Evolve(x, e, today)!);
        if (move.Kind == HouseholdMoveKind.SurvivorTookPlace && after.HasMember(s) && after.HeadCitizenId != s) events.Add(new MemberLeft(s));
        return events;
    }

    private static IEnumerable<object> Grant(Guid id, ProgrammeCode programme, Guid beneficiary, Guid? applicant, EntitlementStatus status, decimal? amount,
        DateOnly? since, Guid? decisionId, SuspendedBy? suspendedBy, DateOnly today)
    {
        yield return new EntitlementApplied(id, programme, beneficiary, applicant);
        // The grant rests on the decision that granted it on the other record; the re-assessment after the change records a new one.
        yield return new EntitlementGranted(decisionId ?? Guid.Empty, amount, since ?? today);
        if (status == EntitlementStatus.Suspended) yield return new EntitlementSuspended(today, suspendedBy ?? SuspendedBy.Caseworker);
    }

    private static (HouseholdMove? Move, DomainError? Error) HouseholdMoveFor(MergeParty survivor, MergeParty duplicate, DateOnly today, out List<object> events)
    {
        events = [];
        if (duplicate.Household is not { } h || h.Members.FirstOrDefault(m => m.CitizenId == duplicate.Citizen.Id) is not { } member) return (null, null);
        Guid s = survivor.Citizen.Id, d = duplicate.Citizen.Id;
        var wasHead = h.HeadCitizenId == d;
        if (survivor.Household is null)
        {
            // The survivor takes the duplicate's place: joins with its relationship (as head, through a change of head), then the duplicate leaves.
            events.Add(new MemberJoined(s, wasHead ? Relationship.OtherRelative : member.Relationship));
            if (wasHead) events.Add(new HeadChanged(s, d, Relationship.OtherRelative));
            events.Add(new MemberLeft(d));
            return (new HouseholdMove(h.Id, HouseholdMoveKind.SurvivorTookPlace, member.Relationship, null), null);
        }
        if (survivor.Household.Id == h.Id)
        {
            var survivorRelationship = h.Members.First(m => m.CitizenId == s).Relationship;
            if (wasHead) events.Add(new HeadChanged(s, d, HouseholdDecisions.Inverse(survivorRelationship)));
            events.Add(new MemberLeft(d));
            return (new HouseholdMove(h.Id, HouseholdMoveKind.DuplicateLeft, member.Relationship, survivorRelationship), null);
        }
        // The survivor lives elsewhere: the duplicate's membership ends as any member's leaving does (a head with others must be replaced first).
        var leaving = HouseholdDecisions.RemoveMember(h, d, today, today);
        if (leaving.Error is { } error)
            return (null, error with { Field = "duplicate", Message = "The duplicate heads a household others live in, and the survivor lives elsewhere; change that household's head first." });
        events.AddRange(leaving.Events);
        return (new HouseholdMove(h.Id, HouseholdMoveKind.DuplicateLeft, member.Relationship, null), null);
    }
}
