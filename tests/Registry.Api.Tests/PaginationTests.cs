namespace Registry.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class PaginationTests(RegistryApiFactory api)
{
    [Fact]
    public async Task Walking_the_pages_visits_every_matching_citizen_exactly_once()
    {
        var client = api.ClientFor("caseworker");
        var surname = Caseworker.UniqueSurname("Walker");
        var registered = new List<string>();
        for (var i = 0; i < 23; i++) registered.Add(await client.RegisterAsync(new DateOnly(1960 + i, 1, 1), surname: surname));

        var seen = new List<string>();
        string? after = null;
        int pages = 0, total = -1;
        do
        {
            var page = (await client.GraphQLAsync("""
                query($after: String, $surname: String) {
                  citizens(first: 5, after: $after, filter: { surname: $surname }) {
                    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { idNumber } }
                  }
                }
                """, new { after, surname = surname.ToUpperInvariant() })).Data("citizens");
            total = page.GetProperty("totalCount").GetInt32();
            seen.AddRange(page.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("idNumber").GetString()!));
            after = page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean() ? page.GetProperty("pageInfo").GetProperty("endCursor").GetString() : null;
            pages++;
        } while (after is not null && pages < 50);

        total.Should().Be(23);
        pages.Should().Be(5);
        seen.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(registered);
    }

    [Fact]
    public async Task Filters_narrow_the_list()
    {
        var client = api.ClientFor("caseworker");
        var surname = Caseworker.UniqueSurname("Filter");
        var young = await client.RegisterAsync(new DateOnly(2010, 1, 1), surname: surname);
        var old = await client.RegisterAsync(new DateOnly(1950, 1, 1), surname: surname, address: Caseworker.Address("BUF", "East London", "EASTERN_CAPE"));
        await client.MutateAsync("recordDeath", "RecordDeathInput", new { idNumber = old, dateOfDeath = "2025-01-01", reason = "notice" });

        async Task<string[]> Ids(object filter) => [.. (await client.GraphQLAsync(
            "query($f: CitizenFilter) { citizens(first: 100, filter: $f) { edges { node { idNumber } } } }", new { f = filter }))
            .Data("citizens").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("idNumber").GetString()!)];

        (await Ids(new { surname, bornAfter = "2000-01-01" })).Should().Equal(young);
        (await Ids(new { surname, bornBefore = "2000-01-01" })).Should().Equal(old);
        (await Ids(new { surname, province = "EASTERN_CAPE" })).Should().Equal(old);
        (await Ids(new { surname, municipalityCode = "buf" })).Should().Equal(old);
        (await Ids(new { surname, alive = true })).Should().Equal(young);
        (await Ids(new { surname, alive = false })).Should().Equal(old);
    }
}
