using System.Text.RegularExpressions;
using Npgsql;

namespace Registry.Api.Tests;

/// <summary>What the register writes to its logs when requests fail: ids, codes and types, never a person's data.</summary>
[Collection(ApiCollection.Name)]
public sealed class LogPrivacyTests(RegistryApiFactory api)
{
    [Fact]
    public async Task Failing_requests_leave_no_personal_data_in_any_log_line_of_any_library_at_any_level()
    {
        var logs = new CapturedLogs();
        // An operator who asks Npgsql for PostgreSQL's error detail (it quotes the duplicate ID number) does not get it.
        // A lock timeout, as an operator may set one, gives the unhandled error below.
        await using var host = api.InProduction(logs, ("ConnectionStrings:Registry", api.ConnectionString + ";Include Error Detail=true;Options=-c lock_timeout=2000"));
        var caseworker = host.ClientFor(api, "caseworker");
        var born = new DateOnly(1983, 4, 27);
        var idNumber = RegistryApiFactory.NewIdNumber(born).Value;
        var surname = Caseworker.UniqueSurname("Qwabe");
        const string firstNames = "Zanelethu";
        const string street = "41 Umnyezane Crescent";
        var address = new { line1 = street, city = "Cape Town", municipalityCode = "CPT", province = "WESTERN_CAPE", postalCode = "8001" };
        object Registration(string id, DateOnly date) => new { input = Caseworker.RegisterInput(id, date, firstNames: firstNames, surname: surname, address: address) };

        (await caseworker.GraphQLAsync(Caseworker.RegisterMutation, Registration(idNumber, born))).Data("registerCitizen").ErrorCodes().Should().BeEmpty();
        var before = await api.EventCountAsync();
        // A duplicate ID number: the unique index refuses it.
        (await caseworker.GraphQLAsync(Caseworker.RegisterMutation, Registration(idNumber, born))).Data("registerCitizen").ErrorCodes().Should().Equal("DUPLICATE_ID_NUMBER");
        // Stale versions on a disability assessment and an income declaration.
        (await caseworker.MutateAsync("recordDisabilityAssessment", "RecordDisabilityAssessmentInput",
            new { idNumber, disabled = true, permanent = true, expectedVersion = 7 })).ErrorCodes().Should().Equal("STALE_VERSION");
        (await caseworker.MutateAsync("declareIncome", "DeclareIncomeInput",
            new { idNumber, monthlyIncome = 12345.67m, source = "EMPLOYMENT", expectedVersion = 7 })).ErrorCodes().Should().Equal("STALE_VERSION");
        (await api.EventCountAsync()).Should().Be(before, "refused commands write nothing");

        // Four registrations of one new ID number at once: one wins, the others lose in the store.
        var racedBorn = new DateOnly(1991, 11, 3);
        var racedId = RegistryApiFactory.NewIdNumber(racedBorn).Value;
        var raced = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => caseworker.GraphQLAsync(Caseworker.RegisterMutation, Registration(racedId, racedBorn))));
        raced.Select(r => r.Data("registerCitizen").ErrorCodes()).Where(c => c.Length == 0).Should().ContainSingle();

        // An error no resolver expects: another session holds the citizens' table (as a schema change would), and the
        // search for the surname gives up when the lock timeout passes.
        await using (var holder = new NpgsqlConnection(api.ConnectionString))
        {
            await holder.OpenAsync();
            await using var hold = await holder.BeginTransactionAsync();
            await new NpgsqlCommand($"LOCK TABLE {api.Sql.Citizens} IN ACCESS EXCLUSIVE MODE", holder, hold).ExecuteNonQueryAsync();
            var unhandled = await caseworker.GraphQLAsync("query($s: String!) { citizens(filter: { surname: $s }) { totalCount } }", new { s = surname });
            unhandled.TransportErrorCodes().Should().Equal("INTERNAL_ERROR");
        }

        var lines = logs.Lines;
        lines.Should().Contain(l => l.Category == "Registry.Api.Citizens.RegisterCitizen" && l.Text.Contains("Invocation of RegisterCitizen"),
            "the capture must see Wolverine's failure lines, or this test proves nothing");
        lines.Where(l => l.Category == "Registry.GraphQL").Select(l => l.Text).Should().Contain(t => t.Contains("Unhandled error in citizens") && t.Contains("55P03"),
            "the unhandled error is logged, by type and SQLSTATE (lock_not_available)");
        var personal = new Regex($"{idNumber}|{racedId}|{firstNames}|{surname}|Umnyezane|12345[.,]67|Disabled\\W{{1,4}}(True|true)|Permanent\\W{{1,4}}(True|true)");
        lines.Where(l => personal.IsMatch(l.Text)).Select(l => $"[{l.Category}] {l.Text}").Should().BeEmpty();
    }
}
