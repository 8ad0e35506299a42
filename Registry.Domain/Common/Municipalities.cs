namespace Registry.Domain.Common;

/// <summary>A municipality the register knows: demarcation code, main town, province, a postal code there.</summary>
public sealed record Municipality(string Code, string City, Province Province, string PostalCode);

/// <summary>
/// The municipalities the register serves so far: all eight metros and a district town in every
/// province. An imported address must name one of these, in its own province.
/// </summary>
public static class Municipalities
{
    public static readonly IReadOnlyList<Municipality> Known =
    [
        new("CPT", "Cape Town", Province.WesternCape, "7700"),
        new("WC023", "Paarl", Province.WesternCape, "7646"),
        new("JHB", "Johannesburg", Province.Gauteng, "2001"),
        new("TSH", "Pretoria", Province.Gauteng, "0002"),
        new("EKU", "Germiston", Province.Gauteng, "1401"),
        new("ETH", "Durban", Province.KwazuluNatal, "4001"),
        new("KZN225", "Pietermaritzburg", Province.KwazuluNatal, "3201"),
        new("NMA", "Gqeberha", Province.EasternCape, "6001"),
        new("BUF", "East London", Province.EasternCape, "5201"),
        new("EC157", "Mthatha", Province.EasternCape, "5099"),
        new("MAN", "Bloemfontein", Province.FreeState, "9301"),
        new("FS184", "Welkom", Province.FreeState, "9459"),
        new("LIM354", "Polokwane", Province.Limpopo, "0699"),
        new("LIM343", "Thohoyandou", Province.Limpopo, "0950"),
        new("MP326", "Mbombela", Province.Mpumalanga, "1200"),
        new("MP312", "eMalahleni", Province.Mpumalanga, "1035"),
        new("NW372", "Brits", Province.NorthWest, "0250"),
        new("NW373", "Rustenburg", Province.NorthWest, "0299"),
        new("NC091", "Kimberley", Province.NorthernCape, "8301"),
    ];

    public static Municipality? Find(string code) => Known.FirstOrDefault(m => m.Code == code);
}
