using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages.Auditing;

/// <summary>
/// A recorded entitlement decision re-run by the register from its stored inputs (replayDecision): with the
/// rule and parameter versions it used, whether it comes out the same, and what today's parameters would change.
/// </summary>
public sealed class ReplayModel(ConsoleQuery query, AuditLinks links) : AuditPage(query, links)
{
    private const string Document = """
        query($d: ID!) { audit { replayDecision(decisionId: $d) {
          identical differences todaysDifferences original { ...d } replayed { ...d } withTodaysParameters { ...d } } } }
        fragment d on EligibilityDecision { programme on eligible monthlyAmount outcome ruleVersion parameterVersion }
        """;

    [FromQuery] public string? Decision { get; set; }

    public JsonElement Replay { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Open()) return LinkExpired();
        if (!Guid.TryParse(Decision, out var decisionId)) return NoSuchDecision();
        if (await RunAsync(Document, new { d = decisionId }, Subject.Purpose, [ErrorCodes.NotFound]) is not { } answer) return Page();
        if (answer.ErrorCodes.Contains(ErrorCodes.NotFound)) return NoSuchDecision();
        Replay = answer.Data.GetProperty("audit").GetProperty("replayDecision");
        return Page();
    }

    /// <summary>The lines the three answers are compared on, in words.</summary>
    public static IEnumerable<(string Label, Func<JsonElement, string> Value)> Lines { get; } =
    [
        ("Eligible", d => d.GetProperty("eligible").GetBoolean() ? "Yes" : "No"),
        ("Monthly amount", d => d.GetProperty("monthlyAmount") is { ValueKind: not JsonValueKind.Null } amount ? Labels.Rand(amount.ToString()) : "None"),
        ("Outcome", d => d.GetProperty("outcome") is { ValueKind: JsonValueKind.String } outcome ? Labels.Of(outcome.GetString()) : "Not applicable"),
        ("Rule version", d => d.GetProperty("ruleVersion").GetString() ?? ""),
        ("Parameter version", d => d.GetProperty("parameterVersion").GetString() ?? ""),
    ];

    private IActionResult NoSuchDecision() => Refuse(StatusCodes.Status404NotFound, "The register has no decision with this id. Go back to the history and choose it again.");
}
