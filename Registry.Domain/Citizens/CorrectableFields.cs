using System.Globalization;
using Registry.Domain.Common;

namespace Registry.Domain.Citizens;

/// <summary>The fields a caseworker may correct on a citizen record, and how each is read and applied.</summary>
public static class CorrectableFields
{
    public static readonly IReadOnlyList<string> Names = ["firstNames", "surname", "dateOfBirth", "sex", "citizenship", "idNumber"];

    public static string Current(Citizen c, string field) => field switch
    {
        "firstNames" => c.FirstNames,
        "surname" => c.Surname,
        "dateOfBirth" => c.DateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "sex" => c.Sex.ToString(),
        "citizenship" => c.Citizenship.ToString(),
        "idNumber" => c.IdNumber,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "not a correctable field"),
    };

    /// <summary>Reads a caseworker's text into the canonical stored form; null when it cannot be read.</summary>
    public static string? Normalise(string field, string value)
    {
        var v = value.Trim();
        return field switch
        {
            "firstNames" or "surname" => CitizenNames.IsAcceptable(v) ? v : null,
            "dateOfBirth" => DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            "sex" => ParseEnum<Sex>(v)?.ToString(),
            "citizenship" => ParseEnum<Citizenship>(v)?.ToString(),
            "idNumber" => v.Length == 13 && v.All(char.IsAsciiDigit) ? v : null,
            _ => null,
        };
    }

    public static Citizen Apply(Citizen c, string field, string value) => field switch
    {
        "firstNames" => c with { FirstNames = value },
        "surname" => c with { Surname = value },
        "dateOfBirth" => c with { DateOfBirth = DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture) },
        "sex" => c with { Sex = Enum.Parse<Sex>(value) },
        "citizenship" => c with { Citizenship = Enum.Parse<Citizenship>(value) },
        "idNumber" => c with { IdNumber = value },
        _ => c,
    };

    // Accepts both the GraphQL spelling (PERMANENT_RESIDENT) and the C# one (PermanentResident).
    private static T? ParseEnum<T>(string v) where T : struct, Enum =>
        v.All(ch => char.IsAsciiLetter(ch) || ch == '_')
        && Enum.TryParse<T>(v.Replace("_", ""), ignoreCase: true, out var r) && Enum.IsDefined(r) ? r : null;
}

public static class CitizenNames
{
    public const int MaxLength = 100;

    public static bool IsAcceptable(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Trim().Length <= MaxLength && !name.Any(char.IsControl) && !name.Any(char.IsDigit);
}
