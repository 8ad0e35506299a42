using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.StaffConsole.Forms;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages.Households;

/// <summary>Form a household with this person as its head, at the address they live at unless the caseworker changes it.</summary>
public sealed class FormHouseholdModel(ConsoleQuery query, PersonLinks links) : FormPage(query)
{
    private const string Read = "query($id: String!) { citizen(idNumber: $id) { firstNames surname address { line1 line2 suburb city municipalityCode province postalCode } household { id dissolved } } }";

    [FromRoute] public string Reference { get; set; } = "";
    [BindProperty] public AddressForm Address { get; set; } = new();

    public string Name { get; private set; } = "";

    protected override IReadOnlyCollection<string> FieldIds => AddressForm.FieldIds;

    public async Task<IActionResult> OnGetAsync()
    {
        if (links.Open(Reference) is not { } link) return LinkExpired();
        if (await ReadAsync(link) is { } citizen) Address = AddressForm.Of(citizen.GetProperty("address"));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (links.Open(Reference) is not { } link) return LinkExpired();
        var errors = new List<FieldError>();
        var address = Address.Read(errors);
        if (errors.Count == 0)
        {
            if (await SendAsync("formHousehold", new Dictionary<string, object?> { ["headIdNumber"] = link.IdNumber, ["address"] = address }, link.Purpose) is not { } rejected) return Page();
            if (rejected.Count == 0) return Redirect($"{ConsoleHost.PathBase}/person/{Reference}?changed=household-formed#household");
            errors.AddRange(rejected);
        }
        Errors = errors;
        await ReadAsync(link);
        return Page();
    }

    protected override FieldError InFormWords(FieldError error) => error.Code switch
    {
        ErrorCodes.AlreadyInHousehold => error with { Field = null, Message = "This person already belongs to a household. They must leave it before forming another" },
        ErrorCodes.CitizenDeceased => error with { Field = null, Message = "This person has died, so they cannot head a household" },
        _ => base.InFormWords(error),
    };

    private async Task<JsonElement?> ReadAsync(PersonLinks.Link link)
    {
        if (await RunAsync(Read, new { id = link.IdNumber }, link.Purpose) is not { } answer) return null;
        var citizen = answer.Data.GetProperty("citizen");
        if (citizen.ValueKind == JsonValueKind.Null)
        {
            Refuse(StatusCodes.Status404NotFound, "This person is no longer in the register.");
            return null;
        }
        Name = GrantReading.Name(citizen);
        return citizen;
    }
}
