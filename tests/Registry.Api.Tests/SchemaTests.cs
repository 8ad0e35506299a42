using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Registry.Api.Tests;

/// <summary>
/// The store's schema is a setting: a register configured with another one works end to end, and no raw SQL
/// anywhere names the default schema instead of asking <see cref="RegistrySql"/>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SchemaTests(RegistryApiFactory api)
{
    private const string OtherSchema = "register_other";

    [Fact]
    public async Task A_register_in_another_schema_registers_decides_counts_and_verifies()
    {
        await using var register = await IsolatedRegistryFactory.StartAsync(api, schema: OtherSchema);
        register.Sql.Schema.Should().Be(OtherSchema);
        HttpClient Client(string role)
        {
            var client = register.ClientFor(api.Token(role));
            client.DefaultRequestHeaders.Add("X-Purpose", RegistryApiFactory.Purpose);
            return client;
        }
        var caseworker = Client("caseworker");
        var mother = await caseworker.RegisterAsync(new DateOnly(1990, 3, 3));
        var child = await caseworker.RegisterAsync(DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-4));
        var household = (await caseworker.FormHouseholdAsync(mother)).GetProperty("household").GetProperty("id").GetString()!;
        (await caseworker.AddMemberAsync(household, child)).ErrorCodes().Should().BeEmpty();
        (await caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = mother, monthlyIncome = 1500m, source = "OTHER" }))
            .ErrorCodes().Should().BeEmpty();

        // The eligibility facts, the statistics and the history are raw SQL: all of it in the configured schema.
        var decision = (await caseworker.GraphQLAsync("query($id: String!) { eligibility(idNumber: $id, programme: CHILD_SUPPORT_GRANT) { eligible error { code } } }", new { id = child }))
            .Data("eligibility");
        decision.GetProperty("eligible").GetBoolean().Should().BeTrue();
        (await caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput",
            new { programme = "CHILD_SUPPORT_GRANT", beneficiaryIdNumber = child, applicantIdNumber = mother }, "entitlement { id status } errors { code }"))
            .ErrorCodes().Should().BeEmpty();
        var statistics = (await caseworker.GraphQLAsync(
                "{ statistics { population(groupBy: AGE_BAND) { key } beneficiaries(groupBy: PROVINCE) { key } } }"))
            .Data("statistics");
        statistics.GetProperty("population").EnumerateArray().Select(c => c.GetProperty("key").GetString()).Should().Contain(["0-17", "35-59"]);
        statistics.GetProperty("beneficiaries").EnumerateArray().Select(c => c.GetProperty("key").GetString()).Should().Contain("WESTERN_CAPE");
        var history = (await Client("auditor").GraphQLAsync(
                "query($id: String!) { audit { history(idNumber: $id) { edges { node { hash } } } } }", new { id = mother }))
            .Data("audit").GetProperty("history").GetProperty("edges");
        history.GetArrayLength().Should().BeGreaterThan(0);

        // The verbs: the chain and the checkpoints, and a rebuild into a scratch schema beside this one.
        await Checkpoints.SealUpToAsync(register.Services, await LatestSequenceAsync(register));
        (await register.CommandLine().RunAsync("verify")).Should().Be(0);
        (await register.CommandLine().RunAsync("verify-projections")).Should().Be(0);

        await using var conn = new NpgsqlConnection(register.ConnectionString);
        await conn.OpenAsync();
        (await new NpgsqlCommand($"SELECT to_regclass('{RegistrySql.DefaultSchema}.mt_events') IS NULL", conn).ExecuteScalarAsync())
            .Should().Be(true, "nothing of the register is in the default schema");
    }

    private static async Task<long> LatestSequenceAsync(IsolatedRegistryFactory register)
    {
        await using var session = register.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.AdvancedSql.QueryAsync<long>(register.Sql.LatestSequence, CancellationToken.None))[0];
    }

    [Fact]
    public void Document_tables_are_named_as_Marten_names_them()
    {
        var store = api.Services.GetRequiredService<IDocumentStore>();
        var documents = store.Options.AllKnownDocumentTypes();
        documents.Should().NotBeEmpty();
        foreach (var document in documents)
            api.Sql.Document(document.DocumentType).Should().Be(document.TableName.QualifiedName, document.DocumentType.Name);
    }

    [Fact]
    public void A_schema_name_is_a_plain_identifier()
    {
        var quoted = () => RegistrySql.For("registry; DROP TABLE x");
        quoted.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void No_code_or_script_names_the_default_schema_in_raw_SQL()
    {
        // Spelt in two parts, so this file does not find itself.
        var literal = RegistrySql.DefaultSchema + ".mt_";
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Registry.sln"))) root = root.Parent;
        root.Should().NotBeNull("the tests run inside the repository");
        var sqlPlace = Path.Combine(root!.FullName, "Registry.Projections", "Sql", "RegistrySql.cs");
        var offenders = new[] { "*.cs", "*.sh" }
            .SelectMany(pattern => Directory.EnumerateFiles(root.FullName, pattern, SearchOption.AllDirectories))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git") && f != sqlPlace)
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Where(x => x.line.Contains(literal, StringComparison.OrdinalIgnoreCase))
            .Select(x => $"{Path.GetRelativePath(root.FullName, x.f)}:{x.i + 1}")
            .ToList();
        offenders.Should().BeEmpty("raw SQL names tables through RegistrySql (or REGISTRY_SCHEMA in scripts)");
    }
}
