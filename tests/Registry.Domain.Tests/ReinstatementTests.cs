using Registry.Domain.Eligibility;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;
using Registry.Domain.Tests.Eligibility;
using static Registry.Domain.Tests.Eligibility.Facts;

namespace Registry.Domain.Tests;

/// <summary>Who suspended a grant decides whether a later re-assessment may lift the suspension.</summary>
public sealed class ReinstatementTests
{
    private static readonly ParameterSet Set = Sets.OlderPersonsApril2025;

    private static Entitlement Held(PersonFacts beneficiary, params object[] events) =>
        events.Aggregate(
            new Entitlement(Guid.NewGuid(), ProgrammeCode.OlderPersonsGrant, beneficiary.CitizenId, null, EntitlementStatus.Active, 0m, new DateOnly(2025, 4, 1), EverGranted: true),
            (s, e) => Entitlement.Evolve(s, e)!);

    private static IReadOnlyList<object> Reassess(Entitlement e, PersonFacts person, string cause = "income declared") =>
        EntitlementDecisions.Reassess(e, For(person), Set, On, Guid.NewGuid(), cause).Events;

    [Fact]
    public void Ineligibility_suspends_as_the_reassessments_own_suspension()
    {
        var events = Reassess(Held(Aged(70, monthlyIncome: 0)), Aged(70, monthlyIncome: 20000));
        events.OfType<EntitlementSuspended>().Should().ContainSingle().Which.By.Should().Be(SuspendedBy.Reassessment);
    }

    [Fact]
    public void A_reassessments_suspension_is_lifted_when_the_person_qualifies_again()
    {
        var person = Aged(70, monthlyIncome: 0);
        var e = Held(person, new EntitlementSuspended(On.AddDays(-30), SuspendedBy.Reassessment));

        var events = Reassess(e, person);

        events.Select(x => x.GetType()).Should().Equal(typeof(EntitlementReassessed), typeof(EntitlementReinstated), typeof(EntitlementAmountChanged));
        events.OfType<EntitlementAmountChanged>().Single().MonthlyAmount.Should().Be(Evaluate(ProgrammeCode.OlderPersonsGrant, For(person), Set).MonthlyAmount);
        events.Aggregate(e, (s, x) => Entitlement.Evolve(s, x)!).Should().Match<Entitlement>(s => s.Status == EntitlementStatus.Active && s.SuspendedBy == null);
    }

    [Fact]
    public void A_caseworkers_suspension_stays_until_a_caseworker_lifts_it()
    {
        var person = Aged(70, monthlyIncome: 0);
        var e = Held(person, new EntitlementSuspended(On.AddDays(-30), SuspendedBy.Caseworker));

        Reassess(e, person).Select(x => x.GetType()).Should().Equal(typeof(EntitlementReassessed));
    }

    [Fact]
    public void A_suspension_stored_without_its_author_reads_as_a_caseworkers()
    {
        // The cautious reading: such a suspension is never lifted automatically.
        System.Text.Json.JsonSerializer.Deserialize<EntitlementSuspended>("""{"From":"2026-01-01"}""")!.By.Should().Be(SuspendedBy.Caseworker);
    }
}
