using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Auth;
using Registry.Api.StaffConsole.Forms;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages.Approvals;

/// <summary>
/// One held change: what it will change, why it was asked for, the record as it is now; approve it (with an optional
/// note) or reject it (saying why). Both post and go back to the queue, which says what happened. The request's id is
/// no personal data: it is in the address.
/// </summary>
public sealed class RequestModel(ConsoleQuery query, PersonLinks links) : FormPage(query)
{
    private const string Document = """
        query($id: ID!) { changeRequest(id: $id) {
          id command summary facts status requestedBy requestedAt requestReason subjectId subjectVersion decidedBy decidedAt reason
          citizen { id idNumber firstNames surname dateOfBirth sex citizenship dateOfDeath version } } }
        """;

    protected override string RefusalMessage => "Your role does not allow you to approve or reject changes. A supervisor decides them.";

    protected override IReadOnlyCollection<string> FieldIds => ["note", "rejectReason"];

    [FromRoute] public string Id { get; set; } = "";

    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? RejectReason { get; set; }

    public JsonElement Change { get; private set; }

    /// <summary>What the change will set, each fact as a labelled value.</summary>
    public IReadOnlyList<RecordValue> Facts { get; private set; } = [];

    /// <summary>The record of the person the change is about, as it is now; empty when it is about no person.</summary>
    public IReadOnlyList<RecordValue> Now { get; private set; } = [];

    /// <summary>The person's page, under the purpose of deciding the change.</summary>
    public string? PersonLink { get; private set; }

    /// <summary>The record changed since the change was asked for: approving it will not apply it.</summary>
    public bool RecordChanged { get; private set; }

    public bool Pending => Change.GetProperty("status").GetString() == "PENDING";

    /// <summary>Whether the signed-in person may decide at all (the register also checks who asked, and an administrator's change).</summary>
    public bool MayDecide => Roles.Satisfies(User, HeldChanges.Deciders);

    public async Task<IActionResult> OnGetAsync()
    {
        await ReadAsync();
        return Page();
    }

    public Task<IActionResult> OnPostApproveAsync() => DecideAsync("approveChange", Note);

    public Task<IActionResult> OnPostRejectAsync() => DecideAsync("rejectChange", RejectReason);

    private async Task<IActionResult> DecideAsync(string mutation, string? reason)
    {
        var document = $"mutation($id: ID!, $reason: String) {{ {mutation}(id: $id, reason: $reason) {{ changeRequest {{ status }} errors {{ code field message }} }} }}";
        if (await RunAsync(document, new { id = Id, reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim() }, HeldChanges.Purpose) is not { } answer) return Page();
        var payload = answer.Data.GetProperty(mutation);
        // Decided (approved, rejected, or closed because the record changed since): the queue says which.
        if (payload.GetProperty("changeRequest") is { ValueKind: JsonValueKind.Object } decided)
            return Redirect($"{ConsoleHost.PathBase}/approvals?decided={decided.GetProperty("status").GetString()!.ToLowerInvariant()}");
        Errors = Shown(payload.GetProperty("errors"));
        await ReadAsync();
        return Page();
    }

    protected override FieldError InFormWords(FieldError error) => error.Code switch
    {
        ErrorCodes.ReasonRequired => error with { Field = "rejectReason", Message = "Enter why the change is rejected" },
        ErrorCodes.FourEyes => error with { Field = null, Message = "You asked for this change: another supervisor must decide it" },
        ErrorCodes.Forbidden => error with { Field = null, Message = "Only an administrator (other than the one who asked) can decide this change" },
        ErrorCodes.ChangeNotPending => error with { Field = null, Message = "This change was already decided. Go back to the changes waiting for approval" },
        ErrorCodes.NotFound => error with { Field = null, Message = "No change request has this id. Go back to the changes waiting for approval" },
        _ => base.InFormWords(error),
    };

    private async Task<bool> ReadAsync()
    {
        if (await RunAsync(Document, new { id = Id }, HeldChanges.Purpose) is not { } answer) return false;
        Change = answer.Data.GetProperty("changeRequest");
        if (Change.ValueKind == JsonValueKind.Null)
        {
            Refuse(StatusCodes.Status404NotFound, "No change request has this id. Go back to the changes waiting for approval.");
            return false;
        }
        Facts = HeldChanges.Facts(Change.GetProperty("facts").GetString());
        if (Change.GetProperty("citizen") is { ValueKind: JsonValueKind.Object } c)
        {
            string? Text(string name) => c.GetProperty(name).ValueKind == JsonValueKind.Null ? null : c.GetProperty(name).GetString();
            Now =
            [
                new("now-name", "Name", $"{Text("firstNames")} {Text("surname")}"),
                new("now-idNumber", "ID number", Text("idNumber") ?? ""),
                new("now-dateOfBirth", "Date of birth", Labels.Date(Text("dateOfBirth"))),
                new("now-sex", "Sex", Labels.Of(Text("sex"))),
                new("now-citizenship", "Citizenship", Labels.Of(Text("citizenship"))),
                new("now-dateOfDeath", "Date of death", Text("dateOfDeath") is { } died ? Labels.Date(died) : "No death recorded"),
            ];
            PersonLink = $"/console/person/{links.Seal(Text("idNumber")!, HeldChanges.Purpose)}";
            // Only a change to the person's own record is asked at their record's version (a household's is at the household's).
            RecordChanged = Pending && Text("id") == Change.GetProperty("subjectId").GetString()
                && c.GetProperty("version").GetInt32() != Change.GetProperty("subjectVersion").GetInt32();
        }
        return true;
    }
}
