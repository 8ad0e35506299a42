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

        // The verb's CSV: the same one row, under the same pseudonym, and no ID number of anyone.
        var file = Path.GetTempFileName();
        try
        {
            (await _register.CommandLine().RunAsync("export-simulation", "--run", runId, "--out", file)).Should().Be(0);
            var lines = await File.ReadAllLinesAsync(file);
            lines[0].Should().Be("pseudonym,kind,eligible_before,monthly_amount_before,eligible_after,monthly_amount_after,changed_criteria");
            lines.Should().HaveCount(2);
            lines[1].Should().StartWith($"{moved.GetProperty("pseudonym").GetString()},NEWLY_ELIGIBLE,no,,yes,370.00,");
            lines[1].Should().Contain("incomeTest: failed at R625/month (limit R624/month) -> passed at R625/month (limit R625/month)");
            foreach (var id in new[] { atCeiling, oneAbove, twoAbove, tooOld }) string.Join("\n", lines).Should().NotContain(id);
            (await _register.CommandLine().RunAsync("export-simulation", "--run", Guid.NewGuid().ToString(), "--out", file)).Should().Be(2);
            (await _register.CommandLine().RunAsync("export-simulation", "--run", runId, "--kind", "SOMETIMES")).Should().Be(2);
        }
        finally
        {
            File.Delete(file);
        }
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
        async Task<string[]> ListedAsync(bool newestFirst, string? after = null) =>
            [.. (await analyst.GraphQLAsync("query($n: Boolean, $a: String) { simulationRuns(first: 1, newestFirst: $n, after: $a) { edges { cursor node { id } } } }", new { n = newestFirst, a = after }))
                .Data("simulationRuns").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("id").GetString()! + " " + e.GetProperty("cursor").GetString())];
        var newest = (await ListedAsync(true)).Single().Split(' ');
        newest[0].Should().Be(rerunId, "the run just started is listed first");
        (await ListedAsync(true, newest[1])).Single().Should().StartWith(runId);
        (await ListedAsync(false)).Single().Should().StartWith(runId);

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

    private static readonly object LowerCeilingHigherAmount = new { values = new { minAge = 18, maxAge = 59, monthlyAmount = 400, incomeCeilingMonthly = 610 } };

    /// <summary>Two SRD holders at R370: one at R600 (the proposal pays them R400), one at R624 (above the proposed ceiling).</summary>
    private async Task<(string Lower, string Upper, string RunId)> TwoHoldersSimulatedAsync(HttpClient admin)
    {
        var caseworker = Client("caseworker");
        var lower = await RegisterWithIncomeAsync(caseworker, 600m);
        var upper = await RegisterWithIncomeAsync(caseworker, 624m);
        foreach (var id in new[] { lower, upper })
            (await caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput", new { programme = Srd, beneficiaryIdNumber = id }, "entitlement { status } errors { code }"))
                .GetProperty("entitlement").GetProperty("status").GetString().Should().Be("ACTIVE");
        var runId = (await SimulateAsync(admin, LowerCeilingHigherAmount)).GetProperty("run").GetProperty("id").GetString()!;
        var kinds = (await DoneAsync(admin, runId, "changes { edges { node { idNumber kind } } }")).GetProperty("changes").GetProperty("edges").EnumerateArray()
            .ToDictionary(e => e.GetProperty("node").GetProperty("idNumber").GetString()!, e => e.GetProperty("node").GetProperty("kind").GetString());
        kinds.Should().Equal(new Dictionary<string, string?> { [lower] = "AMOUNT_UP", [upper] = "NO_LONGER_ELIGIBLE" });
        return (lower, upper, runId);
    }

    private static async Task<JsonElement> PublishAsync(HttpClient admin, object input) =>
        (await admin.GraphQLAsync("mutation($i: PublishProgrammeParametersInput!) { publishProgrammeParameters(input: $i) { programme { parameterHistory { version fromSimulation } } errors { code field } } }",
            new { i = input })).Data("publishProgrammeParameters");

    private static string Today => DateTime.UtcNow.AddHours(2).ToString("yyyy-MM-dd");

    private static async Task<JsonElement> EnactmentAsync(HttpClient admin, string runId, int reassessed)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); ; await Task.Delay(100))
        {
            var enactment = (await admin.GraphQLAsync("query($id: ID!) { simulationRun(id: $id) { enactment { parameterVersion reassessed matched differed differences { idNumber pseudonym predicted { eligible monthlyAmount } actual { eligible monthlyAmount } } } } }",
                new { id = runId })).Data("simulationRun").GetProperty("enactment");
            if (enactment.GetProperty("reassessed").GetInt32() >= reassessed || waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                enactment.GetProperty("reassessed").GetInt32().Should().Be(reassessed);
                return enactment;
            }
        }
    }

    [Fact]
    public async Task Enacting_a_run_publishes_exactly_its_figures_and_each_re_assessment_matches_its_prediction()
    {
        var admin = Client("admin");
        var (_, _, runId) = await TwoHoldersSimulatedAsync(admin);
        (await admin.GraphQLAsync("query($id: ID!) { simulationRun(id: $id) { enactment { reassessed } } }", new { id = runId }))
            .Data("simulationRun").GetProperty("enactment").ValueKind.Should().Be(JsonValueKind.Null, "nothing was enacted yet");

        var published = await PublishAsync(admin, new { programme = Srd, effectiveFrom = Today, legalReference = "Gazette simulation test", fromSimulation = runId });
        published.ErrorCodes().Should().BeEmpty();
        var latest = published.GetProperty("programme").GetProperty("parameterHistory").EnumerateArray().Last();
        latest.GetProperty("fromSimulation").GetString().Should().Be(runId);
        var parameters = (await admin.GraphQLAsync("{ programmes { code parameters } }")).Data("programmes").EnumerateArray()
            .Single(p => p.GetProperty("code").GetString() == Srd).GetProperty("parameters").GetString()!;
        using (var set = JsonDocument.Parse(parameters))
        {
            set.RootElement.GetProperty("values").GetProperty("monthlyAmount").GetDecimal().Should().Be(400m);
            set.RootElement.GetProperty("values").GetProperty("incomeCeilingMonthly").GetDecimal().Should().Be(610m);
        }

        var enactment = await EnactmentAsync(admin, runId, reassessed: 2);
        enactment.GetProperty("parameterVersion").GetString().Should().Be(latest.GetProperty("version").GetString());
        enactment.GetProperty("matched").GetInt32().Should().Be(2);
        enactment.GetProperty("differed").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task A_fact_changed_between_the_run_and_its_enactment_is_named_as_a_difference()
    {
        var admin = Client("admin");
        var (lower, _, runId) = await TwoHoldersSimulatedAsync(admin);
        (await Client("caseworker").MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = lower, monthlyIncome = 700m, source = "EMPLOYMENT" }))
            .ErrorCodes().Should().BeEmpty();
        (await PublishAsync(admin, new { programme = Srd, effectiveFrom = Today, legalReference = "Gazette simulation test", fromSimulation = runId }))
            .ErrorCodes().Should().BeEmpty();

        var enactment = await EnactmentAsync(admin, runId, reassessed: 2);
        enactment.GetProperty("matched").GetInt32().Should().Be(1);
        enactment.GetProperty("differed").GetInt32().Should().Be(1);
        var difference = enactment.GetProperty("differences").EnumerateArray().Should().ContainSingle().Subject;
        difference.GetProperty("idNumber").GetString().Should().Be(lower);
        difference.GetProperty("predicted").GetProperty("monthlyAmount").GetDecimal().Should().Be(400m);
        difference.GetProperty("actual").GetProperty("eligible").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Only_a_finished_run_of_the_programme_over_the_whole_register_can_be_enacted()
    {
        var admin = Client("admin");
        var narrowed = (await SimulateAsync(admin, RaisedByOneRand, population: new { municipalityCode = "CPT" })).GetProperty("run").GetProperty("id").GetString()!;
        await DoneAsync(admin, narrowed);
        var versions = (await admin.GraphQLAsync("{ programmes { code parameterHistory { version } } }")).Data("programmes").ToString();

        JsonElement Refused(JsonElement payload) => payload.GetProperty("errors")[0];
        Refused(await PublishAsync(admin, new { programme = Srd, effectiveFrom = Today, legalReference = "x", fromSimulation = narrowed }))
            .GetProperty("code").GetString().Should().Be("INVALID_INPUT");
        Refused(await PublishAsync(admin, new { programme = "OLDER_PERSONS_GRANT", effectiveFrom = Today, legalReference = "x", fromSimulation = narrowed }))
            .GetProperty("code").GetString().Should().Be("INVALID_INPUT");
        Refused(await PublishAsync(admin, new { programme = Srd, effectiveFrom = Today, legalReference = "x", fromSimulation = Guid.NewGuid() }))
            .GetProperty("code").GetString().Should().Be("NOT_FOUND");
        Refused(await PublishAsync(admin, new { programme = Srd, effectiveFrom = Today, legalReference = "x", fromSimulation = narrowed, parametersJson = "{}" }))
            .GetProperty("code").GetString().Should().Be("INVALID_INPUT");
        Refused(await PublishAsync(admin, new { programme = Srd, effectiveFrom = Today, legalReference = "x" }))
            .GetProperty("code").GetString().Should().Be("INVALID_INPUT");
        (await admin.GraphQLAsync("{ programmes { code parameterHistory { version } } }")).Data("programmes").ToString().Should().Be(versions, "nothing was published");
    }

    [Fact]
    public async Task A_past_date_uses_the_facts_and_parameters_of_that_date_and_a_rerun_changes_only_when_a_backdated_fact_is_known()
    {
        var caseworker = Client("caseworker");
        var born = new DateOnly(1990, 5, 5);
        var id = RegistryApiFactory.NewIdNumber(born, Registry.Domain.Common.Sex.Female).Value;
        (await caseworker.GraphQLAsync(Caseworker.RegisterMutation, new { input = new
        {
            idNumber = id, firstNames = "Naledi", surname = "Mokoena", dateOfBirth = "1990-05-05", sex = "FEMALE", citizenship = "CITIZEN",
            address = Caseworker.Address(), effectiveDate = "2025-06-01",
        } })).Data("registerCitizen").ErrorCodes().Should().BeEmpty();
        (await caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = 625m, source = "OTHER", effectiveDate = "2025-06-01" }))
            .ErrorCodes().Should().BeEmpty();

        var analyst = Client("analyst");
        // The Older Person's Grant changed on 2025-10-01: a run on a date before compares with the set then in force.
        (await SimulateAsync(analyst, new { values = new { minAge = 60, monthlyAmount = 2400, higherAmountAge = 75, monthlyAmountHigherAge = 2420, incomeCeilingSingleAnnual = 96840, incomeCeilingMarriedAnnual = 193680 } },
            on: "2025-07-01", programme: "OLDER_PERSONS_GRANT")).GetProperty("run").GetProperty("baselineParameterVersion").GetString().Should().Be("OlderPersonsGrant/2025-04-01/v1");

        const string rows = "summary { population } progress { done } changes { totalCount edges { node { kind } } }";
        var first = (await SimulateAsync(analyst, RaisedByOneRand, on: "2025-07-01")).GetProperty("run").GetProperty("id").GetString()!;
        var firstResult = await DoneAsync(analyst, first, rows);
        firstResult.GetProperty("changes").GetProperty("totalCount").GetInt32().Should().Be(1, "on 2025-07-01 her income was R625");

        async Task<JsonElement> RerunAsync(string runId)
        {
            var rerun = (await analyst.GraphQLAsync("mutation($id: ID!) { rerunSimulation(id: $id) { run { id rerunOf } errors { code } } }", new { id = runId })).Data("rerunSimulation");
            rerun.GetProperty("run").GetProperty("rerunOf").GetString().Should().Be(runId);
            return await DoneAsync(analyst, rerun.GetProperty("run").GetProperty("id").GetString()!, rows);
        }
        (await RerunAsync(first)).ToString().Should().Be(firstResult.ToString(), "the facts of that date are unchanged");

        // Recorded now, true since 2025-06-15: known to the next rerun, which no longer moves her.
        (await caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = 700m, source = "EMPLOYMENT", effectiveDate = "2025-06-15" }))
            .ErrorCodes().Should().BeEmpty();
        (await RerunAsync(first)).GetProperty("changes").GetProperty("totalCount").GetInt32().Should().Be(0);
        (await DoneAsync(analyst, first, rows)).ToString().Should().Be(firstResult.ToString(), "a finished run keeps what it found");
    }

    [Fact]
    public async Task Breakdowns_publish_cells_as_statistics_do_and_suppress_the_small_ones()
    {
        var caseworker = Client("caseworker");
        for (var i = 0; i < 12; i++) await RegisterWithIncomeAsync(caseworker, 625m, new DateOnly(1995, 1 + i, 10));
        var joburg = await caseworker.RegisterAsync(new DateOnly(1995, 3, 3), address: Caseworker.Address("JHB", "Johannesburg", "GAUTENG"));
        (await caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = joburg, monthlyIncome = 625m, source = "OTHER" })).ErrorCodes().Should().BeEmpty();

        var analyst = Client("analyst");
        var runId = (await SimulateAsync(analyst, RaisedByOneRand)).GetProperty("run").GetProperty("id").GetString()!;
        const string tally = "suppressed population newlyEligible monthlyCostBefore monthlyCostAfter";
        var run = await DoneAsync(analyst, runId, $"summary {{ {tally} }} provinces: breakdown(by: PROVINCE) {{ key {tally} }} ages: breakdown(by: AGE_BAND) {{ key {tally} }}");

        var summary = run.GetProperty("summary");
        summary.GetProperty("population").GetInt32().Should().Be(10, "13 people, published to the nearest ten");
        summary.GetProperty("newlyEligible").GetInt32().Should().Be(10);
        summary.GetProperty("monthlyCostBefore").GetDecimal().Should().Be(0m);
        summary.GetProperty("monthlyCostAfter").GetDecimal().Should().Be(5000m, "13 × R370 = R4,810, to the nearest thousand");

        var provinces = run.GetProperty("provinces").EnumerateArray().ToDictionary(c => c.GetProperty("key").GetString()!);
        provinces.Keys.Should().BeEquivalentTo(["GAUTENG", "WESTERN_CAPE"]);
        provinces["WESTERN_CAPE"].GetProperty("population").GetInt32().Should().Be(10);
        provinces["WESTERN_CAPE"].GetProperty("monthlyCostAfter").GetDecimal().Should().Be(4000m);
        provinces["GAUTENG"].GetProperty("suppressed").GetBoolean().Should().BeTrue();
        provinces["GAUTENG"].GetProperty("population").ValueKind.Should().Be(JsonValueKind.Null);
        provinces["GAUTENG"].GetProperty("newlyEligible").ValueKind.Should().Be(JsonValueKind.Null);
        provinces["GAUTENG"].GetProperty("monthlyCostAfter").ValueKind.Should().Be(JsonValueKind.Null);
        run.GetProperty("ages").EnumerateArray().Select(c => c.GetProperty("key").GetString()).Should().Equal("18-34");
    }

    [Fact]
    public async Task An_erased_person_leaves_the_per_person_rows_and_stays_counted_in_the_tallies()
    {
        var caseworker = Client("caseworker");
        var person = await RegisterWithIncomeAsync(caseworker, 625m);
        var admin = Client("admin");
        var runId = (await SimulateAsync(admin, RaisedByOneRand)).GetProperty("run").GetProperty("id").GetString()!;
        const string rows = "progress { done } changes { totalCount }";
        (await DoneAsync(admin, runId, rows)).GetProperty("changes").GetProperty("totalCount").GetInt32().Should().Be(1);

        (await admin.GraphQLAsync("mutation($i: EraseCitizenInput!) { eraseCitizen(input: $i) { errors { code } } }",
            new { i = new { idNumber = person, legalBasis = "SUBJECT_REQUEST", reason = "request 7" } })).Data("eraseCitizen").ErrorCodes().Should().BeEmpty();
        var after = await DoneAsync(admin, runId, rows);
        after.GetProperty("changes").GetProperty("totalCount").GetInt32().Should().Be(0);
        after.GetProperty("progress").GetProperty("done").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task A_run_beyond_the_limit_of_queued_and_running_ones_is_refused_and_nothing_is_queued()
    {
        // One run at a time, one person a page, a second between pages: the first run is still going when the second is asked for.
        await using var register = await IsolatedRegistryFactory.StartAsync(api, settings:
            [("Registry:SimulationRunLimit", "1"), ("Registry:SimulationPageSize", "1"), ("Registry:SimulationPagePauseMilliseconds", "1000")]);
        HttpClient As(string role)
        {
            var client = register.ClientFor(api.Token(role));
            client.DefaultRequestHeaders.Add("X-Purpose", RegistryApiFactory.Purpose);
            return client;
        }
        var caseworker = As("caseworker");
        for (var i = 0; i < 3; i++) await caseworker.RegisterAsync(new DateOnly(1990, 1, 1).AddDays(i));
        var analyst = As("analyst");
        var parameters = new { minAge = 18, maxAge = 59, monthlyAmount = 370, incomeCeilingMonthly = 625 };

        var first = await SimulateAsync(analyst, parameters);
        first.ErrorCodes().Should().BeEmpty();
        var second = await SimulateAsync(analyst, parameters);
        second.ErrorCodes().Should().Equal("TOO_MANY_RUNS");
        second.GetProperty("run").ValueKind.Should().Be(JsonValueKind.Null);
        (await analyst.GraphQLAsync("{ simulationRuns { totalCount } }")).Data("simulationRuns").GetProperty("totalCount").GetInt32()
            .Should().Be(1, "the refused run was not queued");

        await DoneAsync(analyst, first.GetProperty("run").GetProperty("id").GetString()!);
        (await SimulateAsync(analyst, parameters)).ErrorCodes().Should().BeEmpty("the limit counts runs still queued or running only");
    }
}
