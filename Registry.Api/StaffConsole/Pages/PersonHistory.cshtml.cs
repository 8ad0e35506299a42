using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>
/// The changes to a person's own record as a timeline, read for the purpose given when finding them. Pages go
/// forward by the API's cursor (a position in the event log, nothing about the person); one the API did not
/// give is refused by it.
/// </summary>
public sealed class PersonHistoryModel(ConsoleQuery query, PersonLinks links) : ConsolePage(query)
{
    public const int PageSize = 20;

    private const string Document = """
        query($id: String!, $after: String) {
          citizen(idNumber: $id) {
            firstNames surname
            history(first: 20, after: $after) { totalCount pageInfo { hasNextPage endCursor }
              edges { node { type data actor reason recordedAt effectiveDate } } }
          }
        }
        """;

    [FromRoute] public string Reference { get; set; } = "";

    [FromQuery] public string? After { get; set; }

    public JsonElement Citizen { get; private set; }

    public JsonElement History => Citizen.GetProperty("history");

    public async Task<IActionResult> OnGetAsync()
    {
        if (links.Open(Reference) is not { } link) return LinkExpired();
        if (await RunAsync(Document, new { id = link.IdNumber, after = After }, link.Purpose, [ErrorCodes.InvalidCursor]) is not { } answer) return Page();
        if (answer.ErrorCodes.Contains(ErrorCodes.InvalidCursor))
            return Refuse(StatusCodes.Status404NotFound, "This page of the history is not one the register gave. Start again from the first page.");
        Citizen = answer.Data.GetProperty("citizen");
        if (Citizen.ValueKind == JsonValueKind.Null) return Refuse(StatusCodes.Status404NotFound, "This person is no longer in the register.");
        return Page();
    }

    public string? NextPage => History.GetProperty("pageInfo") is var info && info.GetProperty("hasNextPage").GetBoolean()
        ? $"{ConsoleHost.PathBase}/person/{Reference}/history?after={Uri.EscapeDataString(info.GetProperty("endCursor").GetString()!)}"
        : null;
}
