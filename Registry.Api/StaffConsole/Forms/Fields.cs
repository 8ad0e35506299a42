using System.Globalization;

namespace Registry.Api.StaffConsole.Forms;

/// <summary>
/// What a field partial (_TextField, _DateField, _Radios, _Select) shows. Id is the input's id, which is also the
/// last part of the register's error path for it (so a refusal lands next to its field) and the error summary's link.
/// </summary>
public abstract record Field(string Id, string Name, string Label, string? Error, string? Hint)
{
    /// <summary>The hint and error the input (or its fieldset) is described by, as GOV.UK forms do.</summary>
    public string? DescribedBy =>
        string.Join(' ', new[] { Hint is null ? null : $"{Id}-hint", Error is null ? null : $"{Id}-error" }.Where(s => s is not null)) is { Length: > 0 } ids ? ids : null;
}

public sealed record TextField(string Id, string Name, string Label, string? Value, string? Error, string? Hint = null,
    string Width = "", string? InputMode = null, string? Autocomplete = null, string? Prefix = null) : Field(Id, Name, Label, Error, Hint);

/// <summary>A date as GOV.UK asks for one: day, month and year in three inputs; the day's input carries the Id.</summary>
public sealed record DateField(string Id, string Name, string Label, DateInput Value, string? Error, string? Hint = null) : Field(Id, Name, Label, Error, Hint);

/// <summary>Radios in a fieldset; the first radio carries the Id, so the error summary's link lands on it.</summary>
public sealed record RadiosField(string Id, string Name, string Label, IReadOnlyList<Choice> Choices, string? Selected, string? Error, string? Hint = null)
    : Field(Id, Name, Label, Error, Hint)
{
    public string ItemId(int index) => index == 0 ? Id : $"{Id}-{index}";
}

public sealed record SelectField(string Id, string Name, string Label, IReadOnlyList<Choice> Choices, string? Selected, string? Error, string? Hint = null)
    : Field(Id, Name, Label, Error, Hint);

/// <summary>One answer of a radio group or select: the value posted, the words shown, and a hint under it.</summary>
public sealed record Choice(string Value, string Label, string? Hint = null)
{
    public static readonly IReadOnlyList<Choice> YesNo = [new("yes", "Yes"), new("no", "No")];
}

/// <summary>The three inputs of a date as typed, bound as Name.Day, Name.Month, Name.Year.</summary>
public sealed class DateInput
{
    public string? Day { get; set; }
    public string? Month { get; set; }
    public string? Year { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Day) && string.IsNullOrWhiteSpace(Month) && string.IsNullOrWhiteSpace(Year);

    public static DateInput Of(DateOnly? date) => date is { } d
        ? new DateInput { Day = d.Day.ToString(CultureInfo.InvariantCulture), Month = d.Month.ToString(CultureInfo.InvariantCulture), Year = d.Year.ToString(CultureInfo.InvariantCulture) }
        : new DateInput();

    /// <summary>
    /// The date, or null with an error for <paramref name="id"/> in GOV.UK's words ("The date of death must include a year").
    /// A blank optional date is null without an error.
    /// </summary>
    public DateOnly? Read(string id, string what, List<FieldError> errors, bool required = true)
    {
        if (IsBlank)
        {
            if (required) errors.Add(new(id, Domain.Common.ErrorCodes.InvalidDate, $"Enter {what}"));
            return null;
        }
        var missing = new[] { ("a day", Day), ("a month", Month), ("a year", Year) }.Where(p => string.IsNullOrWhiteSpace(p.Item2)).Select(p => p.Item1).ToList();
        if (missing.Count > 0)
        {
            errors.Add(new(id, Domain.Common.ErrorCodes.InvalidDate, $"{Capital(what)} must include {string.Join(" and ", missing)}"));
            return null;
        }
        if (int.TryParse(Day, NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            && int.TryParse(Month, NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            && int.TryParse(Year, NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && year is >= 1000 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
            return new DateOnly(year, month, day);
        errors.Add(new(id, Domain.Common.ErrorCodes.InvalidDate, $"{Capital(what)} must be a real date, like 27 3 2007"));
        return null;
    }

    private static string Capital(string what) => what.StartsWith("the ", StringComparison.Ordinal) ? "The " + what[4..] : what;
}
