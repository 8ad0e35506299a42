using Registry.Domain.Common;

namespace Registry.Api.Tests;

/// <summary>Bad input answers with a stable code and leaves the store exactly as it was.</summary>
[Collection(ApiCollection.Name)]
public sealed class RejectionTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");

    public static TheoryData<string, string, string, string, string> InvalidRegistrations => new()
    {
        // idNumber, dateOfBirth, sex, citizenship, expected code
        { "850615000908", "1985-06-15", "FEMALE", "CITIZEN", "INVALID_ID_NUMBER" },        // 12 digits
        { "85061500090812", "1985-06-15", "FEMALE", "CITIZEN", "INVALID_ID_NUMBER" },      // 14 digits
        { "85061500O9081", "1985-06-15", "FEMALE", "CITIZEN", "INVALID_ID_NUMBER" },       // letter O
        { "8513150009081", "1985-06-15", "FEMALE", "CITIZEN", "INVALID_ID_NUMBER" },       // month 13
        { Flip(Valid(1985, 6, 15)), "1985-06-15", "FEMALE", "CITIZEN", "INVALID_ID_NUMBER" }, // Luhn
        { Valid(1985, 6, 15), "1985-06-16", "FEMALE", "CITIZEN", "INVALID_ID_NUMBER" },      // date of birth disagrees
        { Valid(1985, 6, 15), "1985-06-15", "MALE", "CITIZEN", "INVALID_ID_NUMBER" },        // sex disagrees
        { Valid(1985, 6, 15), "1985-06-15", "FEMALE", "PERMANENT_RESIDENT", "INVALID_ID_NUMBER" }, // citizenship disagrees
    };

    [Theory]
    [MemberData(nameof(InvalidRegistrations))]
    public async Task An_invalid_registration_is_refused_with_its_code_and_writes_nothing(string idNumber, string born, string sex, string citizenship, string code)
    {
        var before = await api.EventCountAsync();

        var payload = (await _caseworker.GraphQLAsync(Caseworker.RegisterMutation,
            new { input = Caseworker.RegisterInput(idNumber, DateOnly.Parse(born), sex, citizenship) })).Data("registerCitizen");

        payload.ErrorCodes().Should().Equal(code);
        payload.GetProperty("citizen").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
        payload.GetProperty("errors")[0].GetProperty("message").GetString().Should().NotContainAny("at Registry", "SELECT", "Npgsql");
        (await api.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_duplicate_ID_number_is_refused_and_writes_nothing()
    {
        var id = await _caseworker.RegisterAsync();
        var before = await api.EventCountAsync();

        var payload = (await _caseworker.GraphQLAsync(Caseworker.RegisterMutation,
            new { input = Caseworker.RegisterInput(id, new DateOnly(1985, 6, 15), firstNames: "Someone", surname: "Else") })).Data("registerCitizen");

        payload.ErrorCodes().Should().Equal("DUPLICATE_ID_NUMBER");
        (await api.EventCountAsync()).Should().Be(before);
        (await api.ScalarAsync<long>($"SELECT count(*) FROM {api.Sql.Citizens} WHERE data->>'IdNumber' = $1", id)).Should().Be(1);
    }

    [Fact]
    public async Task A_stale_version_is_refused_and_writes_nothing()
    {
        var id = await _caseworker.RegisterAsync();
        (await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = 1000, source = "OTHER", expectedVersion = 1 }))
            .ErrorCodes().Should().BeEmpty();
        var before = await api.EventCountAsync();

        // A second caseworker still holding version 1.
        var stale = await _caseworker.MutateAsync("changeCitizenName", "ChangeCitizenNameInput",
            new { idNumber = id, firstNames = "Lerato", surname = "Mokoena", expectedVersion = 1 });

        stale.ErrorCodes().Should().Equal("STALE_VERSION");
        (await api.EventCountAsync()).Should().Be(before);
        (await _caseworker.CitizenAsync(id)).GetProperty("firstNames").GetString().Should().Be("Naledi");
    }

    [Fact]
    public async Task Unknown_citizens_and_households_are_NOT_FOUND()
    {
        var unknown = RegistryApiFactory.NewIdNumber(new DateOnly(1999, 9, 9)).Value;
        var before = await api.EventCountAsync();

        (await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = unknown, monthlyIncome = 1, source = "OTHER" }))
            .ErrorCodes().Should().Equal("NOT_FOUND");
        (await _caseworker.AddMemberAsync(Guid.NewGuid().ToString(), unknown)).ErrorCodes().Should().Equal("NOT_FOUND");
        (await _caseworker.FormHouseholdAsync(unknown)).ErrorCodes().Should().Equal("NOT_FOUND");
        (await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = "123", monthlyIncome = 1, source = "OTHER" }))
            .ErrorCodes().Should().Equal("INVALID_ID_NUMBER");
        (await _caseworker.GraphQLAsync("query($id: String!) { citizen(idNumber: $id) { id } }", new { id = unknown }))
            .Data("citizen").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
        (await api.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Domain_rule_violations_are_refused_and_write_nothing()
    {
        var id = await _caseworker.RegisterAsync(new DateOnly(2001, 2, 3));
        var before = await api.EventCountAsync();

        (await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = -5, source = "OTHER" }))
            .ErrorCodes().Should().Equal("INVALID_INPUT");
        (await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = 10, source = "OTHER", effectiveDate = "2999-01-01" }))
            .ErrorCodes().Should().Equal("INVALID_DATE");
        (await _caseworker.MutateAsync("changeCitizenAddress", "ChangeCitizenAddressInput",
            new { idNumber = id, address = new { line1 = "1 A St", city = "Cape Town", municipalityCode = "CPT", province = "WESTERN_CAPE", postalCode = "80" } }))
            .ErrorCodes().Should().Equal("INVALID_INPUT");
        (await _caseworker.MutateAsync("changeCitizenName", "ChangeCitizenNameInput", new { idNumber = id, firstNames = "Naledi", surname = "Mokoena" }))
            .ErrorCodes().Should().Equal("NO_CHANGE");
        (await _caseworker.MutateAsync("correctCitizenRecord", "CorrectCitizenRecordInput", new { idNumber = id, field = "surname", value = "X", reason = "  " }))
            .ErrorCodes().Should().Equal("REASON_REQUIRED");

        (await api.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Text_with_a_NUL_character_is_refused_before_anything_runs_and_writes_nothing()
    {
        // PostgreSQL text cannot hold U+0000, so such a request can only fail, and not in the database.
        var born = new DateOnly(1990, 3, 8);
        var id = RegistryApiFactory.NewIdNumber(born).Value;
        var address = new { line1 = "7 Church\u0000 Street", city = "Cape Town", municipalityCode = "CPT", province = "WESTERN_CAPE", postalCode = "8001" };
        var before = await api.EventCountAsync();

        // In a mutation's variables: JSON's \u0000 escape.
        var (viaVariables, variablesBody) = await _caseworker.GraphQLResponseAsync(Caseworker.RegisterMutation,
            new { input = Caseworker.RegisterInput(id, born, address: address) });
        // In string literals of the document: GraphQL's \u0000 escape, in a mutation and in a query.
        var literal = $$"""
            mutation { registerCitizen(input: { idNumber: "{{id}}", firstNames: "Naledi", surname: "Mokoena", dateOfBirth: "1990-03-08",
              sex: FEMALE, citizenship: CITIZEN, address: { line1: "7 Church\u0000 Street", city: "Cape Town", municipalityCode: "CPT",
              province: WESTERN_CAPE, postalCode: "8001" } }) { version errors { code } } }
            """;
        var (viaMutationLiteral, mutationLiteralBody) = await _caseworker.GraphQLResponseAsync(literal);
        var (viaQueryLiteral, queryLiteralBody) = await _caseworker.GraphQLResponseAsync("{ citizens(filter: { surname: \"Mokoena\\u0000\" }) { totalCount } }");
        // The character itself in the document's text (JSON-escaped in the body), which GraphQL's grammar has no place for.
        var (inQueryText, queryTextBody) = await _caseworker.GraphQLResponseAsync("{ citizens(filter: { surname: \"Mokoena\0\" }) { totalCount } }");

        foreach (var (response, body) in new[] { (viaVariables, variablesBody), (viaMutationLiteral, mutationLiteralBody), (viaQueryLiteral, queryLiteralBody), (inQueryText, queryTextBody) })
        {
            response.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
            body.TransportErrorCodes().Should().Equal(ErrorCodes.InvalidRequest);
            body.GetProperty("errors")[0].GetProperty("message").GetString().Should().Contain("U+0000");
            body.TryGetProperty("data", out _).Should().BeFalse("nothing was executed");
        }
        (await api.EventCountAsync()).Should().Be(before);
        (await api.ScalarAsync<long>($"SELECT count(*) FROM {api.Sql.Citizens} WHERE data->>'IdNumber' = $1", id)).Should().Be(0);
        // The same registration without the NUL goes through: the refusal was for the character, not the rest.
        (await _caseworker.GraphQLAsync(Caseworker.RegisterMutation, new { input = Caseworker.RegisterInput(id, born) })).Data("registerCitizen").ErrorCodes().Should().BeEmpty();
    }

    private static string Valid(int y, int m, int d) => RegistryApiFactory.NewIdNumber(new DateOnly(y, m, d)).Value;

    private static string Flip(string id) => id[..12] + (char)('0' + (id[12] - '0' + 1) % 10);
}
