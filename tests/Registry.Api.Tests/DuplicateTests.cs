using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Registry.Api.Citizens;
using Registry.Domain.Citizens;
using Registry.Projections;
using Registry.Domain.Common;

namespace Registry.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class DuplicateTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");
    private readonly HttpClient _auditor = api.ClientFor("auditor");

    private const string Duplicates = "possibleDuplicates { idNumber score matchedOn citizen { idNumber } }";
    private const string Query = $"query($id: String!) {{ possibleDuplicates(idNumber: $id) {{ idNumber score matchedOn citizen {{ idNumber }} }} }}";

    private static object Home(string line1, string municipality = "CPT", string city = "Cape Town", string province = "WESTERN_CAPE") =>
        new { line1, city, municipalityCode = municipality, province, postalCode = "8001" };

    /// <summary>Registers the person and answers the payload's possible duplicates.</summary>
    private async Task<JsonElement[]> RegisterAsync(string idNumber, DateOnly born, string firstNames, string surname, object address)
    {
        var payload = (await _caseworker.GraphQLAsync(
            $"mutation($input: RegisterCitizenInput!) {{ registerCitizen(input: $input) {{ citizen {{ idNumber }} errors {{ code }} {Duplicates} }} }}",
            new { input = Caseworker.RegisterInput(idNumber, born, firstNames: firstNames, surname: surname, address: address) })).Data("registerCitizen");
        payload.ErrorCodes().Should().BeEmpty("a probable duplicate is flagged, never refused");
        payload.GetProperty("citizen").GetProperty("idNumber").GetString().Should().Be(idNumber);
        return [.. payload.GetProperty("possibleDuplicates").EnumerateArray()];
    }

    private async Task<JsonElement[]> QueryAsync(string idNumber) =>
        [.. (await _caseworker.GraphQLAsync(Query, new { id = idNumber })).Data("possibleDuplicates").EnumerateArray()];

    /// <summary>
    /// A fresh number for the same birthday that is not one slip from the other: numbers handed out in turn often are,
    /// and this test is about the names, the birthday and the address.
    /// </summary>
    private static string NumberNotNear(string other, DateOnly born)
    {
        var nearMisses = SaIdNumber.Parse(other, DateOnly.FromDateTime(DateTime.UtcNow)).NearMisses(DateOnly.FromDateTime(DateTime.UtcNow));
        SaIdNumber candidate;
        do candidate = RegistryApiFactory.NewIdNumber(born);
        while (nearMisses.Contains(candidate));
        return candidate.Value;
    }

    private static string[] MatchedOn(JsonElement duplicate) => [.. duplicate.GetProperty("matchedOn").EnumerateArray().Select(m => m.GetString()!)];

    private static JsonElement? Find(JsonElement[] duplicates, string idNumber) =>
        duplicates.Select(d => (JsonElement?)d).FirstOrDefault(d => d!.Value.GetProperty("idNumber").GetString() == idNumber);

    [Fact]
    public async Task A_spelling_variant_born_the_same_day_at_the_same_address_is_flagged_at_registration_and_found_from_either_side()
    {
        var born = new DateOnly(1980, 1, 1);
        var home = Home("7 Ubuntu Lane");
        var first = RegistryApiFactory.NewIdNumber(born).Value;
        var second = NumberNotNear(first, born);
        var stranger = RegistryApiFactory.NewIdNumber(born).Value;

        await RegisterAsync(first, born, "Thandiwe", "Nkosi", home);
        var flagged = await RegisterAsync(second, born, "Thandiwe", "Nkozi", Home("7 UBUNTU LN"));

        var match = Find(flagged, first);
        match.Should().NotBeNull("Nkozi is Nkosi spelt otherwise, born the same day at the same address");
        MatchedOn(match!.Value).Should().Equal("name", "dateOfBirth", "address");
        match.Value.GetProperty("score").GetDouble().Should().BeGreaterThanOrEqualTo(0.85);
        match.Value.GetProperty("citizen").GetProperty("idNumber").GetString().Should().Be(first);

        var unrelated = await RegisterAsync(stranger, born, "Pieter", "Botha", home);
        Find(unrelated, first).Should().BeNull("the same birthday and address are not the same person");
        Find(unrelated, second).Should().BeNull();

        Find(await QueryAsync(first), second).Should().NotBeNull();
        var fromSecond = await QueryAsync(second);
        Find(fromSecond, first).Should().NotBeNull();
        Find(fromSecond, second).Should().BeNull("a person is not their own duplicate");
        Find(await QueryAsync(stranger), first).Should().BeNull();
    }

    [Fact]
    public async Task Two_records_told_apart_are_not_flagged_again_from_either_side_and_a_bad_finding_writes_nothing()
    {
        var born = new DateOnly(1981, 3, 3);
        var (first, second) = (RegistryApiFactory.NewIdNumber(born).Value, "");
        second = NumberNotNear(first, born);
        await RegisterAsync(first, born, "Lerato", "Mahlangu", Home("9 Protea Road"));
        Find(await RegisterAsync(second, born, "Lerato", "Mahlanghu", Home("9 Protea Rd")), first).Should().NotBeNull("flagged before anyone looked");

        async Task<JsonElement> TellApartAsync(string idNumber, string otherIdNumber, string reason = "Different mothers on the birth registrations") =>
            await _caseworker.MutateAsync("recordNotADuplicate", "RecordNotADuplicateInput", new { idNumber, otherIdNumber, reason });

        var before = await api.EventCountAsync();
        (await TellApartAsync(second, second)).ErrorCodes().Should().Equal("INVALID_INPUT");
        (await TellApartAsync(second, RegistryApiFactory.NewIdNumber(born).Value)).ErrorCodes().Should().Equal("NOT_FOUND");
        (await TellApartAsync(second, "810303123456")).ErrorCodes().Should().Equal("INVALID_ID_NUMBER");
        (await TellApartAsync(second, first, reason: "  ")).ErrorCodes().Should().Equal("REASON_REQUIRED");
        (await api.ClientFor("department:SASSA").GraphQLAsync("mutation($i: RecordNotADuplicateInput!) { recordNotADuplicate(input: $i) { version } }",
            new { i = new { idNumber = second, otherIdNumber = first, reason = "r" } })).TransportErrorCodes().Should().Contain("FORBIDDEN", "only caseworkers record findings");
        (await api.EventCountAsync()).Should().Be(before, "every refusal writes nothing");

        var told = await TellApartAsync(second, first);
        told.ErrorCodes().Should().BeEmpty();
        told.GetProperty("citizen").GetProperty("version").GetInt32().Should().Be(2);
        Find(await QueryAsync(first), second).Should().BeNull("the finding on the second record clears the pair from the first's side too");
        Find(await QueryAsync(second), first).Should().BeNull();
        (await TellApartAsync(first, second)).ErrorCodes().Should().Equal("NO_CHANGE");

        // The register-wide report scores the same way.
        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var day = await session.Query<Citizen>().Where(FindingDuplicates.BornOn(born)).ToListAsync();
        DuplicatesReport.Score(day, FindingDuplicates.DefaultThreshold).Should()
            .NotContain(p => (p.First.IdNumber == first && p.Second.IdNumber == second) || (p.First.IdNumber == second && p.Second.IdNumber == first));
    }

    [Fact]
    public async Task A_number_with_two_adjacent_digits_swapped_is_flagged_on_the_id_number()
    {
        var born = new DateOnly(1981, 2, 3);
        var original = SaIdNumber.Create(born, Sex.Female, Citizenship.Citizen, 1203);
        var swapped = SaIdNumber.Create(born, Sex.Female, Citizenship.Citizen, 1230);
        original.NearMisses(new DateOnly(2026, 1, 1)).Should().Contain(swapped, "the test's premise");

        await RegisterAsync(original.Value, born, "Lerato", "Dlamini", Home("3 Church Street"));
        var flagged = await RegisterAsync(swapped.Value, born, "Lerato", "Dlamini", Home("90 Main Road", "JHB", "Johannesburg", "GAUTENG"));

        var match = Find(flagged, original.Value);
        match.Should().NotBeNull();
        MatchedOn(match!.Value).Should().Contain(["idNumber", "name", "dateOfBirth"]).And.NotContain("address");
    }

    [Fact]
    public async Task The_read_is_for_caseworkers_access_logged_and_refuses_bad_or_unknown_numbers()
    {
        var born = new DateOnly(1982, 3, 4);
        var first = RegistryApiFactory.NewIdNumber(born).Value;
        var second = RegistryApiFactory.NewIdNumber(born).Value;
        await RegisterAsync(first, born, "Mohammed", "Essop", Home("11 Mosque Road", "ETH", "Durban", "KWAZULU_NATAL"));
        Find(await RegisterAsync(second, born, "Muhammad", "Essop", Home("11 Mosque Rd", "ETH", "Durban", "KWAZULU_NATAL")), first).Should().NotBeNull();

        (await api.ClientFor("department:SASSA").GraphQLAsync(Query, new { id = first })).TransportErrorCodes().Should().Equal("FORBIDDEN");
        (await _caseworker.GraphQLAsync(Query, new { id = "1234" })).TransportErrorCodes().Should().Equal("INVALID_ID_NUMBER");
        var unknown = RegistryApiFactory.NewIdNumber(new DateOnly(1911, 11, 11)).Value;
        (await _caseworker.GraphQLAsync(Query, new { id = unknown })).TransportErrorCodes().Should().Equal("NOT_FOUND");

        Find(await QueryAsync(first), second).Should().NotBeNull();
        var reads = (await _auditor.GraphQLAsync("query($id: String!) { audit { accessLog(idNumber: $id, first: 100) { edges { node { operation purpose } } } } }", new { id = second }))
            .Data("audit").GetProperty("accessLog").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToList();
        reads.Should().Contain(r => r.GetProperty("operation").GetString() == "possibleDuplicates" && r.GetProperty("purpose").GetString() == RegistryApiFactory.Purpose,
            "showing a possible duplicate shows that person");
    }

    [Fact]
    public async Task Candidates_are_found_by_index_never_by_a_scan()
    {
        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var person = SaIdNumber.Create(new DateOnly(1983, 5, 6), Sex.Female, Citizenship.Citizen, 4321);
        var address = new Address("5 Long Street", null, null, "Cape Town", "CPT", Province.WesternCape, "8001");
        var blocks = new[]
        {
            (RegistryDocuments.CitizenIdNumberIndex,
                session.Query<Citizen>().Where(FindingDuplicates.NumberedAnyOf([.. person.NearMisses(new DateOnly(2026, 1, 1)).Select(n => n.Value)])).ToCommand()),
            ("mt_doc_citizen_idx_date_of_birth", session.Query<Citizen>().Where(FindingDuplicates.BornOn(person.ImpliedDateOfBirth)).Take(400).ToCommand()),
            (RegistryDocuments.CitizenAddressLineIndex, session.Query<Citizen>().Where(FindingDuplicates.LivingAt(address)).Take(100).ToCommand()),
            // Narrowed to the birthday as well (the default threshold): either index serves it.
            ("Index Scan", session.Query<Citizen>().Where(FindingDuplicates.LivingAt(address)).Where(FindingDuplicates.BornOn(person.ImpliedDateOfBirth)).Take(100).ToCommand()),
            // The register-wide report's walk: the next date of birth, by keyset over the same index.
            ("mt_doc_citizen_idx_date_of_birth", DuplicatesReport.Read(session, person.ImpliedDateOfBirth).ToCommand()),
            ("mt_doc_citizen_idx_date_of_birth", DuplicatesReport.Read(session, null, person.ImpliedDateOfBirth).ToCommand()),
            ("mt_doc_citizen_idx_date_of_birth", DuplicatesReport.Read(session, null).ToCommand()),
        };

        await using var conn = new NpgsqlConnection(api.ConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        // A register's worth of people, with fresh statistics, in a transaction rolled back afterwards: on a table
        // this size the planner picks a scan unless an index serves the query.
        var citizens = api.Sql.Document<Citizen>();
        await new NpgsqlCommand($"""
            INSERT INTO {citizens} (id, data)
            SELECT gen_random_uuid(), jsonb_build_object('IdNumber', 'plan-' || g, 'Surname', 'Plan', 'DateOfBirth', (date '1930-01-01' + g % 30000)::text,
                'Address', jsonb_build_object('Line1', g || ' Plan Street', 'MunicipalityCode', 'P' || g % 250))
            FROM generate_series(1, 50000) g;
            ANALYZE {citizens};
            """, conn, tx).ExecuteNonQueryAsync();
        foreach (var (index, query) in blocks)
        {
            await using var explain = new NpgsqlCommand("EXPLAIN " + query.CommandText, conn, tx);
            foreach (NpgsqlParameter parameter in query.Parameters) explain.Parameters.Add(parameter.Clone());
            var plan = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync())
                while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
            string.Join("\n", plan).Should().Contain(index).And.NotContain("Seq Scan", query.CommandText + "\n" + string.Join("\n", plan));
        }
        await tx.RollbackAsync();
    }
}
