namespace Registry.Domain.Statistics;

/// <summary>
/// What a published count may show. A count of one or two people names them, and the difference of two
/// exact counts (a total minus the cells shown, or a count before and after one registration) names
/// them just as well. So every count is published by one rule: under <see cref="MinimumCount"/> it is
/// suppressed, and from there it is rounded to the nearest multiple of <see cref="RoundingBase"/>.
/// Every published figure is then a multiple of ten: a difference of published figures is a multiple of
/// ten too, so it never comes to the one person a registration adds, and a suppressed cell worked out
/// from a total (shown to within ±5) stays uncertain across several values. Base ten, not five: with
/// fives, two suppressed cells of 9 under a total shown as 20 would be pinned down exactly.
/// </summary>
public static class Disclosure
{
    /// <summary>The smallest count shown; below it the cell is suppressed.</summary>
    public const int MinimumCount = 10;

    /// <summary>Shown counts are rounded to a multiple of this.</summary>
    public const int RoundingBase = 10;

    /// <summary>The count as published: null when suppressed.</summary>
    public static int? Publish(long count) =>
        count < MinimumCount ? null : RoundingBase * (int)Math.Round(count / (decimal)RoundingBase, MidpointRounding.AwayFromZero);
}
