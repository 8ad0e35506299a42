using System.Text.Json;
using Registry.Api.StaffConsole.Forms;
using Registry.Api.StaffConsole.Pages;

namespace Registry.Api.StaffConsole;

/// <summary>
/// Changes four eyes holds for a second person, as the console shows them: a form's change that came back held
/// instead of made, and a held change's facts in the words of the form that asked for it.
/// </summary>
public static class HeldChanges
{
    /// <summary>What a form asks of a payload that may hold its change (a change request is set when it was held).</summary>
    public const string Held = "changeRequest { id status }";

    /// <summary>What the person's page is sent back with (?changed=…) after a change was held.</summary>
    public const string HeldChange = "held";

    /// <summary>The purpose a supervisor's reads of the requests are logged with: the queue is not reached through a find.</summary>
    public const string Purpose = "deciding a change another person asked for (four eyes)";

    /// <summary>Who may decide a held change: supervisors, and administrators (for their own kind of change).</summary>
    public static readonly string[] Deciders = [Auth.Roles.Supervisor, Auth.Roles.Admin];

    public static bool IsHeld(JsonElement payload) =>
        payload.TryGetProperty("changeRequest", out var request) && request.ValueKind == JsonValueKind.Object;

    /// <summary>The request's facts (the held mutation's input, as JSON), each as a labelled value; the ids of records are left out.</summary>
    public static IReadOnlyList<RecordValue> Facts(string? facts)
    {
        if (string.IsNullOrEmpty(facts) || facts.TrimStart()[0] != '{') return [new("facts", "What is asked", "Not shown: the person was erased")];
        using var document = JsonDocument.Parse(facts);
        var correcting = document.RootElement.TryGetProperty("field", out var f) ? f.GetString() : null;
        return
        [
            .. document.RootElement.EnumerateObject().Where(p => p.Name is not ("householdId" or "expectedVersion" or "idempotencyKey"))
                .Select(p => new RecordValue($"fact-{p.Name}", Label(p.Name), Value(p.Name, p.Value, correcting))),
        ];
    }

    /// <summary>The banner the queue shows after a decision (?decided=…).</summary>
    public static string? Decided(string? decided) => decided switch
    {
        "approved" => "The change was approved and applied to the record.",
        "rejected" => "The change was rejected. It was not applied, and the person who asked can see why.",
        "superseded" => "The change was not applied: the record changed since it was asked for. The request is closed; the caseworker can ask again against the record as it is now.",
        _ => null,
    };

    /// <summary>A request's status in words.</summary>
    public static string Status(string? status) => status switch
    {
        "PENDING" => "Waiting for approval",
        "SUPERSEDED" => "Not applied: the record changed",
        _ => Labels.Of(status),
    };

    private static string Label(string name) => name switch
    {
        "idNumber" => "ID number",
        "dateOfDeath" => "Date of death",
        "field" => "What is corrected",
        "value" => "Correct value",
        _ => Labels.Of(name),
    };

    private static string Value(string name, JsonElement value, string? correcting) => (name, value.ValueKind) switch
    {
        (_, JsonValueKind.Null) => "None",
        ("dateOfDeath", _) => Labels.Date(value.GetString()),
        ("field", _) => CorrectRecordModel.Correctable.FirstOrDefault(c => c.Field == value.GetString()).Label ?? value.GetString() ?? "",
        ("value", _) when correcting == "dateOfBirth" => Labels.Date(value.GetString()),
        ("value", _) when correcting is "sex" or "citizenship" => Labels.Of(value.GetString()),
        (_, JsonValueKind.String) => value.GetString() ?? "",
        _ => value.ToString(),
    };
}
