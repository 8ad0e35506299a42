using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages.Auditing;

/// <summary>
/// The person's record as true on one date by what the register knew at one instant, next to today's:
/// the register's bitemporal citizenAsOf, asked twice in one query. A GET form, so the answer has an address.
/// </summary>
public sealed class AsOfModel(ConsoleQuery query, AuditLinks links) : AuditPage(query, links)
{
    private const string Fields = "firstNames surname dateOfBirth sex citizenship dateOfDeath monthlyIncome incomeSource address { line1 line2 suburb city postalCode province }";

    private static readonly string Document = $$"""
        query($v: String!, $validAt: Date, $knownAt: DateTime) { audit {
          then: citizenAsOf(idNumber: $v, validAt: $validAt, knownAt: $knownAt) { {{Fields}} }
          today: citizenAsOf(idNumber: $v) { {{Fields}} } } }
        """;

    private static readonly string[] KnownAtFormats = ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"];

    [FromQuery] public string? ValidAt { get; set; }
    [FromQuery] public string? KnownAt { get; set; }

    /// <summary>Each line of the record: what it said then and what it says today (null: the question was not asked yet, or refused).</summary>
    public IReadOnlyList<(string Label, string Then, string Today)>? Lines { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Open()) return LinkExpired();
        if (!Subject.IsPerson) return NotInRegister();
        if (ValidAt is null && KnownAt is null) return Page();

        var errors = new List<FieldError>();
        DateOnly? validAt = null;
        DateTimeOffset? knownAt = null;
        if (!string.IsNullOrWhiteSpace(ValidAt))
        {
            if (DateOnly.TryParseExact(ValidAt.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) validAt = d;
            else errors.Add(new("validAt", ErrorCodes.InvalidDate, "Enter the date it was true on as a real date, like 2026-03-31"));
        }
        if (!string.IsNullOrWhiteSpace(KnownAt))
        {
            if (DateTimeOffset.TryParseExact(KnownAt.Trim(), KnownAtFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) knownAt = t;
            else errors.Add(new("knownAt", ErrorCodes.InvalidDate, "Enter the time as a date and time in UTC, like 2026-03-31 14:30"));
        }
        if ((Errors = errors).Count > 0) return Page();

        var variables = new { v = Subject.Value, validAt = validAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), knownAt = knownAt?.ToString("o", CultureInfo.InvariantCulture) };
        if (await RunAsync(Document, variables, Subject.Purpose, [ErrorCodes.KnownAtInFuture, ErrorCodes.NotYetRecorded, ErrorCodes.NotFound]) is not { } answer) return Page();
        if (answer.ErrorCodes.Contains(ErrorCodes.NotFound)) return NotInRegister();
        // Both are about what the register knew by then: said next to that field, in its words.
        if (answer.ErrorCodes.Contains(ErrorCodes.KnownAtInFuture))
            Errors = [new("knownAt", ErrorCodes.KnownAtInFuture, "The time known by is in the future: the register cannot say what it will have recorded. Enter a time up to now")];
        else if (answer.ErrorCodes.Contains(ErrorCodes.NotYetRecorded))
            Errors = [new("knownAt", ErrorCodes.NotYetRecorded, "The register had not recorded this person by that time. Enter a later time")];
        else
        {
            var audit = answer.Data.GetProperty("audit");
            var then = audit.GetProperty("then");
            var today = audit.GetProperty("today");
            Lines = [.. Describe(today).Zip(Describe(then)).Select(p => (p.First.Label, then.ValueKind == JsonValueKind.Null ? "Not in the register" : p.Second.Value, p.First.Value))];
        }
        return Page();
    }

    /// <summary>The lines of a record as the page shows them.</summary>
    private static IEnumerable<(string Label, string Value)> Describe(JsonElement c)
    {
        string? Text(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : null;
        var address = c.ValueKind == JsonValueKind.Object ? c.GetProperty("address") : default;
        yield return ("Name", $"{Text(c, "firstNames")} {Text(c, "surname")}".Trim());
        yield return ("Date of birth", Labels.Date(Text(c, "dateOfBirth")));
        yield return ("Sex", Labels.Of(Text(c, "sex")));
        yield return ("Citizenship", Labels.Of(Text(c, "citizenship")));
        yield return ("Date of death", Text(c, "dateOfDeath") is { } died ? Labels.Date(died) : "None recorded");
        yield return ("Address", string.Join(", ", new[] { Text(address, "line1"), Text(address, "line2"), Text(address, "suburb"), Text(address, "city"), Text(address, "postalCode"), Labels.Name(Text(address, "province")) }
            .Where(p => !string.IsNullOrEmpty(p))));
        yield return ("Monthly income", Text(c, "monthlyIncome") is { } income ? $"{Labels.Rand(income)} ({Labels.Of(Text(c, "incomeSource"))})" : "None declared");
    }
}
