using Marten;
using Microsoft.Extensions.DependencyInjection;
using Registry.Api.Import;
using Registry.Domain.Common;

namespace Registry.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class ImportTests(RegistryApiFactory api)
{
    private static string Id(int y, int m, int d, Sex sex = Sex.Female) => RegistryApiFactory.NewIdNumber(new DateOnly(y, m, d), sex).Value;

    [Fact]
    public async Task An_import_takes_the_good_rows_reports_each_bad_one_and_a_second_run_imports_nothing_twice()
    {
        var (head, child, duplicate, twinHeadA, twinHeadB) = (Id(1970, 1, 1), Id(2015, 2, 2), Id(1980, 3, 3), Id(1975, 4, 4), Id(1976, 5, 5));
        var csv = string.Join('\n',
            string.Join(',', LegacyRegister.Columns),
            $"{head},Nomsa,Zwane,1970-01-01,FEMALE,CITIZEN,1 Oak St,Brits,NW372,NorthWest,0250,A1,HEAD,2500",
            $"{child},Themba,Zwane,2015-02-02,FEMALE,CITIZEN,1 Oak St,Brits,NW372,NorthWest,0250,A1,CHILD,",
            $"1234567890123,Bad,Number,1970-01-01,FEMALE,CITIZEN,1 Oak St,Brits,NW372,NorthWest,0250,A1,OTHER_RELATIVE,",
            $"{duplicate},Lindi,Mabena,1980-03-03,FEMALE,CITIZEN,2 Elm St,Paarl,WC023,WesternCape,7646,A2,HEAD,0",
            $"{duplicate},Lindi,Mabena,1980-03-03,FEMALE,CITIZEN,2 Elm St,Paarl,WC023,WesternCape,7646,A2,SPOUSE,0",
            $"{Id(1981, 6, 6)},Mpho,Dube,1981-06-06,FEMALE,CITIZEN,3 Ash St,Nowhere,ZZ999,Gauteng,2001,A3,HEAD,0",
            $"{twinHeadA},Ann,Two,1975-04-04,FEMALE,CITIZEN,4 Fig St,Pretoria,TSH,Gauteng,0002,A4,HEAD,0",
            $"{twinHeadB},Bea,Two,1976-05-05,FEMALE,CITIZEN,4 Fig St,Pretoria,TSH,Gauteng,0002,A4,HEAD,0",
            "too,few,columns",
            $"{Id(1990, 7, 7)},\"Unclosed,Quote,1990-07-07,FEMALE,CITIZEN,5 St,Pretoria,TSH,Gauteng,0002,A5,HEAD,0");
        var store = api.Services.GetRequiredService<IDocumentStore>();
        var before = await api.EventCountAsync();

        var first = await LegacyRegister.ImportAsync(new StringReader(csv), store, TimeProvider.System, null, CancellationToken.None);

        first.Imported.Should().Be(3, "the Zwane household and Lindi Mabena");
        first.Households.Should().Be(2);
        first.Rejects.Select(r => (r.Row, r.Code)).Should().BeEquivalentTo(new[]
        {
            (4L, "INVALID_ID_NUMBER"), (6L, "DUPLICATE_IN_FILE"), (7L, "UNKNOWN_MUNICIPALITY"),
            (8L, "IMPOSSIBLE_RELATIONSHIP"), (9L, "IMPOSSIBLE_RELATIONSHIP"), (10L, "MALFORMED_ROW"), (11L, "MALFORMED_ROW"),
        });
        (await api.ClientFor("caseworker").CitizenAsync(child)).GetProperty("household").GetProperty("id").GetString().Should().NotBeNullOrEmpty();
        var written = await api.EventCountAsync() - before;

        var second = await LegacyRegister.ImportAsync(new StringReader(csv), store, TimeProvider.System, null, CancellationToken.None);
        second.Imported.Should().Be(0);
        second.Skipped.Should().Be(3);
        (await api.EventCountAsync()).Should().Be(before + written, "a second run writes nothing");
    }

    [Theory]
    [InlineData("")]
    [InlineData("name,surname\nThabo,Mokoena\n")]
    public async Task The_import_verb_answers_a_file_that_is_no_register_export_with_one_line_and_exit_code_2(string content)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, content);
        var before = await api.EventCountAsync();
        var error = new StringWriter();
        var standardError = Console.Error;
        Console.SetError(error);
        try
        {
            (await api.CommandLine().RunAsync("import", file, "--no-catch-up")).Should().Be(2);
        }
        finally
        {
            Console.SetError(standardError);
            File.Delete(file);
            File.Delete(Path.ChangeExtension(file, ".rejects.csv"));
        }
        error.ToString().Should().Contain("The file needs a header with the columns").And.NotContain("   at ", "no stack trace");
        (await api.EventCountAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("--duplicates")]
    [InlineData("--rejects")]
    public async Task An_output_file_the_import_cannot_create_refuses_it_in_one_line_before_anything_is_written(string flag)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, string.Join('\n', string.Join(',', LegacyRegister.Columns),
            $"{Id(1972, 2, 2)},Lindiwe,{Caseworker.UniqueSurname("Zulu")},1972-02-02,FEMALE,CITIZEN,4 Oak St,Durban,ETH,KwaZulu-Natal,4001,D1,HEAD,0"));
        var unwritable = Path.Combine(Path.GetTempPath(), $"no-such-folder-{Guid.NewGuid():N}", "out.csv");
        var before = await api.EventCountAsync();
        var error = new StringWriter();
        var standardError = Console.Error;
        Console.SetError(error);
        try
        {
            (await api.CommandLine().RunAsync("import", file, "--no-catch-up", flag, unwritable)).Should().Be(2);
        }
        finally
        {
            Console.SetError(standardError);
            File.Delete(file);
            File.Delete(Path.ChangeExtension(file, ".rejects.csv"));
        }
        error.ToString().Should().Contain("import: cannot create the output file").And.NotContain("   at ", "no stack trace");
        (await api.EventCountAsync()).Should().Be(before, "the file is refused before the first household");
    }

    [Fact]
    public async Task An_import_flags_a_person_already_registered_under_another_number_and_lists_the_pair_in_an_owner_only_file()
    {
        var surname = Caseworker.UniqueSurname("Khumalo");
        var born = new DateOnly(1966, 6, 16);
        var address = new { line1 = "17 Vilakazi Street", city = "Soweto", municipalityCode = "JHB", province = "GAUTENG", postalCode = "1804" };
        var registered = await api.ClientFor("caseworker").RegisterAsync(born, surname: surname, address: address);
        var (again, stranger) = (Id(1966, 6, 16), Id(1991, 9, 9));
        var file = Path.GetTempFileName();
        var pairs = Path.Combine(Path.GetTempPath(), $"pairs-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, string.Join('\n',
            string.Join(',', LegacyRegister.Columns),
            // The same person, the surname spelt without its h, under a number of their own.
            $"{again},Naledi,{surname.Replace("Kh", "K")},1966-06-16,FEMALE,CITIZEN,17 Vilakazi Street,Soweto,JHB,Gauteng,1804,D1,HEAD,0",
            $"{stranger},Sipho,{Caseworker.UniqueSurname("Dlamini")},1991-09-09,FEMALE,CITIZEN,3 Ash St,Soweto,JHB,Gauteng,1804,D2,HEAD,0"));
        var output = new StringWriter();
        var standardOutput = Console.Out;
        Console.SetOut(output);
        try
        {
            (await api.CommandLine().RunAsync("import", file, "--no-catch-up", "--duplicates", pairs)).Should().Be(0);
        }
        finally
        {
            Console.SetOut(standardOutput);
            File.Delete(file);
            File.Delete(Path.ChangeExtension(file, ".rejects.csv"));
        }
        try
        {
            output.ToString().Should().Contain("2 citizens imported").And.Contain("1 probable duplicate pairs involve imported people")
                .And.NotContain(again, "the console has counts; the ID numbers go to the file only");
            var lines = await File.ReadAllLinesAsync(pairs);
            lines.Should().HaveCount(2);
            lines[1].Split(',')[..2].Should().BeEquivalentTo([registered, again]);
            lines[1].Split(',')[3].Should().Contain("name").And.Contain("dateOfBirth").And.Contain("address");
            if (!OperatingSystem.IsWindows())
                File.GetUnixFileMode(pairs).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "the file holds ID numbers");
            (await api.ClientFor("caseworker").CitizenAsync(again)).GetProperty("idNumber").GetString().Should().Be(again, "flagged, not refused");
        }
        finally
        {
            File.Delete(pairs);
        }
    }

    [Fact]
    public async Task A_generated_register_imports_whole_and_valid()
    {
        var file = new StringWriter();
        var rows = await LegacyRegister.GenerateAsync(file, 40, DateOnly.FromDateTime(DateTime.UtcNow));
        rows.Should().Be(40);

        // Generated ID numbers are the seed plan's; skip anyone an earlier test already holds.
        var summary = await LegacyRegister.ImportAsync(new StringReader(file.ToString()), api.Services.GetRequiredService<IDocumentStore>(),
            TimeProvider.System, null, CancellationToken.None);
        summary.Rows.Should().Be(40);
        summary.Rejects.Where(r => r.Code != "IMPOSSIBLE_RELATIONSHIP").Should().BeEmpty();
        (summary.Imported + summary.Skipped + summary.Rejected).Should().Be(40);
    }

    [Fact]
    public async Task A_broken_line_in_the_middle_costs_only_its_own_row_and_the_disability_column_is_read()
    {
        var (head, wrongQuote, disabled, temporary, badDisability) = (Id(1961, 1, 9), Id(1962, 2, 9), Id(1963, 3, 9), Id(2010, 4, 9), Id(1964, 5, 9, Sex.Male));
        var header = string.Join(',', [.. LegacyRegister.Columns, .. LegacyRegister.OptionalColumns]);
        var csv = string.Join('\n',
            header,
            $"{head},Zodwa,Gumede,1961-01-09,FEMALE,CITIZEN,9 Kerk Street,Mbombela,MP326,Mpumalanga,1200,B1,HEAD,0,",
            $"{Id(1990, 7, 9)},\"Open,Quote,1990-07-09,FEMALE,CITIZEN,5 St,Pretoria,TSH,Gauteng,0002,B2,HEAD,0,",
            $"{wrongQuote},Nan\"di,Xaba,1962-02-09,FEMALE,CITIZEN,5 St,Pretoria,TSH,Gauteng,0002,B3,HEAD,0,",
            $"{disabled},Puleng,Moloi,1963-03-09,FEMALE,CITIZEN,7 Station Road,Welkom,FS184,FreeState,9459,B4,HEAD,1200,PERMANENT",
            $"{temporary},Lesedi,Moloi,2010-04-09,FEMALE,CITIZEN,7 Station Road,Welkom,FS184,FreeState,9459,B4,CHILD,,temporary",
            $"{badDisability},Tumelo,Moloi,1964-05-09,MALE,CITIZEN,7 Station Road,Welkom,FS184,FreeState,9459,B4,SPOUSE,0,SOMETIMES");
        var store = api.Services.GetRequiredService<IDocumentStore>();
        var reported = new List<LegacyRegister.Reject>();

        var summary = await LegacyRegister.ImportAsync(new StringReader(csv), store, TimeProvider.System, null, CancellationToken.None, onReject: reported.Add);

        summary.Rows.Should().Be(6);
        summary.Imported.Should().Be(3, "Zodwa Gumede and the two Molois after the broken lines");
        summary.Rejects.Select(r => (r.Row, r.Code)).Should().BeEquivalentTo(new[] { (3L, "MALFORMED_ROW"), (4L, "MALFORMED_ROW"), (7L, "INVALID_INPUT") });
        reported.Should().BeEquivalentTo(summary.Rejects, "the reject report receives every reject as it is found");
        summary.Rejected.Should().Be(3);
        await using var session = store.QuerySession();
        var people = await session.Query<Registry.Domain.Citizens.Citizen>().Where(c => c.IdNumber.IsOneOf(disabled, temporary, head)).ToListAsync();
        people.Single(c => c.IdNumber == disabled).Disability.Should().BeEquivalentTo(new { Disabled = true, Permanent = true });
        people.Single(c => c.IdNumber == temporary).Disability.Should().BeEquivalentTo(new { Disabled = true, Permanent = false });
        people.Single(c => c.IdNumber == head).Disability.Should().BeNull();
    }

    [Fact]
    public void Generate_gives_the_same_file_for_the_same_seed_with_valid_plausible_rows()
    {
        var today = new DateOnly(2026, 4, 1);
        var first = new StringWriter();
        var again = new StringWriter();
        SyntheticRegister.Generate(first, 5_000, today).Should().Be(5_000);
        SyntheticRegister.Generate(again, 5_000, today);
        again.ToString().Should().Be(first.ToString());
        var other = new StringWriter();
        SyntheticRegister.Generate(other, 5_000, today, seed: 7);
        other.ToString().Should().NotBe(first.ToString());

        var lines = first.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be(string.Join(',', [.. LegacyRegister.Columns, .. LegacyRegister.OptionalColumns]));
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        rows.Should().HaveCount(5_000).And.OnlyContain(r => r.Length == 15);
        rows.Select(r => r[0]).Should().OnlyHaveUniqueItems();
        rows.Where(r => !Registry.Domain.Citizens.SaIdNumber.TryParse(r[0], today, out _, out _)).Should().BeEmpty("every ID number passes the register's checks");
        rows.Should().OnlyContain(r => Municipalities.Find(r[8]) != null && Municipalities.Find(r[8])!.Province.ToString() == r[9]);
        rows.Select(r => r[9]).Distinct().Should().HaveCount(9, "people live in all nine provinces");
        var households = rows.GroupBy(r => r[11]).ToList();
        households.Should().OnlyContain(h => h.Count(r => r[12] == "HEAD") == 1 && h.First()[12] == "HEAD");
        households.Average(h => h.Count()).Should().BeInRange(2.8, 3.8, "South African households average about three and a half people");
        var share = (Func<string[], bool> pick) => rows.Count(pick) / (double)rows.Count;
        share(r => r[14] != "").Should().BeInRange(0.04, 0.12, "a disability in roughly one in thirteen");
        share(r => r[5] == "PERMANENT_RESIDENT").Should().BeInRange(0.01, 0.07);
        share(r => r[13] == "").Should().BeInRange(0.25, 0.45, "children carry no income");
        rows.Where(r => r[13] != "").Count(r => r[13] == "0").Should().BeGreaterThan(rows.Count(r => r[13] != "") / 5, "many adults have no income");
    }
}
