using System.Net;
using System.Text.Json;
using Registry.Api.Auth;

namespace Registry.Api.Tests;

/// <summary>
/// Roles are parsed in one place and a token with a role the register does not know is refused; a
/// municipality answers about its own residents, and anyone else is to it as if unregistered.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RoleTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");

    private const string Indigent = "query($id: String!) { eligibility(idNumber: $id, programme: MUNICIPAL_INDIGENT) { idNumber eligible reasons { criterion passed } } }";

    /// <summary>A household of one, at its head's address, earning <paramref name="monthly"/>.</summary>
    private async Task<string> ResidentAsync(string municipality, string city, string province, decimal monthly)
    {
        var address = new { line1 = "3 Church Street", city, municipalityCode = municipality, province, postalCode = "2001" };
        var head = await _caseworker.RegisterAsync(new DateOnly(1979, 4, 4), address: address);
        (await _caseworker.MutateAsync("formHousehold", "FormHouseholdInput", new { headIdNumber = head, address }, Caseworker.HouseholdSelection))
            .ErrorCodes().Should().BeEmpty();
        (await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = head, monthlyIncome = monthly, source = "EMPLOYMENT" }))
            .ErrorCodes().Should().BeEmpty();
        return head;
    }

    [Fact]
    public async Task Cape_Town_gets_the_indigent_answer_for_its_own_resident()
    {
        var resident = await ResidentAsync("CPT", "Cape Town", "WESTERN_CAPE", 5000m);

        var decision = (await api.ClientFor("department:MUNICIPALITY:CPT").GraphQLAsync(Indigent, new { id = resident })).Data("eligibility");

        decision.GetProperty("idNumber").GetString().Should().Be(resident);
        decision.GetProperty("eligible").GetBoolean().Should().BeTrue("R5,000 is under Cape Town's own ceiling of R7,500");
    }

    [Fact]
    public async Task Cape_Town_asking_about_a_Johannesburg_resident_is_told_what_an_unregistered_number_gets()
    {
        var joburger = await ResidentAsync("JHB", "Johannesburg", "GAUTENG", 1000m);
        var unregistered = RegistryApiFactory.NewIdNumber(new DateOnly(1979, 4, 4)).Value;
        var capeTown = api.ClientFor("department:MUNICIPALITY:CPT");

        var elsewhere = await capeTown.GraphQLAsync(Indigent, new { id = joburger });
        var nobody = await capeTown.GraphQLAsync(Indigent, new { id = unregistered });

        elsewhere.TransportErrorCodes().Should().Equal("NOT_FOUND");
        elsewhere.GetProperty("errors")[0].GetProperty("message").GetString()
            .Should().Be(nobody.GetProperty("errors")[0].GetProperty("message").GetString(), "the answer must not tell a resident elsewhere from no one");
        elsewhere.ToString().Should().NotContain("eligible");

        var batch = (await capeTown.GraphQLAsync(
            "query($r: [EligibilityRequest!]!) { eligibilityBatch(requests: $r) { eligible error { code message } } }",
            new { r = new[] { new { idNumber = joburger, programme = "MUNICIPAL_INDIGENT" } } })).Data("eligibilityBatch")[0];
        batch.GetProperty("error").GetProperty("code").GetString().Should().Be("NOT_FOUND");

        // Johannesburg itself, and a caseworker, get the answer.
        (await api.ClientFor("department:MUNICIPALITY:JHB").GraphQLAsync(Indigent, new { id = joburger })).Data("eligibility")
            .GetProperty("eligible").GetBoolean().Should().BeTrue();
        (await _caseworker.GraphQLAsync(Indigent, new { id = joburger })).Data("eligibility").GetProperty("idNumber").GetString().Should().Be(joburger);
    }

    [Theory]
    [InlineData("department:MUNICIPALITY")]
    [InlineData("department:MUNICIPALITY:XXX")]
    [InlineData("department:MUNICIPALITY:cpt")]
    [InlineData("department:FOO")]
    [InlineData("department:SASSA:CPT")]
    [InlineData("department:")]
    [InlineData("superuser")]
    [InlineData("Caseworker")]
    public async Task A_token_with_a_role_the_register_does_not_know_is_refused_authentication(string role)
    {
        var resident = await ResidentAsync("CPT", "Cape Town", "WESTERN_CAPE", 1000m);

        foreach (var roles in new[] { new[] { role }, new[] { "caseworker", role } })
        {
            var (response, body) = await api.ClientFor(roles).GraphQLResponseAsync(Indigent, new { id = resident });

            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            body.TransportErrorCodes().Should().Equal("UNAUTHENTICATED");
            body.GetProperty("errors")[0].GetProperty("message").GetString().Should().Be($"The bearer token carries a role the register does not know: '{role}'.");
            body.TryGetProperty("data", out _).Should().BeFalse();
        }
    }

    [Theory]
    [InlineData("caseworker", null, null)]
    [InlineData("auditor", null, null)]
    [InlineData("admin", null, null)]
    [InlineData("department:SASSA", "SASSA", null)]
    [InlineData("department:DHS", "DHS", null)]
    [InlineData("department:DBE", "DBE", null)]
    [InlineData("department:STATSSA", "STATSSA", null)]
    [InlineData("department:MUNICIPALITY:CPT", "MUNICIPALITY", "CPT")]
    [InlineData("department:MUNICIPALITY:KZN225", "MUNICIPALITY", "KZN225")]
    public void The_roles_the_register_serves_parse_to_their_department_and_municipality(string text, string? department, string? municipality)
    {
        Role.TryParse(text, out var role).Should().BeTrue();
        (role.Value, role.Department, role.Municipality).Should().Be((text, department, municipality));
    }

    [Fact]
    public async Task The_token_verb_refuses_a_role_the_register_does_not_know() =>
        (await api.CommandLine().RunAsync("token", "--role", "department:MUNICIPALITY", "--environment", "Development")).Should().Be(2);
}
