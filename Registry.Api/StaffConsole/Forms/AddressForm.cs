using System.Text.Json;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Forms;

/// <summary>
/// An address as the register and change-of-address forms ask for it (bound as Address.Line1, …). The municipality
/// is chosen from those the register serves, and its province follows from it: a caseworker cannot pair them wrongly.
/// </summary>
public sealed class AddressForm
{
    public static readonly IReadOnlyList<string> FieldIds = ["line1", "line2", "suburb", "city", "municipalityCode", "postalCode"];

    public static readonly IReadOnlyList<Choice> MunicipalityChoices =
        [.. Municipalities.Known.OrderBy(m => m.City, StringComparer.Ordinal).Select(m => new Choice(m.Code, $"{m.City} ({m.Code}), {Labels.Name(ProvinceConstant(m.Province))}"))];

    public string? Line1 { get; set; }
    public string? Line2 { get; set; }
    public string? Suburb { get; set; }
    public string? City { get; set; }
    public string? MunicipalityCode { get; set; }
    public string? PostalCode { get; set; }

    public static AddressForm Of(JsonElement address) => new()
    {
        Line1 = Text(address, "line1"), Line2 = Text(address, "line2"), Suburb = Text(address, "suburb"),
        City = Text(address, "city"), MunicipalityCode = Text(address, "municipalityCode"), PostalCode = Text(address, "postalCode"),
    };

    /// <summary>The AddressInput to send; every missing part gets its error at once (the register names only its first).</summary>
    public object Read(List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(Line1)) errors.Add(new("line1", ErrorCodes.InvalidInput, "Enter the first line of the address"));
        if (string.IsNullOrWhiteSpace(City)) errors.Add(new("city", ErrorCodes.InvalidInput, "Enter the town or city"));
        var municipality = Municipalities.Find(MunicipalityCode ?? "");
        if (municipality is null) errors.Add(new("municipalityCode", ErrorCodes.InvalidInput, "Select the municipality"));
        if (string.IsNullOrWhiteSpace(PostalCode)) errors.Add(new("postalCode", ErrorCodes.InvalidInput, "Enter the postal code"));
        return new
        {
            line1 = Line1 ?? "", line2 = Line2, suburb = Suburb, city = City ?? "", municipalityCode = MunicipalityCode ?? "",
            province = municipality is null ? null : ProvinceConstant(municipality.Province), postalCode = PostalCode ?? "",
        };
    }

    /// <summary>One line, as the record shows it.</summary>
    public static string Line(JsonElement address) =>
        string.Join(", ", new[] { Text(address, "line1"), Text(address, "line2"), Text(address, "suburb"), Text(address, "city"), Text(address, "postalCode") }
            .Where(p => p is not null)) + ", " + Labels.Name(Text(address, "province"));

    /// <summary>WesternCape → WESTERN_CAPE, the register's GraphQL name of the province.</summary>
    private static string ProvinceConstant(Province province) =>
        string.Concat(province.ToString().Select((ch, i) => i > 0 && char.IsUpper(ch) ? "_" + ch : ch.ToString())).ToUpperInvariant();

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
