using JasperFx.Events;
using Marten.Events.Aggregation;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;

namespace Registry.Projections.SocialDevelopment;

/// <summary>
/// SASSA's read model: which grant a beneficiary holds, its status, amount and start. Decisions,
/// their inputs (incomes, household) and other departments' programmes are left out on purpose.
/// </summary>
public sealed record SocialGrantRecord(Guid Id, Guid BeneficiaryId, ProgrammeCode Programme, EntitlementStatus Status, decimal? MonthlyAmount, DateOnly? Since);

/// <summary>Inline, so a grant is listed in the same transaction that granted it.</summary>
public partial class SocialGrantProjection : SingleStreamProjection<SocialGrantRecord, Guid>
{
    public SocialGrantProjection()
    {
        foreach (var type in Entitlement.EventTypes) IncludeType(type);
    }

    public override SocialGrantRecord? Evolve(SocialGrantRecord? snapshot, Guid id, IEvent e)
    {
        // The entitlement's own fold decides the state; this keeps only what SASSA may see.
        var state = snapshot is null ? null : new Entitlement(snapshot.Id, snapshot.Programme, snapshot.BeneficiaryId, null, snapshot.Status, snapshot.MonthlyAmount, snapshot.Since);
        var next = Entitlement.Evolve(state, e.Data);
        if (next is null || ProgrammeInfo.Of(next.Programme).Department != Departments.SocialDevelopment) return null;
        return new SocialGrantRecord(next.Id, next.BeneficiaryId, next.Programme, next.Status, next.MonthlyAmount, next.Since);
    }
}
