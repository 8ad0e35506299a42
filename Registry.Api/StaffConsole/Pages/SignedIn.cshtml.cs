using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>
/// Where a sign-in at the identity provider lands. The console's cookie is SameSite=Strict, so a browser does not send
/// it on a redirect that began at the provider's site; this page, the console's own, moves on to where the member of
/// staff was going, and from here the cookie goes with the request.
/// </summary>
public sealed class SignedInModel : PageModel
{
    [FromQuery(Name = "next")] public string? Next { get; set; }

    public string Destination => StateSignIn.Local(Next);

    public void OnGet() { }
}
