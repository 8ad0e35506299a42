using System.Net.Http.Json;
using System.Text.Json;

namespace Registry.Api.Tests;

/// <summary>
/// A document validated once is reused, but what depends on the caller is checked on every request: the
/// same text, sent again by someone else, without a purpose, with bigger variables or choosing another
/// operation, is refused as if it were new.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DocumentCacheTests(RegistryApiFactory api)
{
    private static async Task<JsonElement> SendAsync(HttpClient client, string query, object? variables = null, string? operationName = null)
    {
        using var response = await client.PostAsync("/graphql", JsonContent.Create(new { query, variables, operationName }));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task A_document_a_caseworker_ran_is_still_refused_to_a_department_and_to_a_read_without_purpose()
    {
        var caseworker = api.ClientFor("caseworker");
        var id = await caseworker.RegisterAsync();
        var query = $"query($id: String!) {{ citizen(idNumber: $id) {{ surname }} }} # {Guid.NewGuid()}";
        (await SendAsync(caseworker, query, new { id })).Data("citizen").GetProperty("surname").GetString().Should().Be("Mokoena");
        (await SendAsync(caseworker, query, new { id })).Data("citizen").GetProperty("surname").GetString().Should().Be("Mokoena", "the cached document runs");

        (await SendAsync(api.ClientFor("department:SASSA"), query, new { id })).TransportErrorCodes().Should().Contain("FORBIDDEN");
        (await SendAsync(api.ClientWithoutPurpose("caseworker"), query, new { id })).TransportErrorCodes().Should().Contain("PURPOSE_REQUIRED");
    }

    [Fact]
    public async Task A_cached_batch_is_counted_again_for_each_request_s_variables()
    {
        var sassa = api.ClientFor("department:SASSA");
        var query = $"query($r: [EligibilityRequest!]!) {{ a: eligibilityBatch(requests: $r) {{ eligible }} b: eligibilityBatch(requests: $r) {{ eligible }} }} # {Guid.NewGuid()}";
        object Requests(int n) => new { r = Enumerable.Range(0, n).Select(_ => new { idNumber = RegistryApiFactory.NewIdNumber(new DateOnly(1950, 1, 1)).Value, programme = "OLDER_PERSONS_GRANT" }).ToArray() };

        var small = await SendAsync(sassa, query, Requests(1));
        small.TryGetProperty("errors", out _).Should().BeFalse(small.ToString());
        (await SendAsync(sassa, query, Requests(600))).TransportErrorCodes().Should().Contain("TOO_MANY_EVALUATIONS", "1,200 evaluations under two aliases");
    }

    [Fact]
    public async Task Another_operation_of_a_cached_document_is_validated_on_its_own()
    {
        var client = api.ClientFor("caseworker");
        const string Deep = "household { members { citizen { household { members { citizen { household { id } } } } } } }";
        var document = $"query Light {{ __typename }} query Heavy {{ citizens(first: 1) {{ edges {{ node {{ {Deep} }} }} }} }} # {Guid.NewGuid()}";
        await SendAsync(client, document, operationName: "Light");
        await SendAsync(client, document, operationName: "Light");
        var heavy = await SendAsync(client, document, operationName: "Heavy");
        heavy.TransportErrorCodes().Should().NotBeEmpty("eleven levels deep is over the limit of ten");
        heavy.TryGetProperty("data", out _).Should().BeFalse();
    }
}
