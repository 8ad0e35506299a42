using System.Text.Json;

namespace Registry.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class DepartmentViewTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");

    private async Task<string> HouseholdInAsync(string municipality, decimal headIncome)
    {
        var address = Caseworker.Address(municipality, "Brits", "NORTH_WEST");
        var head = await _caseworker.RegisterAsync(new DateOnly(1970, 7, 7), address: address);
        var child = await _caseworker.RegisterAsync(new DateOnly(2014, 4, 14), address: address);
        await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = head, monthlyIncome = headIncome, source = "EMPLOYMENT" });
        var household = (await _caseworker.MutateAsync("formHousehold", "FormHouseholdInput", new { headIdNumber = head, address }, Caseworker.HouseholdSelection))
            .GetProperty("household").GetProperty("id").GetString()!;
        await _caseworker.AddMemberAsync(household, child);
        return head;
    }

    /// <summary>The municipal view once the async daemon has seen every event so far: it must then show what was written.</summary>
    private async Task<JsonElement> IndigentWhenCaughtUpAsync(HttpClient client, string code)
    {
        await api.AsyncProjectionsCaughtUpAsync();
        var view = (await client.GraphQLAsync($$"""
            { municipality(code: "{{code}}") { freshness { eventsBehind lastProcessedSequence latestSequence } indigentHouseholds(first: 100) { totalCount edges { node { householdId headIdNumber members monthlyIncome address { municipalityCode } } } } } }
            """)).Data("municipality");
        view.GetProperty("freshness").GetProperty("eventsBehind").GetInt32().Should().Be(0, "the daemon has caught up");
        return view;
    }

    private static string[] Heads(JsonElement view) =>
        [.. view.GetProperty("indigentHouseholds").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("headIdNumber").GetString()!)];

    [Fact]
    public async Task A_municipality_sees_its_indigent_households_and_they_follow_income_changes()
    {
        var poor = await HouseholdInAsync("NW372", 3000m);
        var richer = await HouseholdInAsync("NW372", 9000m);
        var municipality = api.ClientFor("department:MUNICIPALITY:NW372");

        var view = await IndigentWhenCaughtUpAsync(municipality, "NW372");
        Heads(view).Should().Contain(poor, "the view said {0}", view.GetProperty("freshness")).And.NotContain(richer);
        var node = view.GetProperty("indigentHouseholds").GetProperty("edges").EnumerateArray()
            .Select(e => e.GetProperty("node")).Single(n => n.GetProperty("headIdNumber").GetString() == poor);
        node.GetProperty("members").GetInt32().Should().Be(2);
        node.GetProperty("monthlyIncome").GetDecimal().Should().Be(3000m);

        // A member's income is a citizen event: the async projection routes it to the household.
        await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = poor, monthlyIncome = 8000, source = "EMPLOYMENT" });
        var after = await IndigentWhenCaughtUpAsync(municipality, "NW372");
        Heads(after).Should().NotContain(poor);
    }

    [Fact]
    public async Task A_municipality_reads_only_its_own_view()
    {
        (await api.ClientFor("department:MUNICIPALITY:NW372").GraphQLAsync("{ municipality(code: \"CPT\") { code } }"))
            .TransportErrorCodes().Should().Equal("FORBIDDEN");
        (await api.ClientFor("department:SASSA").GraphQLAsync("{ municipality(code: \"NW372\") { code } }"))
            .TransportErrorCodes().Should().Equal("FORBIDDEN");
    }

    [Fact]
    public async Task Statistics_counts_without_naming_anyone()
    {
        var stats = api.ClientFor("department:STATSSA");
        async Task<JsonElement?> Females() => (await stats.GraphQLAsync("{ statistics { population(groupBy: SEX) { key count suppressed } } }"))
            .Data("statistics").GetProperty("population").EnumerateArray()
            .Where(c => c.GetProperty("key").GetString() == "FEMALE").Select(c => (JsonElement?)c).SingleOrDefault();

        for (var i = 0; i < 10; i++) await _caseworker.RegisterAsync(new DateOnly(1999, 9, 1).AddDays(i));
        var before = (await Females())!.Value;
        before.GetProperty("suppressed").GetBoolean().Should().BeFalse("ten women and more are counted");
        await _caseworker.RegisterAsync(new DateOnly(1999, 9, 19));
        var after = (await Females())!.Value;
        (after.GetProperty("count").GetInt32() - before.GetProperty("count").GetInt32()).Should().BeOneOf([0, 10], "counts are published rounded to tens");

        var grouped = (await stats.GraphQLAsync("{ statistics { ages: population(groupBy: AGE_BAND) { key count } beneficiaries(groupBy: PROGRAMME) { key count } } }"))
            .Data("statistics");
        grouped.GetProperty("ages").EnumerateArray().Select(a => a.GetProperty("key").GetString()).Should().BeSubsetOf(["0-17", "18-34", "35-59", "60+"]);
        grouped.GetProperty("ages").EnumerateArray().Should().AllSatisfy(a => a.GetProperty("count").ValueKind.Should().BeOneOf(JsonValueKind.Number, JsonValueKind.Null));
        grouped.ToString().Should().NotContain("idNumber");
        (await api.ClientFor("department:SASSA").GraphQLAsync("{ statistics { population(groupBy: SEX) { count } } }"))
            .TransportErrorCodes().Should().Equal("FORBIDDEN");
    }
}
