using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Registry.Api.StaffConsole.Pages.Auditing;

/// <summary>
/// The whole register's hash chains and signed checkpoints, recomputed by verifyIntegrity with no selector.
/// The API answers in one call (it offers no long-running check to follow), so the page asks first and
/// then shows the answer with how many streams were checked.
/// </summary>
public sealed class RegisterIntegrityModel(ConsoleQuery query) : ConsolePage(query)
{
    /// <summary>Set when the auditor asked for the check (a GET form: the check reads, it changes nothing).</summary>
    [FromQuery] public bool Check { get; set; }

    public JsonElement? Report { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Check) return Page();
        // About no person, so no purpose to give.
        if (await RunAsync($"{{ audit {{ verifyIntegrity {{ {IntegrityReport.Fields} }} }} }}", new { }, null) is not { } answer) return Page();
        Report = answer.Data.GetProperty("audit").GetProperty("verifyIntegrity");
        return Page();
    }
}
