using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages.Auditing;

/// <summary>
/// Who read this person's data, when, in which role, why and what: the register's answer to a person who
/// asks under section 23 of POPIA. Printable (the print stylesheet drops the header and links); up to the
/// API's largest page at a time, so one printout usually holds it all.
/// </summary>
public sealed class AccessLogModel(ConsoleQuery query, AuditLinks links) : AuditPage(query, links)
{
    public const int PageSize = 100;

    private static readonly string Document = $$"""
        query($v: String!, $after: String) { audit {
          citizenAsOf(idNumber: $v) { firstNames surname }
          accessLog(idNumber: $v, first: {{PageSize}}, after: $after) {
            totalCount pageInfo { hasNextPage endCursor } edges { node { at actor role department purpose operation correlationId } } } } }
        """;

    public string Name { get; private set; } = "";

    public JsonElement Log { get; private set; }

    public Pager? Pager { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Open()) return LinkExpired();
        if (!Subject.IsPerson) return NotInRegister();
        if (await RunAsync(Document, new { v = Subject.Value, after = After }, Subject.Purpose, [ErrorCodes.NotFound]) is not { } answer) return Page();
        if (answer.ErrorCodes.Contains(ErrorCodes.NotFound)) return NotInRegister();
        var audit = answer.Data.GetProperty("audit");
        if (audit.GetProperty("citizenAsOf") is { ValueKind: JsonValueKind.Object } citizen)
            Name = $"{citizen.GetProperty("firstNames").GetString()} {citizen.GetProperty("surname").GetString()}";
        Log = audit.GetProperty("accessLog");
        Pager = PagerOf("access-log", Log, PageSize);
        return Page();
    }
}
