using Microsoft.AspNetCore.Mvc;
using Registry.Api.Hosting;
using Registry.Domain.Citizens;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>Find a person by ID number, saying why: the purpose goes into the access log with every read that follows.</summary>
public sealed class FindModel(ConsoleQuery query, PersonLinks links, TimeProvider clock) : ConsolePage(query)
{
    [BindProperty] public string? IdNumber { get; set; }
    [BindProperty] public string? Purpose { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(IdNumber)) errors.Add(new("idNumber", "REQUIRED", "Enter the person's ID number"));
        else if (!SaIdNumber.TryParse(IdNumber, clock.Today(), out _, out var invalid)) errors.Add(new("idNumber", invalid!.Code, invalid.Message));
        Check(Purpose, errors);
        if ((Errors = errors).Count > 0) return Page();

        var idNumber = IdNumber!.Trim();
        if (await RunAsync("query($id: String!) { citizen(idNumber: $id) { id } }", new { id = idNumber }, Purpose) is not { } answer) return Page();
        if (answer.Data.GetProperty("citizen").ValueKind == System.Text.Json.JsonValueKind.Null)
        {
            Errors = [new("idNumber", "NOT_FOUND", "No one is registered with this ID number. Check the number and try again")];
            return Page();
        }
        return Redirect($"{ConsoleHost.PathBase}/person/{links.Seal(idNumber, Audit.PurposeRule.Parse(Purpose)!)}");
    }

    /// <summary>The purpose as the access log will keep it, or an error for the purpose field.</summary>
    public static void Check(string? purpose, List<FieldError> errors)
    {
        // Control characters (a NUL above all) have no place in the access log.
        if (Audit.PurposeRule.Parse(purpose) is null || purpose!.Any(char.IsControl))
            errors.Add(new("purpose", "REQUIRED", string.IsNullOrWhiteSpace(purpose)
                ? "Enter why you need this person's record"
                : $"Say why in plain words, in {Audit.PurposeRule.MaxLength} characters or fewer, without an ID number"));
    }
}
