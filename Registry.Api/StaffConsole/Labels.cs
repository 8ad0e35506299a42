using System.Globalization;

namespace Registry.Api.StaffConsole;

/// <summary>The register's values in plain words for the pages: enum names, dates and rand amounts.</summary>
public static class Labels
{
    /// <summary>PERMANENT_RESIDENT → "Permanent resident".</summary>
    public static string Of(string? constant) =>
        string.IsNullOrEmpty(constant) ? "" : char.ToUpperInvariant(constant[0]) + constant[1..].Replace('_', ' ').ToLowerInvariant();

    /// <summary>WESTERN_CAPE → "Western Cape": a name, every word capitalised.</summary>
    public static string Name(string? constant) =>
        string.Join(' ', (constant ?? "").Split('_', StringSplitOptions.RemoveEmptyEntries).Select(w => w[..1] + w[1..].ToLowerInvariant()));

    /// <summary>2026-12-02 → "2 December 2026".</summary>
    public static string Date(string? iso) =>
        DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)
            : "";

    /// <summary>2500.5 → "R2,500.50".</summary>
    public static string Rand(string? amount) =>
        decimal.TryParse(amount, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
            ? "R" + value.ToString("#,0.00", CultureInfo.InvariantCulture)
            : "";
}
