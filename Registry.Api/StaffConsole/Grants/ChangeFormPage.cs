using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.StaffConsole.Forms;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole;

/// <summary>
/// A form that changes something a person holds besides their record (an entitlement, their household), carrying the
/// thing's version as it was read (see <see cref="VersionedFormPage"/>). Its id is read again on every post, never posted.
/// </summary>
public abstract class ChangeFormPage(ConsoleQuery query, PersonLinks links) : VersionedFormPage(query)
{
    /// <summary>The citizen's fields read besides their names (a GraphQL selection that includes the thing changed).</summary>
    protected abstract string Selection { get; }

    /// <summary>The thing this form changes, with its version, from the citizen read; null after a refusal was set (it is not there to change).</summary>
    protected abstract JsonElement? Subject(JsonElement citizen);

    /// <summary>The mutation sent, and its input type when the mutation's name does not give it.</summary>
    protected abstract (string Mutation, string? InputType) Change { get; }

    /// <summary>The form filled from the thing as it is opened.</summary>
    protected virtual void Fill(JsonElement subject) { }

    /// <summary>The posted fields checked and read into the mutation's input (expectedVersion is added); errors added for what is wrong.</summary>
    protected abstract Dictionary<string, object?> Input(PersonLinks.Link link, JsonElement subject, List<FieldError> errors);

    /// <summary>What the thing holds of what this form changes, as opened and after a stale refusal.</summary>
    protected abstract IReadOnlyList<RecordValue> Holds(JsonElement subject);

    /// <summary>Where the caseworker goes after the change.</summary>
    protected abstract string AfterChange(IReadOnlyDictionary<string, object?> input);

    /// <summary>Whether the mutation's payload can carry a change request (four eyes may hold it for a second person).</summary>
    protected virtual bool MayBeHeld => false;

    /// <summary>Where the caseworker goes when the change was held for a second person instead of made.</summary>
    protected virtual string AfterHeld => $"{ConsoleHost.PathBase}/person/{Reference}?changed={HeldChanges.HeldChange}";

    /// <summary>The thing as last read, for the view.</summary>
    public JsonElement Current { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (links.Open(Reference) is not { } link) return LinkExpired();
        if (await ReadAsync(link) is not { } subject) return Page();
        OpenedOn(subject.GetProperty("version").GetInt32(), Holds(subject));
        Fill(subject);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (links.Open(Reference) is not { } link) return LinkExpired();
        if (await ReadAsync(link) is not { } subject) return Page();
        var errors = new List<FieldError>();
        var input = Input(link, subject, errors);
        if (errors.Count == 0)
        {
            input["expectedVersion"] = ExpectedVersion;
            var (mutation, inputType) = Change;
            if (await SendAsync(mutation, input, link.Purpose, inputType, MayBeHeld ? HeldChanges.Held : "") is not { } sent) return Page();
            var (rejected, payload) = sent;
            if (rejected.Count == 0 && MayBeHeld && HeldChanges.IsHeld(payload)) return Redirect(AfterHeld);
            if (rejected.Count == 0) return Redirect(AfterChange(input));
            if (rejected.Any(e => e.Code == ErrorCodes.StaleVersion))
            {
                // Read just before sending, so it is what the register holds now.
                errors.Add(RefusedAsStale(subject.GetProperty("version").GetInt32(), Holds(subject),
                    $"Someone changed {Thing} since you opened the form. Check what changed, then send the form again if the change is still needed"));
            }
            else errors.AddRange(rejected);
        }
        Errors = errors;
        return Page();
    }

    private async Task<JsonElement?> ReadAsync(PersonLinks.Link link)
    {
        var document = $"query($id: String!) {{ citizen(idNumber: $id) {{ firstNames surname {Selection} }} }}";
        if (await RunAsync(document, new { id = link.IdNumber }, link.Purpose) is not { } answer) return null;
        var citizen = answer.Data.GetProperty("citizen");
        if (citizen.ValueKind == JsonValueKind.Null)
        {
            Refuse(StatusCodes.Status404NotFound, "This person is no longer in the register.");
            return null;
        }
        Name = GrantReading.Name(citizen);
        if (Subject(citizen) is not { } subject) return null;
        Current = subject;
        return subject;
    }
}
