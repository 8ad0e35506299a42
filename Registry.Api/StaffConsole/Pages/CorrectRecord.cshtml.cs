using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.StaffConsole.Forms;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>
/// Correct a mistake in one of the facts that identify a person (the register's correctable fields), with the
/// reason; the value it replaces is shown with each field. The ID number and the facts it encodes must still agree.
/// </summary>
public sealed class CorrectRecordModel(ConsoleQuery query, PersonLinks links) : RecordFormPage(query, links)
{
    /// <summary>The register's correctable fields (CorrectableFields.Names) in the form's words.</summary>
    public static readonly IReadOnlyList<(string Field, string Label)> Correctable =
    [
        ("firstNames", "First names"), ("surname", "Surname"), ("dateOfBirth", "Date of birth"),
        ("sex", "Sex"), ("citizenship", "Citizenship"), ("idNumber", "ID number"),
    ];

    [BindProperty] public string? Field { get; set; }
    [BindProperty] public string? Value { get; set; }
    [BindProperty] public string? Reason { get; set; }

    /// <summary>The correctable fields, each with the value the record holds now as its hint.</summary>
    public IReadOnlyList<Choice> Fields { get; private set; } = [];

    protected override string Mutation => "correctCitizenRecord";
    protected override string Selection => "idNumber dateOfBirth sex citizenship";
    protected override string Changed => "correction";
    protected override IReadOnlyCollection<string> FieldIds => ["field", "value", "reason"];

    protected override void Show(JsonElement citizen) => Fields = [.. Correctable.Select(c => new Choice(c.Field, c.Label, $"Now: {Current(citizen, c.Field)}"))];

    protected override Dictionary<string, object?> Input(List<FieldError> errors)
    {
        var field = Correctable.Any(c => c.Field == Field) ? Field : null;
        if (field is null) errors.Add(new("field", ErrorCodes.InvalidInput, "Select what to correct"));
        var value = Required(Value, "value", "Enter the correct value", errors);
        var reason = Required(Reason, "reason", "Enter why the record is corrected, like the document that shows the right value", errors);
        return new() { ["field"] = field, ["value"] = value is null || field is null ? value : AsTheRegisterReadsIt(field, value), ["reason"] = reason };
    }

    protected override IReadOnlyList<RecordValue> Holds(JsonElement citizen) =>
        [.. Correctable.Select(c => new RecordValue($"current-{c.Field}", c.Label, Current(citizen, c.Field)))];

    /// <summary>A corrected ID number changes the person's reference: their page is sealed anew.</summary>
    protected override string AfterChange(PersonLinks.Link link, IReadOnlyDictionary<string, object?> input) =>
        input["field"] as string == "idNumber"
            ? $"{ConsoleHost.PathBase}/person/{Links.Seal((string)input["value"]!, link.Purpose)}?changed={Changed}"
            : base.AfterChange(link, input);

    /// <summary>Whatever the register finds wrong with the corrected record is about the new value.</summary>
    protected override FieldError InFormWords(FieldError error) => error switch
    {
        { Field: "reason" } => error with { Message = "Enter why the record is corrected, like the document that shows the right value" },
        { Code: ErrorCodes.NoChange } => error with { Field = "value", Message = "The record holds this value already. Enter the correct value" },
        { Code: ErrorCodes.InvalidInput, Field: "value" } => error with { Message = "Enter the value as the hint shows" },
        { Field: "field" } => error,
        _ => error with { Field = "value" },
    };

    /// <summary>"15 6 1985", "Permanent resident", "850615 0001 089" → what the register stores: an ISO date, an enum value, 13 digits.</summary>
    private static string AsTheRegisterReadsIt(string field, string value) => field switch
    {
        "dateOfBirth" => DateOnly.TryParseExact(value, ["yyyy-MM-dd", "d M yyyy", "d/M/yyyy", "d MMMM yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var d)
            ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : value,
        "sex" or "citizenship" => value.Replace("South African ", "", StringComparison.OrdinalIgnoreCase).Trim().Replace(' ', '_').ToUpperInvariant(),
        "idNumber" => value.Replace(" ", ""),
        _ => value,
    };

    private static string Current(JsonElement citizen, string field) => field switch
    {
        "dateOfBirth" => Labels.Date(Text(citizen, field)),
        "sex" or "citizenship" => Labels.Of(Text(citizen, field)),
        _ => Text(citizen, field) ?? "",
    };
}
