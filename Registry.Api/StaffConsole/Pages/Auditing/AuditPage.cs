using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Registry.Api.StaffConsole.Pages.Auditing;

/// <summary>
/// What the auditor's pages share: the subject their sealed reference names, and paging through the API's
/// cursors. The API pages forwards only; the cursors of the pages read so far travel sealed (?page=), so
/// "previous" works without script and nobody can hand the register a cursor it did not give.
/// </summary>
public abstract class AuditPage(ConsoleQuery query, AuditLinks links) : ConsolePage(query)
{
    [FromRoute] public string Reference { get; set; } = "";

    [FromQuery(Name = "page")] public string? PageTrail { get; set; }

    public AuditSubject Subject { get; private set; } = null!;

    public IReadOnlyList<string> Trail { get; private set; } = [];

    /// <summary>The API's cursor this page starts after (null: the first page).</summary>
    protected string? After => Trail.Count == 0 ? null : Trail[^1];

    /// <summary>False for a reference or page trail that was altered, made elsewhere or has expired.</summary>
    protected bool Open()
    {
        if (links.Open(Reference) is not { } subject) return false;
        if (PageTrail is not null)
        {
            if (links.OpenTrail(PageTrail) is not { } trail) return false;
            Trail = trail;
        }
        Subject = subject;
        return true;
    }

    /// <summary>The address of another of this subject's pages, or of another subject's.</summary>
    public string PathOf(string page, AuditSubject? subject = null) =>
        $"{ConsoleHost.PathBase}/audit/{(subject is null ? Reference : links.Seal(subject))}{(page.Length == 0 ? "" : "/" + page)}";

    /// <summary>Previous and next links of a page of a connection (its pageInfo and totalCount).</summary>
    public Pager PagerOf(string page, JsonElement connection, int pageSize)
    {
        var info = connection.GetProperty("pageInfo");
        var path = PathOf(page);
        string? next = info.GetProperty("hasNextPage").GetBoolean()
            ? $"{path}?page={Uri.EscapeDataString(links.SealTrail([.. Trail, info.GetProperty("endCursor").GetString()!]))}"
            : null;
        string? previous = Trail.Count switch
        {
            0 => null,
            1 => path,
            _ => $"{path}?page={Uri.EscapeDataString(links.SealTrail([.. Trail.Take(Trail.Count - 1)]))}",
        };
        var pages = Math.Max(1, (connection.GetProperty("totalCount").GetInt32() + pageSize - 1) / pageSize);
        return new Pager(previous, next, $"Page {Trail.Count + 1} of {pages}");
    }

    /// <summary>The register knows no such person, household, entitlement or request.</summary>
    protected IActionResult NotInRegister() =>
        Refuse(StatusCodes.Status404NotFound, "The register has no record of this. Find it again from the auditor's start page.");
}

public sealed record Pager(string? Previous, string? Next, string Position);
