using FluentAssertions;
using Registry.Api.Citizens;
using Registry.Api.Import;
using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Api.Tests;

/// <summary>The synthetic register's planted duplicates: as many as asked, each recorded, each a person registered again.</summary>
public sealed class PlantedDuplicatesTests
{
    private static readonly DateOnly Today = new(2026, 4, 1);

    private static (List<string[]> Rows, List<PlantedDuplicate> Planted) Generate(int citizens, double share, int seed = SyntheticRegister.DefaultSeed)
    {
        var output = new StringWriter();
        List<PlantedDuplicate> planted = [];
        SyntheticRegister.Generate(output, citizens, Today, seed, share, planted).Should().Be(citizens);
        return ([.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(','))], planted);
    }

    [Theory]
    [InlineData(10_000, 0.02)]
    [InlineData(5_000, 0.1)]
    [InlineData(3_001, 0.5)]
    public void The_planted_share_is_the_one_asked_for_and_every_pair_is_recorded(int citizens, double share)
    {
        var (rows, planted) = Generate(citizens, share);

        rows.Should().HaveCount(citizens);
        planted.Should().HaveCount((int)Math.Round(citizens * share));
        rows.Select(r => r[0]).Should().OnlyHaveUniqueItems("a duplicate is registered under a number of its own");
        rows.Where(r => !SaIdNumber.TryParse(r[0], Today, out _, out _)).Should().BeEmpty("every number, slipped or not, passes the register's checks");
        var byId = rows.ToDictionary(r => r[0]);
        planted.Select(p => p.OriginalIdNumber).Should().OnlyHaveUniqueItems("each original is registered twice at most");
        foreach (var pair in planted)
        {
            var (original, duplicate) = (byId[pair.OriginalIdNumber], byId[pair.DuplicateIdNumber]);
            duplicate[3].Should().Be(original[3], "the same date of birth");
            duplicate[4].Should().Be(original[4], "the same sex");
            duplicate[6..11].Should().Equal(original[6..11], "the same address");
            duplicate[11].Should().NotBe(original[11], "a registration of its own, not a member of the original's household");
            duplicate[12].Should().Be("HEAD");
        }
    }

    [Fact]
    public void The_pairs_vary_the_name_and_the_number_as_a_clerk_would_and_the_rest_of_the_register_is_unchanged()
    {
        var (rows, planted) = Generate(20_000, 0.05);
        var byId = rows.ToDictionary(r => r[0]);
        var kinds = planted.Select(p => p.Kind.Split('+')).ToList();
        kinds.Select(k => k[0]).Distinct().Should().BeEquivalentTo(["same-name", "transliteration", "typo", "name-left-out", "names-reordered"]);
        kinds.Select(k => k[1]).Distinct().Should().BeEquivalentTo(["digit", "swap", "other-number"]);
        foreach (var pair in planted.Where(p => p.Kind.EndsWith("+digit", StringComparison.Ordinal) || p.Kind.EndsWith("+swap", StringComparison.Ordinal)))
        {
            SaIdNumber.TryParse(pair.OriginalIdNumber, Today, out var original, out _).Should().BeTrue();
            original!.NearMisses(Today).Select(n => n.Value).Should().Contain(pair.DuplicateIdNumber, "a slipped number is one slip away, with its check digit worked out afresh");
        }
        foreach (var pair in planted.Where(p => !p.Kind.StartsWith("same-name", StringComparison.Ordinal)))
        {
            var (original, duplicate) = (byId[pair.OriginalIdNumber], byId[pair.DuplicateIdNumber]);
            (duplicate[1], duplicate[2]).Should().NotBe((original[1], original[2]), pair.Kind);
        }

        // The originals are the register without duplicates, row for row: the planting draws from a randomizer of its own.
        var (plain, _) = Generate(20_000, 0);
        var duplicates = planted.Select(p => p.DuplicateIdNumber).ToHashSet();
        var originals = rows.Where(r => !duplicates.Contains(r[0])).Select(r => r[0]).ToList();
        originals.Should().Equal(plain.Take(originals.Count).Select(r => r[0]));
    }

    [Fact]
    public void A_share_outside_zero_to_a_half_is_refused()
    {
        var act = () => SyntheticRegister.Generate(new StringWriter(), 100, Today, duplicateShare: 0.6);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
