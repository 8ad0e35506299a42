using Marten;
using Registry.Api.Hosting;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Households;
using Registry.Projections;

namespace Registry.Api.Seeding;

/// <summary>
/// A large synthetic population for benchmarks: the same plan and the same domain decisions as the
/// demo seed, but many households per transaction instead of one command each (inline projections and
/// the unique indexes still apply). Anything a decision rejects is skipped and counted.
/// </summary>
public static class BulkPopulation
{
    public static async Task<DemoPopulation.Summary> WriteAsync(IDocumentStore store, TimeProvider clock, int householdCount,
        Action<int>? progress = null, int householdsPerTransaction = 250, CancellationToken ct = default)
    {
        var today = clock.Today();
        int citizens = 0, households = 0, rejected = 0;
        foreach (var chunk in PopulationPlan.Generate(householdCount, today).Chunk(householdsPerTransaction))
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = "system:bulk-seed";
            session.CorrelationId = $"bulk-seed-{Guid.CreateVersion7()}";
            session.SetHeader(EventHeaders.EffectiveDate, today.ToString("yyyy-MM-dd"));
            session.SetHeader(EventHeaders.Reason, "synthetic population for benchmarks");

            foreach (var plan in chunk)
            {
                var (written, formed, refused) = WriteHousehold(session, plan, today);
                citizens += written;
                households += formed ? 1 : 0;
                rejected += refused;
            }
            await session.SaveChangesAsync(ct);
            progress?.Invoke(citizens);
        }
        return new DemoPopulation.Summary(citizens, households, rejected);
    }

    /// <summary>Appends one planned household's streams to the session (nothing is saved here): citizens first, then the household.</summary>
    public static (int Citizens, bool Formed, int Rejected) WriteHousehold(IDocumentSession session, PlannedHousehold plan, DateOnly today)
    {
        var rejected = 0;
        var members = new List<(Citizen Citizen, PlannedPerson Plan)>();
        foreach (var p in plan.People)
        {
            var id = Guid.CreateVersion7();
            var registered = CitizenDecisions.Register(id, p.IdNumber, p.FirstNames, p.Surname, p.DateOfBirth, p.Sex, p.Citizenship, plan.Address, today);
            if (!registered.IsAccepted) { rejected++; continue; }
            var events = registered.Events.ToList();
            var citizen = (Citizen)Citizen.Evolve(null, events[0])!;
            if (p.MonthlyIncome is { } income && CitizenDecisions.DeclareIncome(citizen, income, p.IncomeSource!.Value, today, today) is { IsAccepted: true } declared)
                events.AddRange(declared.Events);
            if (p.Disabled && CitizenDecisions.RecordDisabilityAssessment(citizen, true, p.PermanentDisability,
                    p.PermanentDisability ? null : today.AddYears(1), today, today) is { IsAccepted: true } assessed)
                events.AddRange(assessed.Events);
            session.Events.StartStream<Citizen>(id, events);
            members.Add((events.Aggregate((Citizen?)null, Citizen.Evolve)!, p));
        }
        if (members.FirstOrDefault() is not { Plan.Relationship: Relationship.Head } head) return (members.Count, false, rejected);

        var householdId = Guid.CreateVersion7();
        var formed = HouseholdDecisions.Form(householdId, head.Citizen, null, plan.Address, today, today);
        if (!formed.IsAccepted) return (members.Count, false, rejected + 1);
        var householdEvents = formed.Events.ToList();
        var household = Household.Evolve(null, householdEvents[0], today)!;
        foreach (var (citizen, p) in members.Skip(1))
        {
            var joined = HouseholdDecisions.AddMember(household, citizen, null, p.Relationship, today, today);
            if (!joined.IsAccepted) { rejected++; continue; }
            householdEvents.AddRange(joined.Events);
            household = Household.Evolve(household, joined.Events[0], today)!;
        }
        session.Events.StartStream<Household>(householdId, householdEvents);
        return (members.Count, true, rejected);
    }
}
