using System.Globalization;

namespace Registry.Api.StaffConsole;

/// <summary>A date typed into a form: read as people write it, written back as the register's ISO form.</summary>
public static class FormDate
{
    /// <summary>"2026-12-02", "2 December 2026", "2/12/2026"; null when it is not a date.</summary>
    public static DateOnly? Parse(string? text) =>
        DateOnly.TryParseExact((text ?? "").Trim(), ["yyyy-MM-dd", "d MMMM yyyy", "d MMM yyyy", "d/M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
