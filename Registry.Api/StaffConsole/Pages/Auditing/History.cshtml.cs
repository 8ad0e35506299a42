using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages.Auditing;

/// <summary>The subject's history as a timeline: what happened, who, when recorded and when true, why, in which request.</summary>
public sealed class HistoryModel(ConsoleQuery query, AuditLinks links) : AuditPage(query, links)
{
    public const int PageSize = 20;

    public JsonElement History { get; private set; }

    public Pager? Pager { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Open()) return LinkExpired();
        var document = $$"""
            query($v: {{Subject.ArgumentType}}, $after: String) { audit { history({{Subject.Selector}}: $v, first: {{PageSize}}, after: $after) {
              totalCount pageInfo { hasNextPage endCursor }
              edges { node { sequence type data actor reason recordedAt effectiveDate correlationId } } } } }
            """;
        if (await RunAsync(document, new { v = Subject.Value, after = After }, Subject.Purpose, [ErrorCodes.NotFound, ErrorCodes.InvalidCursor]) is not { } answer)
            return Page();
        if (answer.ErrorCodes.Contains(ErrorCodes.NotFound)) return NotInRegister();
        if (answer.ErrorCodes.Contains(ErrorCodes.InvalidCursor))
            return Refuse(StatusCodes.Status404NotFound, "This page of the history is not one the register gave. Start again from the first page.");
        History = answer.Data.GetProperty("audit").GetProperty("history");
        Pager = PagerOf("history", History, PageSize);
        return Page();
    }

    /// <summary>The history of the request that recorded an event: everything else it did.</summary>
    public string RequestHistory(string correlationId) =>
        PathOf("history", Subject with { Selector = AuditSubject.CorrelationId, Value = correlationId });

    /// <summary>An assessment's decision id, when the event recorded one: it can be replayed.</summary>
    public static string? DecisionOf(string data)
    {
        using var facts = JsonDocument.Parse(data);
        return facts.RootElement.ValueKind == JsonValueKind.Object
            ? facts.RootElement.EnumerateObject().FirstOrDefault(p => p.NameEquals("decisionId") || p.NameEquals("DecisionId")).Value is { ValueKind: JsonValueKind.String } id
                ? id.GetString()
                : null
            : null;
    }
}
