using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>
/// Declare a person's monthly income. The form carries the record's version as it was read, so a change
/// someone else made in between is refused (STALE_VERSION) instead of being overwritten.
/// </summary>
public sealed class DeclareIncomeModel(ConsoleQuery query, PersonLinks links) : ConsolePage(query)
{
    private const string Read = "query($id: String!) { citizen(idNumber: $id) { firstNames surname version monthlyIncome incomeSource } }";
    private const string Declare = """
        mutation($input: DeclareIncomeInput!) { declareIncome(input: $input) { version errors { code field message } } }
        """;

    public static readonly IReadOnlyList<(string Value, string Label)> Sources =
    [
        ("EMPLOYMENT", "Employment"), ("SELF_EMPLOYMENT", "Self-employment"), ("PENSION", "Pension"),
        ("MAINTENANCE", "Maintenance"), ("OTHER", "Other income"), ("NONE", "No income"),
    ];

    [FromRoute] public string Reference { get; set; } = "";
    [BindProperty] public string? MonthlyIncome { get; set; }
    [BindProperty] public string? Source { get; set; }
    [BindProperty] public int ExpectedVersion { get; set; }

    public string Name { get; private set; } = "";

    /// <summary>Set when the record changed after the form was opened: what it holds now.</summary>
    public bool Stale { get; private set; }

    public string? CurrentIncome { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (links.Open(Reference) is not { } link) return LinkExpired();
        if (await ReadAsync(link) is not { } citizen) return Page();
        ExpectedVersion = citizen.GetProperty("version").GetInt32();
        if (citizen.GetProperty("incomeSource").ValueKind != JsonValueKind.Null) Source = citizen.GetProperty("incomeSource").GetString();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (links.Open(Reference) is not { } link) return LinkExpired();
        var errors = new List<FieldError>();
        var amount = ParseRand(MonthlyIncome);
        if (amount is null)
            errors.Add(new("monthlyIncome", ErrorCodes.InvalidInput, string.IsNullOrWhiteSpace(MonthlyIncome)
                ? "Enter the monthly income, or 0 if there is none"
                : "Enter the monthly income as an amount in rand, like 2500 or 2500.50"));
        if (Sources.All(s => s.Value != Source)) errors.Add(new("source", ErrorCodes.InvalidInput, "Select where the income comes from"));
        if (errors.Count == 0)
        {
            var input = new { idNumber = link.IdNumber, monthlyIncome = amount, source = Source, expectedVersion = ExpectedVersion };
            if (await RunAsync(Declare, new { input }, link.Purpose) is not { } answer) return Page();
            var rejected = FieldError.From(answer.Data.GetProperty("declareIncome").GetProperty("errors"));
            if (rejected.Count == 0) return Redirect($"{ConsoleHost.PathBase}/person/{Reference}?changed=income");
            Stale = rejected.Any(e => e.Code == ErrorCodes.StaleVersion);
            // The stale message links to what the record holds now; an error about a field this form lacks links to no field.
            errors.AddRange(Stale
                ? [new FieldError("current-income", ErrorCodes.StaleVersion, "Someone changed this record since you opened it. Check what it holds now, then declare the income again")]
                : rejected.Select(e => e.Field is "monthlyIncome" or "source" ? InFormWords(e) : e with { Field = null }));
        }
        Errors = errors;
        if (await ReadAsync(link) is not { } citizen) return Page();
        if (Stale)
        {
            // The form now carries the version just read: sending it again is a decision made knowing the change.
            ExpectedVersion = citizen.GetProperty("version").GetInt32();
            CurrentIncome = citizen.GetProperty("monthlyIncome") is { ValueKind: not JsonValueKind.Null } income
                ? $"{Labels.Rand(income.ToString())} ({Labels.Of(citizen.GetProperty("incomeSource").GetString())})"
                : "no income declared";
        }
        return Page();
    }

    /// <summary>The register's message names the API's values (NONE); the form's reader knows them by their labels.</summary>
    private static FieldError InFormWords(FieldError error) => error is { Code: ErrorCodes.InvalidInput, Field: "source" }
        ? error with { Message = "Choose \"No income\" only when the monthly income is 0" }
        : error;

    private async Task<JsonElement?> ReadAsync(PersonLinks.Link link)
    {
        if (await RunAsync(Read, new { id = link.IdNumber }, link.Purpose) is not { } answer) return null;
        var citizen = answer.Data.GetProperty("citizen");
        if (citizen.ValueKind == JsonValueKind.Null)
        {
            Refuse(StatusCodes.Status404NotFound, "This person is no longer in the register.");
            return null;
        }
        Name = $"{citizen.GetProperty("firstNames").GetString()} {citizen.GetProperty("surname").GetString()}";
        return citizen;
    }

    /// <summary>"2500", "2 500,50", "R2,500.50": rand and cents as people write them; null when it is not an amount.</summary>
    private static decimal? ParseRand(string? text)
    {
        var plain = (text ?? "").Trim().TrimStart('R', 'r').Replace(" ", "").Replace("\u00a0", "");
        // A comma followed by exactly two digits at the end is the decimal comma South Africans write.
        if (plain.Length > 3 && plain[^3] == ',' && !plain.Contains('.')) plain = plain[..^3] + "." + plain[^2..];
        return decimal.TryParse(plain, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands,
            CultureInfo.InvariantCulture, out var amount) ? amount : null;
    }
}
