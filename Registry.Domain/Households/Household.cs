using Registry.Domain.Common;

namespace Registry.Domain.Households;

public sealed record HouseholdMember(Guid CitizenId, Relationship Relationship, DateOnly JoinedOn);

/// <summary>The current state of one household, folded from the Household stream.</summary>
public sealed record Household(
    Guid Id,
    Guid HeadCitizenId,
    Address Address,
    IReadOnlyList<HouseholdMember> Members,
    bool Dissolved = false,
    long Version = 0,
    DateTimeOffset LastChangedAt = default)
{
    public bool HasMember(Guid citizenId) => Members.Any(m => m.CitizenId == citizenId);

    /// <summary>Gross monthly household income: the living members' latest declared incomes; undeclared counts as zero.</summary>
    public decimal MonthlyIncome(IEnumerable<Citizens.Citizen> citizens) =>
        citizens.Where(c => c.IsAlive && HasMember(c.Id)).Sum(c => c.MonthlyIncome ?? 0m);

    /// <summary>The events <see cref="Evolve"/> folds: what a projection of households reads, and nothing else.</summary>
    public static readonly IReadOnlyList<Type> EventTypes =
        [typeof(HouseholdFormed), typeof(MemberJoined), typeof(MemberLeft), typeof(HeadChanged), typeof(HouseholdDissolved), typeof(HouseholdAddressErased)];

    /// <summary>Pure fold of one event; the effective date is metadata, so the caller passes it in.</summary>
    public static Household? Evolve(Household? state, object @event, DateOnly effectiveDate) => (state, @event) switch
    {
        (_, HouseholdFormed e) => new Household(e.HouseholdId, e.HeadCitizenId, e.Address,
            [new HouseholdMember(e.HeadCitizenId, Relationship.Head, effectiveDate)]),
        (null, _) => null,
        (var h, MemberJoined e) => h with { Members = [.. h.Members, new HouseholdMember(e.CitizenId, e.Relationship, effectiveDate)] },
        (var h, MemberLeft e) => h with { Members = [.. h.Members.Where(m => m.CitizenId != e.CitizenId)] },
        (var h, HeadChanged e) => h with
        {
            HeadCitizenId = e.NewHeadCitizenId,
            Members = [.. h.Members.Select(m =>
                m.CitizenId == e.NewHeadCitizenId ? m with { Relationship = Relationship.Head }
                : m.CitizenId == e.PreviousHeadCitizenId ? m with { Relationship = e.PreviousHeadRelationship }
                : m)],
        },
        (var h, HouseholdDissolved) => h with { Dissolved = true },
        (var h, HouseholdAddressErased) => h with { Address = Address.Erased },
        var (h, _) => h,
    };
}
