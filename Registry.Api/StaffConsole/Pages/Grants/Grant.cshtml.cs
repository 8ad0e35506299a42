using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Registry.Api.StaffConsole.Pages.Grants;

/// <summary>A person's entitlement of one programme: its status and amount, and the register's last decision with its reasons.</summary>
public sealed class GrantModel(ConsoleQuery query, PersonLinks links) : ConsolePage(query)
{
    [FromRoute] public string Reference { get; set; } = "";
    [FromRoute] public string Programme { get; set; } = "";

    /// <summary>What the page was sent back with after a change: applied, suspended, reinstated.</summary>
    [FromQuery] public string? Changed { get; set; }

    public string Name { get; private set; } = "";
    public JsonElement Entitlement { get; private set; }

    public string ProgrammeName => ProgrammeChoices.NameOf(Programme);

    public string? Confirmation => Changed switch
    {
        "applied" => "The application was assessed.",
        "suspended" => "The entitlement was suspended.",
        "reinstated" => "The entitlement was reinstated.",
        _ => null,
    };

    public async Task<IActionResult> OnGetAsync()
    {
        if (links.Open(Reference) is not { } link) return LinkExpired();
        if (!ProgrammeChoices.IsKnown(Programme)) return Refuse(StatusCodes.Status404NotFound, "There is no such programme. Go back to the person's record.");
        if (await RunAsync(GrantReading.Document, new { id = link.IdNumber }, link.Purpose) is not { } answer) return Page();
        var citizen = answer.Data.GetProperty("citizen");
        if (citizen.ValueKind == JsonValueKind.Null) return Refuse(StatusCodes.Status404NotFound, "This person is no longer in the register.");
        Name = GrantReading.Name(citizen);
        if (GrantReading.Of(citizen, Programme) is not { } entitlement)
            return Refuse(StatusCodes.Status404NotFound, $"{Name} has not applied for the {ProgrammeName}.");
        Entitlement = entitlement;
        return Page();
    }
}
