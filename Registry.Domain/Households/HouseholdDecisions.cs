using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Domain.Households;

/// <summary>
/// Pure decisions on the Household stream. "A living citizen belongs to at most one household" is
/// checked here for a clear answer, and guaranteed by the store (a unique membership row per citizen)
/// for the case where two caseworkers race.
/// </summary>
public static class HouseholdDecisions
{
    public static Decision Form(Guid householdId, Citizen head, Guid? headCurrentHousehold, Address address, DateOnly effective, DateOnly today)
    {
        if (MemberError(head, headCurrentHousehold, effective, today, "headIdNumber") is { } error) return Decision.Reject(error);
        if (address.Validate() is { } invalid) return Decision.Reject(invalid);
        return Decision.Accept(new HouseholdFormed(householdId, head.Id, address));
    }

    public static Decision AddMember(Household h, Citizen citizen, Guid? citizenCurrentHousehold, Relationship relationship, DateOnly effective, DateOnly today)
    {
        if (h.Dissolved) return Decision.Reject(ErrorCodes.HouseholdDissolved, "This household has been dissolved.", "householdId");
        if (relationship == Relationship.Head)
            return Decision.Reject(ErrorCodes.InvalidInput, "A household has one head; use changeHouseholdHead to change it.", "relationship");
        if (MemberError(citizen, h.HasMember(citizen.Id) ? h.Id : citizenCurrentHousehold, effective, today, "idNumber") is { } error)
            return Decision.Reject(error);
        return Decision.Accept(new MemberJoined(citizen.Id, relationship));
    }

    public static Decision RemoveMember(Household h, Guid citizenId, DateOnly effective, DateOnly today)
    {
        if (h.Dissolved) return Decision.Reject(ErrorCodes.HouseholdDissolved, "This household has been dissolved.", "householdId");
        if (effective > today) return Decision.Reject(FutureDate());
        var member = h.Members.FirstOrDefault(m => m.CitizenId == citizenId);
        if (member is null) return Decision.Reject(ErrorCodes.NotInHousehold, "The citizen is not a member of this household.", "idNumber");
        if (effective < member.JoinedOn) return Decision.Reject(BeforeJoining(member));
        if (h.HeadCitizenId == citizenId)
        {
            // The head leaves last: with others still there, a new head must be named first.
            if (h.Members.Count > 1)
                return Decision.Reject(ErrorCodes.HeadCannotLeave, "The head cannot leave while others remain; change the head first.", "idNumber");
            return Decision.Accept(new MemberLeft(citizenId), new HouseholdDissolved());
        }
        return Decision.Accept(new MemberLeft(citizenId));
    }

    /// <summary>
    /// Erasing a person takes the address of every household of theirs that no one lives in any more (the one
    /// their leaving dissolves, and any dissolved before); a household others still live in keeps its address.
    /// </summary>
    public static Decision EraseAddress(Household h) =>
        h.Dissolved && h.Address != Address.Erased ? Decision.Accept(new HouseholdAddressErased()) : Decision.Accept();

    public static Decision ChangeHead(Household h, Citizen newHead, DateOnly effective, DateOnly today)
    {
        if (h.Dissolved) return Decision.Reject(ErrorCodes.HouseholdDissolved, "This household has been dissolved.", "householdId");
        if (effective > today) return Decision.Reject(FutureDate());
        var member = h.Members.FirstOrDefault(m => m.CitizenId == newHead.Id);
        if (member is null) return Decision.Reject(ErrorCodes.NotInHousehold, "Only a member of the household can become its head.", "idNumber");
        if (effective < member.JoinedOn) return Decision.Reject(BeforeJoining(member));
        if (h.HeadCitizenId == newHead.Id) return Decision.Reject(ErrorCodes.AlreadyHead, "This citizen already heads the household.", "idNumber");
        if (!newHead.IsAlive) return Decision.Reject(ErrorCodes.CitizenDeceased, "A deceased citizen cannot head a household.", "idNumber");
        return Decision.Accept(new HeadChanged(newHead.Id, h.HeadCitizenId, Inverse(member.Relationship)));
    }

    /// <summary>The old head seen from the new head: the new head's child makes the old head a parent, and so on.</summary>
    public static Relationship Inverse(Relationship newHeadWasToOldHead) => newHeadWasToOldHead switch
    {
        Relationship.Spouse => Relationship.Spouse,
        Relationship.Sibling => Relationship.Sibling,
        Relationship.Child or Relationship.FosterChild => Relationship.Parent,
        Relationship.Parent => Relationship.Child,
        Relationship.Grandchild => Relationship.Grandparent,
        Relationship.Grandparent => Relationship.Grandchild,
        Relationship.NonRelative => Relationship.NonRelative,
        _ => Relationship.OtherRelative,
    };

    private static DomainError? MemberError(Citizen c, Guid? currentHousehold, DateOnly effective, DateOnly today, string field)
    {
        if (!c.IsAlive) return new DomainError(ErrorCodes.CitizenDeceased, "A deceased citizen cannot join a household.", field);
        if (c.IsMerged) return new DomainError(ErrorCodes.AlreadyMerged, "This ID number's record was merged into another; use the surviving record.", field);
        if (currentHousehold is not null)
            return new DomainError(ErrorCodes.AlreadyInHousehold, "The citizen already belongs to a household; they must leave it first.", field);
        if (effective > today) return FutureDate();
        if (effective < c.DateOfBirth) return new DomainError(ErrorCodes.InvalidDate, "The effective date cannot be before the citizen's birth.", "effectiveDate");
        return null;
    }

    private static DomainError BeforeJoining(HouseholdMember member) =>
        new(ErrorCodes.InvalidDate, $"The effective date cannot be before the member joined ({member.JoinedOn:yyyy-MM-dd}).", "effectiveDate");

    private static DomainError FutureDate() =>
        new(ErrorCodes.InvalidDate, "The effective date cannot be in the future: the register records what has happened.", "effectiveDate");
}
