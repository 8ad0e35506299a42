using System.Text.Json;
using Registry.Domain.Common;

namespace Registry.Api.Tests;

/// <summary>What a caseworker's client sends, written once for the tests.</summary>
public static class Caseworker
{
    public const string RegisterMutation = """
        mutation($input: RegisterCitizenInput!) {
          registerCitizen(input: $input) { citizen { id idNumber firstNames surname version } version errors { code field message } }
        }
        """;

    public const string CitizenFields = "id idNumber firstNames surname dateOfBirth sex citizenship monthlyIncome incomeSource disabled dateOfDeath version address { line1 city municipalityCode province postalCode } household { id }";

    /// <summary>Names may not contain digits, so uniqueness comes from letters.</summary>
    public static string UniqueSurname(string stem) =>
        stem + new string(Guid.NewGuid().ToString("N")[..10].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))).ToArray());

    public static object Address(string municipality = "CPT", string city = "Cape Town", string province = "WESTERN_CAPE") =>
        new { line1 = "12 Long Street", city, municipalityCode = municipality, province, postalCode = "8001" };

    public static object RegisterInput(string idNumber, DateOnly born, string sex = "FEMALE", string citizenship = "CITIZEN",
        string firstNames = "Naledi", string surname = "Mokoena", string? idempotencyKey = null, object? address = null) =>
        new
        {
            idNumber, firstNames, surname, dateOfBirth = born.ToString("yyyy-MM-dd"), sex, citizenship,
            address = address ?? Address(), idempotencyKey,
        };

    /// <summary>Registers a fresh adult (or a person born on <paramref name="born"/>) and returns its ID number.</summary>
    public static async Task<string> RegisterAsync(this HttpClient client, DateOnly? born = null, Sex sex = Sex.Female,
        string surname = "Mokoena", object? address = null)
    {
        var date = born ?? new DateOnly(1985, 6, 15);
        var id = RegistryApiFactory.NewIdNumber(date, sex).Value;
        var payload = (await client.GraphQLAsync(RegisterMutation,
            new { input = RegisterInput(id, date, sex == Sex.Female ? "FEMALE" : "MALE", surname: surname, address: address) })).Data("registerCitizen");
        payload.ErrorCodes().Should().BeEmpty();
        return id;
    }

    public static async Task<JsonElement> CitizenAsync(this HttpClient client, string idNumber) =>
        (await client.GraphQLAsync($"query($id: String!) {{ citizen(idNumber: $id) {{ {CitizenFields} }} }}", new { id = idNumber })).Data("citizen");

    public static async Task<JsonElement> MutateAsync(this HttpClient client, string mutation, string inputType, object input, string selection = "citizen { id version } version errors { code field message }")
    {
        var body = await client.GraphQLAsync($"mutation($input: {inputType}!) {{ {mutation}(input: $input) {{ {selection} }} }}", new { input });
        return body.Data(mutation);
    }

    public const string HouseholdSelection = "household { id version monthlyIncome dissolved head { idNumber } members { relationship joinedOn citizen { idNumber } } } version errors { code field message }";

    public static async Task<JsonElement> FormHouseholdAsync(this HttpClient client, string headIdNumber) =>
        await client.MutateAsync("formHousehold", "FormHouseholdInput", new { headIdNumber, address = Address() }, HouseholdSelection);

    public static async Task<JsonElement> AddMemberAsync(this HttpClient client, string householdId, string idNumber, string relationship = "CHILD", int? expectedVersion = null) =>
        await client.MutateAsync("addHouseholdMember", "AddHouseholdMemberInput", new { householdId, idNumber, relationship, expectedVersion }, HouseholdSelection);
}
