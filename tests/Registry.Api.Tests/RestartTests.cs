using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Registry.Domain.Citizens;
using Registry.Domain.Entitlements;
using Registry.Domain.Households;
using Registry.Domain.Notices;
using Registry.Domain.Programmes;
using Registry.Projections.Households;
using Registry.Projections.Municipalities;
using Registry.Projections.SocialDevelopment;

namespace Registry.Api.Tests;

/// <summary>Re-evaluation lives in durable queues: killing the service half-way loses nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class RestartTests(RegistryApiFactory api)
{
    // The service these tests start as a process, on a database of its own, keeps the default schema.
    private static readonly RegistrySql Sql = RegistrySql.For(RegistrySql.DefaultSchema);

    [Fact]
    public async Task A_kill_9_in_the_middle_of_a_re_evaluation_loses_nothing_and_repeats_nothing()
    {
        await api.OnOwnDatabaseAsync("restart", async connection =>
        {
            const int pensioners = 150;
            var reassessed = $"SELECT count(*) FROM {Sql.Entitlements} WHERE (data ->> 'MonthlyAmount')::numeric = 2500";
            // The first service is a real process, so it can die the hard way. Batches of 10 re-assessments,
            // so the kill falls between committed batches and queued ones.
            using var first = await ApiProcess.StartAsync(connection, new Dictionary<string, string> { ["Registry__ReassessmentPageSize"] = "50", ["Registry__ReassessmentBatchSize"] = "10" });
            var caseworker = first.ClientFor(api.Token("caseworker"));
            for (var i = 0; i < pensioners; i++)
            {
                var id = await caseworker.RegisterAsync(new DateOnly(1940 + i % 20, 1 + i % 12, 1 + i % 28));
                (await caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput",
                    new { programme = "OLDER_PERSONS_GRANT", beneficiaryIdNumber = id }, "entitlement { id status } errors { code }"))
                    .GetProperty("entitlement").GetProperty("status").GetString().Should().Be("ACTIVE");
            }

            var today = DateTime.UtcNow.AddHours(2).ToString("yyyy-MM-dd");
            (await first.ClientFor(api.Token("admin")).GraphQLAsync("mutation($i: PublishProgrammeParametersInput!) { publishProgrammeParameters(input: $i) { errors { code } } }", new
            {
                i = new
                {
                    programme = "OLDER_PERSONS_GRANT", effectiveFrom = today, legalReference = "Gazette restart test",
                    parametersJson = """{"minAge": 60, "monthlyAmount": 2500, "higherAmountAge": 75, "monthlyAmountHigherAge": 2500, "incomeCeilingSingleAnnual": 96840, "incomeCeilingMarriedAnnual": 193680}""",
                },
            })).Data("publishProgrammeParameters").ErrorCodes().Should().BeEmpty();

            // kill -9 as soon as the first batch is committed: the rest are queued or in flight.
            // Under a loaded machine the first batch can take a while to start: wait for it up to a minute.
            long doneBeforeKill = 0;
            for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(60) && doneBeforeKill == 0;)
            {
                await Task.Delay(5);
                doneBeforeKill = await CountAsync(connection, reassessed);
            }
            first.Kill();
            doneBeforeKill = await CountAsync(connection, reassessed);
            doneBeforeKill.Should().BeInRange(1, pensioners - 1, "the kill should come in the middle of the re-evaluation");

            var second = api.AnotherHost(("ConnectionStrings:Registry", connection));
            _ = second.Server;
            long done = 0;
            for (var attempt = 0; attempt < 150 && done < pensioners; attempt++)
            {
                await Task.Delay(200);
                done = await CountAsync(connection, $"SELECT count(*) FROM {Sql.Entitlements} WHERE (data ->> 'MonthlyAmount')::numeric = 2500");
            }

            done.Should().Be(pensioners, $"{doneBeforeKill} were re-assessed before the kill and the rest after the restart");
            (await CountAsync(connection, $"SELECT count(*) FROM {Sql.Events} WHERE type = 'entitlement_reassessed'"))
                .Should().Be(pensioners, "each entitlement is re-assessed once for one publication");

            // SASSA's feed, written by the notice writer on whichever process ran it: every pensioner's notices once each,
            // in order (granted; the publication moved the amount they qualify for; the grant pays it), whatever the kill cut.
            await Marten.Events.TestingExtensions.WaitForNonStaleProjectionDataAsync(second.Services.GetRequiredService<Marten.IDocumentStore>(), TimeSpan.FromSeconds(60));
            var perPerson = await NoticeKindsPerPersonAsync(connection);
            perPerson.Should().HaveCount(pensioners);
            perPerson.Values.Should().OnlyContain(kinds => kinds == "EntitlementStatusChanged,EligibilityChanged,EntitlementStatusChanged",
                "{0} were re-assessed before the kill", doneBeforeKill);

            // Everything written here, by requests, start-up publication and background re-evaluation, is sealed,
            // in its stream's chain and, once the checkpoint writer has run, in a signed checkpoint.
            await Checkpoints.SealUpToAsync(second.Services, await CountAsync(connection, $"SELECT max(seq_id) FROM {Sql.Events}"));
            var auditor = second.CreateClient();
            auditor.DefaultRequestHeaders.Authorization = new("Bearer", api.Token("auditor"));
            var integrity = (await auditor.GraphQLAsync("{ audit { verifyIntegrity { intact eventsChecked } } }")).Data("audit").GetProperty("verifyIntegrity");
            integrity.GetProperty("intact").GetBoolean().Should().BeTrue();
            integrity.GetProperty("eventsChecked").GetInt32().Should().BeGreaterThan(pensioners * 4);
            await second.DisposeAsync();

            // Rebuilding every read model from the events gives back exactly the live documents.
            var live = await ReadModelsAsync(connection);
            (await api.CommandLine(("ConnectionStrings:Registry", connection)).RunAsync("rebuild")).Should().Be(0);
            var rebuilt = await ReadModelsAsync(connection);
            rebuilt.Should().HaveCount(live.Count).And.Equal(live);
            (await NoticeKindsPerPersonAsync(connection)).Should().BeEquivalentTo(perPerson, "a rebuild does not rewrite the notices consumers keep positions in");

            // verify-projections: a rebuild into a scratch schema matches the live read models, until one is altered.
            // The register's keys, as the verb has them.
            var configuration = api.ConfigurationWith(("ConnectionStrings:Registry", connection));
            (await Registry.Api.Audit.ProjectionVerification.RunAsync(connection, configuration, null, CancellationToken.None)).Differences.Should().BeEmpty();
            await using (var conn = new NpgsqlConnection(connection))
            {
                await conn.OpenAsync();
                await new NpgsqlCommand($"UPDATE {Sql.Citizens} SET data = jsonb_set(data, '{{Surname}}', '\"Altered\"') WHERE id = (SELECT id FROM {Sql.Citizens} ORDER BY id LIMIT 1)", conn).ExecuteNonQueryAsync();
            }
            var differences = (await Registry.Api.Audit.ProjectionVerification.RunAsync(connection, configuration, null, CancellationToken.None)).Differences;
            differences.Should().ContainSingle().Which.Should().StartWith("citizen ").And.EndWith(": differs");
        });
    }

    [Fact]
    public async Task A_kill_9_in_the_middle_of_a_policy_simulation_counts_every_person_once()
    {
        await api.OnOwnDatabaseAsync("simkill", async connection =>
        {
            const int people = 80;
            // Pages of two people, so the kill falls between committed pages and the next one.
            var settings = new Dictionary<string, string> { ["Registry__SimulationPageSize"] = "2" };
            using var first = await ApiProcess.StartAsync(connection, settings);
            var caseworker = first.ClientFor(api.Token("caseworker"));
            for (var i = 0; i < people; i++)
            {
                var id = await caseworker.RegisterAsync(new DateOnly(1980 + i % 20, 1 + i % 12, 1 + i % 28));
                // Every other person earns R625: the proposal's new ceiling makes them eligible.
                (await caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = id, monthlyIncome = i % 2 == 0 ? 625m : 900m, source = "OTHER" }))
                    .ErrorCodes().Should().BeEmpty();
            }
            var run = (await first.ClientFor(api.Token("analyst")).GraphQLAsync("mutation($input: SimulatePolicyInput!) { simulatePolicy(input: $input) { run { id } errors { code } } }", new
            {
                input = new { name = "kill test", programme = "SOCIAL_RELIEF_OF_DISTRESS", parametersJson = """{"minAge": 18, "maxAge": 59, "monthlyAmount": 370, "incomeCeilingMonthly": 625}""" },
            })).Data("simulatePolicy").GetProperty("run").GetProperty("id").GetString()!;

            var done = $"SELECT coalesce((SELECT (data ->> 'Done')::bigint FROM {Sql.Document<Registry.Domain.Simulation.SimulationRun>()} WHERE id = '{run}'), 0)";
            long doneBeforeKill = 0;
            for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(60) && doneBeforeKill == 0;)
            {
                await Task.Delay(5);
                doneBeforeKill = await CountAsync(connection, done);
            }
            first.Kill();
            doneBeforeKill = await CountAsync(connection, done);
            doneBeforeKill.Should().BeInRange(1, people - 1, "the kill should come in the middle of the run");

            // The next start takes the queued page up again and finishes the run.
            await using var second = api.AnotherHost(("ConnectionStrings:Registry", connection), ("Registry:SimulationPageSize", "2"));
            var analyst = second.CreateClient();
            analyst.DefaultRequestHeaders.Authorization = new("Bearer", api.Token("analyst"));
            analyst.DefaultRequestHeaders.Add("X-Purpose", RegistryApiFactory.Purpose);
            System.Text.Json.JsonElement result = default;
            for (var attempt = 0; attempt < 300; attempt++)
            {
                result = (await analyst.GraphQLAsync("query($id: ID!) { simulationRun(id: $id) { status progress { done total } summary { population newlyEligible } changes { totalCount } } }",
                    new { id = run })).Data("simulationRun");
                if (result.GetProperty("status").GetString() == "DONE") break;
                await Task.Delay(200);
            }
            result.GetProperty("status").GetString().Should().Be("DONE", $"{doneBeforeKill} people were read before the kill");
            result.GetProperty("progress").GetProperty("done").GetInt64().Should().Be(people, "no page is counted twice or skipped");
            result.GetProperty("summary").GetProperty("population").GetInt32().Should().Be(people);
            result.GetProperty("summary").GetProperty("newlyEligible").GetInt32().Should().Be(people / 2);
            result.GetProperty("changes").GetProperty("totalCount").GetInt32().Should().Be(people / 2);
            (await CountAsync(connection, $"SELECT count(*) FROM {Sql.Events} WHERE stream_id = '{run}' AND type = 'simulation_page_completed'"))
                .Should().Be(people / 2, "each page of two is recorded once");
        });
    }

    /// <summary>SASSA's notices about each person, their kinds in position order.</summary>
    private static async Task<Dictionary<string, string>> NoticeKindsPerPersonAsync(string connection)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var reader = await new NpgsqlCommand($"""
            SELECT data ->> 'CitizenId', string_agg(data ->> 'Kind', ',' ORDER BY (data ->> 'Position')::bigint)
            FROM {Sql.Document<Registry.Projections.Notices.ChangeNotice>()} WHERE data ->> 'Audience' = 'SASSA' AND data ->> 'CitizenId' IS NOT NULL
            GROUP BY 1
            """, conn).ExecuteReaderAsync();
        var kinds = new Dictionary<string, string>();
        while (await reader.ReadAsync()) kinds[reader.GetString(0)] = reader.GetString(1);
        return kinds;
    }

    private static async Task<List<string>> ReadModelsAsync(string connection)
    {
        Type[] models = [typeof(Citizen), typeof(Household), typeof(HouseholdMembership), typeof(HouseholdJoining), typeof(Entitlement),
            typeof(SocialGrantRecord), typeof(MunicipalHousehold), typeof(Programme)];
        var rows = new List<string>();
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        foreach (var model in models)
        {
            var table = model.Name.ToLowerInvariant();
            await using var reader = await new NpgsqlCommand($"SELECT '{table}:' || id || ':' || data::text FROM {Sql.Document(model)} ORDER BY id", conn).ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        }
        return rows;
    }

    private static async Task<long> CountAsync(string connection, string sql)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        return (long)(await new NpgsqlCommand(sql, conn).ExecuteScalarAsync())!;
    }
}
