using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Registry.Api.Auth;
using DepartmentCodes = Registry.Domain.Programmes.Departments;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>
/// Signing in. With the state's identity provider configured, this sends the visitor there. Otherwise, in
/// Development only, it lets you pick any role to try the console; elsewhere the page does not exist (404),
/// so no deployment can be entered by picking a role.
/// </summary>
public sealed class SignInModel(IWebHostEnvironment environment, StateSignInSettings stateSignIn) : PageModel
{
    public static readonly IReadOnlyList<(string Role, string Label)> Choices =
    [
        (Roles.Caseworker, "Caseworker"),
        (Roles.Supervisor, "Supervisor"),
        (Roles.Auditor, "Auditor"),
        (Roles.Admin, "Administrator"),
        (Roles.Analyst, "Policy analyst"),
        (Roles.Department(DepartmentCodes.SocialDevelopment), "SASSA (department service)"),
        (Roles.Department(DepartmentCodes.HumanSettlements), "Human Settlements (department service)"),
        (Roles.Department(DepartmentCodes.BasicEducation), "Basic Education (department service)"),
        (Roles.Department(DepartmentCodes.Statistics), "Statistics South Africa (department service)"),
        (Roles.Department($"{DepartmentCodes.Municipality}:CPT"), "City of Cape Town (municipal service)"),
    ];

    [BindProperty] public string? Role { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

    public IActionResult OnGet()
    {
        if (stateSignIn.Configured)
            return Challenge(new AuthenticationProperties { RedirectUri = StateSignIn.Local(ReturnUrl) }, StateSignInSettings.Scheme);
        return environment.IsDevelopment() ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // The role picker is for trying the console: never beside a real identity provider, never outside Development.
        if (!environment.IsDevelopment() || stateSignIn.Configured) return NotFound();
        if (Choices.All(c => c.Role != Role))
        {
            Errors = [new FieldError("role", "REQUIRED", "Select the role to sign in as")];
            return Page();
        }
        await HttpContext.SignInAsync(ConsoleHost.Scheme, ConsoleHost.Principal($"console-dev-{Role!.Replace(':', '-')}", [Role]));
        return LocalRedirect(StateSignIn.Local(ReturnUrl));
    }
}
