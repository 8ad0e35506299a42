using Registry.Domain.Statistics;

namespace Registry.Domain.Tests;

public class DisclosureTests
{
    [Theory]
    [InlineData(1, null)]
    [InlineData(2, null)]
    [InlineData(9, null)]
    [InlineData(10, 10)]
    [InlineData(14, 10)]
    [InlineData(15, 20)]
    [InlineData(24, 20)]
    [InlineData(1_000_005, 1_000_010)]
    public void Small_cells_are_suppressed_and_the_rest_rounded_to_tens(long count, int? published) =>
        Disclosure.Publish(count).Should().Be(published);

    [Fact]
    public void One_more_person_never_shows_as_a_difference_of_one()
    {
        for (long n = 0; n < 100_000; n++)
        {
            var (before, after) = (Disclosure.Publish(n), Disclosure.Publish(n + 1));
            if (before is { } b && after is { } a) (a - b).Should().BeOneOf([0, Disclosure.RoundingBase], "from {0} to {1} people", n, n + 1);
        }
    }

    /// <summary>
    /// The differencing attack: a dimension with one visible cell v and one suppressed cell s, and the total
    /// v + s published by another dimension (no cell at all when v is 0). Whatever the attacker sees,
    /// at least two values of s fit it.
    /// </summary>
    [Fact]
    public void A_total_minus_the_visible_cells_leaves_a_suppressed_cell_uncertain()
    {
        var seen = new Dictionary<(string Visible, int? Total), HashSet<int>>();
        for (var v = 0; v <= 5_000; v++)
            for (var s = 1; s < Disclosure.MinimumCount; s++)
            {
                var key = (v == 0 ? "no cell" : Disclosure.Publish(v)?.ToString() ?? "suppressed", Disclosure.Publish(v + s));
                (seen.TryGetValue(key, out var fits) ? fits : seen[key] = []).Add(s);
            }

        seen.Should().AllSatisfy(kv => kv.Value.Count.Should().BeGreaterThan(1, "published visible {0} and total {1} must fit more than one hidden count", kv.Key.Visible, kv.Key.Total));
    }
}
