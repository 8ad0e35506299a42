using System.Globalization;
using System.Text.Json;
using Registry.Api.StaffConsole.Pages;
using Registry.Api.StaffConsole.Pages.Auditing;

namespace Registry.Api.StaffConsole;

/// <summary>
/// What the policy simulation pages share: the register's published tallies of a run read into tables and charts,
/// its statuses and kinds of change in words, and paging through its lists.
/// </summary>
public static class SimulationReading
{
    /// <summary>The published figures of a summary or a cell (counts null when suppressed).</summary>
    public const string Tally = "suppressed population eligibleBefore eligibleAfter newlyEligible noLongerEligible amountUp amountDown monthlyCostBefore monthlyCostAfter";

    /// <summary>A grouping the register breaks a run down by: its enum value, how the page names it, and how its keys read.</summary>
    public sealed record Dimension(string Value, string Label, Func<string, string> KeyLabel)
    {
        /// <summary>The alias the run's document reads this breakdown under.</summary>
        public string Alias => "by" + Value.Replace("_", "", StringComparison.Ordinal);
    }

    public static readonly IReadOnlyList<Dimension> Dimensions =
    [
        new("PROVINCE", "Province", Unknown(Labels.Name)),
        new("AGE_BAND", "Age band", StatisticsModel.AgeBand),
        new("SEX", "Sex", Unknown(Labels.Of)),
        new("HOUSEHOLD_SIZE", "Household size", HouseholdSize),
        new("MUNICIPALITY", "Municipality", Unknown(StatisticsModel.MunicipalityName)),
    ];

    /// <summary>What a run's page breaks it down by unless asked for others.</summary>
    public static readonly IReadOnlyList<string> DefaultDimensions = ["PROVINCE", "AGE_BAND"];

    /// <summary>The kinds of change a person's row can have, as the changes page filters them.</summary>
    public static readonly IReadOnlyList<Forms.Choice> Kinds =
    [
        new("NEWLY_ELIGIBLE", "Newly eligible"), new("NO_LONGER_ELIGIBLE", "No longer eligible"),
        new("AMOUNT_UP", "Paid more"), new("AMOUNT_DOWN", "Paid less"),
    ];

    public static string Kind(string? kind) => Kinds.FirstOrDefault(k => k.Value == kind)?.Label ?? Labels.Of(kind);

    public static string Status(string? status) => status switch
    {
        "QUEUED" => "Waiting to start",
        "RUNNING" => "Running",
        "DONE" => "Done",
        "FAILED" => "Failed",
        _ => Labels.Of(status),
    };

    /// <summary>A run still working: its page refreshes itself until it is done or failed.</summary>
    public static bool Working(string? status) => status is "QUEUED" or "RUNNING";

    /// <summary>"3 of 10 people read".</summary>
    public static string Progress(JsonElement progress) =>
        string.Create(CultureInfo.InvariantCulture, $"{progress.GetProperty("done").GetInt64():#,0} of {progress.GetProperty("total").GetInt64():#,0} people read");

    /// <summary>A published count, or the suppression in words.</summary>
    public static string Count(JsonElement tally, string name) =>
        tally.GetProperty(name) is { ValueKind: JsonValueKind.Number } n ? n.GetInt32().ToString("#,0", CultureInfo.InvariantCulture) : SuppressedWords;

    /// <summary>A published monthly cost (rounded to thousands of rand), or the suppression in words.</summary>
    public static string Money(JsonElement tally, string name) =>
        tally.GetProperty(name) is { ValueKind: JsonValueKind.Number } n ? Labels.Rand(n.GetDecimal().ToString(CultureInfo.InvariantCulture)) : SuppressedWords;

    public const string SuppressedWords = "Suppressed";

    /// <summary>The monthly cost before and after, per group: two bars each, to the same scale (thousands of rand).</summary>
    public static BarChart CostChart(Dimension dimension, JsonElement cells) =>
        new($"cost-{dimension.Value.ToLowerInvariant()}", $"Monthly cost before and after, by {dimension.Label.ToLowerInvariant()}",
            $"{dimension.Label}, before or after", "Monthly cost",
            [.. cells.EnumerateArray().SelectMany(c => new[] { MoneyBar(dimension, c, "before", "monthlyCostBefore"), MoneyBar(dimension, c, "after", "monthlyCostAfter") })]);

    /// <summary>The people newly eligible and no longer eligible, per group.</summary>
    public static BarChart EligibilityChart(Dimension dimension, JsonElement cells) =>
        new($"eligibility-{dimension.Value.ToLowerInvariant()}", $"People newly eligible and no longer eligible, by {dimension.Label.ToLowerInvariant()}",
            $"{dimension.Label}, newly or no longer eligible", "People",
            [.. cells.EnumerateArray().SelectMany(c => new[] { CountBar(dimension, c, "newly", "newlyEligible"), CountBar(dimension, c, "no longer", "noLongerEligible") })]);

    private static Bar CountBar(Dimension dimension, JsonElement cell, string side, string name) =>
        new($"{dimension.KeyLabel(cell.GetProperty("key").GetString() ?? "")}, {side}",
            cell.GetProperty(name) is { ValueKind: JsonValueKind.Number } n ? n.GetInt32() : null);

    /// <summary>Drawn in thousands of rand (the register publishes costs to the nearest thousand); printed in rand.</summary>
    private static Bar MoneyBar(Dimension dimension, JsonElement cell, string side, string name)
    {
        var label = $"{dimension.KeyLabel(cell.GetProperty("key").GetString() ?? "")}, {side}";
        return cell.GetProperty(name) is { ValueKind: JsonValueKind.Number } n
            ? new Bar(label, (int)Math.Round(n.GetDecimal() / 1000m), Money(cell, name))
            : new Bar(label, null, $"{BarChart.Suppressed} people");
    }

    /// <summary>The register groups people whose place or sex it does not know under UNKNOWN.</summary>
    private static Func<string, string> Unknown(Func<string, string> label) => key => key == "UNKNOWN" ? "Not recorded" : label(key);

    /// <summary>"none" → "In no recorded household", "6+" → "6 or more people", "1" → "1 person".</summary>
    private static string HouseholdSize(string key) => key switch
    {
        "none" => "In no recorded household",
        "1" => "1 person",
        _ when key.EndsWith('+') => key[..^1] + " or more people",
        _ => key + " people",
    };

    /// <summary>
    /// Previous and next links of a page of a connection. The API pages forwards only: the cursors of the pages read so
    /// far travel sealed (?page=), as the auditor's lists do, so "previous" works without script.
    /// </summary>
    public static Pager PagerOf(AuditLinks links, string path, IReadOnlyList<string> trail, JsonElement connection, int pageSize)
    {
        var joiner = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var info = connection.GetProperty("pageInfo");
        string? next = info.GetProperty("hasNextPage").GetBoolean()
            ? $"{path}{joiner}page={Uri.EscapeDataString(links.SealTrail([.. trail, info.GetProperty("endCursor").GetString()!]))}"
            : null;
        string? previous = trail.Count switch
        {
            0 => null,
            1 => path,
            _ => $"{path}{joiner}page={Uri.EscapeDataString(links.SealTrail([.. trail.Take(trail.Count - 1)]))}",
        };
        var pages = Math.Max(1, (connection.GetProperty("totalCount").GetInt32() + pageSize - 1) / pageSize);
        return new Pager(previous, next, $"Page {trail.Count + 1} of {pages}");
    }
}
