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

/// <summary>A data-capture mistake put right; the old value is kept so the history explains itself.</summary>
public sealed record CitizenRecordCorrected(string Field, string OldValue, string NewValue);
