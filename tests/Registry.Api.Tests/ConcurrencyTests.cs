namespace Registry.Api.Tests;

/// <summary>Two caseworkers racing: the store, not a read-then-write check, decides who wins.</summary>
[Collection(ApiCollection.Name)]
public sealed class ConcurrencyTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");

    [Fact]
    public async Task Of_two_concurrent_registrations_of_one_ID_number_exactly_one_wins()
    {
        for (var round = 0; round < 5; round++)
        {
            var born = new DateOnly(1988, 2, 2);
            var id = RegistryApiFactory.NewIdNumber(born).Value;
            var before = await api.EventCountAsync();

            var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => api.ClientFor("caseworker").GraphQLAsync(
                Caseworker.RegisterMutation, new { input = Caseworker.RegisterInput(id, born, firstNames: $"Racer {(char)('A' + i)}") })));

            var payloads = attempts.Select(a => a.Data("registerCitizen")).ToList();
            payloads.Count(p => p.ErrorCodes().Length == 0).Should().Be(1);
            payloads.Where(p => p.ErrorCodes().Length > 0).SelectMany(p => p.ErrorCodes()).Should().OnlyContain(c => c == "DUPLICATE_ID_NUMBER");
            (await api.EventCountAsync()).Should().Be(before + 1);
            (await api.ScalarAsync<long>($"SELECT count(*) FROM {api.Sql.Citizens} WHERE data->>'IdNumber' = $1", id)).Should().Be(1);
        }
    }

    [Fact]
    public async Task Of_two_concurrent_joins_of_one_citizen_to_different_households_exactly_one_wins()
    {
        for (var round = 0; round < 5; round++)
        {
            var householdA = (await _caseworker.FormHouseholdAsync(await _caseworker.RegisterAsync())).GetProperty("household").GetProperty("id").GetString()!;
            var householdB = (await _caseworker.FormHouseholdAsync(await _caseworker.RegisterAsync())).GetProperty("household").GetProperty("id").GetString()!;
            var child = await _caseworker.RegisterAsync(new DateOnly(2015, 5, 5));
            var before = await api.EventCountAsync();

            var results = await Task.WhenAll(
                api.ClientFor("caseworker").AddMemberAsync(householdA, child),
                api.ClientFor("caseworker").AddMemberAsync(householdB, child));

            results.Count(r => r.ErrorCodes().Length == 0).Should().Be(1);
            results.SelectMany(r => r.ErrorCodes()).Should().Equal("ALREADY_IN_HOUSEHOLD");
            (await api.EventCountAsync()).Should().Be(before + 1);
            (await api.ScalarAsync<long>(
                $"SELECT count(*) FROM {api.Sql.HouseholdMemberships} m JOIN {api.Sql.Citizens} c ON c.id = m.id WHERE c.data->>'IdNumber' = $1", child))
                .Should().Be(1);
        }
    }

    [Fact]
    public async Task Of_two_concurrent_changes_at_the_same_expected_version_exactly_one_wins()
    {
        var id = await _caseworker.RegisterAsync();
        var before = await api.EventCountAsync();

        var results = await Task.WhenAll(
            api.ClientFor("caseworker").MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = 100, source = "OTHER", expectedVersion = 1 }),
            api.ClientFor("caseworker").MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = 200, source = "OTHER", expectedVersion = 1 }));

        results.Count(r => r.ErrorCodes().Length == 0).Should().Be(1);
        results.SelectMany(r => r.ErrorCodes()).Should().Equal("STALE_VERSION");
        (await api.EventCountAsync()).Should().Be(before + 1);
    }
}
