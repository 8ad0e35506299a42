using System.Text.Json;

namespace Registry.Api.Tests;

/// <summary>
/// Policy simulation through GraphQL, on a register of its own so every person in a run is one the test wrote.
/// The Social Relief of Distress grant has one income ceiling (R624 a month in the seeded parameters), so a
/// proposal that moves it moves exactly the people at it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SimulationTests(RegistryApiFactory api) : IAsyncLifetime
{
    private const string Srd = "SOCIAL_RELIEF_OF_DISTRESS";
    private static readonly object RaisedByOneRand = new { values = new { minAge = 18, maxAge = 59, monthlyAmount = 370, incomeCeilingMonthly = 625 } };

    private IsolatedRegistryFactory _register = null!;

    public async Task InitializeAsync() => _register = await IsolatedRegistryFactory.StartAsync(api);

    public async Task DisposeAsync() => await _register.DisposeAsync();

    private HttpClient Client(string role, string? purpose = RegistryApiFactory.Purpose)
    {
        var client = _register.ClientFor(api.Token(role));
        if (purpose is not null) client.DefaultRequestHeaders.Add("X-Purpose", purpose);
        return client;
    }

    private const string RunFields = """
        id status progress { done total } baselineParameterVersion proposedParametersHash ruleVersion requestedBy
        summary { suppressed population eligibleBefore eligibleAfter newlyEligible noLongerEligible monthlyCostBefore monthlyCostAfter }
        """;

    private static async Task<JsonElement> SimulateAsync(HttpClient client, object parameters, string? on = null, object? population = null, string programme = Srd)
    {
        var payload = (await client.GraphQLAsync($$"""
            mutation($input: SimulatePolicyInput!) { simulatePolicy(input: $input) { run { {{RunFields}} } errors { code field message } } }
            """, new { input = new { name = "SRD ceiling", programme, parametersJson = JsonSerializer.Serialize(parameters), on, population } })).Data("simulatePolicy");
        return payload;
    }

    private static async Task<JsonElement> DoneAsync(HttpClient client, string runId, string selection = RunFields)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = (await client.GraphQLAsync($"query($id: ID!) {{ simulationRun(id: $id) {{ {selection} status }} }}", new { id = runId })).Data("simulationRun");
            var status = run.GetProperty("status").GetString();
            if (status is "DONE" or "FAILED" || DateTime.UtcNow > deadline)
            {
                status.Should().Be("DONE");
                return run;
            }
            await Task.Delay(100);
        }
    }

    private async Task<string> RegisterWithIncomeAsync(HttpClient caseworker, decimal income, DateOnly? born = null)
    {
        var id = await caseworker.RegisterAsync(born ?? new DateOnly(1990, 5, 5));
        (await caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = income, source = "OTHER" }))
            .ErrorCodes().Should().BeEmpty();
        return id;
    }

    [Fact]
    public async Task A_ceiling_raised_by_one_rand_moves_exactly_the_people_at_it_with_the_criterion_that_moved_them()
    {
        var caseworker = Client("caseworker");
        var atCeiling = await RegisterWithIncomeAsync(caseworker, 624m);
        var oneAbove = await RegisterWithIncomeAsync(caseworker, 625m);
        var twoAbove = await RegisterWithIncomeAsync(caseworker, 626m);
        var tooOld = await RegisterWithIncomeAsync(caseworker, 625m, new DateOnly(1950, 1, 1));

        var admin = Client("admin");
        var started = await SimulateAsync(admin, RaisedByOneRand);
        started.ErrorCodes().Should().BeEmpty();
        var runId = started.GetProperty("run").GetProperty("id").GetString()!;
        started.GetProperty("run").GetProperty("baselineParameterVersion").GetString().Should().StartWith("SocialReliefOfDistress/");

        var run = await DoneAsync(admin, runId, RunFields + " changes { totalCount edges { node { idNumber pseudonym kind before { eligible monthlyAmount } after { eligible monthlyAmount } changedCriteria { criterion before { passed observed } after { passed observed } threshold thresholdBefore } } } }");
        run.GetProperty("progress").GetProperty("done").GetInt64().Should().Be(4);
        var changes = run.GetProperty("changes");
        changes.GetProperty("totalCount").GetInt32().Should().Be(1);
        var moved = changes.GetProperty("edges")[0].GetProperty("node");
        moved.GetProperty("idNumber").GetString().Should().Be(oneAbove);
        moved.GetProperty("kind").GetString().Should().Be("NEWLY_ELIGIBLE");
        moved.GetProperty("before").GetProperty("eligible").GetBoolean().Should().BeFalse();
        moved.GetProperty("after").GetProperty("monthlyAmount").GetDecimal().Should().Be(370m);
        var criterion = moved.GetProperty("changedCriteria").EnumerateArray().Should().ContainSingle().Subject;
        criterion.GetProperty("criterion").GetString().Should().Be("incomeTest");
        criterion.GetProperty("before").GetProperty("passed").GetBoolean().Should().BeFalse();
        criterion.GetProperty("after").GetProperty("passed").GetBoolean().Should().BeTrue();
        criterion.GetProperty("threshold").GetString().Should().Contain("625");
        criterion.GetProperty("thresholdBefore").GetString().Should().Contain("624");

        // Four people are too few to publish: the summary names no count and no cost.
        var summary = run.GetProperty("summary");
        summary.GetProperty("suppressed").GetBoolean().Should().BeTrue();
        summary.GetProperty("population").ValueKind.Should().Be(JsonValueKind.Null);
        summary.GetProperty("monthlyCostAfter").ValueKind.Should().Be(JsonValueKind.Null);
        _ = (atCeiling, twoAbove, tooOld);
    }

    [Fact]
    public async Task An_analyst_sees_a_pseudonym_stable_in_the_run_and_no_ID_number_and_an_admin_read_is_access_logged()
    {
        var caseworker = Client("caseworker");
        var person = await RegisterWithIncomeAsync(caseworker, 625m);
        var analyst = Client("analyst");
        var runId = (await SimulateAsync(analyst, RaisedByOneRand)).GetProperty("run").GetProperty("id").GetString()!;
        await DoneAsync(analyst, runId);

        const string rows = "changes { edges { node { pseudonym idNumber kind } } }";
        var seen = (await DoneAsync(analyst, runId, rows)).GetProperty("changes").GetProperty("edges")[0].GetProperty("node");
        seen.GetProperty("idNumber").ValueKind.Should().Be(JsonValueKind.Null);
        var pseudonym = seen.GetProperty("pseudonym").GetString()!;
        pseudonym.Should().StartWith("S-").And.NotContain(person);
        (await DoneAsync(analyst, runId, rows)).GetProperty("changes").GetProperty("edges")[0].GetProperty("node").GetProperty("pseudonym").GetString()
            .Should().Be(pseudonym, "a pseudonym is stable within a run");

        var rerun = (await analyst.GraphQLAsync("mutation($id: ID!) { rerunSimulation(id: $id) { run { id } errors { code } } }", new { id = runId })).Data("rerunSimulation");
        var rerunId = rerun.GetProperty("run").GetProperty("id").GetString()!;
        (await DoneAsync(analyst, rerunId, rows)).GetProperty("changes").GetProperty("edges")[0].GetProperty("node").GetProperty("pseudonym").GetString()
            .Should().NotBe(pseudonym, "pseudonyms do not link one run's people to another's");

        var auditor = Client("auditor");
        async Task<int> ReadsAsync() => (await auditor.GraphQLAsync("query($id: String!) { audit { accessLog(idNumber: $id) { edges { node { operation } } } } }", new { id = person }))
            .Data("audit").GetProperty("accessLog").GetProperty("edges").EnumerateArray().Count(e => e.GetProperty("node").GetProperty("operation").GetString() == "simulationRun");
        (await ReadsAsync()).Should().Be(0, "an analyst's pseudonymous rows name no one");
        (await DoneAsync(Client("admin"), runId, rows)).GetProperty("changes").GetProperty("edges")[0].GetProperty("node").GetProperty("idNumber").GetString().Should().Be(person);
        (await ReadsAsync()).Should().Be(1);
    }

    [Theory]
    [InlineData("caseworker")]
    [InlineData("department:SASSA")]
    [InlineData("department:STATSSA")]
    public async Task Other_roles_may_neither_run_nor_read_a_simulation(string role)
    {
        var runId = (await SimulateAsync(Client("analyst"), RaisedByOneRand)).GetProperty("run").GetProperty("id").GetString()!;
        var client = Client(role);
        (await client.GraphQLAsync("mutation($input: SimulatePolicyInput!) { simulatePolicy(input: $input) { errors { code } } }",
            new { input = new { name = "x", programme = Srd, parametersJson = JsonSerializer.Serialize(RaisedByOneRand) } })).TransportErrorCodes().Should().Equal("FORBIDDEN");
        (await client.GraphQLAsync("query($id: ID!) { simulationRun(id: $id) { id } }", new { id = runId })).TransportErrorCodes().Should().Equal("FORBIDDEN");
        (await client.GraphQLAsync("{ simulationRuns { totalCount } }")).TransportErrorCodes().Should().Equal("FORBIDDEN");
    }

    [Theory]
    [InlineData("{\"values\": ", null, "INVALID_INPUT", "parametersJson")]
    [InlineData("{\"values\": {\"minAge\": 18, \"maxAge\": 59, \"monthlyAmount\": -1, \"incomeCeilingMonthly\": 625}}", null, "INVALID_INPUT", "parametersJson")]
    [InlineData("{\"values\": {\"minAge\": 18, \"monthlyAmount\": 370, \"incomeCeilingMonthly\": 625}}", null, "INVALID_INPUT", "parametersJson")]
    [InlineData("{\"values\": {\"minAge\": 18, \"maxAge\": 59, \"monthlyAmount\": \"a lot\", \"incomeCeilingMonthly\": 625}}", null, "INVALID_INPUT", "parametersJson")]
    [InlineData("{\"values\": {\"minAge\": 18, \"maxAge\": 59, \"monthlyAmount\": 370, \"incomeCeilingMonthly\": 625}}", "2020-01-01", "INVALID_DATE", "on")]
    [InlineData("{\"values\": {\"minAge\": 18, \"maxAge\": 59, \"monthlyAmount\": 370, \"incomeCeilingMonthly\": 625}}", "2099-01-01", "INVALID_DATE", "on")]
    public async Task Bad_input_is_refused_with_its_code_and_starts_nothing(string parametersJson, string? on, string code, string field)
    {
        var analyst = Client("analyst");
        var before = (await analyst.GraphQLAsync("{ simulationRuns { totalCount } }")).Data("simulationRuns").GetProperty("totalCount").GetInt32();
        var payload = (await analyst.GraphQLAsync("mutation($input: SimulatePolicyInput!) { simulatePolicy(input: $input) { run { id } errors { code field } } }",
            new { input = new { name = "bad", programme = Srd, parametersJson, on } })).Data("simulatePolicy");
        payload.GetProperty("run").ValueKind.Should().Be(JsonValueKind.Null);
        payload.GetProperty("errors")[0].GetProperty("code").GetString().Should().Be(code);
        payload.GetProperty("errors")[0].GetProperty("field").EnumerateArray().Select(f => f.GetString()).Should().Equal("input", field);
        (await analyst.GraphQLAsync("{ simulationRuns { totalCount } }")).Data("simulationRuns").GetProperty("totalCount").GetInt32().Should().Be(before);
    }

    [Fact]
    public async Task An_unknown_municipality_or_one_outside_the_province_is_refused()
    {
        var analyst = Client("analyst");
        var before = (await analyst.GraphQLAsync("{ simulationRuns { totalCount } }")).Data("simulationRuns").GetProperty("totalCount").GetInt32();
        (await SimulateAsync(analyst, RaisedByOneRand, population: new { municipalityCode = "NOWHERE" })).ErrorCodes().Should().Equal("INVALID_INPUT");
        (await SimulateAsync(analyst, RaisedByOneRand, population: new { municipalityCode = "CPT", province = "GAUTENG" })).ErrorCodes().Should().Equal("INVALID_INPUT");
        (await analyst.GraphQLAsync("{ simulationRuns { totalCount } }")).Data("simulationRuns").GetProperty("totalCount").GetInt32().Should().Be(before);
    }
}
