using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>A person's page: record, household with its members, entitlements; one query, read for the purpose given when finding them.</summary>
public sealed class PersonModel(ConsoleQuery query, PersonLinks links) : ConsolePage(query)
{
    public const string Document = """
        query($id: String!) {
          citizen(idNumber: $id) {
            idNumber firstNames surname dateOfBirth sex citizenship dateOfDeath monthlyIncome incomeSource orphaned attendingSchool version lastChangedAt
            disability { disabled permanent reviewDate }
            address { line1 line2 suburb city postalCode province }
            household { monthlyIncome dissolved head { idNumber } members { relationship joinedOn citizen { idNumber firstNames surname dateOfBirth } } }
            entitlements { programme status monthlyAmount since }
            pendingChanges { summary requestedBy requestedAt }
          }
        }
        """;

    [FromRoute] public string Reference { get; set; } = "";

    /// <summary>What the page was sent back with after a change (e.g. "income"): a confirmation banner.</summary>
    [FromQuery] public string? Changed { get; set; }

    public JsonElement Citizen { get; private set; }

    /// <summary>The last disability assessment in a line: what a caseworker checks before a disability grant.</summary>
    public static string DisabilityOf(JsonElement citizen) => citizen.GetProperty("disability") is { ValueKind: JsonValueKind.Object } d
        ? !d.GetProperty("disabled").GetBoolean() ? "Assessed: not disabled"
        : d.GetProperty("permanent").GetBoolean() ? "Assessed: disabled, permanently"
        : d.GetProperty("reviewDate").ValueKind == JsonValueKind.String ? $"Assessed: disabled, review on {Labels.Date(d.GetProperty("reviewDate").GetString())}"
        : "Assessed: disabled"
        : "Not assessed";

    public async Task<IActionResult> OnGetAsync()
    {
        if (links.Open(Reference) is not { } link) return LinkExpired();
        if (await RunAsync(Document, new { id = link.IdNumber }, link.Purpose) is not { } answer) return Page();
        Citizen = answer.Data.GetProperty("citizen");
        if (Citizen.ValueKind == JsonValueKind.Null) return Refuse(StatusCodes.Status404NotFound, "This person is no longer in the register.");
        return Page();
    }
}
