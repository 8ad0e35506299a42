using Registry.Domain.ChangeRequests;
using Registry.Domain.Common;

namespace Registry.Domain.Tests.ChangeRequests;

public sealed class ChangeRequestDecisionTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private static ChangeRequest Pending() =>
        ChangeRequest.Evolve(null, new ChangeRequested(Guid.NewGuid(), "recordDeath", "Record a death", Guid.NewGuid(), Guid.NewGuid(), 3,
            "RecordDeath", "sealed", new DateOnly(2026, 11, 1), "sealed reason", "maker", At))!;

    private static ChangeRequest After(ChangeRequest request, Decision decision) =>
        decision.Events.Aggregate(request, (r, e) => ChangeRequest.Evolve(r, e)!);

    [Fact]
    public void The_person_who_asked_may_neither_approve_nor_reject()
    {
        ChangeRequestDecisions.Approve(Pending(), "maker", null, 4, At).Error!.Code.Should().Be(ErrorCodes.FourEyes);
        ChangeRequestDecisions.Reject(Pending(), "maker", "no", At).Error!.Code.Should().Be(ErrorCodes.FourEyes);
        ChangeRequestDecisions.Supersede(Pending(), "maker", ErrorCodes.StaleVersion, At).Error!.Code.Should().Be(ErrorCodes.FourEyes);
    }

    [Fact]
    public void A_second_person_approves_once_and_a_decided_request_is_not_decided_again()
    {
        var approved = After(Pending(), ChangeRequestDecisions.Approve(Pending(), "checker", "seen the notice", 4, At));
        approved.Status.Should().Be(ChangeRequestStatus.Approved);
        approved.DecidedBy.Should().Be("checker");
        approved.AppliedVersion.Should().Be(4);
        ChangeRequestDecisions.Approve(approved, "another", null, 5, At).Error!.Code.Should().Be(ErrorCodes.ChangeNotPending);
        ChangeRequestDecisions.Reject(approved, "another", "late", At).Error!.Code.Should().Be(ErrorCodes.ChangeNotPending);
        ChangeRequestDecisions.Withdraw(approved, "maker", At).Error!.Code.Should().Be(ErrorCodes.ChangeNotPending);
    }

    [Fact]
    public void A_rejection_needs_a_reason()
    {
        ChangeRequestDecisions.Reject(Pending(), "checker", " ", At).Error!.Code.Should().Be(ErrorCodes.ReasonRequired);
        After(Pending(), ChangeRequestDecisions.Reject(Pending(), "checker", "wrong person", At)).Status.Should().Be(ChangeRequestStatus.Rejected);
    }

    [Fact]
    public void Only_the_person_who_asked_withdraws()
    {
        ChangeRequestDecisions.Withdraw(Pending(), "checker", At).Error!.Code.Should().Be(ErrorCodes.Forbidden);
        After(Pending(), ChangeRequestDecisions.Withdraw(Pending(), "maker", At)).Status.Should().Be(ChangeRequestStatus.Withdrawn);
    }

    [Fact]
    public void A_superseded_request_keeps_the_code_the_record_answered()
    {
        var superseded = After(Pending(), ChangeRequestDecisions.Supersede(Pending(), "checker", ErrorCodes.StaleVersion, At));
        superseded.Status.Should().Be(ChangeRequestStatus.Superseded);
        superseded.SupersededBy.Should().Be(ErrorCodes.StaleVersion);
    }
}
