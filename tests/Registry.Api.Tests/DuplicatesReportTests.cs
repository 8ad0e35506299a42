using System.Text.Json;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Registry.Api.Citizens;

namespace Registry.Api.Tests;

/// <summary>The register-wide duplicates report: the walk, its GraphQL paging and the `duplicates` verb.</summary>
[Collection(ApiCollection.Name)]
public sealed class DuplicatesReportTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");
    private readonly HttpClient _auditor = api.ClientFor("auditor");

    private static object Home(string line1) => new { line1, city = "Cape Town", municipalityCode = "CPT", province = "WESTERN_CAPE", postalCode = "8001" };

    private sealed record Planted(string Nkosi, string Nkozi, string Reordered, string Ordered, string Stranger);

    /// <summary>Two pairs and a stranger born the same day, the stranger at the first pair's address.</summary>
    private async Task<Planted> PlantAsync(DateOnly born)
    {
        async Task<string> Register(string firstNames, string surname, object address)
        {
            var idNumber = RegistryApiFactory.NewIdNumber(born).Value;
            var payload = (await _caseworker.GraphQLAsync(
                "mutation($input: RegisterCitizenInput!) { registerCitizen(input: $input) { citizen { idNumber } errors { code } } }",
                new { input = Caseworker.RegisterInput(idNumber, born, firstNames: firstNames, surname: surname, address: address) })).Data("registerCitizen");
            payload.ErrorCodes().Should().BeEmpty();
            return idNumber;
        }
        return new Planted(
            await Register("Thandiwe", "Nkosi", Home("7 Ubuntu Lane")),
            await Register("Thandiwe", "Nkozi", Home("7 UBUNTU LN")),
            await Register("Sipho Themba", "Mahlangu", Home("12 Baobab Street")),
            await Register("Themba Sipho", "Mahlangu", Home("12 Baobab St")),
            await Register("Pieter", "Botha", Home("7 Ubuntu Lane")));
    }

    private static (string, string) Unordered(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);

    private static void ShouldHoldThePlantedPairsOnce(IReadOnlyList<(string, string)> pairs, Planted planted)
    {
        pairs.Should().OnlyHaveUniqueItems("each unordered pair is scored and answered once");
        pairs.Count(p => p == Unordered(planted.Nkosi, planted.Nkozi)).Should().Be(1, "Nkozi is Nkosi spelt otherwise, born the same day at the same address");
        pairs.Count(p => p == Unordered(planted.Reordered, planted.Ordered)).Should().Be(1, "given names in another order are the same names");
        pairs.Should().NotContain(p => p.Item1 == planted.Stranger || p.Item2 == planted.Stranger, "the same birthday and address are not the same person");
    }

    [Fact]
    public async Task The_walk_finds_each_planted_pair_once_and_not_the_stranger_born_the_same_day()
    {
        var planted = await PlantAsync(new DateOnly(1931, 3, 17));
        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession();

        List<(string, string)> pairs = [];
        var people = 0;
        await foreach (var block in DuplicatesReport.BlocksAsync(session, FindingDuplicates.DefaultThreshold, DateOnly.FromDateTime(DateTime.UtcNow)))
        {
            block.ReadInPart.Should().BeFalse();
            people += block.People;
            pairs.AddRange(block.Pairs.Select(p => Unordered(p.First.IdNumber, p.Second.IdNumber)));
        }

        people.Should().BeGreaterThanOrEqualTo(5);
        ShouldHoldThePlantedPairsOnce(pairs, planted);
    }

    [Fact]
    public async Task Small_reads_keep_whole_days_and_find_the_same_pairs_a_day_too_full_is_read_in_part()
    {
        var planted = await PlantAsync(new DateOnly(1931, 6, 20));
        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        // Five people a read: the planted day (five people) fits whole, however the reads fall across days.
        List<DuplicateBlock> blocks = [];
        await foreach (var block in DuplicatesReport.BlocksAsync(session, FindingDuplicates.DefaultThreshold, today, blockCap: 5)) blocks.Add(block);
        blocks.Select(b => b.DateOfBirth).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems("each day is one block, read once");
        ShouldHoldThePlantedPairsOnce([.. blocks.SelectMany(b => b.Pairs).Select(p => Unordered(p.First.IdNumber, p.Second.IdNumber))], planted);
        blocks.Single(b => b.DateOfBirth == new DateOnly(1931, 6, 20)).Should().Match<DuplicateBlock>(b => b.People == 5 && !b.ReadInPart);

        List<DuplicateBlock> cut = [];
        await foreach (var block in DuplicatesReport.BlocksAsync(session, FindingDuplicates.DefaultThreshold, today, blockCap: 3)) cut.Add(block);
        cut.Single(b => b.DateOfBirth == new DateOnly(1931, 6, 20)).Should().Match<DuplicateBlock>(b => b.People == 3 && b.ReadInPart, "five people born that day, three read");
    }

    private const string Page = """
        query($after: String) { duplicates(first: 1, after: $after) {
          edges { cursor node { firstIdNumber secondIdNumber score matchedOn first { idNumber } second { idNumber } } } pageInfo { hasNextPage endCursor } } }
        """;

    [Fact]
    public async Task Duplicates_pages_each_pair_once_in_a_stable_order_access_logged_and_refused_to_departments()
    {
        var planted = await PlantAsync(new DateOnly(1931, 4, 18));

        List<(string, string)> pairs = [];
        string? after = null;
        var pages = 0;
        do
        {
            var connection = (await _caseworker.GraphQLAsync(Page, new { after })).Data("duplicates");
            var edges = connection.GetProperty("edges").EnumerateArray().ToList();
            edges.Should().HaveCountLessThanOrEqualTo(1);
            foreach (var node in edges.Select(e => e.GetProperty("node")))
            {
                node.GetProperty("first").GetProperty("idNumber").GetString().Should().Be(node.GetProperty("firstIdNumber").GetString());
                pairs.Add(Unordered(node.GetProperty("firstIdNumber").GetString()!, node.GetProperty("secondIdNumber").GetString()!));
            }
            var info = connection.GetProperty("pageInfo");
            after = info.GetProperty("hasNextPage").GetBoolean() ? info.GetProperty("endCursor").GetString() : null;
            pages++;
        } while (after is not null && pages < 1000);

        pages.Should().BeGreaterThan(1, "the two planted pairs alone fill two pages of one");
        ShouldHoldThePlantedPairsOnce(pairs, planted);
        var match = (await _caseworker.GraphQLAsync("{ duplicates(first: 100, threshold: 0.99) { edges { node { score } } } }")).Data("duplicates");
        match.GetProperty("edges").EnumerateArray().Should().OnlyContain(e => e.GetProperty("node").GetProperty("score").GetDouble() >= 0.99);

        (await api.ClientFor("department:SASSA").GraphQLAsync(Page, new { after = (string?)null })).TransportErrorCodes().Should().Equal("FORBIDDEN");
        (await _caseworker.GraphQLAsync(Page, new { after = "bm90LWEtY3Vyc29y" })).TransportErrorCodes().Should().Equal("INVALID_CURSOR");

        var reads = (await _auditor.GraphQLAsync("query($id: String!) { audit { accessLog(idNumber: $id, first: 100) { edges { node { operation } } } } }", new { id = planted.Nkozi }))
            .Data("audit").GetProperty("accessLog").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("operation").GetString());
        reads.Should().Contain("duplicates", "a pair shown shows both people");
    }

    [Fact]
    public async Task The_verb_writes_the_pairs_to_an_owner_only_csv_and_no_id_number_to_the_console()
    {
        var planted = await PlantAsync(new DateOnly(1931, 5, 19));
        var file = Path.Combine(Path.GetTempPath(), $"registry-duplicates-{Guid.NewGuid():N}.csv");
        try
        {
            var (exitCode, output, error) = await ApiProcess.RunAsync(ApiProcess.EnvironmentFor(api.ConnectionString), "duplicates", "--csv", file);

            exitCode.Should().Be(0, "the verb succeeds (its standard error is not shown here: it may hold nothing personal, but this test does not rely on that)");
            Regex.IsMatch(output + error, @"\d{13}").Should().BeFalse("the console has figures only, never an ID number");
            foreach (var idNumber in new[] { planted.Nkosi, planted.Nkozi, planted.Ordered, planted.Reordered, planted.Stranger })
                (output + error).Should().NotContain(idNumber);
            error.Should().MatchRegex(@"people read, \d+ probable duplicate pairs");

            var lines = await File.ReadAllLinesAsync(file);
            lines[0].Should().Be("first_id_number,second_id_number,score,matched_on");
            var pairs = lines.Skip(1).Select(l => l.Split(',')).Select(f => Unordered(f[0], f[1])).ToList();
            ShouldHoldThePlantedPairsOnce(pairs, planted);
            lines.Should().Contain(l => l.Contains(planted.Nkozi) && l.Contains(",name;dateOfBirth;address"));
            if (!OperatingSystem.IsWindows())
                File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "the file holds ID numbers");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_verb_answers_a_csv_it_cannot_create_with_one_line_and_exit_code_2()
    {
        var file = Path.Combine(Path.GetTempPath(), $"no-such-folder-{Guid.NewGuid():N}", "pairs.csv");

        var (exitCode, _, error) = await ApiProcess.RunAsync(ApiProcess.EnvironmentFor(api.ConnectionString), "duplicates", "--csv", file);

        exitCode.Should().Be(2);
        error.Should().Contain("duplicates: cannot create the output file").And.NotContain("   at ", "no stack trace");
    }
}
