using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Registry.Domain.Citizens;
using Registry.Domain.Eligibility;
using Registry.Domain.Entitlements;
using Registry.Domain.Households;
using Registry.Domain.Notices;
using Registry.Domain.Programmes;

namespace Registry.Projections.Notices;

/// <summary>What the notice writer last told about an entitlement: the "before" of its next notice.</summary>
/// <param name="MonthlyAmount">What the entitlement pays, as granted or changed.</param>
/// <param name="DecidedAmount">What the last decision found it would pay.</param>
/// <param name="LastSequence">The last event folded in, so a page read twice tells nothing twice.</param>
public sealed record NoticedEntitlement(Guid Id, ProgrammeCode Programme, Guid BeneficiaryId, EntitlementStatus Status, bool? Eligible,
    decimal? MonthlyAmount, decimal? DecidedAmount, IReadOnlyDictionary<string, bool> Criteria, long LastSequence)
{
    public NoticeState Paid => new(Eligible, MonthlyAmount, StatusName);
    public NoticeState Decided => new(Eligible, DecidedAmount, StatusName);
    private string StatusName => Status.ToString().ToUpperInvariant();
    public bool IsHeld => Status is EntitlementStatus.Active or EntitlementStatus.Suspended;
}

/// <summary>Which municipality a household's notices go to.</summary>
public sealed record NoticedHousehold(Guid Id, string MunicipalityCode, long LastSequence);

/// <summary>
/// Turns the register's events into the notices each department's mandate allows, in event order, in the
/// daemon's own transaction with its progress: a notice is written exactly once, and a feed's positions only
/// grow. A subscription, not a projection: notices are a log consumers keep positions in, so no rebuild rewrites them.
/// </summary>
public sealed class NoticeWriter : SubscriptionBase
{
    public const string Title = "ChangeNotices";

    public NoticeWriter()
    {
        Name = Title;
        foreach (var type in new[]
                 {
                     typeof(EntitlementApplied), typeof(EntitlementAssessed), typeof(EntitlementGranted), typeof(EntitlementRejected),
                     typeof(EntitlementReassessed), typeof(EntitlementSuspended), typeof(EntitlementReinstated), typeof(EntitlementLapsed),
                     typeof(EntitlementTerminated), typeof(EntitlementAmountChanged), typeof(CitizenDied),
                     typeof(HouseholdFormed), typeof(MemberJoined), typeof(MemberLeft), typeof(HeadChanged), typeof(HouseholdDissolved),
                     typeof(ProgrammeParametersPublished),
                 })
            IncludeType(type);
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations,
        CancellationToken cancellationToken)
    {
        var events = page.Events;
        var entitlements = (await operations.LoadManyAsync<NoticedEntitlement>(cancellationToken,
                events.Where(e => Entitlement.EventTypes.Contains(e.Data.GetType())).Select(e => e.StreamId).Distinct()))
            .ToDictionary(s => s.Id);
        var households = (await operations.LoadManyAsync<NoticedHousehold>(cancellationToken,
                events.Where(e => e.Data is HouseholdFormed or MemberJoined or MemberLeft or HeadChanged or HouseholdDissolved).Select(e => e.StreamId).Distinct()))
            .ToDictionary(s => s.Id);
        var died = events.Where(e => e.Data is CitizenDied).Select(e => e.StreamId).Distinct().ToList();
        // The dead's entitlements as last noticed; the ones this page touches are overlaid in event order below.
        var heldBy = died.Count == 0 ? [] : (await operations.Query<NoticedEntitlement>().Where(s => died.Contains(s.BeneficiaryId)).ToListAsync(cancellationToken))
            .Where(s => !entitlements.ContainsKey(s.Id)).ToList();
        foreach (var s in heldBy) entitlements[s.Id] = s;

        var changedEntitlements = new HashSet<Guid>();
        var changedHouseholds = new HashSet<Guid>();
        foreach (var e in events)
        {
            foreach (var notice in NoticesOf(e, entitlements, households, changedEntitlements, changedHouseholds))
                operations.Store(notice);
        }
        foreach (var id in changedEntitlements) operations.Store(entitlements[id]);
        foreach (var id in changedHouseholds) operations.Store(households[id]);
        return NullChangeListener.Instance;
    }

    private static IEnumerable<ChangeNotice> NoticesOf(IEvent e, Dictionary<Guid, NoticedEntitlement> entitlements, Dictionary<Guid, NoticedHousehold> households,
        HashSet<Guid> changedEntitlements, HashSet<Guid> changedHouseholds)
    {
        switch (e.Data)
        {
            case ProgrammeParametersPublished p:
                // Public policy: the programme's department, and Statistics SA, which counts every programme.
                var department = ProgrammeInfo.Of(p.Programme).Department;
                foreach (var audience in new[] { department, Departments.Statistics }.Distinct())
                    yield return Notice(e, audience, NoticeKind.ParametersPublished, p.EffectiveFrom, p.Programme, null, null, null, null, []);
                yield break;

            case CitizenDied death:
                // One notice per department whose programme the person held, naming the programme when there is one.
                foreach (var byDepartment in entitlements.Values.Where(s => s.BeneficiaryId == e.StreamId && s.IsHeld)
                             .GroupBy(s => ProgrammeInfo.Of(s.Programme).Department).Where(g => Names(g.Key)))
                {
                    var programmes = byDepartment.Select(s => s.Programme).Distinct().ToList();
                    yield return Notice(e, byDepartment.Key, NoticeKind.BeneficiaryDied, death.DateOfDeath, programmes.Count == 1 ? programmes[0] : null,
                        e.StreamId, null, null, null, []);
                }
                yield break;

            case HouseholdFormed formed:
                if (households.TryGetValue(e.StreamId, out var known) && known.LastSequence >= e.Sequence) yield break;
                households[e.StreamId] = new NoticedHousehold(e.StreamId, formed.Address.MunicipalityCode, e.Sequence);
                changedHouseholds.Add(e.StreamId);
                yield return HouseholdNotice(e, formed.Address.MunicipalityCode, "FORMED");
                yield break;

            case MemberJoined or MemberLeft or HeadChanged or HouseholdDissolved:
                if (!households.TryGetValue(e.StreamId, out var household) || household.LastSequence >= e.Sequence) yield break;
                households[e.StreamId] = household with { LastSequence = e.Sequence };
                changedHouseholds.Add(e.StreamId);
                yield return HouseholdNotice(e, household.MunicipalityCode, e.Data switch
                {
                    MemberJoined => "MEMBER_JOINED",
                    MemberLeft => "MEMBER_LEFT",
                    HeadChanged => "HEAD_CHANGED",
                    _ => "DISSOLVED",
                });
                yield break;
        }

        if (!Entitlement.EventTypes.Contains(e.Data.GetType())) yield break;
        entitlements.TryGetValue(e.StreamId, out var before);
        if (before is not null && before.LastSequence >= e.Sequence) yield break;
        var after = Fold(before, e);
        if (after is null) yield break;
        entitlements[e.StreamId] = after;
        changedEntitlements.Add(e.StreamId);
        var audienceOf = ProgrammeInfo.Of(after.Programme).Department;
        // A municipal programme's beneficiary is a person a municipality may not name: its notices are its households'.
        if (before is null || !Names(audienceOf)) yield break;

        switch (e.Data)
        {
            case EntitlementReassessed when before.Eligible != after.Eligible || before.DecidedAmount != after.DecidedAmount:
                yield return Notice(e, audienceOf, NoticeKind.EligibilityChanged, EventHeaders.EffectiveDateOf(e), after.Programme, after.BeneficiaryId, null,
                    before.Decided, after.Decided, ChangedCriteria(before.Criteria, after.Criteria));
                break;
            case EntitlementGranted or EntitlementSuspended or EntitlementReinstated or EntitlementLapsed or EntitlementTerminated
                when before.Status != after.Status:
            case EntitlementAmountChanged when before.MonthlyAmount != after.MonthlyAmount:
                yield return Notice(e, audienceOf, NoticeKind.EntitlementStatusChanged, FromDate(e), after.Programme, after.BeneficiaryId, null,
                    before.Paid, after.Paid, []);
                break;
        }
    }

    /// <summary>The entitlement as a department knows it after one more event.</summary>
    private static NoticedEntitlement? Fold(NoticedEntitlement? s, IEvent e) => (s, e.Data) switch
    {
        (_, EntitlementApplied a) => new NoticedEntitlement(e.StreamId, a.Programme, a.BeneficiaryId, EntitlementStatus.Applied, null, null, null,
            new Dictionary<string, bool>(), e.Sequence),
        (null, _) => null,
        (var x, EntitlementAssessed a) => Decided(x, a.Decision) with { LastSequence = e.Sequence },
        (var x, EntitlementReassessed r) => Decided(x, r.Decision) with { LastSequence = e.Sequence },
        (var x, EntitlementGranted g) => x with { Status = EntitlementStatus.Active, MonthlyAmount = g.MonthlyAmount, LastSequence = e.Sequence },
        (var x, EntitlementRejected) => x with { Status = EntitlementStatus.Rejected, LastSequence = e.Sequence },
        (var x, EntitlementSuspended) => x with { Status = EntitlementStatus.Suspended, LastSequence = e.Sequence },
        (var x, EntitlementReinstated) => x with { Status = EntitlementStatus.Active, LastSequence = e.Sequence },
        (var x, EntitlementLapsed) => x with { Status = EntitlementStatus.Lapsed, LastSequence = e.Sequence },
        (var x, EntitlementTerminated) => x with { Status = EntitlementStatus.Terminated, LastSequence = e.Sequence },
        (var x, EntitlementAmountChanged c) => x with { MonthlyAmount = c.MonthlyAmount, LastSequence = e.Sequence },
        var (x, _) => x with { LastSequence = e.Sequence },
    };

    private static NoticedEntitlement Decided(NoticedEntitlement s, EligibilityDecision decision) => s with
    {
        Eligible = decision.Eligible,
        // A held entitlement pays what was granted until its amount changes; the decision says what it would pay.
        DecidedAmount = decision.MonthlyAmount,
        Criteria = decision.Reasons.GroupBy(r => r.Criterion).ToDictionary(g => g.Key, g => g.All(r => r.Passed)),
    };

    /// <summary>The criteria whose result moved, including ones only one of the decisions looked at.</summary>
    private static IReadOnlyList<string> ChangedCriteria(IReadOnlyDictionary<string, bool> before, IReadOnlyDictionary<string, bool> after) =>
        [.. before.Keys.Union(after.Keys)
            .Where(k => !before.TryGetValue(k, out var b) || !after.TryGetValue(k, out var a) || a != b)
            .Order(StringComparer.Ordinal)];

    /// <summary>Departments whose notices may name a person; a municipality is told about households, Statistics SA about no one.</summary>
    private static bool Names(string department) =>
        department is Departments.SocialDevelopment or Departments.HumanSettlements or Departments.BasicEducation;

    private static DateOnly FromDate(IEvent e) => e.Data switch
    {
        EntitlementGranted g => g.Since,
        EntitlementSuspended s => s.From,
        EntitlementReinstated r => r.From,
        EntitlementLapsed l => l.From,
        EntitlementTerminated t => t.From,
        EntitlementAmountChanged c => c.From,
        _ => EventHeaders.EffectiveDateOf(e),
    };

    private static ChangeNotice HouseholdNotice(IEvent e, string municipalityCode, string change) =>
        Notice(e, ChangeNotice.MunicipalityAudience(municipalityCode), NoticeKind.HouseholdChanged, EventHeaders.EffectiveDateOf(e), null, null, e.StreamId,
            null, null, [change]);

    private static ChangeNotice Notice(IEvent e, string audience, NoticeKind kind, DateOnly occurredAt, ProgrammeCode? programme, Guid? citizenId,
        Guid? householdId, NoticeState? before, NoticeState? after, IReadOnlyList<string> changed) =>
        new(ChangeNotice.IdFor(e.Id, audience), audience, e.Sequence, kind, occurredAt, EventHeaders.RecordedAt(e), programme, citizenId, householdId,
            before, after, changed, e.CorrelationId);
}
