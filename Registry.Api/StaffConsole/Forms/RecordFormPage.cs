using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Forms;

/// <summary>What the record holds now of one thing a form changes, shown when the form was opened on an older version.</summary>
public sealed record RecordValue(string Id, string Label, string Value);

/// <summary>
/// A form that changes a person's record, carrying the record's version as it was read (see <see cref="VersionedFormPage"/>).
/// </summary>
public abstract class RecordFormPage(ConsoleQuery query, PersonLinks links) : VersionedFormPage(query)
{
    protected PersonLinks Links => links;

    public override string Thing => "this record";

    /// <summary>The mutation this form sends, e.g. declareIncome.</summary>
    protected abstract string Mutation { get; }

    /// <summary>The citizen's fields this form reads besides names and version (a GraphQL selection).</summary>
    protected abstract string Selection { get; }

    /// <summary>What the person's page is sent back with (?changed=…) to confirm the change.</summary>
    protected abstract string Changed { get; }

    /// <summary>The form filled from the record as it is opened.</summary>
    protected virtual void Fill(JsonElement citizen) { }

    /// <summary>What the page shows of the record beside the form (e.g. the values a correction replaces), each time it is read.</summary>
    protected virtual void Show(JsonElement citizen) { }

    /// <summary>The posted fields checked and read into the mutation's input (idNumber and expectedVersion are added); errors added for what is wrong.</summary>
    protected abstract Dictionary<string, object?> Input(List<FieldError> errors);

    /// <summary>What the record holds of the things this form changes, as opened and after a stale refusal.</summary>
    protected abstract IReadOnlyList<RecordValue> Holds(JsonElement citizen);

    /// <summary>Where the caseworker goes after the change: the person's page, saying what changed.</summary>
    protected virtual string AfterChange(PersonLinks.Link link, IReadOnlyDictionary<string, object?> input) =>
        $"{ConsoleHost.PathBase}/person/{Reference}?changed={Changed}";

    public async Task<IActionResult> OnGetAsync()
    {
        if (links.Open(Reference) is not { } link) return LinkExpired();
        if (await ReadAsync(link) is not { } citizen) return Page();
        OpenedOn(citizen.GetProperty("version").GetInt32(), Holds(citizen));
        Fill(citizen);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (links.Open(Reference) is not { } link) return LinkExpired();
        var errors = new List<FieldError>();
        var stale = false;
        var input = Input(errors);
        if (errors.Count == 0)
        {
            input["idNumber"] = link.IdNumber;
            input["expectedVersion"] = ExpectedVersion;
            if (await SendAsync(Mutation, input, link.Purpose, null, HeldChanges.Held) is not { } sent) return Page();
            var (rejected, payload) = sent;
            // Held for a second person: the record is unchanged, so the person's page (under the reference they have now) says so.
            if (rejected.Count == 0 && HeldChanges.IsHeld(payload)) return Redirect($"{ConsoleHost.PathBase}/person/{Reference}?changed={HeldChanges.HeldChange}");
            if (rejected.Count == 0) return Redirect(AfterChange(link, input));
            stale = rejected.Any(e => e.Code == ErrorCodes.StaleVersion);
            if (!stale) errors.AddRange(rejected);
        }
        Errors = errors;
        if (await ReadAsync(link) is not { } citizen) return Page();
        if (stale)
            Errors = [RefusedAsStale(citizen.GetProperty("version").GetInt32(), Holds(citizen),
                "Someone changed this record since you opened it. Check what changed, then send the form again if the change is still needed")];
        return Page();
    }

    private async Task<JsonElement?> ReadAsync(PersonLinks.Link link)
    {
        var document = $"query($id: String!) {{ citizen(idNumber: $id) {{ firstNames surname version {Selection} }} }}";
        if (await RunAsync(document, new { id = link.IdNumber }, link.Purpose) is not { } answer) return null;
        var citizen = answer.Data.GetProperty("citizen");
        if (citizen.ValueKind == JsonValueKind.Null)
        {
            Refuse(StatusCodes.Status404NotFound, "This person is no longer in the register.");
            return null;
        }
        Name = $"{citizen.GetProperty("firstNames").GetString()} {citizen.GetProperty("surname").GetString()}";
        Show(citizen);
        return citizen;
    }

    /// <summary>A citizen's field as text, or null when the register holds none.</summary>
    protected static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? v.ToString() : null;
}
