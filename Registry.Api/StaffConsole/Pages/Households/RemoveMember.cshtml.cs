using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.StaffConsole.Forms;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages.Households;

/// <summary>Someone leaves this person's household. The head leaves last: while others remain, the head is changed first.</summary>
public sealed class RemoveMemberModel(ConsoleQuery query, PersonLinks links) : HouseholdFormPage(query, links)
{
    [BindProperty] public string? Member { get; set; }

    protected override IReadOnlyCollection<string> FieldIds => ["member"];
    protected override (string Mutation, string? InputType) Change => ("removeHouseholdMember", null);
    protected override string Changed => "member-removed";

    protected override Dictionary<string, object?> Input(PersonLinks.Link link, JsonElement subject, List<FieldError> errors) => new()
    {
        ["householdId"] = subject.GetProperty("id").GetString(),
        ["idNumber"] = ChosenMember(subject, Member, "member", "Select who leaves the household", errors),
    };

    protected override FieldError InFormWords(FieldError error) => error.Code switch
    {
        ErrorCodes.HeadCannotLeave => error with { Field = "member", Message = "The head cannot leave while others remain. Change the head first" },
        ErrorCodes.NotInHousehold => error with { Field = "member", Message = "This person has already left the household" },
        _ => base.InFormWords(error),
    };
}
