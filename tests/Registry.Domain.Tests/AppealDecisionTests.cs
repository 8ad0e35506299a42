using Registry.Domain.Appeals;
using Registry.Domain.Common;
using Registry.Domain.Eligibility;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;

namespace Registry.Domain.Tests;

/// <summary>An appeal against a recorded decision: its window against a fixed clock, four eyes, and what an overturn may write.</summary>
public sealed class AppealDecisionTests
{
    private static readonly DateOnly DecidedOn = new(2026, 6, 1);
    private static readonly DateTimeOffset Now = new(2026, 7, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid DecisionId = Guid.NewGuid();
    private static readonly Guid EntitlementId = Guid.NewGuid();
    private static readonly Guid BeneficiaryId = Guid.NewGuid();

    private static AppealedDecision Appealed(bool latest = true) => new(DecisionId, EntitlementId, BeneficiaryId, DecidedOn, latest);

    private static Appeal Open(string lodgedBy = "caseworker-a") =>
        Appeal.Evolve(null, AppealDecisions.Lodge(null, Appealed(), "my income was wrong", lodgedBy, DecidedOn.AddDays(10), Now).Events.Single())!;

    public static TheoryData<int, bool> Days => new() { { 0, true }, { 1, true }, { 89, true }, { 90, true }, { 91, false }, { 365, false } };

    [Theory]
    [MemberData(nameof(Days))]
    public void An_appeal_is_lodged_up_to_and_including_day_90_after_the_decisions_date(int day, bool allowed)
    {
        var decision = AppealDecisions.Lodge(null, Appealed(), "my income was wrong", "caseworker-a", DecidedOn.AddDays(day), Now);
        if (allowed)
        {
            var lodged = decision.ShouldAcceptOne<AppealLodged>();
            lodged.Deadline.Should().Be(new DateOnly(2026, 8, 30));
            lodged.DecisionDate.Should().Be(DecidedOn);
            lodged.AppealId.Should().Be(Appeal.StreamIdFor(DecisionId));
            lodged.Grounds.Should().Be("my income was wrong");
        }
        else
            decision.ShouldReject(ErrorCodes.AppealOutOfTime, "decisionId").Message.Should().Contain("2026-08-30");
    }

    [Fact]
    public void One_appeal_per_decision_and_only_against_the_entitlements_latest()
    {
        var open = Open();
        AppealDecisions.Lodge(open, Appealed(), "again", "caseworker-b", DecidedOn, Now).ShouldReject(ErrorCodes.AppealAlreadyOpen, "decisionId");
        var upheld = Appeal.Evolve(open, new AppealUpheld(open.Id, BeneficiaryId, "stands", "supervisor-b", Now))!;
        AppealDecisions.Lodge(upheld, Appealed(), "again", "caseworker-b", DecidedOn, Now).ShouldReject(ErrorCodes.AppealAlreadyDecided, "decisionId");
        AppealDecisions.Lodge(null, Appealed(latest: false), "late", "caseworker-b", DecidedOn, Now).ShouldReject(ErrorCodes.DecisionSuperseded, "decisionId");
        AppealDecisions.Lodge(null, null, "what decision", "caseworker-b", DecidedOn, Now).ShouldReject(ErrorCodes.NotFound, "decisionId");
        AppealDecisions.Lodge(null, Appealed(), "  ", "caseworker-b", DecidedOn, Now).ShouldReject(ErrorCodes.InvalidInput, "grounds");
        AppealDecisions.Lodge(null, Appealed(), new string('x', Appeal.MaxTextLength + 1), "caseworker-b", DecidedOn, Now).ShouldReject(ErrorCodes.InvalidInput, "grounds");
    }

    [Fact]
    public void Whoever_lodged_an_appeal_may_not_decide_it()
    {
        var open = Open("supervisor-a");
        AppealDecisions.Decide(open, AppealOutcome.Uphold, "stands", "supervisor-a", Now, Guid.NewGuid()).ShouldReject(ErrorCodes.FourEyes, "appealId");
        AppealDecisions.Decide(open, AppealOutcome.Uphold, "stands", "supervisor-b", Now, Guid.NewGuid()).ShouldAcceptOne<AppealUpheld>().DecidedBy.Should().Be("supervisor-b");
        AppealDecisions.Decide(open, AppealOutcome.Uphold, " ", "supervisor-b", Now, Guid.NewGuid()).ShouldReject(ErrorCodes.ReasonRequired, "reason");
    }

    [Fact]
    public void A_decided_appeal_takes_no_more_evidence_and_no_second_decision()
    {
        var open = Open();
        var withEvidence = Appeal.Evolve(open, AppealDecisions.RecordEvidence(open, "payslip for May", "caseworker-a", Now).ShouldAcceptOne<AppealEvidenceRecorded>())!;
        withEvidence.EvidenceCount.Should().Be(1);
        var overturned = Appeal.Evolve(withEvidence, AppealDecisions.Decide(withEvidence, AppealOutcome.Overturn, "income corrected", "supervisor-b", Now, Guid.NewGuid())
            .ShouldAcceptOne<AppealOverturned>())!;
        overturned.Status.Should().Be(AppealStatus.Overturned);
        AppealDecisions.RecordEvidence(overturned, "late letter", "caseworker-a", Now).ShouldReject(ErrorCodes.InvalidStatus, "appealId");
        AppealDecisions.Decide(overturned, AppealOutcome.Uphold, "changed my mind", "supervisor-c", Now, Guid.NewGuid()).ShouldReject(ErrorCodes.InvalidStatus, "appealId");
    }

    private static EligibilityDecision Evaluated(bool eligible, decimal? amount) =>
        new("6001100000000", ProgrammeCode.OlderPersonsGrant, DecidedOn, eligible, amount, [], EligibilityRules.RuleVersion, "OlderPersonsGrant/2025-04-01/v1");

    private static EligibilityFacts Inputs() =>
        new(new PersonFacts(BeneficiaryId, "6001100000000", new DateOnly(1960, 1, 10), Citizenship.Citizen, null, 0m, null), null, []);

    private static Entitlement Refused() =>
        new(EntitlementId, ProgrammeCode.OlderPersonsGrant, BeneficiaryId, null, EntitlementStatus.Rejected,
            LastDecision: new RecordedDecision(DecisionId, Evaluated(false, null)));

    [Fact]
    public void An_overturn_the_rules_still_refuse_writes_nothing()
    {
        AppealDecisions.Overturn(Refused(), Open(), Evaluated(false, null), Inputs(), Guid.NewGuid()).ShouldReject(ErrorCodes.AppealRulesStillRefuse, "outcome");
    }

    [Fact]
    public void An_overturned_refusal_is_a_new_decision_on_appeal_and_a_grant_from_the_original_date()
    {
        var appeal = Open();
        var newDecision = Guid.NewGuid();
        var events = AppealDecisions.Overturn(Refused(), appeal, Evaluated(true, 2315m), Inputs(), newDecision).Events;

        var recorded = events[0].Should().BeOfType<EntitlementReassessed>().Subject;
        recorded.DecisionId.Should().Be(newDecision);
        recorded.Trigger.Should().Be(ReassessmentTrigger.Appeal);
        Appeal.AppealOf(recorded.CauseSource).Should().Be(appeal.Id);
        var granted = events[1].Should().BeOfType<EntitlementGranted>().Subject;
        granted.Since.Should().Be(DecidedOn, "a successful appeal is paid from the original decision's date");
        granted.MonthlyAmount.Should().Be(2315m);
        events.Should().HaveCount(2);
    }

    [Fact]
    public void A_superseded_decision_or_an_ended_entitlement_is_not_overturned()
    {
        var later = Refused() with { LastDecision = new RecordedDecision(Guid.NewGuid(), Evaluated(false, null)) };
        AppealDecisions.Overturn(later, Open(), Evaluated(true, 2315m), Inputs(), Guid.NewGuid()).ShouldReject(ErrorCodes.DecisionSuperseded, "appealId");
        AppealDecisions.Overturn(Refused() with { Status = EntitlementStatus.Terminated }, Open(), Evaluated(true, 2315m), Inputs(), Guid.NewGuid())
            .ShouldReject(ErrorCodes.InvalidStatus, "appealId");
    }

    [Fact]
    public void A_grant_its_reassessment_suspended_is_reinstated_from_the_original_date()
    {
        var suspended = Refused() with { Status = EntitlementStatus.Suspended, SuspendedBy = SuspendedBy.Reassessment, MonthlyAmount = 2315m, EverGranted = true };
        var events = AppealDecisions.Overturn(suspended, Open(), Evaluated(true, 2315m), Inputs(), Guid.NewGuid()).Events;
        events.Should().HaveCount(2);
        events[1].Should().BeOfType<EntitlementReinstated>().Which.From.Should().Be(DecidedOn);
    }

    [Fact]
    public void The_appeal_fold_handles_its_own_events_and_ignores_the_rest()
    {
        var open = Open();
        Appeal.Evolve(open, new EntitlementGranted(Guid.NewGuid(), 1m, DecidedOn)).Should().BeSameAs(open);
        Appeal.Evolve(null, new AppealEvidenceRecorded(open.Id, BeneficiaryId, "x", "a", Now)).Should().BeNull();
    }
}
