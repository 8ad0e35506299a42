using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Registry.Api.StaffConsole.Pages.Approvals;

/// <summary>
/// The approval queue: the changes waiting for a second person, oldest first (the longest wait is decided first),
/// paged forwards by the API's cursor. A person is linked by a sealed reference, never by their ID number.
/// </summary>
public sealed class QueueModel(ConsoleQuery query, PersonLinks links) : ConsolePage(query)
{
    public const int PageSize = 20;

    private static readonly string Document = $$"""
        query($after: String) { changeRequests(status: PENDING, first: {{PageSize}}, after: $after) {
          totalCount pageInfo { hasNextPage endCursor }
          edges { node { id summary requestedBy requestedAt citizen { idNumber firstNames surname } } } } }
        """;

    protected override string RefusalMessage => "Your role does not allow you to see the changes waiting for approval.";

    [FromQuery] public string? After { get; set; }

    /// <summary>What the page was sent back with after a decision (?decided=…): a banner.</summary>
    [FromQuery] public string? Decided { get; set; }

    public IReadOnlyList<JsonElement> Requests { get; private set; } = [];

    public Auditing.Pager? Pager { get; private set; }

    /// <summary>The person's page, under the purpose of deciding the change.</summary>
    public string? PersonLink(JsonElement citizen) =>
        citizen.ValueKind == JsonValueKind.Object ? $"/console/person/{links.Seal(citizen.GetProperty("idNumber").GetString()!, HeldChanges.Purpose)}" : null;

    public async Task<IActionResult> OnGetAsync()
    {
        if (await RunAsync(Document, new { after = After }, HeldChanges.Purpose, [Domain.Common.ErrorCodes.InvalidCursor]) is not { } answer) return Page();
        if (answer.ErrorCodes.Contains(Domain.Common.ErrorCodes.InvalidCursor))
            return Refuse(StatusCodes.Status404NotFound, "This page of the list is not one the register gave. Start again from the first page.");
        var requests = answer.Data.GetProperty("changeRequests");
        var total = requests.GetProperty("totalCount").GetInt32();
        Requests = [.. requests.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))];
        var info = requests.GetProperty("pageInfo");
        Pager = new Auditing.Pager(null,
            info.GetProperty("hasNextPage").GetBoolean() ? $"{ConsoleHost.PathBase}/approvals?after={Uri.EscapeDataString(info.GetProperty("endCursor").GetString()!)}" : null,
            After is null ? $"The oldest {Math.Min(PageSize, total)} of {total} waiting" : $"Later requests, of {total} waiting");
        return Page();
    }
}
