using System.Text.Json;
using System.Text.RegularExpressions;
using Registry.Domain.Common;

namespace Registry.Api.Tests;

/// <summary>
/// No sequence of a department's own queries narrows a person's data below what its mandate discloses:
/// the attacks are written out as the department would run them.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class DepartmentInferenceTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");

    private static DateOnly SaToday => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(2));

    private const string DecisionFields = "idNumber programme on eligible monthlyAmount outcome ruleVersion parameterVersion error { code message } reasons { criterion passed observed threshold legalReference message }";

    /// <summary>A father earning R3,333 a month (R39,996 a year) since January and his learner, in one household since January.</summary>
    private async Task<string> LearnerWithFatherAsync(decimal fatherMonthly = 3333m)
    {
        var january = new DateOnly(SaToday.Year, 1, 1).ToString("yyyy-MM-dd");
        var father = await _caseworker.RegisterAsync(new DateOnly(1980, 10, 10), Sex.Male);
        var learner = await _caseworker.RegisterAsync(new DateOnly(2012, 2, 12));
        (await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = father, monthlyIncome = fatherMonthly, source = "EMPLOYMENT", effectiveDate = january }))
            .ErrorCodes().Should().BeEmpty();
        var formed = await _caseworker.MutateAsync("formHousehold", "FormHouseholdInput", new { headIdNumber = father, address = Caseworker.Address(), effectiveDate = january }, Caseworker.HouseholdSelection);
        formed.ErrorCodes().Should().BeEmpty();
        var household = formed.GetProperty("household").GetProperty("id").GetString()!;
        (await _caseworker.MutateAsync("addHouseholdMember", "AddHouseholdMemberInput", new { householdId = household, idNumber = learner, relationship = "CHILD", effectiveDate = january }, Caseworker.HouseholdSelection))
            .ErrorCodes().Should().BeEmpty();
        return learner;
    }

    private async Task<JsonElement> RecordFeesAsync(HttpClient client, string learner, int year, decimal annualFees, decimal? otherAnnualCharges = null, string? reason = null) =>
        await client.GraphQLAsync("mutation($input: RecordSchoolFeesInput!) { recordSchoolFees(input: $input) { citizen { schoolFees { year annualFees otherAnnualCharges } } version errors { code field message } } }",
            new { input = new { idNumber = learner, year, annualFees, otherAnnualCharges, reason } });

    // ===== Basic Education: the fees are a recorded fact ==========================================

    [Fact]
    public async Task Basic_Education_cannot_search_the_fees_for_a_parents_income()
    {
        var learner = await LearnerWithFatherAsync();
        var dbe = api.ClientFor("department:DBE");
        var year = SaToday.Year;

        // The old probe: halve the caller-chosen fee until the band flips, ~40 requests to the rand.
        // The argument no longer exists, so GraphQL validation refuses the request before anything runs.
        foreach (var fees in new[] { 4000m, 2000m, 3000m, 3500m })
        {
            var probe = await dbe.GraphQLAsync("query($id: String!, $fees: Decimal) { basicEducation { feeExemption(learnerIdNumber: $id, annualFees: $fees) { outcome } } }",
                new { id = learner, fees });
            probe.TransportErrorCodes().Should().NotBeEmpty().And.OnlyContain(c => c == "KNOWN_ARGUMENT_NAMES");
            probe.TryGetProperty("data", out _).Should().BeFalse();
        }
        var batchProbe = await dbe.GraphQLAsync("query($r: [EligibilityRequest!]!) { eligibilityBatch(requests: $r) { outcome } }",
            new { r = new[] { new { idNumber = learner, programme = "SCHOOL_FEE_EXEMPTION", annualFees = 4000m } } });
        batchProbe.TransportErrorCodes().Should().NotBeEmpty();
        batchProbe.TryGetProperty("data", out _).Should().BeFalse();

        // Nor may the department set the fees itself: setting and reading would be the same oracle.
        var before = await api.EventCountAsync();
        (await RecordFeesAsync(dbe, learner, year, 4000m)).TransportErrorCodes().Should().Equal("FORBIDDEN");
        (await api.EventCountAsync()).Should().Be(before);

        // Without recorded fees there is no guess, only a stable code.
        (await dbe.GraphQLAsync($"query($id: String!) {{ basicEducation {{ feeExemption(learnerIdNumber: $id) {{ outcome }} }} }}", new { id = learner }))
            .TransportErrorCodes().Should().Equal("NO_SCHOOL_FEES_RECORDED");

        // The school's real fees, R2,000: 5 % of the parents' income, a PARTIAL exemption.
        (await RecordFeesAsync(_caseworker, learner, year, 2000m)).Data("recordSchoolFees").ErrorCodes().Should().BeEmpty();

        // Everything the department can still vary, the date and the query it uses, gives the same answer.
        var dates = Enumerable.Range(1, SaToday.Month).Select(m => new DateOnly(year, m, 1)).Append(SaToday).Distinct().ToList();
        var answers = new List<JsonElement>();
        foreach (var on in dates)
        {
            var d = on.ToString("yyyy-MM-dd");
            answers.Add((await dbe.GraphQLAsync($"query($id: String!, $on: Date) {{ basicEducation {{ feeExemption(learnerIdNumber: $id, on: $on) {{ {DecisionFields} }} }} }}", new { id = learner, on = d }))
                .Data("basicEducation").GetProperty("feeExemption"));
            answers.Add((await dbe.GraphQLAsync($"query($id: String!, $on: Date) {{ eligibility(idNumber: $id, programme: SCHOOL_FEE_EXEMPTION, on: $on) {{ {DecisionFields} }} }}", new { id = learner, on = d }))
                .Data("eligibility"));
        }
        answers.AddRange((await dbe.GraphQLAsync($"query($r: [EligibilityRequest!]!) {{ eligibilityBatch(requests: $r) {{ {DecisionFields} }} }}",
            new { r = dates.Select(on => new { idNumber = learner, programme = "SCHOOL_FEE_EXEMPTION", on = on.ToString("yyyy-MM-dd") }).ToArray() }))
            .Data("eligibilityBatch").EnumerateArray());

        answers.Select(a => a.GetProperty("outcome").GetString()).Distinct().Should().Equal("PARTIAL");
        answers.Select(a => a.GetProperty("reasons").ToString()).Distinct().Should().ContainSingle("the reasons say the band, the same for every date of the year");
        answers.Select(a => a.ToString()).Should().AllSatisfy(text => text.Should().NotContainAny("3,333", "3333", "39,996", "39996"));

        // Another school year has its own fees, and none are recorded for last year.
        (await dbe.GraphQLAsync("query($id: String!, $on: Date) { basicEducation { feeExemption(learnerIdNumber: $id, on: $on) { outcome } } }",
            new { id = learner, on = new DateOnly(year - 1, 6, 1).ToString("yyyy-MM-dd") })).TransportErrorCodes().Should().Equal("NO_SCHOOL_FEES_RECORDED");
    }

    [Fact]
    public async Task School_fees_are_a_caseworkers_record_with_history_and_a_change_is_a_normal_fact()
    {
        var learner = await LearnerWithFatherAsync();
        var year = SaToday.Year;
        var dbe = api.ClientFor("department:DBE");
        async Task<string?> Band() => (await dbe.GraphQLAsync("query($id: String!) { basicEducation { feeExemption(learnerIdNumber: $id) { outcome } } }", new { id = learner }))
            .Data("basicEducation").GetProperty("feeExemption").GetProperty("outcome").GetString();

        var first = (await RecordFeesAsync(_caseworker, learner, year, 1000m, 200m)).Data("recordSchoolFees");
        first.ErrorCodes().Should().BeEmpty();
        first.GetProperty("citizen").GetProperty("schoolFees").ToString().Should().Be($$"""[{"year":{{year}},"annualFees":1000,"otherAnnualCharges":200}]""");
        (await Band()).Should().Be("NONE", "R1,200 is 3 % of R39,996");

        // Bad input: a stable code, nothing written.
        var before = await api.EventCountAsync();
        (await RecordFeesAsync(_caseworker, learner, year, -5m)).Data("recordSchoolFees").ErrorCodes().Should().Equal("INVALID_INPUT");
        (await RecordFeesAsync(_caseworker, learner, year + 2, 100m)).Data("recordSchoolFees").ErrorCodes().Should().Equal("INVALID_INPUT");
        (await RecordFeesAsync(_caseworker, learner, year, 1000m, 200m)).Data("recordSchoolFees").ErrorCodes().Should().Equal("NO_CHANGE");
        (await api.EventCountAsync()).Should().Be(before);

        // The school raises its fees: recorded again, and the band follows.
        (await RecordFeesAsync(_caseworker, learner, year, 4400m, reason: "fee schedule adopted by the governing body")).Data("recordSchoolFees").ErrorCodes().Should().BeEmpty();
        (await Band()).Should().Be("FULL");

        var history = (await api.ClientFor("auditor").GraphQLAsync("query($id: String!) { audit { history(idNumber: $id) { edges { node { type data actor reason } } } } }", new { id = learner }))
            .Data("audit").GetProperty("history").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))
            .Where(n => n.GetProperty("type").GetString()!.Contains("school_fees", StringComparison.OrdinalIgnoreCase)).ToList();
        history.Should().HaveCount(2, "both recordings stay in the learner's history");
        history.Select(n => n.GetProperty("reason").ValueKind == JsonValueKind.String ? n.GetProperty("reason").GetString() : null)
            .Should().Contain("fee schedule adopted by the governing body");
    }

    [Fact]
    public async Task Other_department_queries_take_no_figure_of_the_callers_choosing()
    {
        // A caller-chosen number that moves a threshold is an oracle. Introspect every argument of the
        // fields a department can reach: only identifiers, dates, codes, groupings and paging remain.
        var schema = (await _caseworker.GraphQLAsync("""
            { __schema { types { name fields { name type { ...Ref } args { name type { ...Ref } } } inputFields { name type { ...Ref } } } } }
            fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
            """)).GetProperty("data").GetProperty("__schema").GetProperty("types").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        string Named(JsonElement type) => type.GetProperty("name").ValueKind == JsonValueKind.String ? type.GetProperty("name").GetString()! : Named(type.GetProperty("ofType"));

        string[] departmentRoots = ["eligibility", "eligibilityBatch", "socialDevelopment", "humanSettlements", "basicEducation", "municipality", "statistics", "programmes"];
        var arguments = new List<string>();
        var seen = new HashSet<string>();
        void Walk(string typeName)
        {
            if (!seen.Add(typeName) || !schema.TryGetValue(typeName, out var type)) return;
            if (type.GetProperty("fields").ValueKind == JsonValueKind.Array)
                foreach (var field in type.GetProperty("fields").EnumerateArray())
                {
                    if (typeName == "Query" && !departmentRoots.Contains(field.GetProperty("name").GetString())) continue;
                    foreach (var arg in field.GetProperty("args").EnumerateArray())
                    {
                        arguments.Add($"{typeName}.{field.GetProperty("name").GetString()}.{arg.GetProperty("name").GetString()}: {Named(arg.GetProperty("type"))}");
                        Walk(Named(arg.GetProperty("type")));
                    }
                    Walk(Named(field.GetProperty("type")));
                }
            if (type.GetProperty("inputFields").ValueKind == JsonValueKind.Array)
                foreach (var input in type.GetProperty("inputFields").EnumerateArray())
                    arguments.Add($"{typeName}.{input.GetProperty("name").GetString()}: {Named(input.GetProperty("type"))}");
        }
        Walk("Query");

        arguments.Should().NotContain(a => a.EndsWith(": Decimal") || (a.EndsWith(": Int") && !a.EndsWith(".first: Int")),
            "a department may choose who, when, which programme and how many rows, never a figure the rules compare: {0}", string.Join(", ", arguments));
    }

    // ===== Statistics: no cell and no difference of cells names a person ==========================

    private HttpClient Statistics => api.ClientFor("department:STATSSA");

    private static object HomeIn(string municipality) => Caseworker.Address(municipality, "Brits", "NORTH_WEST");

    /// <summary>The published cell of a grouping, or null when no one is in it.</summary>
    private async Task<JsonElement?> CellAsync(string grouping, string key)
    {
        var cells = (await Statistics.GraphQLAsync($"{{ statistics {{ population(groupBy: {grouping}) {{ key count suppressed }} }} }}"))
            .Data("statistics").GetProperty("population").EnumerateArray().Where(c => c.GetProperty("key").GetString() == key).ToList();
        return cells.Count == 0 ? null : cells.Single();
    }

    private static int? Published(JsonElement? cell) =>
        cell is { } c && c.GetProperty("count").ValueKind == JsonValueKind.Number ? c.GetProperty("count").GetInt32() : null;

    [Fact]
    public async Task Statistics_suppress_cells_of_one_and_two_and_round_every_count()
    {
        await _caseworker.RegisterAsync(address: HomeIn("QSA"));
        var one = await CellAsync("MUNICIPALITY", "QSA");
        one!.Value.GetProperty("suppressed").GetBoolean().Should().BeTrue();
        one.Value.GetProperty("count").ValueKind.Should().Be(JsonValueKind.Null);

        await _caseworker.RegisterAsync(address: HomeIn("QSA"));
        var two = await CellAsync("MUNICIPALITY", "QSA");
        two!.Value.GetProperty("suppressed").GetBoolean().Should().BeTrue();
        two.Value.GetProperty("count").ValueKind.Should().Be(JsonValueKind.Null);

        // Every role that reads counts gets them through the same rule.
        foreach (var role in new[] { "department:STATSSA", "caseworker", "auditor" })
        {
            var all = (await api.ClientFor(role).GraphQLAsync("""
                { statistics { p: population(groupBy: PROVINCE) { key count suppressed } m: population(groupBy: MUNICIPALITY) { key count suppressed }
                  a: population(groupBy: AGE_BAND) { key count suppressed } s: population(groupBy: SEX) { key count suppressed }
                  bp: beneficiaries(groupBy: PROGRAMME) { key count suppressed } bs: beneficiaries(groupBy: STATUS) { key count suppressed } bv: beneficiaries(groupBy: PROVINCE) { key count suppressed } } }
                """)).Data("statistics");
            foreach (var cell in all.EnumerateObject().SelectMany(g => g.Value.EnumerateArray()))
                if (cell.GetProperty("suppressed").GetBoolean()) cell.GetProperty("count").ValueKind.Should().Be(JsonValueKind.Null);
                else cell.GetProperty("count").GetInt32().Should().BeGreaterThanOrEqualTo(10).And.Match(n => n % 10 == 0, "{0} is published rounded", cell);
        }
    }

    [Fact]
    public async Task A_count_before_and_after_one_registration_does_not_point_to_the_person()
    {
        // The attack: read a cell, register one person (or watch one be registered), read it again; a
        // difference of exactly one says the person is in that cell. Run it across the whole range a
        // small municipality passes through, and on the country-wide count of women.
        async Task<int?> Women() => Published(await CellAsync("SEX", "FEMALE"));
        for (var people = 1; people <= 16; people++)
        {
            var (cellBefore, womenBefore) = (Published(await CellAsync("MUNICIPALITY", "QSB")), await Women());
            await _caseworker.RegisterAsync(new DateOnly(1990, 1, 1).AddDays(people), address: HomeIn("QSB"));
            var (cellAfter, womenAfter) = (Published(await CellAsync("MUNICIPALITY", "QSB")), await Women());

            cellAfter.Should().Be(people < 10 ? null : people < 15 ? 10 : 20, "the cell holds {0} people", people);
            foreach (var (before, after) in new[] { (cellBefore, cellAfter), (womenBefore, womenAfter) })
                if (before is { } b && after is { } a)
                    (a - b).Should().BeOneOf([0, 10], "one registration never shows as a difference of one");
        }
    }

    [Fact]
    public async Task A_total_minus_the_visible_cells_does_not_give_the_suppressed_ones()
    {
        // Enough men and women that the total by sex is shown in full, and two people in a municipality of their own.
        for (var i = 0; i < 10; i++)
        {
            await _caseworker.RegisterAsync(new DateOnly(1970, 1, 1).AddDays(i), Sex.Male);
            await _caseworker.RegisterAsync(new DateOnly(1971, 1, 1).AddDays(i));
        }
        await _caseworker.RegisterAsync(address: HomeIn("QSC"));
        await _caseworker.RegisterAsync(address: HomeIn("QSC"));

        // The truth the attacker is after: how many live in the suppressed municipalities. Made not to be a
        // multiple of ten, so a derived figure (a difference of multiples of ten) could only hit it by luck.
        // Erased people are in the cells too, by the residue's tallies.
        var suppressedTruth = $"""
            SELECT coalesce(sum(c), 0)::bigint FROM (SELECT sum(n) AS c FROM (
              SELECT data -> 'Address' ->> 'MunicipalityCode', count(*) FROM {api.Sql.Citizens} WHERE data ->> 'DateOfDeath' IS NULL GROUP BY 1
              UNION ALL SELECT t.key, t.value::bigint FROM {api.Sql.ErasedResidues} r, jsonb_each_text(r.data -> 'Municipality') t) m(k, n)
              GROUP BY k) g WHERE c < 10
            """;
        if (await api.ScalarAsync<long>(suppressedTruth) % 10 == 0) await _caseworker.RegisterAsync(address: HomeIn("QSC"));
        var truth = await api.ScalarAsync<long>(suppressedTruth);

        var stats = (await Statistics.GraphQLAsync("{ statistics { s: population(groupBy: SEX) { key count suppressed } m: population(groupBy: MUNICIPALITY) { key count suppressed } } }"))
            .Data("statistics");
        var bySex = stats.GetProperty("s").EnumerateArray().ToList();
        bySex.Should().OnlyContain(c => !c.GetProperty("suppressed").GetBoolean(), "the attacker's total must be complete for the attack to be tried");
        var total = bySex.Sum(c => c.GetProperty("count").GetInt32());
        var visible = stats.GetProperty("m").EnumerateArray().Where(c => !c.GetProperty("suppressed").GetBoolean()).Sum(c => c.GetProperty("count").GetInt32());
        var derived = total - visible;

        stats.GetProperty("m").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "QSC").GetProperty("suppressed").GetBoolean().Should().BeTrue();
        derived.Should().NotBe((int)truth, "the total and the cells are rounded, so their difference is not the suppressed count");
        (derived % 10).Should().Be(0);
    }

    // ===== Guard: disability stays out of every department answer but the disability grants' ======

    [GeneratedRegex("disab|permanent", RegexOptions.IgnoreCase)]
    private static partial Regex DisabilityName();

    [GeneratedRegex("disab|permanent|care ?dependency|care_dependency", RegexOptions.IgnoreCase)]
    private static partial Regex DisabilityText();

    [Fact]
    public async Task Disability_stays_out_of_every_department_answer_except_the_disability_grants()
    {
        // A parent with a temporary disability and a learner with a permanent one who holds a Care
        // Dependency Grant; the parent gets SRD. Both assessments are recorded.
        var address = HomeIn("NW372");
        var parent = await _caseworker.RegisterAsync(new DateOnly(1981, 3, 3), address: address);
        var learner = await _caseworker.RegisterAsync(new DateOnly(2013, 5, 5), address: address);
        (await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = parent, monthlyIncome = 500m, source = "OTHER" })).ErrorCodes().Should().BeEmpty();
        (await _caseworker.MutateAsync("recordDisabilityAssessment", "RecordDisabilityAssessmentInput",
            new { idNumber = parent, disabled = true, permanent = false, reviewDate = SaToday.AddYears(1).ToString("yyyy-MM-dd") })).ErrorCodes().Should().BeEmpty();
        (await _caseworker.MutateAsync("recordDisabilityAssessment", "RecordDisabilityAssessmentInput",
            new { idNumber = learner, disabled = true, permanent = true })).ErrorCodes().Should().BeEmpty();
        var household = (await _caseworker.MutateAsync("formHousehold", "FormHouseholdInput", new { headIdNumber = parent, address }, Caseworker.HouseholdSelection))
            .GetProperty("household").GetProperty("id").GetString()!;
        await _caseworker.AddMemberAsync(household, learner);
        foreach (var (programme, beneficiary) in new[] { ("CARE_DEPENDENCY_GRANT", learner), ("SOCIAL_RELIEF_OF_DISTRESS", parent) })
            (await _caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput", new { programme, beneficiaryIdNumber = beneficiary }, "entitlement { status } errors { code }"))
                .GetProperty("entitlement").GetProperty("status").GetString().Should().Be("ACTIVE", programme);

        // The schema: every type a department field returns, and its full selection, from introspection.
        var types = (await _caseworker.GraphQLAsync("""
            { __schema { queryType { fields { name } } types { name kind fields { name args { name defaultValue type { kind } } type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
            """)).GetProperty("data").GetProperty("__schema");
        var byName = types.GetProperty("types").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        static JsonElement Named(JsonElement type) => type.GetProperty("name").ValueKind == JsonValueKind.String ? type : Named(type.GetProperty("ofType"));
        string Selection(string typeName, int depth = 0)
        {
            var fields = byName[typeName].GetProperty("fields").EnumerateArray()
                .Where(f => f.GetProperty("args").EnumerateArray().All(a => a.GetProperty("type").GetProperty("kind").GetString() != "NON_NULL" || a.GetProperty("defaultValue").ValueKind == JsonValueKind.String));
            return string.Join(" ", fields.Select(f =>
            {
                var named = Named(f.GetProperty("type"));
                var name = f.GetProperty("name").GetString()!;
                name.Should().NotMatchRegex(DisabilityName().ToString(), "{0}.{1} is reachable by a department", typeName, name);
                return named.GetProperty("kind").GetString() is "OBJECT" && depth < 5 ? $"{name} {{ {Selection(named.GetProperty("name").GetString()!, depth + 1)} }}"
                    : named.GetProperty("kind").GetString() is "OBJECT" ? "" : name;
            }).Where(s => s.Length > 0));
        }

        // Every department view's fields are covered below; a new field fails here until it is.
        string Fields(string type) => string.Join(",", byName[type].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()).Order());
        Fields("SocialDevelopmentView").Should().Be("beneficiaries");
        Fields("HumanSettlementsView").Should().Be("householdSubsidy");
        Fields("BasicEducationView").Should().Be("feeExemption");
        Fields("MunicipalView").Should().Be("code,freshness,indigentHouseholds");
        Fields("StatisticsView").Should().Be("beneficiaries,population");
        types.GetProperty("queryType").GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()).Order().Should().Equal(
            ["appeal", "audit", "basicEducation", "changeRequest", "changeRequests", "changes", "citizen", "citizens", "decisionReceipt", "duplicates", "eligibility", "eligibilityBatch", "entitlement", "household", "humanSettlements", "municipality",
             "possibleDuplicates", "programmes", "simulationRun", "simulationRuns", "socialDevelopment", "statistics", "webhookSubscription", "webhookSubscriptions"],
            "a new root field must be added to this guard: departments reach eligibility, the views, programmes, their own change feed and its webhook subscriptions (whose deliveries show notices as the feed does); the rest is caseworker, auditor or analyst only (SimulationTests refuses departments the runs, DuplicateTests possibleDuplicates and the register-wide duplicates, which show two people a pair; ReceiptTests refuses them decisionReceipt, which shows recorded decisions as entitlement does; ChangeRequestTests refuses them changeRequests, AppealTests appeals)");

        var decision = Selection("EligibilityDecision");
        var people = new[] { parent, learner };
        string[] nonDisabilityGrants = ["CHILD_SUPPORT_GRANT", "OLDER_PERSONS_GRANT", "FOSTER_CHILD_GRANT", "SOCIAL_RELIEF_OF_DISTRESS"];
        var asked = new List<(string Role, string Query, object? Variables)>();
        void Ask(string role, string query, object? variables = null) => asked.Add((role, query, variables));
        void Eligibility(string role, IEnumerable<string> programmes)
        {
            foreach (var programme in programmes)
                foreach (var id in people)
                    Ask(role, $"query($id: String!) {{ eligibility(idNumber: $id, programme: {programme}) {{ {decision} }} }}", new { id });
            Ask(role, $"query($r: [EligibilityRequest!]!) {{ eligibilityBatch(requests: $r) {{ {decision} }} }}",
                new { r = programmes.SelectMany(p => people.Select(id => new { idNumber = id, programme = p })).ToArray() });
        }

        const string sassa = "department:SASSA", dhs = "department:DHS", dbe = "department:DBE", municipality = "department:MUNICIPALITY:NW372", stats = "department:STATSSA";
        Eligibility(sassa, nonDisabilityGrants);
        foreach (var programme in nonDisabilityGrants)
            Ask(sassa, $"{{ socialDevelopment {{ beneficiaries(programme: {programme}, first: 100) {{ {Selection("BeneficiaryConnection")} }} }} }}");
        Eligibility(dhs, ["HOUSING_SUBSIDY_BNG", "HOUSING_SUBSIDY_FLISP"]);
        foreach (var id in people) Ask(dhs, $"query($id: String!) {{ humanSettlements {{ householdSubsidy(idNumber: $id) {{ {decision} }} }} }}", new { id });
        Eligibility(dbe, ["SCHOOL_FEE_EXEMPTION"]);
        foreach (var id in people) Ask(dbe, $"query($id: String!) {{ basicEducation {{ feeExemption(learnerIdNumber: $id) {{ {decision} }} }} }}", new { id });
        Eligibility(municipality, ["MUNICIPAL_INDIGENT"]);
        Ask(municipality, $"{{ municipality(code: \"NW372\") {{ {Selection("MunicipalView")} }} }}");
        foreach (var grouping in new[] { "PROVINCE", "MUNICIPALITY", "AGE_BAND", "SEX" })
            Ask(stats, $"{{ statistics {{ population(groupBy: {grouping}) {{ {Selection("Count")} }} }} }}");
        foreach (var grouping in new[] { "PROGRAMME", "PROVINCE", "STATUS" })
            Ask(stats, $"{{ statistics {{ beneficiaries(groupBy: {grouping}) {{ {Selection("Count")} }} }} }}");
        foreach (var role in new[] { sassa, dhs, dbe, municipality, stats })
            Ask(role, $"{{ programmes {{ {Selection("Programme")} }} }}");

        // The municipal view is an async read model: let it see the household first.
        await api.AsyncProjectionsCaughtUpAsync();

        var leaks = new List<string>();
        foreach (var (role, query, variables) in asked)
        {
            var body = await api.ClientFor(role).GraphQLAsync(query, variables);
            // Answers, or the one refusal that is itself an answer (no fees recorded for an adult); never FORBIDDEN, which would test nothing.
            if (body.TryGetProperty("errors", out _))
                body.TransportErrorCodes().Should().OnlyContain(c => c == ErrorCodes.NoSchoolFeesRecorded, "{0} may ask {1}: {2}", role, query, body);
            var programmes = query.Contains("{ programmes");
            Inspect(body, "");
            void Inspect(JsonElement e, string path)
            {
                switch (e.ValueKind)
                {
                    case JsonValueKind.Object:
                        foreach (var p in e.EnumerateObject())
                        {
                            if (DisabilityName().IsMatch(p.Name)) leaks.Add($"{role}: field {path}.{p.Name}");
                            Inspect(p.Value, $"{path}.{p.Name}");
                        }
                        break;
                    case JsonValueKind.Array:
                        foreach (var item in e.EnumerateArray()) Inspect(item, path);
                        break;
                    case JsonValueKind.String:
                        // Programme codes are allowed as the keys of counts (how many hold a Disability Grant is a
                        // statistic, and small cells are suppressed), and in the catalogue of programmes.
                        var allowed = programmes || role == stats && path.EndsWith(".key");
                        if (!allowed && DisabilityText().IsMatch(e.GetString()!)) leaks.Add($"{role}: {path} = {e.GetString()}");
                        break;
                }
            }
        }

        asked.Should().HaveCountGreaterThan(30);
        leaks.Should().BeEmpty("no department but the disability grants' may learn of a disability");
    }
}
