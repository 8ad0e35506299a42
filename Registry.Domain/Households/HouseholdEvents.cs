using Registry.Domain.Common;

namespace Registry.Domain.Households;

// Events of the Household stream. Members are named by citizen stream id, never by ID number.

public sealed record HouseholdFormed(Guid HouseholdId, Guid HeadCitizenId, Address Address);

public sealed record MemberJoined(Guid CitizenId, Relationship Relationship);

public sealed record MemberLeft(Guid CitizenId);

/// <summary>The former head stays a member, with the relationship the new head's implies.</summary>
public sealed record HeadChanged(Guid NewHeadCitizenId, Guid PreviousHeadCitizenId, Relationship PreviousHeadRelationship);

/// <summary>The last member left; the household exists only as history now.</summary>
public sealed record HouseholdDissolved;

/// <summary>
/// A dissolved household's address was erased with a person who lived there: its key is destroyed, so the
/// address in <see cref="HouseholdFormed"/> reads as erased, and the household's state forgets it too.
/// </summary>
public sealed record HouseholdAddressErased;
