using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Domain.Tests;

/// <summary>Fixed clock and ready-made valid values shared by the domain tests.</summary>
internal static class TestData
{
    /// <summary>The fixed "today" of every test, so century choices and age limits never drift.</summary>
    public static readonly DateOnly Today = new(2026, 11, 25);

    public static Address CapeTown() => new("1 Main Rd", null, null, "Cape Town", "CPT", Province.WesternCape, "8001");

    public static Address Johannesburg() => new("12 Commissioner St", "Flat 3", "Marshalltown", "Johannesburg", "JHB", Province.Gauteng, "2001");

    /// <summary>A living, registered citizen whose ID number agrees with the date of birth, sex and citizenship.</summary>
    public static Citizen Citizen(
        DateOnly? dateOfBirth = null,
        Sex sex = Sex.Female,
        Citizenship citizenship = Citizenship.Citizen,
        string firstNames = "Thandiwe Grace",
        string surname = "Nkosi",
        DateOnly? dateOfDeath = null,
        Guid? id = null,
        int sequence = 123)
    {
        var dob = dateOfBirth ?? new DateOnly(1985, 6, 15);
        var idNumber = SaIdNumber.Create(dob, sex, citizenship, sequence).Value;
        return new Citizen(id ?? Guid.NewGuid(), idNumber, firstNames, surname, dob, sex, citizenship, CapeTown(),
            DateOfDeath: dateOfDeath);
    }
}

/// <summary>
/// An independent Luhn implementation (the "whole number sums to a multiple of ten" form), so the
/// tests do not trust the check-digit code they are testing.
/// </summary>
internal static class Luhn
{
    public static bool IsValid(string digits)
    {
        var sum = 0;
        for (var posFromRight = 0; posFromRight < digits.Length; posFromRight++)
        {
            var d = digits[digits.Length - 1 - posFromRight] - '0';
            if (posFromRight % 2 == 1)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /// <summary>Appends the one digit that makes the number Luhn-valid, found by trying all ten.</summary>
    public static string Complete(string first12)
    {
        for (var c = '0'; c <= '9'; c++)
            if (IsValid(first12 + c)) return first12 + c;
        throw new InvalidOperationException("unreachable: one digit always completes a Luhn number");
    }

    /// <summary>The same first twelve digits with a check digit that is certainly wrong.</summary>
    public static string Spoil(string valid13) =>
        valid13[..12] + (char)('0' + (valid13[12] - '0' + 1) % 10);
}
