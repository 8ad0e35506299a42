using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages.Auditing;

/// <summary>What can be asked about the subject: for a person also their name and entitlements (each with its own history and last decision).</summary>
public sealed class SubjectModel(ConsoleQuery query, AuditLinks links) : AuditPage(query, links)
{
    private const string Person = """
        query($v: String!) { audit { citizenAsOf(idNumber: $v) { firstNames surname } entitlementsAsOf(idNumber: $v) { id programme status lastDecision { id } } } }
        """;

    public string? Name { get; private set; }

    public IReadOnlyList<(string Programme, string Status, string History, string? Replay)> Entitlements { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Open()) return LinkExpired();
        if (!Subject.IsPerson) return Page();
        if (await RunAsync(Person, new { v = Subject.Value }, Subject.Purpose, [ErrorCodes.NotFound]) is not { } answer) return Page();
        if (answer.ErrorCodes.Contains(ErrorCodes.NotFound)) return NotInRegister();
        var audit = answer.Data.GetProperty("audit");
        if (audit.GetProperty("citizenAsOf") is { ValueKind: JsonValueKind.Object } citizen)
            Name = $"{citizen.GetProperty("firstNames").GetString()} {citizen.GetProperty("surname").GetString()}";
        Entitlements =
        [
            .. audit.GetProperty("entitlementsAsOf").EnumerateArray().Select(e => (
                Labels.Of(e.GetProperty("programme").GetString()),
                Labels.Of(e.GetProperty("status").GetString()),
                PathOf("history", Subject with { Selector = AuditSubject.EntitlementId, Value = e.GetProperty("id").GetString()! }),
                e.GetProperty("lastDecision") is { ValueKind: JsonValueKind.Object } decision && decision.GetProperty("id").GetString() is { } id
                    ? $"{PathOf("replay")}?decision={id}"
                    : null)),
        ];
        return Page();
    }
}
