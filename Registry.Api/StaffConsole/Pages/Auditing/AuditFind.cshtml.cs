using Microsoft.AspNetCore.Mvc;
using Registry.Api.Hosting;
using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages.Auditing;

/// <summary>
/// The auditor's start: what to look into, by any selector the register's history takes, and why. The
/// answer is a sealed reference: no ID number (and no id leading to one) in an address.
/// </summary>
public sealed class AuditFindModel(ConsoleQuery query, AuditLinks links, TimeProvider clock) : ConsolePage(query)
{
    public static readonly IReadOnlyList<(string Selector, string Label)> Selectors =
    [
        (AuditSubject.IdNumber, "A person's ID number"),
        (AuditSubject.HouseholdId, "A household's id"),
        (AuditSubject.EntitlementId, "An entitlement's id"),
        (AuditSubject.CorrelationId, "A request's correlation id (everything one request did)"),
    ];

    [BindProperty] public string? Selector { get; set; } = AuditSubject.IdNumber;
    [BindProperty] public string? Value { get; set; }
    [BindProperty] public string? Purpose { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var errors = new List<FieldError>();
        var value = Value?.Trim() ?? "";
        if (Selectors.All(s => s.Selector != Selector)) errors.Add(new("selector", "REQUIRED", "Select what you have"));
        else if (value.Length == 0) errors.Add(new("value", "REQUIRED", "Enter the number or id"));
        else if (Selector == AuditSubject.IdNumber && !SaIdNumber.TryParse(value, clock.Today(), out _, out var invalid)) errors.Add(new("value", invalid!.Code, invalid.Message));
        else if (Selector is AuditSubject.HouseholdId or AuditSubject.EntitlementId && !Guid.TryParse(value, out _))
            errors.Add(new("value", ErrorCodes.InvalidInput, "Enter the id as the register shows it, like 0193a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b"));
        else if (value.Length > 100 || value.Any(char.IsControl)) errors.Add(new("value", ErrorCodes.InvalidInput, "Enter the correlation id as the register shows it"));
        // The purpose goes into the access log with every read that follows, as on a caseworker's find page.
        if (Audit.PurposeRule.Parse(Purpose) is null || Purpose!.Any(char.IsControl))
            errors.Add(new("purpose", "REQUIRED", string.IsNullOrWhiteSpace(Purpose)
                ? "Enter why you are looking into this"
                : $"Say why in plain words, in {Audit.PurposeRule.MaxLength} characters or fewer, without an ID number"));
        if ((Errors = errors).Count > 0) return Page();

        var subject = new AuditSubject(Selector!, value, Audit.PurposeRule.Parse(Purpose)!);
        var document = $"query($v: {subject.ArgumentType}) {{ audit {{ history({subject.Selector}: $v, first: 1) {{ totalCount }} }} }}";
        if (await RunAsync(document, new { v = value }, subject.Purpose, [ErrorCodes.NotFound]) is not { } answer) return Page();
        if (answer.ErrorCodes.Contains(ErrorCodes.NotFound) || answer.Data.GetProperty("audit").GetProperty("history").GetProperty("totalCount").GetInt32() == 0)
        {
            Errors = [new("value", ErrorCodes.NotFound, "The register has nothing recorded under this number or id. Check it and try again")];
            return Page();
        }
        return Redirect($"{ConsoleHost.PathBase}/audit/{links.Seal(subject)}");
    }
}
