using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Registry.Domain.Households;

namespace Registry.Projections.Households;

/// <summary>
/// A household a citizen formed or joined, kept after they leave: the candidates for "their household
/// on a past date", found by an index on the citizen instead of a scan of every event.
/// </summary>
public sealed record HouseholdJoining(string Id, Guid CitizenId, Guid HouseholdId)
{
    public static string IdFor(Guid citizenId, Guid householdId) => $"{citizenId:N}:{householdId:N}";
}

/// <summary>Upserts, never deletes: joining the same household twice is one row, leaving removes none.</summary>
public partial class HouseholdJoiningProjection : EventProjection
{
    public HouseholdJoiningProjection()
    {
        IncludeType<HouseholdFormed>();
        IncludeType<MemberJoined>();
    }

    public override ValueTask ApplyAsync(IDocumentOperations ops, IEvent e, CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case HouseholdFormed formed:
                ops.Store(new HouseholdJoining(HouseholdJoining.IdFor(formed.HeadCitizenId, e.StreamId), formed.HeadCitizenId, e.StreamId));
                break;
            case MemberJoined joined:
                ops.Store(new HouseholdJoining(HouseholdJoining.IdFor(joined.CitizenId, e.StreamId), joined.CitizenId, e.StreamId));
                break;
        }
        return ValueTask.CompletedTask;
    }
}
