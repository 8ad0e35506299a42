using System.Text.Json;
using Registry.Api.Import;

namespace Registry.Api.Tests;

/// <summary>The binary's command line as operators and scripts use it: one listing, data for scripts, one line for a mistake.</summary>
[Collection(ApiCollection.Name)]
public sealed class CommandLineTests(RegistryApiFactory api)
{
    [Fact]
    public async Task Help_lists_the_registers_verbs_with_Martens_and_Wolverines_commands_and_nothing_else_first()
    {
        var (exitCode, output, _) = await ApiProcess.RunAsync(new Dictionary<string, string>(), "help");

        exitCode.Should().Be(0);
        output.Should().NotContain("Searching", "a verb's output is the verb's, not the command discovery's");
        foreach (var verb in new[] { "serve", "seed", "token", "verify", "rebuild", "verify-projections", "generate", "import", "export", "verify-export", "export-simulation", "rewrap-keys", "witness", "verify-receipt", "duplicates",
                                     "db-apply", "db-assert", "projections", "codegen", "resources", "describe" })
            output.Should().MatchRegex($@"(?m)^\s+{System.Text.RegularExpressions.Regex.Escape(verb)}\s", $"`{verb}` is a command of the binary");
    }

    [Fact]
    public async Task A_missing_setting_for_Martens_own_commands_is_one_line_and_exit_code_2_not_a_stack_trace()
    {
        var (exitCode, output, error) = await ApiProcess.RunAsync(new Dictionary<string, string>(), "db-assert");

        exitCode.Should().Be(2);
        error.Trim().Should().Be("Set ConnectionStrings__Registry to a PostgreSQL connection string (./start.sh does this for you).");
        (output + error).Should().NotContain(" at ");
    }

    [Fact]
    public async Task The_handlers_pre_generated_code_is_what_codegen_writes_today()
    {
        // Stale generated code would run yesterday's handler wiring; the fix is scripts/codegen.sh.
        var written = Directory.CreateTempSubdirectory("registry-codegen-").FullName;
        try
        {
            (await api.CommandLine(("Registry:GeneratedCodePath", written)).RunAsync("codegen", "write")).Should().Be(0);

            var compiledIn = Path.Combine(ApiProcess.Service().Project, "Internal", "Generated");
            var expected = Files(written);
            expected.Keys.Should().Contain(k => k.Contains("DeclareIncomeHandler"), "every command has its handler's code");
            Files(compiledIn).Should().BeEquivalentTo(expected, "run scripts/codegen.sh and commit Registry.Api/Internal/Generated");
        }
        finally
        {
            Directory.Delete(written, recursive: true);
        }
    }

    [Fact]
    public async Task Import_with_json_prints_its_figures_as_one_object_for_scripts()
    {
        var database = $"registry_cli_{Guid.NewGuid():N}";
        await RegistryApiFactory.CreateDatabaseAsync(api.ServerConnectionString, database);
        var file = Path.GetTempFileName();
        try
        {
            await using (var writer = new StreamWriter(file)) await LegacyRegister.GenerateAsync(writer, 30, DateOnly.FromDateTime(DateTime.UtcNow));
            var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(api.ServerConnectionString) { Database = database }.ConnectionString;

            var (exitCode, output, error) = await ApiProcess.RunAsync(ApiProcess.EnvironmentFor(connectionString), "import", file, "--no-catch-up", "--json");

            exitCode.Should().Be(0, error);
            using var figures = JsonDocument.Parse(output);
            figures.RootElement.GetProperty("rows").GetInt64().Should().Be(30);
            (figures.RootElement.GetProperty("imported").GetInt64() + figures.RootElement.GetProperty("rejected").GetInt64()).Should().Be(30);
            figures.RootElement.GetProperty("events").GetInt64().Should().BeGreaterThan(figures.RootElement.GetProperty("imported").GetInt64());
            error.Should().Contain("rows in", "the sentences still go to the operator, on standard error");

            // Log lines (the service's warnings among them) go to standard error too: standard output stays one object.
            var rebuilt = await ApiProcess.RunAsync(ApiProcess.EnvironmentFor(connectionString), "rebuild", "--json");
            rebuilt.ExitCode.Should().Be(0, rebuilt.Error);
            using var rebuild = JsonDocument.Parse(rebuilt.Output);
            rebuild.RootElement.GetProperty("events").GetInt64().Should().BeGreaterThanOrEqualTo(figures.RootElement.GetProperty("events").GetInt64(), "the import's events and the programmes' own");
            rebuild.RootElement.GetProperty("eventsPerSecond").GetDouble().Should().BePositive();
        }
        finally
        {
            File.Delete(file);
            File.Delete(Path.ChangeExtension(file, ".rejects.csv"));
            await RegistryApiFactory.DropDatabaseAsync(api.ServerConnectionString, database);
        }
    }

    private static Dictionary<string, string> Files(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllText);
}
