using System.Text.Json;

namespace Registry.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class IdempotencyTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");

    [Fact]
    public async Task Replaying_a_registration_with_its_key_returns_the_first_result_and_appends_nothing()
    {
        var born = new DateOnly(1993, 11, 30);
        var id = RegistryApiFactory.NewIdNumber(born).Value;
        var key = $"reg-{Guid.NewGuid()}";
        var input = Caseworker.RegisterInput(id, born, idempotencyKey: key);

        var first = (await _caseworker.GraphQLAsync(Caseworker.RegisterMutation, new { input })).Data("registerCitizen");
        var afterFirst = await api.EventCountAsync();
        var replay = (await _caseworker.GraphQLAsync(Caseworker.RegisterMutation, new { input })).Data("registerCitizen");

        first.ErrorCodes().Should().BeEmpty();
        replay.ErrorCodes().Should().BeEmpty("a retry is not a duplicate");
        replay.GetProperty("citizen").GetProperty("id").GetString().Should().Be(first.GetProperty("citizen").GetProperty("id").GetString());
        replay.GetProperty("version").GetInt32().Should().Be(first.GetProperty("version").GetInt32());
        (await api.EventCountAsync()).Should().Be(afterFirst);
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_append_once_and_agree()
    {
        var id = await _caseworker.RegisterAsync();
        var before = await api.EventCountAsync();
        var input = new { idNumber = id, monthlyIncome = 2500, source = "EMPLOYMENT", idempotencyKey = $"inc-{Guid.NewGuid()}" };

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            api.ClientFor("caseworker").MutateAsync("declareIncome", "DeclareIncomeInput", input)));

        results.Should().OnlyContain(r => r.ErrorCodes().Length == 0);
        results.Select(r => r.GetProperty("version").GetInt32()).Distinct().Should().Equal(2);
        (await api.EventCountAsync()).Should().Be(before + 1);
    }

    [Fact]
    public async Task A_key_reused_for_a_different_request_is_refused()
    {
        var id = await _caseworker.RegisterAsync();
        var key = $"inc-{Guid.NewGuid()}";
        (await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = 100, source = "OTHER", idempotencyKey = key }))
            .ErrorCodes().Should().BeEmpty();
        var before = await api.EventCountAsync();

        (await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = 900, source = "OTHER", idempotencyKey = key }))
            .ErrorCodes().Should().Equal("IDEMPOTENCY_KEY_REUSED");
        (await api.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task The_key_survives_a_restart_because_it_lives_in_the_database()
    {
        var id = await _caseworker.RegisterAsync();
        var key = $"inc-{Guid.NewGuid()}";
        var input = new { idNumber = id, monthlyIncome = 700, source = "OTHER", idempotencyKey = key };
        (await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", input)).ErrorCodes().Should().BeEmpty();
        var before = await api.EventCountAsync();

        // A second, independent host on the same database stands in for the restarted service. It runs
        // Wolverine as a mediator only: two "solo" nodes would both claim the async projections.
        JsonElement replay;
        await using (var restarted = api.AnotherHost(("Wolverine:Durability", "MediatorOnly")))
        {
            var client = restarted.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", api.Token("caseworker"));
            replay = await client.MutateAsync("declareIncome", "DeclareIncomeInput", input);
        }

        replay.ErrorCodes().Should().BeEmpty();
        replay.GetProperty("version").GetInt32().Should().Be(2);
        (await api.EventCountAsync()).Should().Be(before);
    }
}
