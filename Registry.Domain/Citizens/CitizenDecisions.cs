using Registry.Domain.Common;

namespace Registry.Domain.Citizens;

/// <summary>Pure decisions on the Citizen stream: state and a request in, events or a domain error out.</summary>
public static class CitizenDecisions
{
    /// <summary>The oldest living South Africans are ~115; a birth further back is a capture error.</summary>
    public const int MaximumAgeYears = 130;
    public const decimal MaximumMonthlyIncome = 100_000_000m;
    public const decimal MaximumAnnualSchoolCharges = 10_000_000m;

    public static Decision Register(
        Guid citizenId, string idNumber, string firstNames, string surname, DateOnly dateOfBirth,
        Sex sex, Citizenship citizenship, Address address, DateOnly today)
    {
        if (!SaIdNumber.TryParse(idNumber, today, out var id, out var idError))
            return Decision.Reject(idError!);
        if (dateOfBirth > today || dateOfBirth < today.AddYears(-MaximumAgeYears))
            return Decision.Reject(ErrorCodes.InvalidDate, "The date of birth must lie in the past and within 130 years.", "dateOfBirth");
        if (id.CheckAgreement(dateOfBirth, sex, citizenship) is { } mismatch)
            return Decision.Reject(mismatch);
        if ((NameError(firstNames, "firstNames") ?? NameError(surname, "surname") ?? address.Validate()) is { } invalid)
            return Decision.Reject(invalid);

        return Decision.Accept(new CitizenRegistered(
            citizenId, id.Value, firstNames.Trim(), surname.Trim(), dateOfBirth, sex, citizenship, address));
    }

    public static Decision ChangeName(Citizen c, string firstNames, string surname, DateOnly effective, DateOnly today)
    {
        if (Guard(c, effective, today) is { } error) return Decision.Reject(error);
        if ((NameError(firstNames, "firstNames") ?? NameError(surname, "surname")) is { } invalid) return Decision.Reject(invalid);
        if (c.FirstNames == firstNames.Trim() && c.Surname == surname.Trim())
            return Decision.Reject(ErrorCodes.NoChange, "The citizen already has these names.");
        return Decision.Accept(new CitizenNameChanged(firstNames.Trim(), surname.Trim()));
    }

    public static Decision ChangeAddress(Citizen c, Address address, DateOnly effective, DateOnly today)
    {
        if (Guard(c, effective, today) is { } error) return Decision.Reject(error);
        if (address.Validate() is { } invalid) return Decision.Reject(invalid);
        if (c.Address == address) return Decision.Reject(ErrorCodes.NoChange, "The citizen already lives at this address.");
        return Decision.Accept(new CitizenAddressChanged(address));
    }

    public static Decision DeclareIncome(Citizen c, decimal monthlyIncome, IncomeSource source, DateOnly effective, DateOnly today)
    {
        if (Guard(c, effective, today) is { } error) return Decision.Reject(error);
        if (monthlyIncome < 0 || monthlyIncome > MaximumMonthlyIncome || decimal.Round(monthlyIncome, 2) != monthlyIncome)
            return Decision.Reject(ErrorCodes.InvalidInput, "Monthly income is an amount in rand and cents, from 0 to R100,000,000.", "monthlyIncome");
        if (source == IncomeSource.None && monthlyIncome != 0)
            return Decision.Reject(ErrorCodes.InvalidInput, "Income source NONE means a monthly income of 0.", "source");
        return Decision.Accept(new IncomeDeclared(monthlyIncome, source));
    }

    public static Decision RecordDisabilityAssessment(Citizen c, bool disabled, bool permanent, DateOnly? reviewDate, DateOnly effective, DateOnly today)
    {
        if (Guard(c, effective, today) is { } error) return Decision.Reject(error);
        if (permanent && !disabled)
            return Decision.Reject(ErrorCodes.InvalidInput, "Only a disability can be permanent.", "permanent");
        if (reviewDate is { } review && review <= effective)
            return Decision.Reject(ErrorCodes.InvalidDate, "A review date must come after the assessment.", "reviewDate");
        if (disabled && !permanent && reviewDate is null)
            return Decision.Reject(ErrorCodes.InvalidInput, "A temporary disability needs a review date.", "reviewDate");
        return Decision.Accept(new DisabilityAssessed(disabled, permanent, permanent ? null : reviewDate));
    }

    public static Decision RecordOrphanhood(Citizen c, bool orphaned, string? reason, DateOnly effective, DateOnly today)
    {
        if (Guard(c, effective, today) is { } error) return Decision.Reject(error);
        if (string.IsNullOrWhiteSpace(reason))
            return Decision.Reject(ErrorCodes.ReasonRequired, "Recording orphanhood needs a reason, e.g. the parents' death certificate numbers.", "reason");
        if (orphaned && c.DateOfBirth.AddYears(18) <= effective)
            return Decision.Reject(ErrorCodes.InvalidInput, "Orphanhood is recorded for children under 18.", "orphaned");
        if (c.Orphaned == orphaned)
            return Decision.Reject(ErrorCodes.NoChange, orphaned ? "The child is already recorded as an orphan." : "The child is not recorded as an orphan.");
        return Decision.Accept(new OrphanhoodRecorded(orphaned));
    }

    /// <summary>
    /// Two records flagged as alike are two people: a caseworker's finding, with its reason, so the pair stops being
    /// shown. Recorded on the first record; either side's finding clears the pair.
    /// </summary>
    public static Decision RecordNotADuplicate(Citizen c, Citizen other, string? reason)
    {
        if (other.Id == c.Id)
            return Decision.Reject(ErrorCodes.InvalidInput, "A record is not a duplicate of itself: name the other record.", "otherIdNumber");
        if (other.IsMerged)
            return Decision.Reject(ErrorCodes.AlreadyMerged, "The other record was merged into another; it is one person with it.", "otherIdNumber");
        if (string.IsNullOrWhiteSpace(reason))
            return Decision.Reject(ErrorCodes.ReasonRequired, "Telling two records apart needs a reason, e.g. what the documents showed.", "reason");
        if (DuplicateMatching.ToldApart(c, other))
            return Decision.Reject(ErrorCodes.NoChange, "These two records are already recorded as two people.");
        return Decision.Accept(new NotADuplicateRecorded(other.Id));
    }

    public static Decision RecordSchoolAttendance(Citizen c, bool attending, DateOnly effective, DateOnly today)
    {
        if (Guard(c, effective, today) is { } error) return Decision.Reject(error);
        if ((c.School?.Attending ?? false) == attending)
            return Decision.Reject(ErrorCodes.NoChange, attending ? "The person is already recorded as attending school." : "The person is not recorded as attending school.");
        return Decision.Accept(new SchoolAttendanceRecorded(attending, effective));
    }

    /// <summary>
    /// The fees of the learner's school for a school year. The year may be the coming one (schools set next
    /// year's fees in advance) but not one before the learner was born.
    /// </summary>
    public static Decision RecordSchoolFees(Citizen c, int year, decimal annualFees, decimal otherAnnualCharges, DateOnly effective, DateOnly today)
    {
        if (Guard(c, effective, today) is { } error) return Decision.Reject(error);
        if (year < c.DateOfBirth.Year || year > today.Year + 1)
            return Decision.Reject(ErrorCodes.InvalidInput, $"The school year must lie between the learner's year of birth and {today.Year + 1}.", "year");
        if ((AmountError(annualFees, "annualFees") ?? AmountError(otherAnnualCharges, "otherAnnualCharges")) is { } invalid)
            return Decision.Reject(invalid);
        if (c.SchoolFees?.FirstOrDefault(f => f.Year == year) is { } recorded && recorded.AnnualFees == annualFees && recorded.OtherAnnualCharges == otherAnnualCharges)
            return Decision.Reject(ErrorCodes.NoChange, $"These fees are already recorded for {year}.");
        return Decision.Accept(new SchoolFeesRecorded(year, annualFees, otherAnnualCharges));

        static DomainError? AmountError(decimal amount, string field) =>
            amount < 0 || amount > MaximumAnnualSchoolCharges || decimal.Round(amount, 2) != amount
                ? new DomainError(ErrorCodes.InvalidInput, "School charges are an amount in rand and cents, from 0 to R10,000,000 a year.", field)
                : null;
    }

    public static Decision RecordDeath(Citizen c, DateOnly dateOfDeath, string? reason, DateOnly today)
    {
        if (!c.IsAlive)
            return Decision.Reject(ErrorCodes.CitizenDeceased, $"The death of this citizen was already recorded ({c.DateOfDeath:yyyy-MM-dd}).");
        if (string.IsNullOrWhiteSpace(reason))
            return Decision.Reject(ErrorCodes.ReasonRequired, "Recording a death needs a reason, e.g. the death notice number.", "reason");
        if (dateOfDeath > today || dateOfDeath < c.DateOfBirth)
            return Decision.Reject(ErrorCodes.InvalidDate, "The date of death must lie between the date of birth and today.", "dateOfDeath");
        return Decision.Accept(new CitizenDied(dateOfDeath));
    }

    /// <summary>Corrections are allowed after death too: a register must be able to fix a deceased person's record.</summary>
    public static Decision Correct(Citizen c, string field, string value, string? reason, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(reason))
            return Decision.Reject(ErrorCodes.ReasonRequired, "A correction needs a reason.", "reason");
        if (!CorrectableFields.Names.Contains(field))
            return Decision.Reject(ErrorCodes.InvalidInput, $"'{field}' cannot be corrected; correctable fields: {string.Join(", ", CorrectableFields.Names)}.", "field");
        if (CorrectableFields.Normalise(field, value) is not { } newValue)
            return field == "idNumber"
                ? Decision.Reject(ErrorCodes.InvalidIdNumber, "An ID number has exactly 13 digits.", "value")
                : Decision.Reject(ErrorCodes.InvalidInput, $"'{value}' is not a valid value for {field}.", "value");
        var oldValue = CorrectableFields.Current(c, field);
        if (oldValue == newValue)
            return Decision.Reject(ErrorCodes.NoChange, $"The record already holds this {field}.");

        // Whatever is corrected, the ID number and the identity facts it encodes must still agree.
        var corrected = CorrectableFields.Apply(c, field, newValue);
        if (!SaIdNumber.TryParse(corrected.IdNumber, today, out var id, out var idError))
            return Decision.Reject(idError! with { Field = "value" });
        if (corrected.DateOfBirth > today || corrected.DateOfBirth < today.AddYears(-MaximumAgeYears)
            || corrected.DateOfDeath is { } died && corrected.DateOfBirth > died)
            return Decision.Reject(ErrorCodes.InvalidDate, "The date of birth must lie in the past, within 130 years, and before any recorded death.", "value");
        if (id.CheckAgreement(corrected.DateOfBirth, corrected.Sex, corrected.Citizenship) is { } mismatch)
            return Decision.Reject(mismatch);

        return Decision.Accept(new CitizenRecordCorrected(field, oldValue, newValue));
    }

    /// <summary>What every change to a living citizen's circumstances must satisfy.</summary>
    private static DomainError? Guard(Citizen c, DateOnly effective, DateOnly today)
    {
        if (!c.IsAlive)
            return new DomainError(ErrorCodes.CitizenDeceased, $"The citizen died on {c.DateOfDeath:yyyy-MM-dd}; their circumstances can no longer change.");
        if (effective > today)
            return new DomainError(ErrorCodes.InvalidDate, "The effective date cannot be in the future: the register records what has happened.", "effectiveDate");
        if (effective < c.DateOfBirth)
            return new DomainError(ErrorCodes.InvalidDate, "The effective date cannot be before the citizen's birth.", "effectiveDate");
        return null;
    }

    private static DomainError? NameError(string? name, string field) =>
        CitizenNames.IsAcceptable(name) ? null
            : new DomainError(ErrorCodes.InvalidInput, $"{field} must be 1-{CitizenNames.MaxLength} characters, without digits or control characters.", field);
}
