using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.StaffConsole.Forms;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages.Grants;

/// <summary>
/// Apply for a grant (or any programme) for this person. The register assesses the application at once, with the
/// record and the rules of today, and records the decision: the caseworker is sent to it.
/// </summary>
public sealed class ApplyModel(ConsoleQuery query, PersonLinks links) : FormPage(query)
{
    [FromRoute] public string Reference { get; set; } = "";
    [BindProperty] public string? Programme { get; set; }

    public string Name { get; private set; } = "";

    protected override IReadOnlyCollection<string> FieldIds => ["programme"];

    public async Task<IActionResult> OnGetAsync()
    {
        if (links.Open(Reference) is not { } link) return LinkExpired();
        await ReadNameAsync(link);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (links.Open(Reference) is not { } link) return LinkExpired();
        var errors = new List<FieldError>();
        var programme = OneOf(ProgrammeChoices.All, Programme, "programme", "Select the grant to apply for", errors);
        if (errors.Count == 0)
        {
            var input = new Dictionary<string, object?> { ["programme"] = programme, ["beneficiaryIdNumber"] = link.IdNumber };
            if (await SendAsync("applyForEntitlement", input, link.Purpose) is not { } rejected) return Page();
            if (rejected.Count == 0) return Redirect($"{ConsoleHost.PathBase}/person/{Reference}/grant/{programme}?changed=applied");
            errors.AddRange(rejected);
        }
        Errors = errors;
        await ReadNameAsync(link);
        return Page();
    }

    /// <summary>The register names the beneficiary or the application date; on this form both are the programme chosen for this person today.</summary>
    protected override FieldError InFormWords(FieldError error) => error.Code switch
    {
        ErrorCodes.AlreadyEntitled => error with { Field = "programme", Message = $"This person already holds the {ProgrammeChoices.NameOf(Programme)}. Choose another grant, or open it from the record" },
        ErrorCodes.NoParametersInForce => error with { Field = "programme", Message = $"The register holds no rules of the {ProgrammeChoices.NameOf(Programme)} in force today, so it cannot be applied for yet" },
        ErrorCodes.NoSchoolFeesRecorded => error with { Field = "programme", Message = "No school fees are recorded for the learner's school year, so the exemption cannot be worked out yet" },
        ErrorCodes.CitizenDeceased => error with { Field = null, Message = "This person has died, so no one can apply in their name" },
        _ => base.InFormWords(error),
    };

    private async Task ReadNameAsync(PersonLinks.Link link)
    {
        if (await RunAsync("query($id: String!) { citizen(idNumber: $id) { firstNames surname } }", new { id = link.IdNumber }, link.Purpose) is not { } answer) return;
        var citizen = answer.Data.GetProperty("citizen");
        if (citizen.ValueKind == JsonValueKind.Null) Refuse(StatusCodes.Status404NotFound, "This person is no longer in the register.");
        else Name = GrantReading.Name(citizen);
    }
}
