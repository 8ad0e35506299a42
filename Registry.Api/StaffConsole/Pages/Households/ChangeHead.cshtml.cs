using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.StaffConsole.Forms;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages.Households;

/// <summary>Another member becomes head of this person's household; the register works out what the old head is to the new one.</summary>
public sealed class ChangeHeadModel(ConsoleQuery query, PersonLinks links) : HouseholdFormPage(query, links)
{
    [BindProperty] public string? Member { get; set; }

    protected override IReadOnlyCollection<string> FieldIds => ["member"];
    protected override (string Mutation, string? InputType) Change => ("changeHouseholdHead", null);
    protected override string Changed => "head-changed";

    protected override Dictionary<string, object?> Input(PersonLinks.Link link, JsonElement subject, List<FieldError> errors) => new()
    {
        ["householdId"] = subject.GetProperty("id").GetString(),
        ["idNumber"] = ChosenMember(subject, Member, "member", "Select who becomes the head", errors),
    };

    protected override FieldError InFormWords(FieldError error) => error.Code switch
    {
        ErrorCodes.AlreadyHead => error with { Field = "member", Message = "This member is the head already. Select another member" },
        ErrorCodes.NotInHousehold => error with { Field = "member", Message = "This person has left the household" },
        ErrorCodes.CitizenDeceased => error with { Field = "member", Message = "This member has died, so they cannot head the household" },
        _ => base.InFormWords(error),
    };
}
