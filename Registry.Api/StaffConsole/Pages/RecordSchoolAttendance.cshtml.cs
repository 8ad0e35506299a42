using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.StaffConsole.Forms;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>Record that a person attends school from today, or no longer does (a foster child's grant runs to 21 while in school).</summary>
public sealed class RecordSchoolAttendanceModel(ConsoleQuery query, PersonLinks links) : RecordFormPage(query, links)
{
    [BindProperty] public string? Attending { get; set; }

    protected override string Mutation => "recordSchoolAttendance";
    protected override string Selection => "attendingSchool";
    protected override string Changed => "school";
    protected override IReadOnlyCollection<string> FieldIds => ["attending"];

    protected override Dictionary<string, object?> Input(List<FieldError> errors) =>
        new() { ["attending"] = YesOrNo(Attending, "attending", "Select whether the person attends school", errors) };

    protected override IReadOnlyList<RecordValue> Holds(JsonElement citizen) =>
        [new("current-attending", "Attends school", citizen.GetProperty("attendingSchool").GetBoolean() ? "Yes" : "No")];

    protected override FieldError InFormWords(FieldError error) =>
        error.Code == Domain.Common.ErrorCodes.NoChange ? error with { Field = "attending" } : base.InFormWords(error);
}
