using System.Net;
using System.Net.Http.Json;

namespace Registry.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class AccessAndBoundsTests(RegistryApiFactory api)
{
    [Fact]
    public async Task Anonymous_requests_are_refused_with_UNAUTHENTICATED()
    {
        var (response, body) = await api.ClientFor().GraphQLResponseAsync("{ citizens { totalCount } }");
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        body.TransportErrorCodes().Should().Equal("UNAUTHENTICATED");
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        var client = api.CreateClient();
        var forged = Registry.Api.Auth.TokenIssuer.Issue(new() { SigningKey = new string('x', 48) }, "mallory", ["admin"], TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
        client.DefaultRequestHeaders.Authorization = new("Bearer", forged);
        var (response, _) = await client.GraphQLResponseAsync("{ citizens { totalCount } }");
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("auditor")]
    [InlineData("department:SASSA")]
    public async Task Callers_without_the_caseworker_role_cannot_change_records_and_nothing_is_written(string role)
    {
        var before = await api.EventCountAsync();
        var born = new DateOnly(1979, 9, 19);
        var body = await api.ClientFor(role).GraphQLAsync(Caseworker.RegisterMutation,
            new { input = Caseworker.RegisterInput(RegistryApiFactory.NewIdNumber(born).Value, born) });

        body.TransportErrorCodes().Should().Equal("FORBIDDEN");
        body.TryGetProperty("data", out var data).Should().BeFalse("validation stops the request before anything runs: {0}", data);
        body.GetProperty("errors")[0].GetProperty("message").GetString().Should().Be("You are not allowed to use 'registerCitizen'.");
        (await api.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Department_callers_cannot_read_caseworker_records()
    {
        var id = await api.ClientFor("caseworker").RegisterAsync();
        var body = await api.ClientFor("department:SASSA").GraphQLAsync("query($id: String!) { citizen(idNumber: $id) { surname } }", new { id });
        body.TransportErrorCodes().Should().Equal("FORBIDDEN");
        body.ToString().Should().NotContain("Mokoena");
    }

    [Fact]
    public async Task An_administrator_may_do_what_a_caseworker_may()
    {
        (await api.ClientFor("admin").GraphQLAsync("{ citizens(first: 1) { totalCount } }")).Data("citizens").GetProperty("totalCount").GetInt32()
            .Should().BeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task Malformed_requests_get_GraphQL_errors_with_codes_and_no_internals()
    {
        var client = api.ClientFor("caseworker");

        var syntax = await client.GraphQLAsync("{ citizens(first: 1) { totalCount ");
        syntax.TransportErrorCodes().Should().Equal("SYNTAX_ERROR");

        var unknownField = await client.GraphQLAsync("{ citizens { nonsense } }");
        unknownField.TransportErrorCodes().Should().Equal("FIELDS_ON_CORRECT_TYPE");

        var response = await client.PostAsync("/graphql", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("INVALID_REQUEST").And.NotContain("at System.");

        var badEnum = await client.GraphQLAsync("mutation { declareIncome(input: { idNumber: \"1\", monthlyIncome: 1, source: SALARY }) { errors { code } } }");
        badEnum.TransportErrorCodes().Should().NotBeEmpty();
    }

    [Fact]
    public async Task Queries_are_bounded_in_depth_and_page_size()
    {
        var client = api.ClientFor("caseworker");

        var deep = await client.GraphQLAsync("""
            { citizens(first: 1) { edges { node { household { head { household { head { household { head { household { head { idNumber } } } } } } } } } } } }
            """);
        deep.TransportErrorCodes().Should().Contain(c => c.Contains("COMPLEXITY") || c.Contains("DEPTH"));

        var tooMany = await client.GraphQLAsync("{ citizens(first: 101) { totalCount } }");
        tooMany.TransportErrorCodes().Should().Equal("PAGE_SIZE_TOO_LARGE");

        var badCursor = await client.GraphQLAsync("{ citizens(first: 5, after: \"bm90IGEgY3Vyc29y\") { totalCount } }");
        badCursor.TransportErrorCodes().Should().Equal("INVALID_CURSOR");
    }

    [Fact]
    public async Task Oversized_bodies_are_refused()
    {
        var client = api.ClientFor("caseworker");
        var response = await client.PostAsJsonAsync("/graphql", new { query = "{ citizens { totalCount } }", variables = new { pad = new string('x', 300_000) } });
        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task The_GraphiQL_page_is_served_without_internet()
    {
        var page = await api.CreateClient().GetStringAsync("/graphql");
        page.Should().Contain("/graphiql/graphiql.js").And.NotContain("https://");
        (await api.CreateClient().GetAsync("/graphiql/graphiql.js")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
