using System.Text.RegularExpressions;

namespace Registry.Domain.Common;

public sealed record Address(
    string Line1,
    string? Line2,
    string? Suburb,
    string City,
    string MunicipalityCode,
    Province Province,
    string PostalCode)
{
    /// <summary>What an erased address reads as: placeholders, as the sealed events read once their key is gone.</summary>
    public static readonly Address Erased = new(Citizens.Erasure.Placeholder, null, null, Citizens.Erasure.Placeholder, Citizens.Erasure.Placeholder, default, Citizens.Erasure.Placeholder);

    /// <summary>Checks what can be checked without a gazetteer; null when the address is acceptable.</summary>
    public DomainError? Validate(string field = "address")
    {
        if (string.IsNullOrWhiteSpace(Line1)) return Invalid($"{field}.line1", "Address line 1 is required.");
        if (string.IsNullOrWhiteSpace(City)) return Invalid($"{field}.city", "City is required.");
        // Municipal demarcation codes look like CPT, JHB, EC101, KZN225.
        if (!Regex.IsMatch(MunicipalityCode ?? "", @"^[A-Z]{2,3}[0-9]{0,3}\z"))
            return Invalid($"{field}.municipalityCode", "Municipality code must be a demarcation code such as CPT or EC101.");
        if (!Enum.IsDefined(Province))
            return Invalid($"{field}.province", "Province must be one of the nine provinces.");
        if (!Regex.IsMatch(PostalCode ?? "", @"^[0-9]{4}\z"))
            return Invalid($"{field}.postalCode", "Postal code must be four digits.");
        if (Line1.Length > 200 || (Line2?.Length ?? 0) > 200 || (Suburb?.Length ?? 0) > 100 || City.Length > 100)
            return Invalid(field, "Address lines are limited to 200 characters, suburb and city to 100.");
        return null;
    }

    private static DomainError Invalid(string field, string message) => new(ErrorCodes.InvalidInput, message, field);
}
