using Registry.Domain.Common;

namespace Registry.Domain.Citizens;

// Events of the Citizen stream. Who, why, when-effective and correlation travel as event metadata,
// so these records hold only the facts themselves.

public sealed record CitizenRegistered(
    Guid CitizenId,
    string IdNumber,
    string FirstNames,
    string Surname,
    DateOnly DateOfBirth,
    Sex Sex,
    Citizenship Citizenship,
    Address Address);

public sealed record CitizenNameChanged(string FirstNames, string Surname);

public sealed record CitizenAddressChanged(Address Address);

public sealed record IncomeDeclared(decimal MonthlyIncome, IncomeSource Source);

public sealed record DisabilityAssessed(bool Disabled, bool Permanent, DateOnly? ReviewDate);

public sealed record CitizenDied(DateOnly DateOfDeath);

/// <summary>
/// The child has lost both parents (or one, with the other unknown or missing): what the CSG Top-Up and
/// the automatic school-fee exemption for orphans in kinship care rest on. Recorded from death certificates.
/// </summary>
public sealed record OrphanhoodRecorded(bool Orphaned);

/// <summary>
/// A caseworker looked at a probable duplicate and found two people: the pair is not flagged again, from either side.
/// The other record is named by its id only; the reason is in the event's sealed header.
/// </summary>
public sealed record NotADuplicateRecorded(Guid OtherCitizenId);

/// <summary>Attending school from the date (or no longer): keeps a foster child's grant to 21.</summary>
public sealed record SchoolAttendanceRecorded(bool Attending, DateOnly From);

/// <summary>
/// What the learner's school charges for a school year (the calendar year in South Africa): annual fees F and
/// other annual charges A of the fee-exemption formula. A fact recorded by the register, never a figure a
/// department chooses per question; a later recording for the same year replaces it, and both stay in the history.
/// </summary>
public sealed record SchoolFeesRecorded(int Year, decimal AnnualFees, decimal OtherAnnualCharges);

/// <summary>A data-capture mistake put right; the old value is kept so the history explains itself.</summary>
public sealed record CitizenRecordCorrected(string Field, string OldValue, string NewValue);
