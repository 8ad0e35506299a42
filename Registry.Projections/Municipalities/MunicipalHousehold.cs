using JasperFx.Events;
using JasperFx.Events.Aggregation;
using JasperFx.Events.Daemon;
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
/// <param name="LivingMemberIds">Whose incomes <paramref name="MonthlyIncome"/> sums: each is a person shown when it is read.</param>
public sealed record MunicipalHousehold(Guid Id, string MunicipalityCode, Address Address, Guid HeadCitizenId, string HeadIdNumber, int Members, decimal MonthlyIncome,
    IReadOnlyList<Guid>? LivingMemberIds = null);

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
        // The household's own changes, and the members' changes that move its income or its head's number.
        foreach (var type in new[] { typeof(HouseholdFormed), typeof(MemberJoined), typeof(MemberLeft), typeof(HeadChanged), typeof(HouseholdDissolved),
                     typeof(IncomeDeclared), typeof(CitizenDied), typeof(CitizenRecordCorrected) })
            IncludeType(type);
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

    /// <summary>All of a household's events in a batch lead to one recomputation, not one per event.</summary>
    public override async ValueTask<(MunicipalHousehold?, ActionType)> DetermineActionAsync(IQuerySession session, MunicipalHousehold? snapshot,
        Guid identity, IIdentitySetter<MunicipalHousehold, Guid> identitySetter, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var household = await session.LoadAsync<Household>(identity, cancellation);
        if (household is null || household.Dissolved)
            return snapshot is null ? (null, ActionType.Nothing) : (snapshot, ActionType.Delete);
        var citizens = await session.LoadManyAsync<Citizen>(cancellation, household.Members.Select(m => m.CitizenId));
        var head = citizens.FirstOrDefault(c => c.Id == household.HeadCitizenId);
        // In the household's own order: documents load in no particular one, and a rebuild must write the same.
        var alive = citizens.Where(c => c.IsAlive).Select(c => c.Id).ToHashSet();
        var living = household.Members.Select(m => m.CitizenId).Where(alive.Contains).ToList();
        return (new MunicipalHousehold(identity, household.Address.MunicipalityCode, household.Address, household.HeadCitizenId, head?.IdNumber ?? "",
            living.Count, household.MonthlyIncome(citizens), living), ActionType.Store);
    }
}
