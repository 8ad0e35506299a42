using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Registry.Domain.Households;

namespace Registry.Projections.Households;

/// <summary>One row per citizen who is in a household: its primary key is the citizen's id.</summary>
public sealed record HouseholdMembership(Guid Id, Guid HouseholdId);

/// <summary>
/// Enforces "at most one household per citizen" in the store: joining inserts (never upserts) the
/// citizen's row, so a second concurrent join fails on the primary key and its whole transaction,
/// events included, rolls back.
/// </summary>
public partial class HouseholdMembershipProjection : EventProjection
{
    public HouseholdMembershipProjection()
    {
        IncludeType<HouseholdFormed>();
        IncludeType<MemberJoined>();
        IncludeType<MemberLeft>();
    }

    public override ValueTask ApplyAsync(IDocumentOperations ops, IEvent e, CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case HouseholdFormed formed:
                ops.Insert(new HouseholdMembership(formed.HeadCitizenId, e.StreamId));
                break;
            case MemberJoined joined:
                ops.Insert(new HouseholdMembership(joined.CitizenId, e.StreamId));
                break;
            case MemberLeft left:
                ops.Delete<HouseholdMembership>(left.CitizenId);
                break;
        }
        return ValueTask.CompletedTask;
    }
}
