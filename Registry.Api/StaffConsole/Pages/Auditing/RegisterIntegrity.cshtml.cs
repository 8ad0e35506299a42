using Microsoft.AspNetCore.Mvc;

namespace Registry.Api.StaffConsole.Pages.Auditing;

/// <summary>
/// Starts a check of the whole register's hash chains and signed checkpoints (startRegisterCheck). On a large
/// register it takes minutes, so it runs in the background and the auditor is taken to its page, which shows
/// how far it has got and then the answer.
/// </summary>
public sealed class RegisterIntegrityModel(ConsoleQuery query) : ConsolePage(query)
{
    public IActionResult OnGet() => Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await RunAsync("mutation { startRegisterCheck { id } }", new { }, null) is not { } answer) return Page();
        return Redirect($"{ConsoleHost.PathBase}/audit/integrity/{answer.Data.GetProperty("startRegisterCheck").GetProperty("id").GetString()}");
    }
}
