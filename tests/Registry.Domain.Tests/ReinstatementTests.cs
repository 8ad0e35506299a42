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

    private static readonly ReassessmentCause IncomeDeclared =
        new(ReassessmentTrigger.CircumstancesChanged, ReassessmentCause.EventSource(Guid.NewGuid(), 3), "c1", "income declared");

    private static IReadOnlyList<object> Reassess(Entitlement e, PersonFacts person, ReassessmentCause? cause = null) =>
        EntitlementDecisions.Reassess(e, For(person), Set, On, Guid.NewGuid(), cause ?? IncomeDeclared).Events;

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
    public void The_same_causing_change_delivered_twice_records_once()
    {
        var person = Aged(70, monthlyIncome: 20000);
        var once = Held(person);
        once = Reassess(once, person).Aggregate(once, (s, x) => Entitlement.Evolve(s, x)!);

        Reassess(once, person).Should().BeEmpty();
        var another = IncomeDeclared with { Source = ReassessmentCause.EventSource(Guid.NewGuid(), 4) };
        Reassess(once, person, another).Should().NotBeEmpty("another change is another cause, even with the same sentence");
    }

    [Fact]
    public void A_reassessment_recorded_before_causes_were_typed_keeps_its_sentence_as_the_key()
    {
        var person = Aged(70, monthlyIncome: 0);
        var old = System.Text.Json.JsonSerializer.Deserialize<EntitlementReassessed>(
            System.Text.Json.JsonSerializer.Serialize(new { DecisionId = Guid.NewGuid(), Cause = "income declared (c0)", Decision = Evaluate(ProgrammeCode.OlderPersonsGrant, For(person), Set), Inputs = For(person) }))!;
        Entitlement.Evolve(Held(person), old)!.LastCause.Should().Be("income declared (c0)");
    }

    [Fact]
    public void A_suspension_stored_without_its_author_reads_as_a_caseworkers()
    {
        // The cautious reading: such a suspension is never lifted automatically.
        System.Text.Json.JsonSerializer.Deserialize<EntitlementSuspended>("""{"From":"2026-01-01"}""")!.By.Should().Be(SuspendedBy.Caseworker);
    }
}
