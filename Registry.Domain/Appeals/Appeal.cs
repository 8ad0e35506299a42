using System.Security.Cryptography;
using System.Text;
using Registry.Domain.Common;
using Registry.Domain.Eligibility;
using Registry.Domain.Entitlements;

namespace Registry.Domain.Appeals;

public enum AppealStatus { Open, Upheld, Overturned }

public enum AppealOutcome { Uphold, Overturn }

// Events of the Appeal stream: one stream per appealed decision. The free text (grounds, evidence, reason) is about
// the beneficiary, so each event names them and EventSealing seals the text under their key.

/// <summary>A caseworker lodged an appeal against a recorded decision, within the window that runs from the decision's date.</summary>
public sealed record AppealLodged(Guid AppealId, Guid DecisionId, Guid EntitlementId, Guid BeneficiaryId, DateOnly DecisionDate, DateOnly Deadline,
    string Grounds, string LodgedBy, DateTimeOffset LodgedAt);

public sealed record AppealEvidenceRecorded(Guid AppealId, Guid BeneficiaryId, string Evidence, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>The decision stands; the appeal is closed.</summary>
public sealed record AppealUpheld(Guid AppealId, Guid BeneficiaryId, string Reason, string DecidedBy, DateTimeOffset DecidedAt);

/// <summary>The decision was taken again on appeal: <see cref="NewDecisionId"/> is recorded on the entitlement in the same transaction.</summary>
public sealed record AppealOverturned(Guid AppealId, Guid BeneficiaryId, Guid NewDecisionId, string Reason, string DecidedBy, DateTimeOffset DecidedAt);

/// <summary>
/// An appeal's state, folded from its stream. It holds ids, dates and who acted, never the free text, so the read model
/// holds nothing of the person's to erase: the text stays sealed in the events.
/// </summary>
public sealed record Appeal(
    Guid Id,
    Guid DecisionId,
    Guid EntitlementId,
    Guid BeneficiaryId,
    DateOnly DecisionDate,
    DateOnly Deadline,
    string LodgedBy,
    DateTimeOffset LodgedAt,
    AppealStatus Status = AppealStatus.Open,
    int EvidenceCount = 0,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null,
    Guid? NewDecisionId = null,
    long Version = 0)
{
    /// <summary>SASSA's reconsideration window: 90 days from the decision's date, the last of them included.</summary>
    public const int WindowDays = 90;

    public const int MaxTextLength = 4000;

    /// <summary>One appeal per decision: the stream is named by the decision, so two lodged at once collide in the store.</summary>
    public static Guid StreamIdFor(Guid decisionId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"appeal:{decisionId:N}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>What names the appeal on the decision it led to (EntitlementReassessed.CauseSource).</summary>
    public static string CauseSourceOf(Guid appealId) => $"appeal:{appealId:N}";

    public static Guid? AppealOf(string? causeSource) =>
        causeSource is { } s && s.StartsWith("appeal:", StringComparison.Ordinal) && Guid.TryParseExact(s["appeal:".Length..], "N", out var id) ? id : null;

    public static readonly IReadOnlyList<Type> EventTypes = [typeof(AppealLodged), typeof(AppealEvidenceRecorded), typeof(AppealUpheld), typeof(AppealOverturned)];

    public static Appeal? Evolve(Appeal? state, object @event) => (state, @event) switch
    {
        (_, AppealLodged e) => new Appeal(e.AppealId, e.DecisionId, e.EntitlementId, e.BeneficiaryId, e.DecisionDate, e.Deadline, e.LodgedBy, e.LodgedAt),
        (null, _) => null,
        (var s, AppealEvidenceRecorded) => s with { EvidenceCount = s.EvidenceCount + 1 },
        (var s, AppealUpheld e) => s with { Status = AppealStatus.Upheld, DecidedBy = e.DecidedBy, DecidedAt = e.DecidedAt },
        (var s, AppealOverturned e) => s with { Status = AppealStatus.Overturned, DecidedBy = e.DecidedBy, DecidedAt = e.DecidedAt, NewDecisionId = e.NewDecisionId },
        var (s, _) => s,
    };
}

/// <summary>The decision an appeal is lodged against, as the register holds it; <see cref="Latest"/> when it is still the entitlement's last.</summary>
public sealed record AppealedDecision(Guid DecisionId, Guid EntitlementId, Guid BeneficiaryId, DateOnly On, bool Latest);

/// <summary>Pure decisions on the Appeal stream, and what an overturn does to the entitlement.</summary>
public static class AppealDecisions
{
    public static Decision Lodge(Appeal? existing, AppealedDecision? appealed, string? grounds, string actor, DateOnly today, DateTimeOffset now)
    {
        if (Text(grounds, "grounds", "An appeal states its grounds.") is { } bad) return Decision.Reject(bad);
        if (appealed is null) return Decision.Reject(ErrorCodes.NotFound, "No decision with this id was recorded.", "decisionId");
        if (existing is { Status: AppealStatus.Open })
            return Decision.Reject(ErrorCodes.AppealAlreadyOpen, "An appeal against this decision is already open.", "decisionId");
        if (existing is not null)
            return Decision.Reject(ErrorCodes.AppealAlreadyDecided, $"The appeal against this decision was decided ({existing.Status.ToString().ToUpperInvariant()}).", "decisionId");
        if (!appealed.Latest)
            return Decision.Reject(ErrorCodes.DecisionSuperseded, "A later decision replaced this one on the entitlement: appeal the later one.", "decisionId");
        var deadline = appealed.On.AddDays(Appeal.WindowDays);
        if (today > deadline)
            return Decision.Reject(ErrorCodes.AppealOutOfTime, $"An appeal must be lodged within {Appeal.WindowDays} days of the decision's date; the last day was {deadline:yyyy-MM-dd}.", "decisionId");
        return Decision.Accept(new AppealLodged(Appeal.StreamIdFor(appealed.DecisionId), appealed.DecisionId, appealed.EntitlementId, appealed.BeneficiaryId,
            appealed.On, deadline, grounds!.Trim(), actor, now));
    }

    public static Decision RecordEvidence(Appeal appeal, string? evidence, string actor, DateTimeOffset now)
    {
        if (Text(evidence, "evidence", "Evidence needs a description.") is { } bad) return Decision.Reject(bad);
        if (appeal.Status != AppealStatus.Open) return Closed(appeal);
        return Decision.Accept(new AppealEvidenceRecorded(appeal.Id, appeal.BeneficiaryId, evidence!.Trim(), actor, now));
    }

    /// <summary>
    /// A supervisor's decision. Four eyes: whoever lodged the appeal may not decide it. An overturn names the decision
    /// it takes (recorded on the entitlement by <see cref="Overturn"/> in the same transaction).
    /// </summary>
    public static Decision Decide(Appeal appeal, AppealOutcome outcome, string? reason, string actor, DateTimeOffset now, Guid newDecisionId)
    {
        if (string.IsNullOrWhiteSpace(reason)) return Decision.Reject(ErrorCodes.ReasonRequired, "An appeal's decision needs a reason.", "reason");
        if (Text(reason, "reason", "") is { } bad) return Decision.Reject(bad);
        if (appeal.Status != AppealStatus.Open) return Closed(appeal);
        if (string.Equals(actor, appeal.LodgedBy, StringComparison.Ordinal))
            return Decision.Reject(ErrorCodes.FourEyes, "The person who lodged an appeal may not decide it: another supervisor must.", "appealId");
        return Decision.Accept(outcome == AppealOutcome.Uphold
            ? new AppealUpheld(appeal.Id, appeal.BeneficiaryId, reason.Trim(), actor, now)
            : new AppealOverturned(appeal.Id, appeal.BeneficiaryId, newDecisionId, reason.Trim(), actor, now));
    }

    /// <summary>
    /// The entitlement's side of an overturn: the rules evaluated again for the original decision's date, with what the
    /// register knows now (<paramref name="decision"/>). The register never grants against its rules: if they still
    /// refuse, nothing is written. If they allow, the new decision is recorded and the entitlement follows from the
    /// original date: a refused application is granted from it, a grant its re-assessment suspended is reinstated from
    /// it, a changed amount runs from it.
    /// </summary>
    public static Decision Overturn(Entitlement entitlement, Appeal appeal, EligibilityDecision decision, EligibilityFacts inputs, Guid newDecisionId)
    {
        if (entitlement.LastDecision?.DecisionId != appeal.DecisionId)
            return Decision.Reject(ErrorCodes.DecisionSuperseded, "A later decision replaced the appealed one on the entitlement: it cannot be overturned; uphold this appeal and appeal the later decision.", "appealId");
        if (entitlement.Status is EntitlementStatus.Lapsed or EntitlementStatus.Terminated)
            return Decision.Reject(ErrorCodes.InvalidStatus, $"The entitlement has ended ({entitlement.Status.ToString().ToUpperInvariant()}): an appeal cannot revive it.", "appealId");
        if (!decision.Eligible)
            return Decision.Reject(ErrorCodes.AppealRulesStillRefuse,
                $"The rules, applied to what the register now knows for {appeal.DecisionDate:yyyy-MM-dd}, still refuse: correct the facts first, or uphold the decision.", "outcome");

        var on = appeal.DecisionDate;
        var events = new List<object>
        {
            new EntitlementReassessed(newDecisionId, $"appeal against decision {appeal.DecisionId:N} overturned", decision, inputs,
                ReassessmentTrigger.Appeal, Appeal.CauseSourceOf(appeal.Id)),
        };
        switch (entitlement.Status)
        {
            case EntitlementStatus.Rejected or EntitlementStatus.Applied:
                events.Add(new EntitlementGranted(newDecisionId, decision.MonthlyAmount, on));
                break;
            case EntitlementStatus.Suspended when entitlement.SuspendedBy == SuspendedBy.Reassessment:
                events.Add(new EntitlementReinstated(on));
                if (decision.MonthlyAmount != entitlement.MonthlyAmount) events.Add(new EntitlementAmountChanged(decision.MonthlyAmount, on));
                break;
            default:
                // Active, or suspended by a caseworker (which a caseworker lifts): only the amount follows.
                if (decision.MonthlyAmount != entitlement.MonthlyAmount) events.Add(new EntitlementAmountChanged(decision.MonthlyAmount, on));
                break;
        }
        return Decision.Accept([.. events]);
    }

    private static DomainError? Text(string? text, string field, string blank) =>
        string.IsNullOrWhiteSpace(text) ? new DomainError(ErrorCodes.InvalidInput, blank, field)
        : text.Trim().Length > Appeal.MaxTextLength ? new DomainError(ErrorCodes.InvalidInput, $"At most {Appeal.MaxTextLength} characters.", field)
        : null;

    private static Decision Closed(Appeal appeal) =>
        Decision.Reject(ErrorCodes.InvalidStatus, $"The appeal is decided ({appeal.Status.ToString().ToUpperInvariant()}).", "appealId");
}
