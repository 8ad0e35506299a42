using Microsoft.AspNetCore.Mvc;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Forms;

/// <summary>
/// A console page whose form asks the register for one change (a mutation): it sends the input as the signed-in
/// person and shows each refusal next to the field it names, in plain words, and in the error summary.
/// </summary>
public abstract class FormPage(ConsoleQuery query) : ConsolePage(query)
{
    /// <summary>
    /// One key per opened form, sent as the mutation's idempotencyKey: a form sent twice (a double click, a retry over a
    /// slow link) makes one change, and the second answer is the first's. The register keeps a key only with a change
    /// it made, so the same form corrected after a refusal is still sent under it.
    /// </summary>
    [BindProperty] public string? IdempotencyKey { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>The ids of this form's fields: a refusal naming any other field (or none) is shown in the summary only.</summary>
    protected abstract IReadOnlyCollection<string> FieldIds { get; }

    /// <summary>
    /// The register's refusals of the change, empty when it was made; null when the page answers with a refusal
    /// instead (already set). The input type follows the mutation's name (declareIncome takes DeclareIncomeInput) unless
    /// <paramref name="inputType"/> names it (suspendEntitlement takes EntitlementActionInput).
    /// </summary>
    protected async Task<IReadOnlyList<FieldError>?> SendAsync(string mutation, IReadOnlyDictionary<string, object?> input, string? purpose, string? inputType = null) =>
        await SendAsync(mutation, input, purpose, inputType, "") is { } sent ? sent.Rejected : null;

    /// <summary>As above, with what the change answered besides its errors: <paramref name="selection"/> of its payload (e.g. "run { id }").</summary>
    protected async Task<(IReadOnlyList<FieldError> Rejected, System.Text.Json.JsonElement Payload)?> SendAsync(string mutation, IReadOnlyDictionary<string, object?> input,
        string? purpose, string? inputType, string selection)
    {
        if (!string.IsNullOrWhiteSpace(IdempotencyKey)) input = new Dictionary<string, object?>(input) { ["idempotencyKey"] = IdempotencyKey };
        var document = $"mutation($input: {inputType ?? $"{char.ToUpperInvariant(mutation[0])}{mutation[1..]}Input"}!) {{ {mutation}(input: $input) {{ {selection} errors {{ code field message }} }} }}";
        if (await RunAsync(document, new { input }, purpose) is not { } answer) return null;
        var payload = answer.Data.GetProperty(mutation);
        return ([.. FieldError.From(payload.GetProperty("errors")).Select(Shown)], payload);
    }

    /// <summary>The register's refusals of a change sent some other way (an argument, not an input), shown as this form's.</summary>
    protected IReadOnlyList<FieldError> Shown(System.Text.Json.JsonElement errors) => [.. FieldError.From(errors).Select(Shown)];

    private FieldError Shown(FieldError error)
    {
        var plain = InFormWords(error);
        return plain.Field is { } field && FieldIds.Contains(field) ? plain : plain with { Field = null };
    }

    /// <summary>The register's message in the words of this form (its labels, not the API's names); plain by default.</summary>
    protected virtual FieldError InFormWords(FieldError error) => PlainWords.Of(error);

    public TextField Text(string id, string name, string label, string? value, string? hint = null, string width = "",
        string? inputMode = null, string? autocomplete = null, string? prefix = null) =>
        new(id, name, label, value, ErrorFor(id), hint, width, inputMode, autocomplete, prefix);

    public DateField Date(string id, string name, string label, DateInput value, string? hint = null) => new(id, name, label, value, ErrorFor(id), hint);

    public RadiosField Radios(string id, string name, string label, IReadOnlyList<Choice> choices, string? selected, string? hint = null) =>
        new(id, name, label, choices, selected, ErrorFor(id), hint);

    public SelectField Select(string id, string name, string label, IReadOnlyList<Choice> choices, string? selected, string? hint = null) =>
        new(id, name, label, choices, selected, ErrorFor(id), hint);

    /// <summary>A field that must be filled: its trimmed text, or null with <paramref name="missing"/> as its error.</summary>
    protected static string? Required(string? value, string id, string missing, List<FieldError> errors)
    {
        if (!string.IsNullOrWhiteSpace(value)) return value.Trim();
        errors.Add(new(id, ErrorCodes.InvalidInput, missing));
        return null;
    }

    /// <summary>A yes-or-no radio answer, or null with <paramref name="missing"/> as its error.</summary>
    protected static bool? YesOrNo(string? value, string id, string missing, List<FieldError> errors)
    {
        if (value is "yes" or "no") return value == "yes";
        errors.Add(new(id, ErrorCodes.InvalidInput, missing));
        return null;
    }

    /// <summary>One of the offered choices, or null with <paramref name="missing"/> as its error (the register's enums accept nothing else).</summary>
    protected static string? OneOf(IReadOnlyList<Choice> choices, string? value, string id, string missing, List<FieldError> errors)
    {
        if (choices.Any(c => c.Value == value)) return value;
        errors.Add(new(id, ErrorCodes.InvalidInput, missing));
        return null;
    }
}

/// <summary>The register's refusals as a caseworker reads them: its messages name API fields (firstNames); these name the form's.</summary>
public static class PlainWords
{
    public static FieldError Of(FieldError error) => error with
    {
        Message = (error.Code, error.Field) switch
        {
            (ErrorCodes.InvalidInput, "firstNames") => $"Enter the first names in {Domain.Citizens.CitizenNames.MaxLength} characters or fewer, without digits",
            (ErrorCodes.InvalidInput, "surname") => $"Enter the surname in {Domain.Citizens.CitizenNames.MaxLength} characters or fewer, without digits",
            (ErrorCodes.InvalidInput, "line1") => "Enter the first line of the address",
            (ErrorCodes.InvalidInput, "city") => "Enter the town or city",
            (ErrorCodes.InvalidInput, "municipalityCode" or "province") => "Select the municipality",
            (ErrorCodes.InvalidInput, "postalCode") => "Enter the postal code as 4 digits, like 8001",
            (ErrorCodes.InvalidInput, "address") => "Address lines can be 200 characters long, the suburb and the town or city 100",
            (ErrorCodes.DuplicateIdNumber, _) => "Someone is already registered with this ID number. Find them instead of registering them again",
            (ErrorCodes.ReasonRequired, _) => "Enter the reason",
            (ErrorCodes.IdempotencyKeyReused, _) => "This form was already sent with other answers. Open the form again to make another change",
            (ErrorCodes.CitizenDeceased, _) => "The register records this person's death, so this can no longer change. A mistake can still be corrected",
            _ => error.Message,
        },
    };
}
