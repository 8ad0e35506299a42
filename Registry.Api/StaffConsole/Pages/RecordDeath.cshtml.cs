using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.StaffConsole.Forms;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>Record a person's death, with the document it is known from: their entitlements are reassessed.</summary>
public sealed class RecordDeathModel(ConsoleQuery query, PersonLinks links) : RecordFormPage(query, links)
{
    [BindProperty] public DateInput DateOfDeath { get; set; } = new();
    [BindProperty] public string? Reason { get; set; }

    protected override string Mutation => "recordDeath";
    protected override string Selection => "dateOfDeath";
    protected override string Changed => "death";
    protected override IReadOnlyCollection<string> FieldIds => ["dateOfDeath", "reason"];

    protected override Dictionary<string, object?> Input(List<FieldError> errors) => new()
    {
        ["dateOfDeath"] = DateOfDeath.Read("dateOfDeath", "the date of death", errors),
        ["reason"] = Required(Reason, "reason", "Enter the death notice number or the document the death is known from", errors),
    };

    protected override IReadOnlyList<RecordValue> Holds(JsonElement citizen) =>
        [new("current-death", "Date of death", Text(citizen, "dateOfDeath") is { } died ? Labels.Date(died) : "No death recorded")];

    protected override FieldError InFormWords(FieldError error) => error switch
    {
        { Code: Domain.Common.ErrorCodes.CitizenDeceased } => error with { Message = "The register already records this person's death" },
        { Field: "dateOfDeath" } => error with { Message = "The date of death must be today or in the past, and after the date of birth" },
        { Field: "reason" } => error with { Message = "Enter the death notice number or the document the death is known from" },
        _ => base.InFormWords(error),
    };
}
