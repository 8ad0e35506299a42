using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>Sign-out is a form (POST, with its anti-forgery token): a link or image elsewhere cannot sign anyone out.</summary>
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect(ConsoleHost.PathBase);

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(ConsoleHost.Scheme);
        return LocalRedirect(ConsoleHost.PathBase + "/signed-out");
    }
}
