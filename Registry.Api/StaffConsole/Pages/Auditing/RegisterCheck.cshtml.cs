using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Registry.Api.StaffConsole.Pages.Auditing;

/// <summary>
/// One check of the whole register: its progress while it runs, then the answer. The page does not refresh
/// itself (a timed refresh moves the page from under a screen-reader user): a link asks again.
/// </summary>
public sealed class RegisterCheckModel(ConsoleQuery query) : ConsolePage(query)
{
    [FromRoute] public Guid Id { get; set; }

    public JsonElement Check { get; private set; }

    public JsonElement Report => Check.GetProperty("report");

    public bool Running => Check.GetProperty("status").GetString() != "DONE";

    public async Task<IActionResult> OnGetAsync()
    {
        var document = $"query($id: ID!) {{ audit {{ registerCheck(id: $id) {{ status eventsChecked eventsTotal requestedAt finishedAt report {{ {IntegrityReport.Fields} }} }} }} }}";
        if (await RunAsync(document, new { id = Id }, null) is not { } answer) return Page();
        Check = answer.Data.GetProperty("audit").GetProperty("registerCheck");
        if (Check.ValueKind == JsonValueKind.Null) return Refuse(StatusCodes.Status404NotFound, "The register has no check with this address.");
        return Page();
    }

    /// <summary>Events checked, of those there were when it began (more may be written meanwhile, so it can pass 100 %).</summary>
    public string Progress()
    {
        var done = Check.GetProperty("eventsChecked").GetInt64();
        var total = Math.Max(1, Check.GetProperty("eventsTotal").GetInt64());
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{done:N0} of {total:N0} events checked ({Math.Min(100, done * 100 / total)} %)");
    }
}
