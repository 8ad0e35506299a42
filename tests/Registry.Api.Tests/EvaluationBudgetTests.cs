namespace Registry.Api.Tests;

/// <summary>
/// One request asks for at most GraphQL:MaxEvaluationsPerRequest (1,000) eligibility evaluations,
/// counted over the whole document before anything runs: aliases, batch items and fragments all count.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class EvaluationBudgetTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");

    private static string Literals(string idNumber, int count) =>
        "[" + string.Join(", ", Enumerable.Repeat($"{{ idNumber: \"{idNumber}\", programme: OLDER_PERSONS_GRANT }}", count)) + "]";

    private static void RefusedBeforeRunning(System.Text.Json.JsonElement body)
    {
        body.TransportErrorCodes().Should().Equal("TOO_MANY_EVALUATIONS");
        body.TryGetProperty("data", out _).Should().BeFalse("validation stops the request before any evaluation");
    }

    [Fact]
    public async Task Aliased_batches_over_the_request_budget_are_refused_before_anything_runs()
    {
        var id = await _caseworker.RegisterAsync(new DateOnly(1945, 1, 1));
        var requests = Enumerable.Range(0, 600).Select(_ => new { idNumber = id, programme = "OLDER_PERSONS_GRANT" }).ToArray();

        var one = await _caseworker.GraphQLAsync("query($r: [EligibilityRequest!]!) { a: eligibilityBatch(requests: $r) { eligible } }", new { r = requests });
        one.Data("a").GetArrayLength().Should().Be(600);

        RefusedBeforeRunning(await _caseworker.GraphQLAsync(
            "query($r: [EligibilityRequest!]!) { a: eligibilityBatch(requests: $r) { eligible } b: eligibilityBatch(requests: $r) { eligible } }", new { r = requests }));
    }

    [Fact]
    public async Task Every_alias_of_a_single_question_counts_one()
    {
        var id = await _caseworker.RegisterAsync(new DateOnly(1946, 2, 2));
        string Aliases(int count) => "query($id: String!) { " +
            string.Join(" ", Enumerable.Range(0, count).Select(i => $"e{i}: eligibility(idNumber: $id, programme: OLDER_PERSONS_GRANT) {{ eligible }}")) + " }";

        (await _caseworker.GraphQLAsync(Aliases(3), new { id })).Data("e2").GetProperty("eligible").GetBoolean().Should().BeTrue();
        RefusedBeforeRunning(await _caseworker.GraphQLAsync(Aliases(1001), new { id }));
    }

    [Fact]
    public async Task Fragments_and_literal_lists_count_as_execution_runs_them()
    {
        var id = await _caseworker.RegisterAsync(new DateOnly(1947, 3, 3));
        var fragments = $$"""
            fragment X on Query { x: eligibilityBatch(requests: {{Literals(id, 400)}}) { eligible } }
            fragment Y on Query { y: eligibilityBatch(requests: {{Literals(id, 400)}}) { eligible } }
            """;
        // X spread twice runs once: 400 + 400 + 1.
        var within = await _caseworker.GraphQLAsync($"query($id: String!) {{ ...X ...Y ...X single: eligibility(idNumber: $id, programme: OLDER_PERSONS_GRANT) {{ eligible }} }}\n{fragments}", new { id });
        within.Data("x").GetArrayLength().Should().Be(400);
        within.Data("y").GetArrayLength().Should().Be(400);

        // A third batch under another alias, inside an inline fragment: 1,201.
        RefusedBeforeRunning(await _caseworker.GraphQLAsync(
            $"query($id: String!) {{ ...X ...Y ... on Query {{ z: eligibilityBatch(requests: {Literals(id, 400)}) {{ eligible }} }} single: eligibility(idNumber: $id, programme: OLDER_PERSONS_GRANT) {{ eligible }} }}\n{fragments}", new { id }));
    }
}
