using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Registry.Api.StaffConsole;

/// <summary>What every console page shares: its query through the register, and the register's refusals shown as pages.</summary>
public abstract class ConsolePage(ConsoleQuery query) : PageModel
{
    /// <summary>Set when the page answers with a refusal instead of its content (the page's view shows _Refusal).</summary>
    public string? Refusal { get; private set; }

    public IReadOnlyList<FieldError> Errors { get; protected set; } = [];

    /// <summary>What the page says when the register refuses the signed-in role (FORBIDDEN).</summary>
    protected virtual string RefusalMessage => "Your role does not allow you to see or change a person's record.";

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field)?.Message;

    /// <summary>The register's answer, or null when the page must answer with a refusal (already set).</summary>
    protected Task<ConsoleAnswer?> RunAsync(string document, object variables, string? purpose) => RunAsync(document, variables, purpose, []);

    /// <summary>As above, but the register's errors with these codes come back in the answer: the page says them next to its field.</summary>
    protected async Task<ConsoleAnswer?> RunAsync(string document, object variables, string? purpose, IReadOnlyCollection<string> answeredByPage)
    {
        ConsoleAnswer answer;
        try
        {
            answer = await query.RunAsync(HttpContext, document, variables, purpose);
        }
        catch (Audit.AccessLogUnavailableException)
        {
            Refuse(StatusCodes.Status503ServiceUnavailable, "The access log could not record this read, so it is not shown. Try again in a moment.");
            return null;
        }
        if (answer.Refused)
        {
            Refuse(StatusCodes.Status403Forbidden, RefusalMessage);
            return null;
        }
        if (answer.Failed && !answer.ErrorCodes.All(answeredByPage.Contains))
        {
            Refuse(StatusCodes.Status500InternalServerError, "The register could not answer this page. Try again; if it keeps happening, tell the support desk the time.");
            return null;
        }
        return answer;
    }

    protected IActionResult Refuse(int status, string message)
    {
        Response.StatusCode = status;
        Refusal = message;
        return Page();
    }

    protected IActionResult LinkExpired() =>
        Refuse(StatusCodes.Status404NotFound, "This link has expired or is not valid. Find the person again.");
}
