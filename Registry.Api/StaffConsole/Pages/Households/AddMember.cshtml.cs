using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Hosting;
using Registry.Api.StaffConsole.Forms;
using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages.Households;

/// <summary>Add someone to this person's household: found by the ID number typed into the form (posted, never in an address).</summary>
public sealed class AddMemberModel(ConsoleQuery query, PersonLinks links, TimeProvider clock) : HouseholdFormPage(query, links)
{
    [BindProperty] public string? IdNumber { get; set; }
    [BindProperty] public string? Relationship { get; set; }

    protected override IReadOnlyCollection<string> FieldIds => ["idNumber", "relationship"];
    protected override (string Mutation, string? InputType) Change => ("addHouseholdMember", null);
    protected override string Changed => "member-added";

    protected override Dictionary<string, object?> Input(PersonLinks.Link link, JsonElement subject, List<FieldError> errors)
    {
        var idNumber = Required(IdNumber, "idNumber", "Enter the ID number of the person who joins", errors);
        if (idNumber is not null && !SaIdNumber.TryParse(idNumber, clock.Today(), out _, out var invalid)) errors.Add(new("idNumber", invalid!.Code, invalid.Message));
        var relationship = OneOf(Relationships.OfAMember, Relationship, "relationship", "Select what they are to the head of the household", errors);
        return new() { ["householdId"] = subject.GetProperty("id").GetString(), ["idNumber"] = idNumber, ["relationship"] = relationship };
    }

    protected override FieldError InFormWords(FieldError error) => error.Code switch
    {
        ErrorCodes.NotFound when error.Field == "idNumber" => error with { Message = "No one is registered with this ID number. Check the number, or register them first" },
        ErrorCodes.AlreadyInHousehold => error with { Message = "This person already belongs to a household. They must leave it before joining this one" },
        ErrorCodes.CitizenDeceased => error with { Message = "This person has died, so they cannot join a household" },
        _ => base.InFormWords(error),
    };
}
