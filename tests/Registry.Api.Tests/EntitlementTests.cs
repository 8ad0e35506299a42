using System.Text.Json;
using Registry.Projections.SocialDevelopment;

namespace Registry.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class EntitlementTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");

    private const string Selection = "entitlement { id programme status monthlyAmount since version lastDecision { id eligible parameterVersion reasons { criterion passed } } beneficiary { idNumber } } version errors { code field message }";

    private Task<JsonElement> ApplyAsync(string programme, string beneficiary, string? applicant = null, string? effectiveDate = null) =>
        _caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput",
            new { programme, beneficiaryIdNumber = beneficiary, applicantIdNumber = applicant, effectiveDate }, Selection);

    private Task<JsonElement> ActAsync(string mutation, string entitlementId, string? reason, int? expectedVersion = null, string? effectiveDate = null) =>
        _caseworker.MutateAsync(mutation, "EntitlementActionInput", new { entitlementId, reason, expectedVersion, effectiveDate }, Selection);

    [Fact]
    public async Task An_application_is_assessed_at_once_and_the_decision_is_recorded_with_it()
    {
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1955, 5, 5));

        var granted = await ApplyAsync("OLDER_PERSONS_GRANT", pensioner);

        granted.ErrorCodes().Should().BeEmpty();
        var entitlement = granted.GetProperty("entitlement");
        entitlement.GetProperty("status").GetString().Should().Be("ACTIVE");
        entitlement.GetProperty("monthlyAmount").GetDecimal().Should().Be(2320m);
        entitlement.GetProperty("lastDecision").GetProperty("eligible").GetBoolean().Should().BeTrue();
        entitlement.GetProperty("lastDecision").GetProperty("id").GetString().Should().NotBeNullOrEmpty();
        granted.GetProperty("version").GetInt32().Should().Be(3, "applied, assessed and granted");

        var types = await api.ScalarAsync<string>(
            $"SELECT string_agg(type, ',' ORDER BY version) FROM {api.Sql.Events} WHERE stream_id = $1::uuid", Guid.Parse(entitlement.GetProperty("id").GetString()!));
        types.Should().Be("entitlement_applied,entitlement_assessed,entitlement_granted");
        var citizen = await _caseworker.GraphQLAsync("query($id: String!) { citizen(idNumber: $id) { entitlements { programme status } } }", new { id = pensioner });
        citizen.Data("citizen").GetProperty("entitlements")[0].GetProperty("status").GetString().Should().Be("ACTIVE");
    }

    [Fact]
    public async Task An_ineligible_application_is_rejected_with_its_reasons_kept()
    {
        var young = await _caseworker.RegisterAsync(new DateOnly(1990, 1, 1));

        var rejected = await ApplyAsync("OLDER_PERSONS_GRANT", young);

        rejected.ErrorCodes().Should().BeEmpty("a rejection is a recorded outcome, not an error");
        rejected.GetProperty("entitlement").GetProperty("status").GetString().Should().Be("REJECTED");
        rejected.GetProperty("entitlement").GetProperty("lastDecision").GetProperty("reasons").EnumerateArray()
            .Single(r => r.GetProperty("criterion").GetString() == "age").GetProperty("passed").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task A_beneficiary_cannot_hold_a_programme_twice_and_the_refusal_writes_nothing()
    {
        var mother = await _caseworker.RegisterAsync(new DateOnly(1988, 8, 8));
        var grandmother = await _caseworker.RegisterAsync(new DateOnly(1960, 6, 6));
        var child = await _caseworker.RegisterAsync(new DateOnly(2020, 2, 20));
        var household = (await _caseworker.FormHouseholdAsync(mother)).GetProperty("household").GetProperty("id").GetString()!;
        await _caseworker.AddMemberAsync(household, child);
        (await ApplyAsync("CHILD_SUPPORT_GRANT", child)).GetProperty("entitlement").GetProperty("status").GetString().Should().Be("ACTIVE");
        var before = await api.EventCountAsync();

        // One CSG per child, whoever applies.
        (await ApplyAsync("CHILD_SUPPORT_GRANT", child, grandmother)).ErrorCodes().Should().Equal("ALREADY_ENTITLED");
        (await api.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Two_concurrent_applications_for_one_beneficiary_and_programme_grant_once()
    {
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1950, 3, 3));
        var before = await api.EventCountAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => api.ClientFor("caseworker")
            .MutateAsync("applyForEntitlement", "ApplyForEntitlementInput", new { programme = "OLDER_PERSONS_GRANT", beneficiaryIdNumber = pensioner }, Selection)));

        results.Count(r => r.ErrorCodes().Length == 0).Should().Be(1);
        results.SelectMany(r => r.ErrorCodes()).Should().OnlyContain(c => c == "STALE_VERSION" || c == "ALREADY_ENTITLED");
        (await api.EventCountAsync()).Should().Be(before + 3);
    }

    [Fact]
    public async Task Suspension_and_reinstatement_need_a_reason_and_the_right_status()
    {
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1952, 2, 2));
        var id = (await ApplyAsync("OLDER_PERSONS_GRANT", pensioner)).GetProperty("entitlement").GetProperty("id").GetString()!;

        (await _caseworker.GraphQLAsync("mutation($i: EntitlementActionInput!) { suspendEntitlement(input: $i) { errors { code } } }", new { i = new { entitlementId = id } }))
            .TransportErrorCodes().Should().NotBeEmpty("reason is a required input field");
        var before = await api.EventCountAsync();
        (await ActAsync("suspendEntitlement", id, "   ")).ErrorCodes().Should().Equal("REASON_REQUIRED");
        (await ActAsync("reinstateEntitlement", id, "nothing to reinstate")).ErrorCodes().Should().Equal("INVALID_STATUS");
        (await ActAsync("suspendEntitlement", id, "life certificate overdue", expectedVersion: 1)).ErrorCodes().Should().Equal("STALE_VERSION");
        var future = await ActAsync("suspendEntitlement", id, "life certificate overdue", effectiveDate: "2999-01-01");
        future.ErrorCodes().Should().Equal("INVALID_DATE");
        future.GetProperty("errors")[0].GetProperty("message").GetString().Should().Be("The effective date cannot be in the future.");
        (await api.EventCountAsync()).Should().Be(before);

        var suspended = await ActAsync("suspendEntitlement", id, "life certificate overdue", expectedVersion: 3);
        suspended.GetProperty("entitlement").GetProperty("status").GetString().Should().Be("SUSPENDED");
        var reinstated = await ActAsync("reinstateEntitlement", id, "life certificate received");
        reinstated.GetProperty("entitlement").GetProperty("status").GetString().Should().Be("ACTIVE");
        // The reason is about the beneficiary: stored sealed under their key, read back by the auditor.
        (await api.ScalarAsync<string>($"SELECT headers->>'reason' FROM {api.Sql.Events} WHERE stream_id = $1::uuid AND type = 'entitlement_suspended'", Guid.Parse(id)))
            .Should().StartWith("sealed:").And.NotContain("life certificate");
        (await api.ClientFor("auditor").GraphQLAsync("query($id: ID!) { audit { history(entitlementId: $id) { edges { node { type reason } } } } }", new { id }))
            .Data("audit").GetProperty("history").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))
            .Single(e => e.GetProperty("type").GetString() == "entitlement_suspended").GetProperty("reason").GetString().Should().Be("life certificate overdue");
    }

    [Fact]
    public async Task SASSA_lists_its_beneficiaries_by_programme_and_status_page_by_page()
    {
        var pensioners = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var p = await _caseworker.RegisterAsync(new DateOnly(1940 + i, 1, 1));
            await ApplyAsync("OLDER_PERSONS_GRANT", p);
            pensioners.Add(p);
        }
        var sassa = api.ClientFor("department:SASSA");
        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = (await sassa.GraphQLAsync("""
                query($after: String) { socialDevelopment { beneficiaries(programme: OLDER_PERSONS_GRANT, status: ACTIVE, first: 2, after: $after) {
                  totalCount pageInfo { hasNextPage endCursor } edges { node { idNumber fullName programme status monthlyAmount } } } } }
                """, new { after })).Data("socialDevelopment").GetProperty("beneficiaries");
            seen.AddRange(page.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("idNumber").GetString()!));
            after = page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean() ? page.GetProperty("pageInfo").GetProperty("endCursor").GetString() : null;
        } while (after is not null);

        seen.Should().OnlyHaveUniqueItems().And.Contain(pensioners);

        // SASSA's own read model holds no decisions, incomes or households, and no other department's programmes.
        var stored = await api.ScalarAsync<string>($"SELECT string_agg(data::text, ' ') FROM {api.Sql.Document<SocialGrantRecord>()}");
        stored.Should().NotContain("Income").And.NotContain("Reasons").And.NotContain("Household");
        var housingApplicant = await _caseworker.RegisterAsync(new DateOnly(1980, 3, 3));
        await ApplyAsync("HOUSING_SUBSIDY_BNG", housingApplicant);
        (await api.ScalarAsync<long>($"SELECT count(*) FROM {api.Sql.Document<SocialGrantRecord>()} WHERE data ->> 'Programme' LIKE 'Housing%'")).Should().Be(0);
    }

    [Fact]
    public async Task Only_administrators_publish_parameters_and_a_publication_is_dated_and_never_overlaps()
    {
        const string publish = "mutation($i: PublishProgrammeParametersInput!) { publishProgrammeParameters(input: $i) { programme { code parameters(on: \"2027-04-02\") } errors { code field message } } }";
        object Input(string json, string date = "2027-04-01") => new
        {
            i = new { programme = "SOCIAL_RELIEF_OF_DISTRESS", effectiveFrom = date, parametersJson = json, legalReference = "Gazette 2027/01" },
        };
        const string values = """{"values": {"minAge": 18, "maxAge": 59, "monthlyAmount": 400, "incomeCeilingMonthly": 650}}""";
        var before = await api.EventCountAsync();

        (await _caseworker.GraphQLAsync(publish, Input(values))).TransportErrorCodes().Should().Equal("FORBIDDEN");
        var admin = api.ClientFor("admin");
        (await admin.GraphQLAsync(publish, Input("{not json"))).Data("publishProgrammeParameters").ErrorCodes().Should().Equal("INVALID_INPUT");
        (await admin.GraphQLAsync(publish, Input("""{"monthlyAmount": 400}"""))).Data("publishProgrammeParameters").ErrorCodes().Should().Equal("INVALID_INPUT");
        (await admin.GraphQLAsync(publish, Input(values, "2025-04-01"))).Data("publishProgrammeParameters").ErrorCodes().Should().Equal("PARAMETERS_OVERLAP");
        (await api.EventCountAsync()).Should().Be(before);

        var published = (await admin.GraphQLAsync(publish, Input(values))).Data("publishProgrammeParameters");
        published.ErrorCodes().Should().BeEmpty();
        JsonDocument.Parse(published.GetProperty("programme").GetProperty("parameters").GetString()!).RootElement
            .GetProperty("values").GetProperty("monthlyAmount").GetDecimal().Should().Be(400m);

        var worker = await _caseworker.RegisterAsync(new DateOnly(2000, 7, 7));
        var decisions = (await _caseworker.GraphQLAsync("""
            query($id: String!) { now: eligibility(idNumber: $id, programme: SOCIAL_RELIEF_OF_DISTRESS) { monthlyAmount }
                                  later: eligibility(idNumber: $id, programme: SOCIAL_RELIEF_OF_DISTRESS, on: "2027-05-01") { monthlyAmount parameterVersion } }
            """, new { id = worker })).GetProperty("data");
        decisions.GetProperty("now").GetProperty("monthlyAmount").GetDecimal().Should().Be(370m);
        decisions.GetProperty("later").GetProperty("monthlyAmount").GetDecimal().Should().Be(400m);
    }
}
