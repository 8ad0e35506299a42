using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.StaffConsole.Forms;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>Change a person's names, as a later identity document records them (a mistake is a correction instead).</summary>
public sealed class ChangeNameModel(ConsoleQuery query, PersonLinks links) : RecordFormPage(query, links)
{
    [BindProperty] public string? FirstNames { get; set; }
    [BindProperty] public string? Surname { get; set; }

    protected override string Mutation => "changeCitizenName";
    protected override string Selection => "";
    protected override string Changed => "name";
    protected override IReadOnlyCollection<string> FieldIds => ["firstNames", "surname"];

    protected override void Fill(JsonElement citizen)
    {
        FirstNames = Text(citizen, "firstNames");
        Surname = Text(citizen, "surname");
    }

    protected override Dictionary<string, object?> Input(List<FieldError> errors) => new()
    {
        ["firstNames"] = Required(FirstNames, "firstNames", "Enter the first names", errors),
        ["surname"] = Required(Surname, "surname", "Enter the surname", errors),
    };

    protected override IReadOnlyList<RecordValue> Holds(JsonElement citizen) =>
        [new("current-firstNames", "First names", Text(citizen, "firstNames") ?? ""), new("current-surname", "Surname", Text(citizen, "surname") ?? "")];

    /// <summary>"Already has these names" is about both fields: it is shown at the first.</summary>
    protected override FieldError InFormWords(FieldError error) =>
        error.Code == Domain.Common.ErrorCodes.NoChange ? error with { Field = "firstNames", Message = "These are the names the record holds already. Enter the new names" } : base.InFormWords(error);
}
