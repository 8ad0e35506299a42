using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.StaffConsole.Forms;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>Record that a child is an orphan, or no longer is, from the parents' death certificates.</summary>
public sealed class RecordOrphanhoodModel(ConsoleQuery query, PersonLinks links) : RecordFormPage(query, links)
{
    [BindProperty] public string? Orphaned { get; set; }
    [BindProperty] public string? Reason { get; set; }

    protected override string Mutation => "recordOrphanhood";
    protected override string Selection => "orphaned";
    protected override string Changed => "orphanhood";
    protected override IReadOnlyCollection<string> FieldIds => ["orphaned", "reason"];

    protected override Dictionary<string, object?> Input(List<FieldError> errors) => new()
    {
        ["orphaned"] = YesOrNo(Orphaned, "orphaned", "Select whether the child is an orphan", errors),
        ["reason"] = Required(Reason, "reason", "Enter how it is known, like the parents' death certificate numbers", errors),
    };

    protected override IReadOnlyList<RecordValue> Holds(JsonElement citizen) =>
        [new("current-orphaned", "Recorded as an orphan", citizen.GetProperty("orphaned").GetBoolean() ? "Yes" : "No")];

    protected override FieldError InFormWords(FieldError error) => error switch
    {
        { Code: Domain.Common.ErrorCodes.NoChange } => error with { Field = "orphaned" },
        { Field: "orphaned" } => error with { Message = "Only a child under 18 can be recorded as an orphan" },
        { Field: "reason" } => error with { Message = "Enter how it is known, like the parents' death certificate numbers" },
        _ => base.InFormWords(error),
    };
}
