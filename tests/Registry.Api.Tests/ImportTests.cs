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
        (summary.Imported + summary.Skipped + summary.Rejects.Count).Should().Be(40);
    }
}
