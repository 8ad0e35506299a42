using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.StaffConsole.Forms;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages.Grants;

/// <summary>Suspend an active grant, or reinstate a suspended one: a caseworker's decision, with the reason the register keeps.</summary>
public sealed class ChangeEntitlementModel(ConsoleQuery query, PersonLinks links) : ChangeFormPage(query, links)
{
    [FromRoute] public string Programme { get; set; } = "";

    /// <summary>suspend or reinstate, from the address.</summary>
    [FromRoute(Name = "change")] public string Action { get; set; } = "";

    [BindProperty] public string? Reason { get; set; }

    public bool Suspending => Action == "suspend";
    public string ProgrammeName => ProgrammeChoices.NameOf(Programme);
    public string Heading => $"{(Suspending ? "Suspend" : "Reinstate")} the {ProgrammeName}";

    public override string Thing => "the grant";
    protected override IReadOnlyCollection<string> FieldIds => ["reason"];
    protected override string Selection => "entitlements { id programme status suspendedBy monthlyAmount version }";
    protected override (string Mutation, string? InputType) Change => (Suspending ? "suspendEntitlement" : "reinstateEntitlement", "EntitlementActionInput");

    protected override JsonElement? Subject(JsonElement citizen)
    {
        if (Action is not ("suspend" or "reinstate") || !ProgrammeChoices.IsKnown(Programme))
        {
            Refuse(StatusCodes.Status404NotFound, "There is no such page. Go back to the person's record.");
            return null;
        }
        if (GrantReading.Of(citizen, Programme) is { } entitlement) return entitlement;
        Refuse(StatusCodes.Status404NotFound, $"{Name} has not applied for the {ProgrammeName}.");
        return null;
    }

    protected override Dictionary<string, object?> Input(PersonLinks.Link link, JsonElement subject, List<FieldError> errors)
    {
        var reason = Required(Reason, "reason", Suspending ? "Enter why the grant is suspended" : "Enter why the grant is reinstated", errors);
        return new() { ["entitlementId"] = subject.GetProperty("id").GetString(), ["reason"] = reason };
    }

    protected override IReadOnlyList<RecordValue> Holds(JsonElement subject) =>
    [
        new("status-now", "Status", Status(subject)),
        new("amount-now", "Monthly amount", subject.GetProperty("monthlyAmount") is { ValueKind: not JsonValueKind.Null } amount ? Labels.Rand(amount.ToString()) : "None"),
    ];

    protected override string AfterChange(IReadOnlyDictionary<string, object?> input) =>
        $"{ConsoleHost.PathBase}/person/{Reference}/grant/{Programme}?changed={(Suspending ? "suspended" : "reinstated")}";

    /// <summary>The register names the entitlement's status in its constants; the form says it in words.</summary>
    protected override FieldError InFormWords(FieldError error) => error.Code == ErrorCodes.InvalidStatus
        ? error with { Field = null, Message = $"The grant is {Status(Current).ToLowerInvariant()}, so it cannot be {(Suspending ? "suspended" : "reinstated")}" }
        : base.InFormWords(error);

    private static string Status(JsonElement entitlement) =>
        Labels.Of(entitlement.GetProperty("status").GetString())
        + (entitlement.GetProperty("suspendedBy") is { ValueKind: JsonValueKind.String } by ? $" (by {Labels.Of(by.GetString()).ToLowerInvariant()})" : "");
}
