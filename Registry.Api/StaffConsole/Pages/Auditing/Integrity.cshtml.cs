using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages.Auditing;

/// <summary>One stream's hash chain recomputed by the register (verifyIntegrity with the subject's selector).</summary>
public sealed class IntegrityModel(ConsoleQuery query, AuditLinks links) : AuditPage(query, links)
{
    public JsonElement Report { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Open()) return LinkExpired();
        if (!Subject.IsStream) return NotInRegister();
        var document = $"query($v: {Subject.ArgumentType}) {{ audit {{ verifyIntegrity({Subject.Selector}: $v) {{ {IntegrityReport.Fields} }} }} }}";
        if (await RunAsync(document, new { v = Subject.Value }, Subject.Purpose, [ErrorCodes.NotFound]) is not { } answer) return Page();
        if (answer.ErrorCodes.Contains(ErrorCodes.NotFound)) return NotInRegister();
        Report = answer.Data.GetProperty("audit").GetProperty("verifyIntegrity");
        return Page();
    }
}

/// <summary>What the integrity pages ask of verifyIntegrity and show.</summary>
public static class IntegrityReport
{
    public const string Fields = "streamsChecked eventsChecked intact firstBrokenSequence firstBrokenStream checkpointsChecked firstBrokenCheckpoint checkpointFinding";
}
