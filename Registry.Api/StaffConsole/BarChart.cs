using System.Globalization;
using System.Text.Json;
using Registry.Domain.Statistics;

namespace Registry.Api.StaffConsole;

/// <summary>
/// One group's published count; null when the register suppressed it. <paramref name="Shown"/> prints a figure that is
/// not a plain count (an amount drawn to scale in thousands of rand), or says its suppression in other words.
/// </summary>
public sealed record Bar(string Label, int? Count, string? Shown = null)
{
    /// <summary>The figure as the chart and the table print it: "1,230", or the suppression in words.</summary>
    public string Figure => Shown ?? (Count is { } count ? count.ToString("#,0", CultureInfo.InvariantCulture) : BarChart.Suppressed);
}

/// <summary>
/// The register's published counts as horizontal bars, drawn server-side as SVG (no script), always shown with a
/// table of the same figures. A suppressed count has no number: its bar is hatched and says so, never a made-up figure.
/// </summary>
public sealed record BarChart(string Id, string Title, string GroupHeading, string CountHeading, IReadOnlyList<Bar> Bars)
{
    public const int Width = 640;
    public const int LabelWidth = 220;
    public const int BarSpace = 300;
    public const int RowHeight = 32;
    public const int BarHeight = 22;

    /// <summary>What the register says instead of a count under its disclosure threshold.</summary>
    public static readonly string Suppressed = $"fewer than {Disclosure.MinimumCount}";

    public int Height => Bars.Count * RowHeight;

    /// <summary>The longest bar's count; at least the threshold, so a chart of small counts does not look large.</summary>
    private int Scale => Math.Max(Disclosure.MinimumCount, Bars.Max(b => b.Count ?? 0));

    /// <summary>The width of a suppressed bar: a short hatched mark, the same on every scale, so it claims no size.</summary>
    public const int SuppressedWidth = 16;

    /// <summary>A shown count to scale (at least a sliver); a suppressed one as a mark of its own.</summary>
    public int BarWidth(Bar bar) => bar.Count is { } count ? Math.Max(2, (int)((long)BarSpace * count / Scale)) : SuppressedWidth;

    /// <summary>From the register's [Count] list ({ key count suppressed }), each key named by <paramref name="label"/>.</summary>
    public static BarChart From(string id, string title, string groupHeading, string countHeading, JsonElement counts, Func<string, string> label) =>
        new(id, title, groupHeading, countHeading,
        [
            .. counts.EnumerateArray().Select(c => new Bar(
                label(c.GetProperty("key").GetString() ?? ""),
                c.GetProperty("suppressed").GetBoolean() || c.GetProperty("count").ValueKind == JsonValueKind.Null ? null : c.GetProperty("count").GetInt32())),
        ]);
}
