using Registry.Domain.Common;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;

namespace Registry.Domain.Tests;

/// <summary>A caseworker's suspension and reinstatement record what has happened, so not from a day still to come.</summary>
public sealed class EntitlementDecisionTests
{
    private static readonly DateOnly Today = new(2026, 3, 10);

    private static Entitlement WithStatus(EntitlementStatus status) =>
        new(Guid.NewGuid(), ProgrammeCode.OlderPersonsGrant, Guid.NewGuid(), null, status, 2315m, new DateOnly(2025, 4, 1), EverGranted: true);

    [Fact]
    public void A_suspension_from_a_future_date_is_refused()
    {
        var error = EntitlementDecisions.Suspend(WithStatus(EntitlementStatus.Active), "life certificate overdue", Today.AddDays(1), Today)
            .ShouldReject(ErrorCodes.InvalidDate, "effectiveDate");
        error.Message.Should().Be("The effective date cannot be in the future.");
    }

    [Fact]
    public void A_reinstatement_from_a_future_date_is_refused()
    {
        EntitlementDecisions.Reinstate(WithStatus(EntitlementStatus.Suspended), "life certificate received", Today.AddDays(1), Today)
            .ShouldReject(ErrorCodes.InvalidDate, "effectiveDate");
    }

    [Fact]
    public void The_date_is_checked_before_the_reason_and_status()
    {
        // The order the register has always answered in: a future date is named first.
        EntitlementDecisions.Suspend(WithStatus(EntitlementStatus.Lapsed), null, Today.AddDays(1), Today)
            .ShouldReject(ErrorCodes.InvalidDate, "effectiveDate");
    }

    [Fact]
    public void Today_and_earlier_are_accepted()
    {
        EntitlementDecisions.Suspend(WithStatus(EntitlementStatus.Active), "life certificate overdue", Today, Today)
            .ShouldAcceptOne<EntitlementSuspended>().From.Should().Be(Today);
        EntitlementDecisions.Reinstate(WithStatus(EntitlementStatus.Suspended), "life certificate received", Today.AddDays(-3), Today)
            .ShouldAcceptOne<EntitlementReinstated>();
    }
}
