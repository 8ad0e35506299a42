using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>A sign-in at the identity provider that gave the console nothing it may use: why, in a sentence.</summary>
public sealed class SignInFailedModel : PageModel
{
    [FromQuery] public string? Reason { get; set; }

    public bool NoRole => Reason == "no-role";

    public void OnGet() => Response.StatusCode = NoRole ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
}
