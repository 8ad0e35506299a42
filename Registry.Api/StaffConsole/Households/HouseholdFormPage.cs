using System.Text.Json;
using Registry.Api.StaffConsole.Forms;

namespace Registry.Api.StaffConsole;

/// <summary>
/// A form that changes the household this person belongs to (add, remove, change the head), carrying the household's
/// version. Members are chosen by their place on the form, never by an ID number the page would have to show or post.
/// </summary>
public abstract class HouseholdFormPage(ConsoleQuery query, PersonLinks links) : ChangeFormPage(query, links)
{
    public override string Thing => "the household";

    protected override string Selection =>
        "household { id version dissolved head { id } members { relationship citizen { id idNumber firstNames surname } } }";

    protected override JsonElement? Subject(JsonElement citizen)
    {
        if (citizen.GetProperty("household") is { ValueKind: JsonValueKind.Object } household && !household.GetProperty("dissolved").GetBoolean()) return household;
        Refuse(StatusCodes.Status404NotFound, $"{Name} is not a member of a household. Go back to the record to form one.");
        return null;
    }

    /// <summary>What the confirmation on the person's page says (?changed=…).</summary>
    protected abstract string Changed { get; }

    protected override string AfterChange(IReadOnlyDictionary<string, object?> input) => $"{ConsoleHost.PathBase}/person/{Reference}?changed={Changed}#household";

    /// <summary>A household's payload carries the change request that holds a change (removing a member is held by default).</summary>
    protected override bool MayBeHeld => true;

    protected override IReadOnlyList<RecordValue> Holds(JsonElement subject) =>
    [
        new("members-now", "Members", string.Join("; ", Members(subject).Select(m => m.Label))),
    ];

    /// <summary>The members as choices: each one's citizen id (not their ID number), with their name and relationship to the head.</summary>
    public IReadOnlyList<Choice> Members(JsonElement household, bool withHead = true) =>
    [
        .. household.GetProperty("members").EnumerateArray()
            .Where(m => withHead || m.GetProperty("relationship").GetString() != "HEAD")
            .Select(m => new Choice(Id(m), $"{m.GetProperty("citizen").GetProperty("firstNames").GetString()} {m.GetProperty("citizen").GetProperty("surname").GetString()} ({Relationships.Label(m.GetProperty("relationship").GetString())})")),
    ];

    /// <summary>The ID number of the member chosen on the form, or null with <paramref name="missing"/> as the error of field <paramref name="id"/>.</summary>
    protected static string? ChosenMember(JsonElement household, string? chosen, string id, string missing, List<FieldError> errors)
    {
        var member = household.GetProperty("members").EnumerateArray().FirstOrDefault(m => Id(m) == chosen);
        if (member.ValueKind == JsonValueKind.Object) return member.GetProperty("citizen").GetProperty("idNumber").GetString();
        errors.Add(new(id, Domain.Common.ErrorCodes.InvalidInput, missing));
        return null;
    }

    private static string Id(JsonElement member) => member.GetProperty("citizen").GetProperty("id").GetString()!;
}

/// <summary>A household member's relationship to the head, in words.</summary>
public static class Relationships
{
    /// <summary>What a member can be to the head; the head is named by changing the head, not by joining.</summary>
    public static readonly IReadOnlyList<Choice> OfAMember =
    [
        new("SPOUSE", "Spouse or partner"), new("CHILD", "Child"), new("GRANDCHILD", "Grandchild"), new("FOSTER_CHILD", "Foster child"),
        new("PARENT", "Parent"), new("GRANDPARENT", "Grandparent"), new("SIBLING", "Brother or sister"),
        new("OTHER_RELATIVE", "Other relative"), new("NON_RELATIVE", "Not related"),
    ];

    public static string Label(string? relationship) =>
        relationship == "HEAD" ? "Head" : OfAMember.FirstOrDefault(c => c.Value == relationship)?.Label ?? Labels.Of(relationship);

    /// <summary>The confirmation the person's page shows after a household form (?changed=…).</summary>
    public static string? Confirmation(string? changed) => changed switch
    {
        "household-formed" => "The household was formed, with this person as its head.",
        "member-added" => "The member was added to the household.",
        "member-removed" => "The member was removed from the household.",
        "head-changed" => "The head of the household was changed.",
        _ => null,
    };
}
