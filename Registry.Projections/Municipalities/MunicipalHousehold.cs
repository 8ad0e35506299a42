using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Households;
using Registry.Projections.Households;

namespace Registry.Projections.Municipalities;

/// <summary>
/// What a municipality needs for indigent support: the household, where it is, who heads it, how many
/// live there and what they earn together. No names, no individual incomes, no other programmes.
/// </summary>
public sealed record MunicipalHousehold(Guid Id, string MunicipalityCode, Address Address, Guid HeadCitizenId, string HeadIdNumber, int Members, decimal MonthlyIncome);

/// <summary>
/// Async: municipalities read it in batches, so it need not hold up a caseworker's write. Household
/// events and members' income or death events both lead to the household, which is then recomputed
/// from the current household and citizen documents, so replays and rebuilds end in the same state.
/// </summary>
public partial class MunicipalHouseholdProjection : MultiStreamProjection<MunicipalHousehold, Guid>
{
    public const string ProjectionTitle = "MunicipalHousehold";

    public MunicipalHouseholdProjection()
    {
        Name = ProjectionTitle;
        CustomGrouping(async (session, events, grouping) =>
        {
            foreach (var e in events.Where(e => e.Data is HouseholdFormed or MemberJoined or MemberLeft or HeadChanged or HouseholdDissolved))
                grouping.AddEvent(e.StreamId, e);

            var citizenEvents = events.Where(e => e.Data is IncomeDeclared or CitizenDied or CitizenRecordCorrected).ToList();
            if (citizenEvents.Count == 0) return;
            var memberships = (await session.LoadManyAsync<HouseholdMembership>(citizenEvents.Select(e => e.StreamId).Distinct()))
                .ToDictionary(m => m.Id, m => m.HouseholdId);
            foreach (var e in citizenEvents)
                if (memberships.TryGetValue(e.StreamId, out var householdId)) grouping.AddEvent(householdId, e);
        });
    }

    public override async ValueTask<MunicipalHousehold?> EvolveAsync(MunicipalHousehold? snapshot, Guid id, IQuerySession session, IEvent e, CancellationToken cancellation)
    {
        var household = await session.LoadAsync<Household>(id, cancellation);
        if (household is null || household.Dissolved) return null;
        var citizens = await session.LoadManyAsync<Citizen>(cancellation, household.Members.Select(m => m.CitizenId));
        var head = citizens.FirstOrDefault(c => c.Id == household.HeadCitizenId);
        return new MunicipalHousehold(id, household.Address.MunicipalityCode, household.Address, household.HeadCitizenId, head?.IdNumber ?? "",
            citizens.Count(c => c.IsAlive), household.MonthlyIncome(citizens));
    }
}
