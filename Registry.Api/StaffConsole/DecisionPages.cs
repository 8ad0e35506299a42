using Microsoft.AspNetCore.Mvc;
using Registry.Api.Auth;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole;

/// <summary>A link on the start page.</summary>
public sealed record ConsoleLink(string Href, string Text);

/// <summary>
/// The start page's links to the statistics and municipal pages, for the roles the register lets use them: each is
/// asked of the register itself (a query that reads nothing), so the console keeps no copy of the role rules.
/// </summary>
public sealed class DecisionPagesViewComponent(ConsoleQuery query) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var links = new List<ConsoleLink>();
        if (await AllowedAsync("{ statistics { __typename } }", new { })) links.Add(new("/console/statistics", "See the register's statistics"));
        // A municipal service is asked about its own municipality; anyone else about any one.
        var own = Roles.MunicipalitiesOf(UserClaimsPrincipal);
        var code = own.Count > 0 ? own[0] : Municipalities.Known[0].Code;
        if (await AllowedAsync("query($code: String!) { municipality(code: $code) { code } }", new { code }))
            links.Add(own.Count == 1
                ? new($"/console/municipality/{code}", $"See {Municipalities.Find(code)?.City ?? code}'s indigent households")
                : new("/console/municipality", "See a municipality's indigent households"));
        return View(links);
    }

    private async Task<bool> AllowedAsync(string document, object variables) =>
        !(await query.RunAsync(HttpContext, document, variables, null)).Failed;
}
