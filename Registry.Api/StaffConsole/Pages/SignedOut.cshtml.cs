using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>After signing out: a page of its own, so that the identity provider does not sign the person straight back in.</summary>
public sealed class SignedOutModel : PageModel
{
    public void OnGet() { }
}
