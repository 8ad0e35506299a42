using Microsoft.AspNetCore.Mvc;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Forms;

/// <summary>One thing a form changes that differs between when the form was opened and now.</summary>
public sealed record ValueChange(string Id, string Label, string Was, string Now);

/// <summary>
/// A form reached by the sealed reference of a person's page that carries the version of what it changes (their record,
/// their household, a grant), so a change someone else made in between is refused (STALE_VERSION) instead of being
/// overwritten. It also carries, in hidden fields of its body, what it changes as it was when opened: refused as stale,
/// it says what changed from what to what, keeps what was typed, and carries the new version, so sending it again is a
/// decision made knowing the change.
/// </summary>
public abstract class VersionedFormPage(ConsoleQuery query) : FormPage(query)
{
    [FromRoute] public string Reference { get; set; } = "";
    [BindProperty] public int ExpectedVersion { get; set; }

    /// <summary>What the form changes as it was when opened (or last refused as stale), by the id of each value.</summary>
    [BindProperty] public Dictionary<string, string?> Opened { get; set; } = [];

    /// <summary>What the form changes, as a sentence names it: "this record", "the household", "the grant".</summary>
    public abstract string Thing { get; }

    /// <summary>The person's names, as the caption above the form's heading.</summary>
    public string Name { get; protected set; } = "";

    /// <summary>Set when what the form changes changed after it was opened: <see cref="Now"/> says what it holds now.</summary>
    public bool Stale { get; private set; }

    public IReadOnlyList<RecordValue> Now { get; private set; } = [];

    /// <summary>After a stale form, each value the form changes that differs from what it was when opened.</summary>
    public IReadOnlyList<ValueChange> Changes { get; private set; } = [];

    /// <summary>The form as it is opened on <paramref name="holds"/> at <paramref name="version"/>.</summary>
    protected void OpenedOn(int version, IReadOnlyList<RecordValue> holds)
    {
        ExpectedVersion = version;
        Opened = holds.ToDictionary(v => v.Id, string? (v) => v.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// The form refused as stale: what changed, and the refusal, linked to the first value that changed (or the first
    /// value when only something this form does not change did). The form now carries <paramref name="now"/> as opened.
    /// </summary>
    protected FieldError RefusedAsStale(int version, IReadOnlyList<RecordValue> now, string message)
    {
        Stale = true;
        Now = now;
        // An empty value is posted back as none; a value the form did not carry is not known.
        Changes = [.. now.Where(v => !Opened.TryGetValue(v.Id, out var was) || (was ?? "") != v.Value)
            .Select(v => new ValueChange(v.Id, v.Label, Opened.TryGetValue(v.Id, out var was) ? was ?? "" : "Not known", v.Value))];
        OpenedOn(version, now);
        return new FieldError(Changes.Count > 0 ? Changes[0].Id : now[0].Id, ErrorCodes.StaleVersion, message);
    }
}
