using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.StaffConsole.Forms;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>Declare a person's monthly income and where it comes from.</summary>
public sealed class DeclareIncomeModel(ConsoleQuery query, PersonLinks links) : RecordFormPage(query, links)
{
    public static readonly IReadOnlyList<Choice> Sources =
    [
        new("EMPLOYMENT", "Employment"), new("SELF_EMPLOYMENT", "Self-employment"), new("PENSION", "Pension"),
        new("MAINTENANCE", "Maintenance"), new("OTHER", "Other income"), new("NONE", "No income"),
    ];

    [BindProperty] public string? MonthlyIncome { get; set; }
    [BindProperty] public string? Source { get; set; }

    protected override string Mutation => "declareIncome";
    protected override string Selection => "monthlyIncome incomeSource";
    protected override string Changed => "income";
    protected override IReadOnlyCollection<string> FieldIds => ["monthlyIncome", "source"];

    protected override void Fill(JsonElement citizen) => Source = Text(citizen, "incomeSource");

    protected override Dictionary<string, object?> Input(List<FieldError> errors)
    {
        var amount = ParseRand(MonthlyIncome);
        if (amount is null)
            errors.Add(new("monthlyIncome", ErrorCodes.InvalidInput, string.IsNullOrWhiteSpace(MonthlyIncome)
                ? "Enter the monthly income, or 0 if there is none"
                : "Enter the monthly income as an amount in rand, like 2500 or 2500.50"));
        var source = OneOf(Sources, Source, "source", "Select where the income comes from", errors);
        return new() { ["monthlyIncome"] = amount, ["source"] = source };
    }

    protected override IReadOnlyList<RecordValue> Holds(JsonElement citizen) =>
    [
        new("current-income", "Monthly income", Text(citizen, "monthlyIncome") is { } income
            ? $"{Labels.Rand(income)} ({Labels.Of(Text(citizen, "incomeSource"))})"
            : "No income declared"),
    ];

    /// <summary>The register's message names the API's values (NONE); the form's reader knows them by their labels.</summary>
    protected override FieldError InFormWords(FieldError error) => error is { Code: ErrorCodes.InvalidInput, Field: "source" }
        ? error with { Message = "Choose \"No income\" only when the monthly income is 0" }
        : base.InFormWords(error);

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
