using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Registry.Api.Auth;
using Registry.Api.Hosting;
using Registry.Api.Audit;
using Registry.Projections.Integrity;
using Registry.Projections.Municipalities;
using Registry.Projections.Notices;
using Registry.Projections.Sql;

// Measures the Registry against raw PostgreSQL on the same machine in the same run, and prints one table.
// Usage: bench/run.sh [--citizens 100000] [--seconds 15] [--clients 4] [--mutation-clients 1,4,16]
//                     [--sizes 10000,1000000 | none] [--import-rows 100000] [--connection-options "Npgsql=settings"]
//                     [--simulation-page-size 1000] [--duplicates 0.02] [--report-register "connection string"] [--only duplicates]
var options = Options.Parse(args);
var repo = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
var serverConnection = Environment.GetEnvironmentVariable("ConnectionStrings__Registry")
                       ?? throw new InvalidOperationException("Run through bench/run.sh, which starts PostgreSQL and sets ConnectionStrings__Registry.");
var database = $"registry_bench_{options.Citizens}";
var connection = new NpgsqlConnectionStringBuilder(serverConnection) { Database = database }.ConnectionString;
var sizeMeasures = new List<(long Citizens, Measure Single, Measure PersonPage, SimulationMeasure Simulation, FeedMeasure Feed)>();
const string signingKey = "bench-signing-key-0123456789abcdef0123456789abcdef";
// The register the benchmark starts keeps the default schema; every table it reads is named from it.
var schema = RegistrySql.For(RegistrySql.DefaultSchema);

Console.WriteLine($"Registry benchmark: {options.Citizens:N0} citizens, {options.Clients} clients, {options.Seconds} s per measure, {Environment.ProcessorCount} cores");

// The API's console signs staff in at a stand-in for the state's identity provider.
await using var provider = await Registry.Testing.TestIdentityProvider.StartAsync();

using var http = new HttpClient { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(30) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
    TokenIssuer.Issue(new AuthSettings { SigningKey = signingKey }, "bench", [Roles.Caseworker], TimeSpan.FromHours(2), DateTimeOffset.UtcNow));
// Every read that shows a person states why; it goes into the access log with the read.
http.DefaultRequestHeaders.Add("X-Purpose", "benchmark");

// The duplicates rows alone (--only duplicates): a register of their own, results in duplicates-latest.md and .json.
if (options.DuplicatesOnly)
{
    var alone = await MeasureDuplicatesAsync();
    var aloneTable = new StringBuilder();
    aloneTable.AppendLine($"Run {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}: duplicates rows alone, {options.Citizens:N0} generated citizens ({options.DuplicateShare:0.##%} planted duplicates), {options.Seconds} s per measure, {Environment.ProcessorCount} cores.");
    aloneTable.AppendLine();
    AppendTable(aloneTable, alone.Rows);
    Console.WriteLine();
    Console.WriteLine(aloneTable);
    var aloneResults = Path.Combine(repo, "bench", "results");
    Directory.CreateDirectory(aloneResults);
    await File.WriteAllTextAsync(Path.Combine(aloneResults, "duplicates-latest.md"), aloneTable.ToString());
    await File.WriteAllTextAsync(Path.Combine(aloneResults, "duplicates-latest.json"), JsonSerializer.Serialize(alone.Json, new JsonSerializerOptions { WriteIndented = true }));
    return alone.Errors == 0 ? 0 : 1;
}

// 1. A database with the population (reused between runs of the same size).
var citizens = await EnsurePopulationAsync(options.Citizens);
var idNumbers = await ListAsync($"SELECT data ->> 'IdNumber' FROM {schema.Citizens} ORDER BY random() LIMIT 5000");
var totalEvents = await ScalarAsync<long>($"SELECT count(*) FROM {schema.Events}");
// The async projection starts from nothing each run, so its catch-up is measured like a rebuild.
await ExecuteAsync($"DELETE FROM {schema.EventProgression} WHERE name LIKE 'MunicipalHousehold%'; DELETE FROM {schema.Document<MunicipalHousehold>()};");

// 2. The API as its own process on loopback, as it would run.
using var api = StartApi();
await WaitForApiAsync();
using var sassa = new HttpClient { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(30) };
sassa.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
    TokenIssuer.Issue(new AuthSettings { SigningKey = signingKey }, "bench-sassa", [Roles.Department("SASSA")], TimeSpan.FromHours(2), DateTimeOffset.UtcNow));
sassa.DefaultRequestHeaders.Add("X-Purpose", "benchmark");

Console.WriteLine($"Waiting for the async municipal projection to catch up on {totalEvents:N0} events…");
var catchUp = Stopwatch.StartNew();
await WaitForCatchUpAsync();
var catchUpRate = totalEvents / catchUp.Elapsed.TotalSeconds;
Console.WriteLine($"  caught up in {catchUp.Elapsed.TotalSeconds:N1} s ({catchUpRate:N0} events/s)");

string[] grants = ["OLDER_PERSONS_GRANT", "CHILD_SUPPORT_GRANT", "DISABILITY_GRANT", "SOCIAL_RELIEF_OF_DISTRESS", "CARE_DEPENDENCY_GRANT", "FOSTER_CHILD_GRANT"];
var random = new Random(7);
var single = new
{
    query = "query($id: String!, $p: ProgrammeCode!) { eligibility(idNumber: $id, programme: $p) { eligible monthlyAmount reasons { criterion passed } } }",
};
Func<int, object> singleBody = i => new { single.query, variables = new { id = idNumbers[i % idNumbers.Count], p = grants[i % grants.Length] } };
// The same lookup on a past date: the facts are folded from the person's and their household's events, which are sealed.
var pastDate = TimeProvider.System.Today().AddDays(-1);
var pastQuery = "query($id: String!, $p: ProgrammeCode!, $on: Date!) { eligibility(idNumber: $id, programme: $p, on: $on) { eligible monthlyAmount reasons { criterion passed } } }";
Func<int, object> pastBody = i => new { query = pastQuery, variables = new { id = idNumbers[i % idNumbers.Count], p = grants[i % grants.Length], on = pastDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) } };
// The baseline of the access log's cost: the same lookup path for ID numbers nobody holds. The facts are
// looked up the same way and the answer is sent the same way, but it shows no one, so nothing is logged.
var fresh = FreshIdNumbers(await ListAsync($"SELECT data ->> 'IdNumber' FROM {schema.Citizens}"));
var unregistered = fresh.Take(5000).ToList();
var unloggedQuery = "query($r: [EligibilityRequest!]!) { eligibilityBatch(requests: $r) { eligible monthlyAmount reasons { criterion passed } error { code } } }";
Func<int, object> unloggedBody = i => new { query = unloggedQuery, variables = new { r = new[] { new { idNumber = unregistered[i % unregistered.Count], programme = grants[i % grants.Length] } } } };
Func<int, object> loggedBody = i => new { query = unloggedQuery, variables = new { r = new[] { new { idNumber = idNumbers[i % idNumbers.Count], programme = grants[i % grants.Length] } } } };
Func<int, object> batchBody = i => new
{
    query = "query($r: [EligibilityRequest!]!) { eligibilityBatch(requests: $r) { eligible monthlyAmount reasons { criterion passed } } }",
    variables = new { r = Enumerable.Range(0, 100).Select(k => new { idNumber = idNumbers[(i * 100 + k) % idNumbers.Count], programme = grants[k % grants.Length] }).ToArray() },
};

// The first registrations a started service handles, before anything else warms it: with the handlers'
// code generated ahead of time (no Roslyn on the first message) they should run near the steady rate.
Console.WriteLine("Measuring the first lookups and registrations after the start…");
var coldSeconds = Math.Min(10, options.Seconds);
var coldLookups = await LoadAsync(singleBody, TimeSpan.FromSeconds(coldSeconds));
var coldRegister = await LoadAsync(i => RegisterBody(fresh.Dequeue()), TimeSpan.FromSeconds(Math.Min(5, coldSeconds)), clients: 1);

Console.WriteLine("Warming up…");
await LoadAsync(singleBody, TimeSpan.FromSeconds(3));
await LoadAsync(batchBody, TimeSpan.FromSeconds(2));
await LoadAsync(pastBody, TimeSpan.FromSeconds(1));
Console.WriteLine("Measuring eligibility through GraphQL…");
var floorResult = await LoadAsync(_ => new { query = "{ __typename }" }, TimeSpan.FromSeconds(options.Seconds));
var singleResult = await LoadAsync(singleBody, TimeSpan.FromSeconds(options.Seconds));
var pastResult = await LoadAsync(pastBody, TimeSpan.FromSeconds(Math.Max(2, options.Seconds / 2)));
var batchResult = await LoadAsync(batchBody, TimeSpan.FromSeconds(options.Seconds));
var unloggedResult = await LoadAsync(unloggedBody, TimeSpan.FromSeconds(options.Seconds), sassa);
var recordsBefore = await ScalarAsync<long>($"SELECT count(*) FROM {schema.Document<AccessRecord>()}");
var loggedResult = await LoadAsync(loggedBody, TimeSpan.FromSeconds(options.Seconds), sassa);
var accessRecords = await ScalarAsync<long>($"SELECT count(*) FROM {schema.Document<AccessRecord>()}") - recordsBefore;

Console.WriteLine("Measuring a person's page in the console…");
var personPage = await PersonPagesAsync(idNumbers);

Console.WriteLine("Measuring the approval queue…");
var (approvalQueue, approvalFirstPage) = await ApprovalQueueAsync(idNumbers);

Console.WriteLine("Measuring mutations through GraphQL…");
var mutations = new List<(string Name, int Clients, Measure Result, long After, long UpTo)>();
var highWater = schema.LatestSequence;
// JIT and connection pools' first use: a start-up cost, measured above, not part of these measures.
await LoadAsync(i => RegisterBody(fresh.Dequeue()), TimeSpan.FromSeconds(1), clients: 1);
await LoadAsync(i => DeclareIncomeBody(idNumbers[i % idNumbers.Count], i), TimeSpan.FromSeconds(1), clients: 1);
foreach (var clients in options.MutationClients)
{
    // The events each run appended, for the sealing measure below.
    var before = await ScalarAsync<long>(highWater);
    var register = await LoadAsync(i => RegisterBody(fresh.Dequeue()), TimeSpan.FromSeconds(options.Seconds), clients: clients);
    var between = await ScalarAsync<long>(highWater);
    mutations.Add(("registerCitizen", clients, register, before, between));
    var declare = await LoadAsync(i => DeclareIncomeBody(idNumbers[i % idNumbers.Count], i), TimeSpan.FromSeconds(options.Seconds), clients: clients);
    mutations.Add(("declareIncome", clients, declare, between, await ScalarAsync<long>(highWater)));
}
// Decisions, the largest sealed events (the bulk seed records none): grant applications by living people who hold
// no grant yet, each assessed at once with their household's facts. Only its sealing share is reported.
var applicants = new Queue<string>(await ListAsync($"""
    SELECT c.data ->> 'IdNumber' FROM {schema.Citizens} c
    WHERE c.data ->> 'DateOfDeath' IS NULL AND NOT EXISTS (SELECT 1 FROM {schema.Entitlements} e WHERE e.data ->> 'BeneficiaryId' = c.id::text)
    ORDER BY random() LIMIT 5000
    """));
await LoadAsync(_ => ApplyBody(applicants.Dequeue()), TimeSpan.FromSeconds(1), clients: 1);
var beforeApplying = await ScalarAsync<long>(highWater);
var applying = await LoadAsync(_ => ApplyBody(applicants.Dequeue()), TimeSpan.FromSeconds(Math.Max(2, options.Seconds / 2)), clients: 1);
var applied = ("applyForEntitlement", 1, applying, beforeApplying, await ScalarAsync<long>(highWater));

// Policy simulation: one proposal over the whole register, run on the service's own queue in durable pages.
// Lookups are measured idle and then while runs go; the throughput run goes alone, after them, warmed up.
Console.WriteLine("Measuring policy simulation…");
await WaitForCatchUpAsync();
using var analyst = new HttpClient { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(30) };
analyst.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
    TokenIssuer.Issue(new AuthSettings { SigningKey = signingKey }, "bench-analyst", [Roles.Analyst], TimeSpan.FromHours(2), DateTimeOffset.UtcNow));
analyst.DefaultRequestHeaders.Add("X-Purpose", "benchmark");
const string simulatedProgramme = "OLDER_PERSONS_GRANT";
// The set in force today with a changed figure: the grant R10 more a month, the single person's ceiling R1,000 more a year.
var inForce = JsonDocument.Parse((await GraphQLAsync(http, "{ programmes { code parameters } }")).GetProperty("programmes").EnumerateArray()
    .First(p => p.GetProperty("code").GetString() == simulatedProgramme).GetProperty("parameters").GetString()!).RootElement;
var proposal = JsonSerializer.Serialize(new
{
    values = inForce.GetProperty("values").EnumerateObject().ToDictionary(v => v.Name,
        v => v.Value.GetDecimal() + v.Name switch { "monthlyAmount" => 10m, "incomeCeilingSingleAnnual" => 1000m, _ => 0m }),
});
var simulationRuns = new List<SimulationMeasure>();
var rssBeforeMb = ApiResidentMb("VmRSS");
var simulationPeakKb = 0L;
using var sampling = new CancellationTokenSource();
var sampler = Task.Run(async () =>
{
    while (!sampling.IsCancellationRequested)
    {
        simulationPeakKb = Math.Max(simulationPeakKb, (long)(ApiResidentMb("VmRSS") * 1024));
        try { await Task.Delay(100, sampling.Token); } catch (OperationCanceledException) { }
    }
});
var idleLookups = await LoadAsync(singleBody, TimeSpan.FromSeconds(options.Seconds));
// While the lookups are measured a run is always going: when one finishes inside the window, the next starts.
var duringWindow = Stopwatch.StartNew();
var current = await StartSimulationAsync();
var keepRunning = Task.Run(async () =>
{
    while (duringWindow.Elapsed < TimeSpan.FromSeconds(options.Seconds))
    {
        await Task.Delay(200);
        if (await SimulationStatusAsync(current.Id) is { Status: "DONE" or "FAILED" } finished)
        {
            simulationRuns.Add(current.Finished(finished));
            if (duringWindow.Elapsed < TimeSpan.FromSeconds(options.Seconds)) current = await StartSimulationAsync();
        }
    }
});
var duringLookups = await LoadAsync(singleBody, TimeSpan.FromSeconds(options.Seconds));
await keepRunning;
simulationRuns.Add(await FinishSimulationAsync(current));
var duringRuns = simulationRuns.Count;
var simulation = await FinishSimulationAsync(await StartSimulationAsync());
simulationRuns.Add(simulation);
await sampling.CancelAsync();
await sampler;
var simulationPeakMb = simulationPeakKb / 1024.0;
var lifetimePeakMb = ApiResidentMb("VmHWM");
Console.WriteLine($"  {simulation.People:N0} people in {simulation.Seconds:N1} s ({simulation.People / simulation.Seconds:N0}/s); {duringRuns} run(s) beside the lookups; peak {simulationPeakMb:N0} MB");

// A department that was away reads its whole feed back, in pages of the largest size.
await WaitForCatchUpAsync();
var feed = await ReadLargestFeedAsync();
// A live subscriber, while grants are suspended and reinstated at 100 a second.
await WaitForCatchUpAsync();
var pushed = await MeasureWebhookLatencyAsync(perSecond: 100, TimeSpan.FromSeconds(options.Seconds));

api.Kill(entireProcessTree: true);
var apiPeakMb = ApiPeakMb;

// Sealing beside the same serializer without it, on this register's events and on the events the runs above wrote and read.
Console.WriteLine("Measuring sealing against the same serializer without it…");
var sealingClock = Stopwatch.StartNew();
var sealing = await MeasureSealingAsync();
Console.WriteLine($"  done in {sealingClock.Elapsed.TotalSeconds:N1} s");

// Rebuilding every read model from the events (the API is stopped: a rebuild replaces what it reads).
Console.WriteLine("Rebuilding every projection from the events…");
// The verb's figures as data (--json): its sentences go to standard error, shown here as they were.
var rebuildOutput = await RunAsync("dotnet", "Registry.Api.dll rebuild --json", ApiEnvironment());
var rebuildRate = System.Text.Json.JsonDocument.Parse(rebuildOutput).RootElement.GetProperty("eventsPerSecond").GetDouble();

// The bulk import beside pgbench's batched inserts (bench/import.sh: a scratch database of its own).
Console.WriteLine($"Measuring the bulk import of {options.ImportRows:N0} rows beside pgbench batched inserts…");
await RunAsync("bash", $"bench/import.sh {options.ImportRows} {options.Seconds}", new() { ["ConnectionStrings__Registry"] = serverConnection }, workingDirectory: repo);
var import = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(repo, "bench", "results", "import-latest.json"))).RootElement;

Console.WriteLine("Measuring raw PostgreSQL primary-key lookups and single-row inserts (pgbench)…");
var raw = await PgbenchPrimaryKeyAsync();
var rawInserts = new Dictionary<int, Measure>();
foreach (var clients in options.MutationClients) rawInserts[clients] = await PgbenchInsertAsync(clients);

// The same single lookups against registers of other sizes: how latency grows with the population.
foreach (var size in options.Sizes)
{
    database = $"registry_bench_{size}";
    connection = new NpgsqlConnectionStringBuilder(serverConnection) { Database = database }.ConnectionString;
    var population = await EnsurePopulationAsync(size);
    var sample = await ListAsync($"SELECT data ->> 'IdNumber' FROM {schema.Citizens} ORDER BY random() LIMIT 5000");
    using var sized = StartApi();
    await WaitForApiAsync();
    await WaitForCatchUpAsync();
    Console.WriteLine($"Single lookups against {population:N0} citizens…");
    Func<int, object> sizedBody = i => new { single.query, variables = new { id = sample[i % sample.Count], p = grants[i % grants.Length] } };
    await LoadAsync(sizedBody, TimeSpan.FromSeconds(3));
    var sizedLookups = await LoadAsync(sizedBody, TimeSpan.FromSeconds(options.Seconds));
    var sizedPages = await PersonPagesAsync(sample);
    // The same proposal over the whole of this register, alone: the 1,000,000-citizen target is for a register that size.
    Console.WriteLine($"A policy simulation over {population:N0} citizens…");
    var sizedRun = await FinishSimulationAsync(await StartSimulationAsync());
    Console.WriteLine($"  {sizedRun.People:N0} people in {sizedRun.Seconds:N1} s ({sizedRun.PerSecond:N0}/s)");
    var sizedFeed = await ReadLargestFeedAsync();
    sizeMeasures.Add((population, sizedLookups, sizedPages, sizedRun, sizedFeed));
    sized.Kill(entireProcessTree: true);
}

// Duplicate detection on a generated register with planted duplicates (a database of its own).
var duplicates = await MeasureDuplicatesAsync();

// 3. The table.
var rows = new List<Row>
{
    new("GraphQL round trips/s without data ({ __typename }), for scale", floorResult.PerSecond, raw.PerSecond, null, "HTTP + auth + GraphQL floor"),
    new("eligibility lookups/s, single (GraphQL), each read access-logged", singleResult.PerSecond, floorResult.PerSecond, 0.5, "vs the { __typename } round trips/s of the first row"),
    new("  p50 latency ms (single)", singleResult.P50, raw.P50, null),
    new("  p99 latency ms (single; target < 10)", singleResult.P99, raw.P99, null),
    new("  single lookups/s on a past date (the facts folded from the events)", pastResult.PerSecond, singleResult.PerSecond, null, $"vs today's single lookups; p50 {pastResult.P50.ToString("N1", CultureInfo.InvariantCulture)} ms"),
    new("eligibility decisions/s, batches of 100", batchResult.PerSecond * 100, singleResult.PerSecond, 5.0, "vs single-lookup decisions/s"),
    new("single lookups/s by SASSA, each read access-logged (committed before the answer)", loggedResult.PerSecond, unloggedResult.PerSecond, 0.95,
        "vs the same lookups of unregistered ID numbers: no one shown, nothing logged"),
    new("  p50 ms, logged (the log's added latency is the difference)", loggedResult.P50, unloggedResult.P50, null, "unlogged p50 in the second column"),
    new("  p99 ms, logged", loggedResult.P99, unloggedResult.P99, null, "unlogged p99 in the second column"),
    new("  p50 / p99 ms per batch", batchResult.P50, batchResult.P99, null, "p99 in the second column"),
    new($"console: a person's page, p95 ms at {citizens:N0} citizens (server-rendered; record, household, grants)", personPage.P95, 100, null,
        $"{personPage.PerSecond.ToString("N0", CultureInfo.InvariantCulture)} pages/s, p50 {personPage.P50.ToString("N1", CultureInfo.InvariantCulture)} ms; vs the 100 ms target", AtMost: 1.0),
    new($"approval queue: {approvalQueue.Count:N0} pending change requests read whole by a supervisor, p99 ms (pages of 100, each request's person)", approvalQueue.P99, 100, null,
        $"p50 {approvalQueue.P50.ToString("N1", CultureInfo.InvariantCulture)} ms; vs the 100 ms target", AtMost: 1.0),
    new($"  the console's first page of the same queue (20 requests, each one's person, and the count), p99 ms", approvalFirstPage.P99, 100, null,
        $"p50 {approvalFirstPage.P50.ToString("N1", CultureInfo.InvariantCulture)} ms; vs the 100 ms target", AtMost: 1.0),
    new("async projection catch-up from zero, events/s (MunicipalHousehold)", catchUpRate, 50_000, 1.0, "vs the 50,000 events/s rebuild target"),
};
rows.Add(new($"simulation: people/s, one {simulatedProgramme} proposal over the whole register ({simulation.People:N0} people, pages of {options.SimulationPageSize:N0})",
    simulation.PerSecond, 16_000, 1.0, $"vs the 16,000 people/s target (1,000,000 citizens in ≤ 60 s); {simulation.Seconds.ToString("N1", CultureInfo.InvariantCulture)} s from the mutation to DONE"));
rows.Add(new($"  p99 ms of single lookups while a run goes vs idle ({duringRuns} run{(duringRuns == 1 ? "" : "s")}; lookups/s {duringLookups.PerSecond:N0} vs {idleLookups.PerSecond:N0})",
    duringLookups.P99, idleLookups.P99, null, "idle p99, the same load just before, in the second column", AtMost: 2.0));
rows.Add(new("  API peak resident memory MB during the runs (VmRSS sampled every 100 ms)", simulationPeakMb, 1024, null,
    $"vs the 1 GiB target; {rssBeforeMb:N0} MB before the runs", AtMost: 1.0));
rows.Add(new($"bulk import events/s ({import.GetProperty("rows").GetInt32():N0} rows, {import.GetProperty("eventsPerTransaction").GetInt32():N0} events a transaction)",
    import.GetProperty("eventsPerSecond").GetDouble(), import.GetProperty("pgbenchRowsPerSecond1").GetDouble(), 0.4, "vs pgbench batched inserts of rows that size, 1 client"));
rows.Add(new($"change feed catch-up: notices/s a consumer reads back through `changes` ({feed.Notices:N0} notices of {feed.Audience}, pages of 1,000)",
    feed.PerSecond, 5_000, 1.0, "vs the 5,000 notices/s target"));
rows.Add(new($"webhook: p99 ms from a change's request to its notice at a live subscriber, {pushed.Changes:N0} changes at 100/s (p50 {pushed.P50.ToString("N0", CultureInfo.InvariantCulture)} ms; {pushed.Lost} not told within 30 s)",
    pushed.P99, 2000, null, "vs the 2 s target", AtMost: 1.0));
rows.Add(new("projection rebuild, all 7 projections at once: events replayed/s", rebuildRate, 50_000, 1.0, "vs the 50,000 events/s target"));
if (sizeMeasures.Count == 2)
{
    var (small, large) = (sizeMeasures.MinBy(m => m.Citizens), sizeMeasures.MaxBy(m => m.Citizens));
    rows.Add(new($"p99 ms of single lookups at {large.Citizens:N0} citizens vs {small.Citizens:N0}", large.Single.P99, small.Single.P99, null, "growth of p99", AtMost: 1.5));
    rows.Add(new($"  p50 ms at {large.Citizens:N0} vs {small.Citizens:N0}; lookups/s {large.Single.PerSecond:N0} vs {small.Single.PerSecond:N0}", large.Single.P50, small.Single.P50, null, "growth of p50"));
    rows.Add(new($"console: a person's page, p95 ms at {large.Citizens:N0} citizens", large.PersonPage.P95, 100, null, "vs the 100 ms target", AtMost: 1.0));
    rows.Add(new($"change feed catch-up at {large.Citizens:N0} citizens: notices/s ({large.Feed.Notices:N0} notices of {large.Feed.Audience})",
        large.Feed.PerSecond, 5_000, 1.0, "vs the 5,000 notices/s target"));
    rows.Add(new($"simulation at {large.Citizens:N0} citizens: people/s, one {simulatedProgramme} proposal ({large.Simulation.People:N0} people)",
        large.Simulation.PerSecond, 16_000, 1.0, $"vs the 16,000 people/s target; {large.Simulation.Seconds.ToString("N0", CultureInfo.InvariantCulture)} s from the mutation to DONE (target 60 s)"));
}
// A registration against pgbench's single-row inserts; any other change against a registration with as many clients.
foreach (var (name, clients, result, _, _) in mutations)
{
    var registrations = mutations.FirstOrDefault(m => m.Name == "registerCitizen" && m.Clients == clients).Result;
    var (baseline, target, against) = name == "registerCitizen" || registrations is null
        ? (rawInserts[clients].PerSecond, 0.25, "vs pgbench single-row inserts")
        : (registrations.PerSecond, 0.8, $"vs registerCitizen/s at {clients} client{(clients == 1 ? "" : "s")}");
    rows.Add(new($"{name}/s through GraphQL, {clients} client{(clients == 1 ? "" : "s")} (p99 {result.P99.ToString("N1", CultureInfo.InvariantCulture)} ms)",
        result.PerSecond, baseline, target, against));
}
rows.Add(new($"single lookups/s in the first {coldSeconds} s after a start", coldLookups.PerSecond, singleResult.PerSecond, 0.8, "vs the steady rate, warmed up"));
if (mutations.FirstOrDefault(m => m.Name == "registerCitizen" && m.Clients == 1).Result is { } steadyRegister)
    rows.Add(new($"registerCitizen/s in the first {Math.Min(5, coldSeconds)} s of mutations after a start, 1 client", coldRegister.PerSecond, steadyRegister.PerSecond, 0.8,
        "vs the steady rate at 1 client"));
// The sample's types weighed as the register holds them.
var eventSample = sealing.Sample;
var mix = eventSample.Types.ToDictionary(t => t.Type, t => sealing.Stored[t.Type.Name]);
rows.Add(new("sealing, write path: µs per personal event appended (serialised twice, chain hash and row), sealed vs plain", eventSample.PerEvent(t => t.SealedWriteUs, mix), eventSample.PerEvent(t => t.PlainWriteUs, mix), null,
    $"plain: the same serializer without the sealing converters; {eventSample.Personal:N0} stored events of {eventSample.Types.Count} types, weighed as the register holds them"));
rows.Add(new("sealing, read path: µs per personal event read, sealed vs plain", eventSample.PerEvent(t => t.SealedReadUs, mix), eventSample.PerEvent(t => t.PlainReadUs, mix), null, "the same events"));
rows.Add(new("  stored bytes per personal event (jsonb), sealed vs plain", eventSample.PerEvent(t => t.SealedBytes, mix), eventSample.PerEvent(t => t.PlainBytes, mix), null, "the same events"));
foreach (var share in sealing.Shares)
    rows.Add(new(share.Measure, share.SealingUs, share.CpuUs, null,
        $"of the API's CPU per request; {(share.SealingUs / (share.P50Ms * 1000)).ToString("0.0 %", CultureInfo.InvariantCulture)} of p50 {share.P50Ms.ToString("N1", CultureInfo.InvariantCulture)} ms",
        AtMost: 0.05, Percent: true));
rows.AddRange(duplicates.Rows);
var table = new StringBuilder();
table.AppendLine($"Run {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}: {citizens:N0} citizens, {options.Clients} concurrent clients, {options.Seconds} s per measure, {Environment.ProcessorCount} cores, API peak working set {apiPeakMb:N0} MB.");
table.AppendLine();
AppendTable(table, rows);
table.AppendLine();
table.AppendLine($"Peak working set: API {apiPeakMb:N0} MB, importer {import.GetProperty("importerPeakMb").GetInt32():N0} MB. Access records written by the logged SASSA run: {accessRecords:N0} (its answers name the household members too).");
table.AppendLine($"p99 single lookup {singleResult.P99.ToString("N2", CultureInfo.InvariantCulture)} ms (target < 10 ms: {(singleResult.P99 < 10 ? "✔" : "✘")}); errors: single {singleResult.Errors}, beside simulation {idleLookups.Errors + duringLookups.Errors}, failed simulation runs {simulationRuns.Count(r => r.Status != "DONE")}, past-date {pastResult.Errors}, batch {batchResult.Errors}, logged {loggedResult.Errors}, unlogged {unloggedResult.Errors}, mutations {mutations.Sum(m => m.Result.Errors)}, applications {applying.Errors}.");
Console.WriteLine();
Console.WriteLine(table);
var results = Path.Combine(repo, "bench", "results");
Directory.CreateDirectory(results);
await File.WriteAllTextAsync(Path.Combine(results, "latest.md"), table.ToString());
await File.WriteAllTextAsync(Path.Combine(results, "latest.json"), JsonSerializer.Serialize(new
{
    at = DateTimeOffset.Now, citizens, totalEvents, options.Clients, options.Seconds, cores = Environment.ProcessorCount, apiPeakMb, catchUpEventsPerSecond = catchUpRate, changeFeed = feed,
    single = singleResult, past = pastResult, applications = applying, batch = batchResult, logged = loggedResult, unlogged = unloggedResult, accessRecords, pgbench = raw,
    sizes = sizeMeasures.Select(m => new { m.Citizens, m.Single, m.PersonPage, m.Simulation, m.Feed }),
    personPage,
    approvalQueue, approvalFirstPage,
    rebuild = new { eventsPerSecond = rebuildRate, output = rebuildOutput },
    import,
    simulation = new
    {
        programme = simulatedProgramme, proposal, pageSize = options.SimulationPageSize, measured = simulation, runs = simulationRuns,
        idleLookups, duringLookups, rssBeforeMb, peakRssMb = simulationPeakMb, lifetimePeakMb,
    },
    mutations = mutations.Select(m => new { m.Name, m.Clients, m.Result, pgbenchInsert = rawInserts[m.Clients] }),
    sealing,
    duplicates = duplicates.Json,
}, new JsonSerializerOptions { WriteIndented = true }));
return simulationRuns.Count(r => r.Status != "DONE") + idleLookups.Errors + duringLookups.Errors + personPage.Errors + approvalQueue.Errors + approvalFirstPage.Errors + singleResult.Errors + pastResult.Errors + applying.Errors + batchResult.Errors + loggedResult.Errors + unloggedResult.Errors + mutations.Sum(m => m.Result.Errors) + duplicates.Errors == 0 ? 0 : 1;

// --- helpers ---------------------------------------------------------------------------------

static void AppendTable(StringBuilder table, IEnumerable<Row> rows)
{
    table.AppendLine("| measure | Registry | raw PostgreSQL (pgbench, same run) | ratio | target |");
    table.AppendLine("|---|---:|---:|---:|---|");
    foreach (var r in rows)
    {
        var format = r.Percent ? "0.0 %" : "0.00";
        var ratio = r.Target is null && r.Note is null ? "" : (r.Registry / r.Baseline).ToString(format, CultureInfo.InvariantCulture);
        var target = r.Target is { } t ? $"≥ {t.ToString(CultureInfo.InvariantCulture)}" + (r.Note is null ? "" : $" ({r.Note})") + (r.Registry / r.Baseline >= t ? " ✔" : " ✘")
            : r.AtLeast is { } least ? $"≥ {least.ToString("0.##", CultureInfo.InvariantCulture)}" + (r.Note is null ? "" : $" ({r.Note})") + (r.Registry / r.Baseline >= least ? " ✔" : " ✘")
            : r.AtMost is { } most ? $"< {most.ToString(r.Percent ? "0 %" : "0.##", CultureInfo.InvariantCulture)}" + (r.Note is null ? "" : $" ({r.Note})") + (r.Registry / r.Baseline < most ? " ✔" : " ✘")
            : r.Note ?? "";
        table.AppendLine($"| {r.Measure} | {r.Registry.ToString(r.Digits, CultureInfo.InvariantCulture)} | {r.Baseline.ToString(r.Digits, CultureInfo.InvariantCulture)} | {ratio} | {target} |");
    }
}

// Duplicate detection, measured on a register generated with planted duplicates (bench/results/…: the pairs stay in a
// temporary directory; they are synthetic people, but ID numbers all the same):
// * precision and recall of the register-wide report against the planted pairs, at the service's threshold;
// * the report's time, memory and progress, on that register and (--report-register) on another, larger one;
// * registerCitizen's p99 asking for possibleDuplicates against the same registrations not asking, interleaved.
async Task<DuplicatesMeasure> MeasureDuplicatesAsync()
{
    var errors = 0;
    database = $"registry_dupes_{options.Citizens}";
    connection = new NpgsqlConnectionStringBuilder(serverConnection) { Database = database }.ConnectionString;
    await using (var admin = new NpgsqlConnection(serverConnection))
    {
        await admin.OpenAsync();
        await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin).ExecuteNonQueryAsync();
        await new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin).ExecuteNonQueryAsync();
    }
    var work = Directory.CreateTempSubdirectory("registry-dupes");
    try
    {
        var csvFile = Path.Combine(work.FullName, "register.csv");
        var plantedFile = Path.Combine(work.FullName, "planted.csv");
        Console.WriteLine($"Generating {options.Citizens:N0} citizens with {options.DuplicateShare:0.##%} planted duplicates, importing them into {database}…");
        await RunAsync("dotnet", string.Create(CultureInfo.InvariantCulture,
            $"Registry.Api.dll generate --citizens {options.Citizens} --duplicates {options.DuplicateShare} --out {csvFile} --planted {plantedFile}"), ApiEnvironment(), quiet: true);
        var importEnvironment = ApiEnvironment();
        importEnvironment["REGISTRY_PLAIN_PROGRESS"] = "1";
        await RunAsync("dotnet", $"Registry.Api.dll import {csvFile} --no-catch-up --no-duplicate-check", importEnvironment, quiet: true);
        var registered = (await ListAsync($"SELECT data ->> 'IdNumber' FROM {schema.Citizens}")).ToHashSet(StringComparer.Ordinal);
        // A pair counts when both of its people got in (the last household may be cut short and refused).
        var planted = File.ReadLines(plantedFile).Skip(1).Select(l => l.Split(','))
            .Where(f => registered.Contains(f[0]) && registered.Contains(f[1]))
            .Select(f => (Pair: PairKey(f[0], f[1]), Kind: f[2])).ToList();
        var truth = planted.Select(p => p.Pair).ToHashSet();

        Console.WriteLine($"The duplicates report over {registered.Count:N0} citizens ({planted.Count:N0} planted pairs)…");
        var pairsFile = Path.Combine(work.FullName, "pairs.csv");
        var report = await RunReportAsync(ApiEnvironment(), pairsFile);
        var found = File.ReadLines(pairsFile).Skip(1).Select(l => l.Split(',')).Select(f => (Pair: PairKey(f[0], f[1]), Score: double.Parse(f[2], CultureInfo.InvariantCulture))).ToList();
        var truePositives = found.Count(f => truth.Contains(f.Pair));
        var precision = found.Count == 0 ? 0 : (double)truePositives / found.Count;
        var recall = truth.Count == 0 ? 0 : (double)truePositives / truth.Count;
        var foundSet = found.Select(f => f.Pair).ToHashSet();
        var byKind = planted.GroupBy(p => p.Kind).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new { planted = g.Count(), found = g.Count(p => foundSet.Contains(p.Pair)) });
        Console.WriteLine($"  {found.Count:N0} pairs reported, {truePositives:N0} planted: precision {precision:0.000}, recall {recall:0.000}; {report.Seconds:N1} s");

        ReportMeasure? large = null;
        if (options.ReportRegister is { } other)
        {
            Console.WriteLine("The duplicates report over the register of --report-register…");
            var environment = ApiEnvironment();
            environment["ConnectionStrings__Registry"] = other;
            large = await RunReportAsync(environment, null);
            Console.WriteLine($"  {large.People:N0} people, {large.Pairs:N0} pairs in {large.Seconds:N1} s, peak {large.PeakMb:N0} MB, {large.ProgressLines} progress lines");
        }

        // The check's cost on a registration: the same mutation, asking for possibleDuplicates or not, alternately (1 client).
        using var served = StartApi();
        await WaitForApiAsync();
        // The import left the async projections to the service: measured while it caught up, both kinds of block would
        // carry its work, the slower ones more of it.
        Console.WriteLine("  waiting for the async projections to catch up on the imported register…");
        await WaitForCatchUpAsync();
        var fresh = FreshIdNumbers(registered);
        // Names from the register, given names and surnames paired at random: under one name for all, every registration
        // on an earlier one's birthday at the shared address would be a flagged duplicate, shown and access-logged.
        var (givenNames, surnames) = (await ListAsync($"SELECT DISTINCT data ->> 'FirstNames' FROM {schema.Citizens}"),
            await ListAsync($"SELECT DISTINCT data ->> 'Surname' FROM {schema.Citizens}"));
        var pick = new Random(5);
        (string, string) NextName() => (givenNames[pick.Next(givenNames.Count)], surnames[pick.Next(surnames.Count)]);
        for (var i = 0; i < 50; i++) await RegisterOnceAsync(fresh.Dequeue(), i % 2 == 0, NextName());
        var flagged = 0;
        // Alternate blocks of a second each, so both see the same machine; the API's CPU time is summed per kind of block.
        var (asking, notAsking) = (new List<double>(), new List<double>());
        var (askingCpu, notAskingCpu) = (TimeSpan.Zero, TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        for (var block = 0; clock.Elapsed < TimeSpan.FromSeconds(2 * options.Seconds) || block % 2 == 1; block++)
        {
            var withCheck = block % 2 == 0;
            var cpu = ApiCpu();
            var blockClock = Stopwatch.StartNew();
            while (blockClock.Elapsed < TimeSpan.FromSeconds(1))
            {
                var started = Stopwatch.GetTimestamp();
                var (succeeded, anyFlagged) = await RegisterOnceAsync(fresh.Dequeue(), withCheck, NextName());
                if (!succeeded) errors++;
                if (anyFlagged) flagged++;
                (withCheck ? asking : notAsking).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            if (withCheck) askingCpu += ApiCpu() - cpu; else notAskingCpu += ApiCpu() - cpu;
        }
        served.Kill(entireProcessTree: true);
        await served.WaitForExitAsync();
        var (a, n) = (asking.Order().ToArray(), notAsking.Order().ToArray());
        var check = new
        {
            asking = new { count = a.Length, p50 = Percentile(a, 0.5), p99 = Percentile(a, 0.99), apiCpuMs = askingCpu.TotalMilliseconds / Math.Max(1, a.Length) },
            flagged,
            notAsking = new { count = n.Length, p50 = Percentile(n, 0.5), p99 = Percentile(n, 0.99), apiCpuMs = notAskingCpu.TotalMilliseconds / Math.Max(1, n.Length) },
        };
        Console.WriteLine($"  registerCitizen p99 {check.asking.p99:N1} ms asking for possibleDuplicates, {check.notAsking.p99:N1} ms not ({a.Length} + {n.Length} registrations); API CPU {check.asking.apiCpuMs:N2} vs {check.notAsking.apiCpuMs:N2} ms each");

        var rows = new List<Row>
        {
            new($"duplicates report: recall of {planted.Count:N0} planted pairs in {registered.Count:N0} citizens ({options.DuplicateShare:0.##%} planted; threshold {report.Threshold.ToString(CultureInfo.InvariantCulture)})",
                recall, 0.95, null, $"{truePositives:N0} found; vs the 0.95 target", AtMost: null, Digits: "N3", AtLeast: 1.0),
            new($"  precision: planted pairs among the {found.Count:N0} pairs reported", precision, 0.9, null, "vs the 0.9 target", Digits: "N3", AtLeast: 1.0),
            new($"duplicates report over {registered.Count:N0} citizens: seconds (people/s {report.People / report.Seconds:N0}; peak {report.PeakMb:N0} MB; {report.ProgressLines} progress lines)",
                report.Seconds, 300, null, "vs the 5 minute target, at this size", AtMost: 1.0),
        };
        if (large is not null)
        {
            rows.Add(new($"duplicates report over {large.People:N0} citizens (--report-register): seconds ({large.People / large.Seconds:N0} people/s; {large.Pairs:N0} pairs; {large.ProgressLines} progress lines)",
                large.Seconds, 300, null, "vs the 5 minute target", AtMost: 1.0));
            rows.Add(new($"  the report's peak resident memory MB over {large.People:N0} citizens (VmRSS sampled every 100 ms)", large.PeakMb, 1024, null, "vs 1 GiB", AtMost: 1.0));
        }
        rows.Add(new($"registerCitizen: p99 ms added by asking for possibleDuplicates, 1 client, interleaved, every registration at one address under a name from the register ({a.Length:N0} asking, {flagged:N0} of them flagged, p99 {check.asking.p99.ToString("N1", CultureInfo.InvariantCulture)} ms; {n.Length:N0} not, p99 {check.notAsking.p99.ToString("N1", CultureInfo.InvariantCulture)} ms)",
            check.asking.p99 - check.notAsking.p99, 5, null, $"vs the 5 ms target; p50 {check.asking.p50.ToString("N1", CultureInfo.InvariantCulture)} vs {check.notAsking.p50.ToString("N1", CultureInfo.InvariantCulture)} ms", AtMost: 1.0));
        rows.Add(new("  the check's API CPU ms per registration: asking for possibleDuplicates vs not (the same blocks)", check.asking.apiCpuMs, check.notAsking.apiCpuMs, null,
            $"the check's own CPU: {(check.asking.apiCpuMs - check.notAsking.apiCpuMs).ToString("N2", CultureInfo.InvariantCulture)} ms", Digits: "N2"));
        return new DuplicatesMeasure(rows, new
        {
            citizens = registered.Count, share = options.DuplicateShare, plantedPairs = planted.Count, reported = found.Count, truePositives, precision, recall, byKind,
            missedScores = "see byKind", report, large, registration = check,
        }, errors + report.ExitCode + (large?.ExitCode ?? 0));
    }
    finally
    {
        work.Delete(recursive: true);
    }
}

static (string, string) PairKey(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);

// Whether the registration went through, and whether it came back with a probable duplicate.
async Task<(bool Succeeded, bool Flagged)> RegisterOnceAsync(string idNumber, bool askForDuplicates, (string Given, string Surname) name)
{
    var body = RegisterBody(idNumber, askForDuplicates ? "possibleDuplicates { idNumber score matchedOn }" : "", name.Given, name.Surname);
    using var response = await http.PostAsJsonAsync("/graphql", body);
    var text = await response.Content.ReadAsStringAsync();
    return (response.IsSuccessStatusCode && !text.Contains("\"errors\":[{"), text.Contains("\"possibleDuplicates\":[{"));
}

// The duplicates verb as its own process: wall time, its resident memory sampled every 100 ms, its progress lines.
async Task<ReportMeasure> RunReportAsync(Dictionary<string, string> environment, string? pairsFile)
{
    var info = new ProcessStartInfo("dotnet", "Registry.Api.dll duplicates" + (pairsFile is null ? "" : $" --csv {pairsFile}"))
        { WorkingDirectory = ApiDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var (k, v) in environment) info.Environment[k] = v;
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    var peakKb = 0L;
    var sampling = Task.Run(async () =>
    {
        while (!process.HasExited)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                        peakKb = Math.Max(peakKb, long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
            }
            catch (IOException) { }
            await Task.Delay(100);
        }
    });
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    var seconds = clock.Elapsed.TotalSeconds;
    await sampling;
    var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    var progress = lines.Count(l => l.EndsWith("pairs so far…", StringComparison.Ordinal));
    // The verb's last line: "N people read, M probable duplicate pairs at T or above, in S s."
    var summary = System.Text.RegularExpressions.Regex.Match(lines.LastOrDefault() ?? "", @"^([\d,]+) people read, ([\d,]+) probable duplicate pairs at ([\d.]+)");
    if (process.ExitCode != 0 || !summary.Success) Console.Error.WriteLine($"The duplicates verb failed ({process.ExitCode}): {await stderr}{await stdout}");
    long Number(int group) => summary.Success ? long.Parse(summary.Groups[group].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : 0;
    return new ReportMeasure(Number(1), Number(2), summary.Success ? double.Parse(summary.Groups[3].Value, CultureInfo.InvariantCulture) : 0, seconds, peakKb / 1024.0, progress,
        process.ExitCode != 0 || !summary.Success ? 1 : 0);
}

// Sealed against plain on a sample of every event type in the register, then per request: the events each
// measured request wrote (and the async projection read back) or opened, against its CPU time in the API.
async Task<SealingResult> MeasureSealingAsync()
{
    // The API process's own settings (its master key above all), as configuration keys.
    var configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(ApiEnvironment().ToDictionary(e => e.Key.Replace("__", ":"), e => (string?)e.Value)).Build();
    using var cost = SealingCost.Open(connection, configuration);
    var (sampled, stored) = await cost.SampleAsync(perType: 100);
    var sample = await cost.MeasureAsync(sampled);
    var keyUs = cost.KeyCreationMicroseconds(500);
    var shares = new List<SealingShare>();
    var clients = options.MutationClients.Contains(1) ? 1 : options.MutationClients.Min();
    foreach (var (name, runClients, result, after, upTo) in mutations.Where(m => m.Clients == clients).Append(applied))
    {
        var (appended, total, keys) = await cost.AppendedAsync(after, upTo, max: 300);
        var set = await cost.MeasureAsync(appended);
        // Each event is written once and read back by every async projection; a new person's key is made once.
        var added = set.AddedMicroseconds(cost.AsyncReadersOf) * total / Math.Max(1, appended.Count) + keys * keyUs;
        shares.Add(new($"sealing's share of one {name}, {runClients} client{(runClients == 1 ? "" : "s")}: sealing vs API CPU µs a request ({(double)total / result.Count:0.0} events, {(double)keys / result.Count:0.0} new keys)",
            added / result.Count, result.ApiCpuMs * 1000, result.P50, (double)total / result.Count, set));
    }
    var lookups = idNumbers.Take(100).ToList();
    foreach (var (label, on, result) in new[] { ("single lookup", TimeProvider.System.Today(), singleResult), ("single lookup on a past date", pastDate, pastResult) })
    {
        var opened = await cost.OpenedByLookupsAsync(lookups, on);
        var timed = opened.OrderBy(_ => Random.Shared.Next()).Take(300).ToList();
        var set = await cost.MeasureAsync(timed);
        shares.Add(new($"sealing's share of one {label}: sealing vs API CPU µs a request ({(double)opened.Count / lookups.Count:0.0} events opened)",
            set.AddedMicroseconds(_ => 1, writes: 0) * opened.Count / Math.Max(1, timed.Count) / lookups.Count, result.ApiCpuMs * 1000, result.P50, (double)opened.Count / lookups.Count, set));
    }
    return new SealingResult(sample, stored.Where(s => sample.Types.Any(t => t.Type == s.Key)).ToDictionary(s => s.Key.Name, s => s.Value), keyUs, shares);
}

Task<Measure> LoadAsync(Func<int, object> body, TimeSpan duration, HttpClient? client = null, int? clients = null)
{
    client ??= http;
    // Bodies may take from a shared queue (fresh ID numbers): one at a time.
    var gate = new object();
    object Next(int i) { lock (gate) return body(i); }
    return MeasureAsync(async i =>
    {
        using var response = await client.PostAsJsonAsync("/graphql", Next(i));
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode && !text.Contains("\"errors\":[{");
    }, duration, clients ?? options.Clients);
}

async Task<JsonElement> GraphQLAsync(HttpClient client, string query, object? variables = null)
{
    using var response = await client.PostAsJsonAsync("/graphql", new { query, variables });
    var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    if (!response.IsSuccessStatusCode || root.TryGetProperty("errors", out _))
        throw new InvalidOperationException($"GraphQL failed ({(int)response.StatusCode}): {(root.TryGetProperty("errors", out var errors) ? errors.ToString() : "")}");
    return root.GetProperty("data");
}

// The clock starts before the mutation is sent: the run's time includes queueing it.
async Task<SimulationMeasure> StartSimulationAsync()
{
    var started = Stopwatch.GetTimestamp();
    var payload = (await GraphQLAsync(analyst, "mutation($i: SimulatePolicyInput!) { simulatePolicy(input: $i) { run { id } errors { code } } }",
        new { i = new { name = "benchmark proposal", programme = simulatedProgramme, parametersJson = proposal, idempotencyKey = Guid.NewGuid().ToString() } }))
        .GetProperty("simulatePolicy");
    if (payload.GetProperty("errors").GetArrayLength() > 0) throw new InvalidOperationException($"simulatePolicy refused: {payload.GetProperty("errors")}");
    return new SimulationMeasure(payload.GetProperty("run").GetProperty("id").GetString()!, started);
}

async Task<SimulationState> SimulationStatusAsync(string id)
{
    var run = (await GraphQLAsync(analyst, "query($id: ID!) { simulationRun(id: $id) { status progress { done total } startedAt finishedAt } }", new { id }))
        .GetProperty("simulationRun");
    var progress = run.GetProperty("progress");
    var (startedAt, finishedAt) = (run.GetProperty("startedAt"), run.GetProperty("finishedAt"));
    var serviceSeconds = startedAt.ValueKind == JsonValueKind.String && finishedAt.ValueKind == JsonValueKind.String
        ? (finishedAt.GetDateTimeOffset() - startedAt.GetDateTimeOffset()).TotalSeconds : 0;
    return new SimulationState(run.GetProperty("status").GetString()!, progress.GetProperty("done").GetInt64(), progress.GetProperty("total").GetInt64(), serviceSeconds);
}

// Polled every 200 ms until DONE or FAILED.
async Task<SimulationMeasure> FinishSimulationAsync(SimulationMeasure run)
{
    var waited = Stopwatch.StartNew();
    while (waited.Elapsed < TimeSpan.FromMinutes(30))
    {
        if (await SimulationStatusAsync(run.Id) is { Status: "DONE" or "FAILED" } state) return run.Finished(state);
        await Task.Delay(200);
    }
    throw new InvalidOperationException($"Simulation {run.Id} did not finish in 30 minutes.");
}

// Requests from concurrent clients for a while: the rate, latencies, failures and the API's CPU time per request.
async Task<Measure> MeasureAsync(Func<int, Task<bool>> request, TimeSpan duration, int clients)
{
    var latencies = new List<double>[clients];
    var errors = 0;
    var counter = 0;
    var cpu = ApiCpu();
    var stop = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
    {
        latencies[c] = [];
        while (stop.Elapsed < duration)
        {
            var started = Stopwatch.GetTimestamp();
            var ok = await request(Interlocked.Increment(ref counter));
            latencies[c].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!ok) Interlocked.Increment(ref errors);
        }
    }));
    var all = latencies.SelectMany(l => l).Order().ToArray();
    return new Measure(all.Length / stop.Elapsed.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.99), all.Length, errors,
        all.Length == 0 ? 0 : (ApiCpu() - cpu).TotalMilliseconds / all.Length, Percentile(all, 0.95));
}

// A caseworker signed in at the provider finds people (one sealed page address each), then their pages are
// read as a caseworker reads them; every read is access-logged like the API's.
async Task<Measure> PersonPagesAsync(IReadOnlyList<string> people)
{
    provider.Next = ("bench-caseworker", [Roles.Caseworker]);
    using var console = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() })
        { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(30) };
    var findPage = await console.GetStringAsync("/console/find");
    var token = System.Text.RegularExpressions.Regex.Match(findPage, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    var addresses = new List<string>();
    foreach (var idNumber in people.Take(200))
    {
        using var found = await console.PostAsync("/console/find", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["IdNumber"] = idNumber, ["Purpose"] = "benchmark", ["__RequestVerificationToken"] = token }));
        if (found.RequestMessage?.RequestUri?.AbsolutePath is { } path && path.StartsWith("/console/person/", StringComparison.Ordinal)) addresses.Add(path);
    }
    if (addresses.Count == 0) throw new InvalidOperationException("The console found no one: the sign-in or the find page did not work.");
    async Task<bool> Read(int i)
    {
        using var response = await console.GetAsync(addresses[i % addresses.Count]);
        await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode;
    }
    await MeasureAsync(Read, TimeSpan.FromSeconds(2), options.Clients);
    return await MeasureAsync(Read, TimeSpan.FromSeconds(options.Seconds), options.Clients);
}

// The approval queue with 1,000 requests waiting: deaths a caseworker asked for, held for a second person (the register's
// own four-eyes list) and never approved here, so they stay pending in the reused database and are topped up to 1,000.
// One measure is the supervisor reading the whole queue, page after page, as the console's queue would be worked through.
// Count is the number of requests pending.
async Task<(Measure Whole, Measure FirstPage)> ApprovalQueueAsync(IReadOnlyList<string> people)
{
    using var supervisor = new HttpClient { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(30) };
    supervisor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
        TokenIssuer.Issue(new AuthSettings { SigningKey = signingKey }, "bench-supervisor", [Roles.Supervisor], TimeSpan.FromHours(2), DateTimeOffset.UtcNow));
    supervisor.DefaultRequestHeaders.Add("X-Purpose", "benchmark: the approval queue");
    const int Waiting = 1_000;
    // The count is asked for once, with the first page, as a reader working through the queue would.
    async Task<JsonElement> PageAsync(string? after, int size = 100)
    {
        using var response = await supervisor.PostAsJsonAsync("/graphql", new
        {
            query = "query($after: String, $size: Int) { changeRequests(status: PENDING, first: $size, after: $after) { " + (after is null ? "totalCount " : "") +
                    "pageInfo { hasNextPage endCursor } edges { node { id command summary requestedBy requestedAt citizen { idNumber } } } } }",
            variables = new { after, size },
        });
        var page = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("changeRequests");
        return page;
    }
    var pending = (await PageAsync(null)).GetProperty("totalCount").GetInt32();
    var errors = 0;
    foreach (var idNumber in people.Take(Math.Max(0, Waiting - pending)))
    {
        using var asked = await http.PostAsJsonAsync("/graphql", new
        {
            query = "mutation($i: RecordDeathInput!) { recordDeath(input: $i) { changeRequest { status } errors { code } } }",
            variables = new { i = new { idNumber, dateOfDeath = TimeProvider.System.Today().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), reason = "benchmark: held, never approved" } },
        });
        if (!(await asked.Content.ReadAsStringAsync()).Contains("\"PENDING\"")) errors++;
    }
    pending = (await PageAsync(null)).GetProperty("totalCount").GetInt32();
    async Task<bool> ReadWhole(int _)
    {
        string? after = null;
        var read = 0;
        while (true)
        {
            var page = await PageAsync(after);
            read += page.GetProperty("edges").GetArrayLength();
            if (!page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean()) return read == pending;
            after = page.GetProperty("pageInfo").GetProperty("endCursor").GetString();
        }
    }
    await MeasureAsync(ReadWhole, TimeSpan.FromSeconds(2), 1);
    var measure = await MeasureAsync(ReadWhole, TimeSpan.FromSeconds(options.Seconds), 1);
    // The console's first page of the queue (20 and the count) with the same 1,000 waiting.
    var firstPage = await MeasureAsync(async _ => (await PageAsync(null, 20)).GetProperty("totalCount").GetInt32() == pending, TimeSpan.FromSeconds(Math.Max(2, options.Seconds / 2)), 1);
    Console.WriteLine($"  {pending:N0} pending: read whole in p50 {measure.P50:N1} ms, p99 {measure.P99:N1} ms; the console's first page p99 {firstPage.P99:N1} ms");
    return (measure with { Count = pending, Errors = measure.Errors + errors + firstPage.Errors }, firstPage);
}

async Task<Measure> PgbenchPrimaryKeyAsync()
{
    // Rows of a citizen document's size, looked up by primary key, at the same client count.
    await ExecuteAsync("""
        CREATE TABLE IF NOT EXISTS bench_pk (id int PRIMARY KEY, payload text NOT NULL);
        INSERT INTO bench_pk SELECT g, repeat(md5(g::text), 16) FROM generate_series(1, 100000) g ON CONFLICT DO NOTHING;
        ANALYZE bench_pk;
        """);
    return await PgbenchAsync("\\set id random(1, 100000)\nSELECT payload FROM bench_pk WHERE id = :id;\n", options.Clients);
}

// One pgbench run of a custom script on the benchmark database: transactions/s and per-transaction latencies.
async Task<Measure> PgbenchAsync(string scriptText, int clients)
{
    var dir = Directory.CreateTempSubdirectory("registry-pgbench");
    var script = Path.Combine(dir.FullName, "script.sql");
    await File.WriteAllTextAsync(script, scriptText);
    var b = new NpgsqlConnectionStringBuilder(connection);
    var env = new Dictionary<string, string> { ["PGPASSWORD"] = b.Password ?? "" };
    var output = await RunAsync("pgbench", $"-n -h {b.Host} -p {b.Port} -U {b.Username} -c {clients} -j {Math.Min(clients, Environment.ProcessorCount)} -T {options.Seconds} -l --log-prefix={dir.FullName}/log -f {script} {database}", env, workingDirectory: dir.FullName);
    var tps = double.Parse(output.Split('\n').First(l => l.StartsWith("tps")).Split('=')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    var latencies = Directory.GetFiles(dir.FullName, "log*").SelectMany(File.ReadLines)
        .Select(l => double.Parse(l.Split(' ')[2], CultureInfo.InvariantCulture) / 1000.0).Order().ToArray();
    dir.Delete(recursive: true);
    return new Measure(tps, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Length, 0);
}

async Task<long> EnsurePopulationAsync(int size)
{
    await EnsureDatabaseAsync();
    var count = await ScalarAsync<long>($"SELECT count(*) FROM {schema.Citizens}");
    if (count >= size * 0.95) return count;
    Console.WriteLine($"Seeding {size:N0} citizens (bulk) into {database}…");
    var seed = Stopwatch.StartNew();
    await RunAsync("dotnet", $"Registry.Api.dll seed --bulk --households {(int)(size / 3.16)}", ApiEnvironment(), quiet: true);
    count = await ScalarAsync<long>($"SELECT count(*) FROM {schema.Citizens}");
    Console.WriteLine($"  {count:N0} citizens in {seed.Elapsed.TotalSeconds:N0} s ({count / seed.Elapsed.TotalSeconds:N0}/s)");
    return count;
}

async Task<Measure> PgbenchInsertAsync(int clients)
{
    // One row of an event's size per transaction, committed on its own: what a single write costs PostgreSQL.
    await ExecuteAsync("DROP TABLE IF EXISTS bench_insert; CREATE TABLE bench_insert (id bigserial PRIMARY KEY, stream uuid NOT NULL, payload text NOT NULL);");
    var measure = await PgbenchAsync("INSERT INTO bench_insert (stream, payload) VALUES (gen_random_uuid(), repeat('x', 500));\n", clients);
    await ExecuteAsync("DROP TABLE IF EXISTS bench_insert;");
    return measure;
}

// Valid ID numbers nobody holds yet, for registrations (the bench database keeps what earlier runs registered).
static Queue<string> FreshIdNumbers(IEnumerable<string> taken)
{
    var used = taken.ToHashSet();
    var fresh = new Queue<string>();
    var random = new Random(11);
    while (fresh.Count < 400_000)
    {
        var born = new DateOnly(1940, 1, 1).AddDays(random.Next(0, 65 * 365));
        var id = Registry.Domain.Citizens.SaIdNumber.Create(born, Registry.Domain.Common.Sex.Female, Registry.Domain.Common.Citizenship.Citizen, random.Next(0, 5000)).Value;
        if (used.Add(id)) fresh.Enqueue(id);
    }
    return fresh;
}

static object RegisterBody(string idNumber, string selection = "", string firstNames = "Bench", string surname = "Mokoena")
{
    var born = DateOnly.ParseExact(idNumber[..6], "yyMMdd", CultureInfo.InvariantCulture);
    if (born > DateOnly.FromDateTime(DateTime.Today)) born = born.AddYears(-100);
    return new
    {
        query = $"mutation($i: RegisterCitizenInput!) {{ registerCitizen(input: $i) {{ version errors {{ code }} {selection} }} }}",
        variables = new
        {
            i = new
            {
                idNumber, firstNames, surname, dateOfBirth = born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), sex = "FEMALE", citizenship = "CITIZEN",
                address = new { line1 = "1 Bench Street", city = "Cape Town", municipalityCode = "CPT", province = "WESTERN_CAPE", postalCode = "8001" },
            },
        },
    };
}

static object ApplyBody(string idNumber) => new
{
    query = "mutation($i: ApplyForEntitlementInput!) { applyForEntitlement(input: $i) { version errors { code } } }",
    variables = new { i = new { programme = "OLDER_PERSONS_GRANT", beneficiaryIdNumber = idNumber } },
};

static object DeclareIncomeBody(string idNumber, int i) => new
{
    query = "mutation($i: DeclareIncomeInput!) { declareIncome(input: $i) { version errors { code } } }",
    variables = new { i = new { idNumber, monthlyIncome = 1000 + i % 5000, source = "EMPLOYMENT" } },
};

static int FreePort()
{
    using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    probe.Start();
    return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

Dictionary<string, string> ApiEnvironment() => new()
{
    // The service applies its own Npgsql tuning (RegistryConnection); --connection-options overrides it to compare.
    ["ConnectionStrings__Registry"] = connection + ";Maximum Pool Size=64" + (options.ConnectionOptions is { } extra ? ";" + extra : ""),
    ["Auth__SigningKey"] = signingKey,
    ["Integrity__CheckpointKey"] = "bench-checkpoint-key-0123456789abcdef0123456789ab",
    // Fixed keys for a throwaway benchmark database (Production requires them).
    ["Registry__MasterKey"] = "YmVuY2gtbWFzdGVyLWtleS0wMTIzNDU2Nzg5YWJjZGU=",
    ["Registry__BlindIndexKey"] = "YmVuY2gtYmxpbmQtaW5kZXgta2V5LTAxMjM0NTY3ODk=",
    ["Wolverine__Durability"] = "Solo",
    ["ASPNETCORE_ENVIRONMENT"] = "Production",
    ["Logging__LogLevel__Default"] = "Warning",
    // The benchmark's own webhook subscriber listens on plain http on loopback: a closed bench, not a deployment.
    ["Webhooks__AllowedHosts"] = "127.0.0.1",
    ["Webhooks__RequireHttps"] = "false",
    // Seal often: a first checkpoint over a whole benchmark database is a start-up cost, not the steady state measured.
    ["Integrity__CheckpointSeconds"] = "5",
    ["Registry__SimulationPageSize"] = options.SimulationPageSize.ToString(CultureInfo.InvariantCulture),
    ["Auth__Oidc__Authority"] = provider.Address.ToString(),
    ["Auth__Oidc__ClientId"] = Registry.Testing.TestIdentityProvider.ClientId,
    ["Auth__Oidc__ClientSecret"] = Registry.Testing.TestIdentityProvider.ClientSecret,
    ["Auth__Oidc__RoleClaim"] = Registry.Testing.TestIdentityProvider.RoleClaim,
    ["Auth__Oidc__RequireHttpsMetadata"] = "false",
};

Process StartApi()
{
    var info = new ProcessStartInfo("dotnet", $"Registry.Api.dll serve --urls {options.Url}")
    {
        WorkingDirectory = ApiDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
    };
    foreach (var (k, v) in ApiEnvironment()) info.Environment[k] = v;
    var process = Process.Start(info)!;
    Api = process;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    _ = Task.Run(async () =>
    {
        while (!process.HasExited)
        {
            try { process.Refresh(); ApiPeakMb = Math.Max(ApiPeakMb, process.PeakWorkingSet64 / 1_048_576.0); } catch (InvalidOperationException) { }
            await Task.Delay(500);
        }
    });
    return process;
}

async Task WaitForApiAsync()
{
    for (var i = 0; i < 120; i++)
    {
        try
        {
            var response = await http.PostAsJsonAsync("/graphql", new { query = "{ programmes { code } }" });
            if (response.IsSuccessStatusCode) return;
        }
        catch (HttpRequestException) { }
        await Task.Delay(500);
    }
    throw new InvalidOperationException("The API did not start.");
}

// The feed with the most notices (a municipality's households in a seeded register), read from its start as its department.
async Task<FeedMeasure> ReadLargestFeedAsync()
{
    var audience = (await ListAsync($"SELECT data ->> 'Audience' FROM {schema.Document<ChangeNotice>()} GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")).Single();
    Console.WriteLine($"Reading the {audience} change feed from the start…");
    using var reader = new HttpClient { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(60) };
    reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
        TokenIssuer.Issue(new AuthSettings { SigningKey = signingKey }, "bench-feed", [Roles.Department(audience)], TimeSpan.FromHours(2), DateTimeOffset.UtcNow));
    reader.DefaultRequestHeaders.Add("X-Purpose", "benchmark");
    var clock = Stopwatch.StartNew();
    var (notices, pages) = (0L, 1);
    for (string? cursor = null; ; pages++)
    {
        var body = await (await reader.PostAsJsonAsync("/graphql", new
        {
            query = "query($a: String) { changes(after: $a, first: 1000) { edges { node { id position kind occurredAt recordedAt programme subjectIdNumber householdId before { eligible monthlyAmount status } after { eligible monthlyAmount status } changedCriteria correlationId } } pageInfo { hasNextPage endCursor } } }",
            variables = new { a = cursor },
        })).Content.ReadAsStringAsync();
        var changes = JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("changes");
        notices += changes.GetProperty("edges").GetArrayLength();
        cursor = changes.GetProperty("pageInfo").GetProperty("endCursor").GetString();
        if (!changes.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean()) break;
    }
    var measure = new FeedMeasure(audience, notices, pages, notices / clock.Elapsed.TotalSeconds);
    Console.WriteLine($"  {notices:N0} notices in {pages} pages, {clock.Elapsed.TotalSeconds:N1} s ({measure.PerSecond:N0}/s)");
    return measure;
}

// Suspends then reinstates held grants at a steady rate, each request under its own correlation id, and times from
// sending it (before its commit, so the figure is an upper bound) to the subscriber's receipt of the notice it caused.
async Task<WebhookMeasure> MeasureWebhookLatencyAsync(int perSecond, TimeSpan duration)
{
    var total = (int)(perSecond * duration.TotalSeconds) / 2 * 2;
    var held = await ListAsync($"SELECT id::text FROM {schema.Entitlements} WHERE data ->> 'Status' = 'Active' ORDER BY random() LIMIT {total / 2}");
    var port = FreePort();
    using var listener = new System.Net.HttpListener();
    listener.Prefixes.Add($"http://127.0.0.1:{port}/bench/");
    listener.Start();
    var sentAt = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
    var latencies = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
    var receiving = Task.Run(async () =>
    {
        while (listener.IsListening)
        {
            System.Net.HttpListenerContext request;
            try { request = await listener.GetContextAsync(); } catch (Exception) { return; }
            var received = Stopwatch.GetTimestamp();
            using (var reader = new StreamReader(request.Request.InputStream))
                foreach (var notice in JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.GetProperty("notices").EnumerateArray())
                    if (notice.GetProperty("correlationId").GetString() is { } id && sentAt.TryGetValue(id, out var sent))
                        latencies.TryAdd(id, Stopwatch.GetElapsedTime(sent, received).TotalMilliseconds);
            request.Response.StatusCode = 200;
            request.Response.Close();
        }
    });
    var subscription = (await GraphQLAsync(sassa, $"mutation {{ subscribe(input: {{ callbackUrl: \"http://127.0.0.1:{port}/bench/hook\", kinds: [ENTITLEMENT_STATUS_CHANGED] }}) {{ subscription {{ id }} errors {{ code }} }} }}"))
        .GetProperty("subscribe").GetProperty("subscription").GetProperty("id").GetString()!;
    Console.WriteLine($"Changing {held.Count:N0} grants twice at {perSecond}/s with a live webhook subscriber…");
    var changes = new List<Task>();
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < held.Count * 2; i++)
    {
        var wait = TimeSpan.FromSeconds((double)i / perSecond) - clock.Elapsed;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        var (grant, action, correlation) = (held[i % held.Count], i < held.Count ? "suspendEntitlement" : "reinstateEntitlement", $"bench-webhook-{i}");
        changes.Add(Task.Run(async () =>
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "/graphql")
            {
                Content = JsonContent.Create(new { query = $"mutation($i: EntitlementActionInput!) {{ {action}(input: $i) {{ errors {{ code }} }} }}", variables = new { i = new { entitlementId = grant, reason = "benchmark" } } }),
            };
            message.Headers.Add("X-Correlation-Id", correlation);
            sentAt[correlation] = Stopwatch.GetTimestamp();
            (await http.SendAsync(message)).EnsureSuccessStatusCode();
        }));
    }
    await Task.WhenAll(changes);
    for (var waited = Stopwatch.StartNew(); latencies.Count < sentAt.Count && waited.Elapsed < TimeSpan.FromSeconds(30);) await Task.Delay(100);
    await GraphQLAsync(sassa, $"mutation {{ unsubscribe(id: \"{subscription}\") {{ errors {{ code }} }} }}");
    listener.Stop();
    await receiving;
    var sorted = latencies.Values.Order().ToArray();
    var measure = new WebhookMeasure(sentAt.Count, sentAt.Count - sorted.Length, Percentile(sorted, 0.5), Percentile(sorted, 0.99));
    Console.WriteLine($"  {sorted.Length:N0} of {sentAt.Count:N0} told; p50 {measure.P50:N0} ms, p99 {measure.P99:N0} ms");
    return measure;
}

// Lookups are measured with the async daemon idle: a catch-up running beside them is a different load.
async Task WaitForCatchUpAsync()
{
    var waited = Stopwatch.StartNew();
    while (waited.Elapsed < TimeSpan.FromMinutes(20))
    {
        var body = await (await http.PostAsJsonAsync("/graphql", new { query = "{ municipality(code: \"CPT\") { freshness { eventsBehind } } }" })).Content.ReadAsStringAsync();
        if (JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("municipality").GetProperty("freshness").GetProperty("eventsBehind").GetInt32() == 0) break;
        await Task.Delay(250);
    }
    // And with the integrity checkpoints sealed up to here, and every change noticed.
    var high = await ScalarAsync<long>(schema.HighWaterMark);
    while (waited.Elapsed < TimeSpan.FromMinutes(25)
           && await ScalarAsync<long>($"SELECT coalesce((SELECT max(last_seq_id) FROM {schema.EventProgression} WHERE name LIKE '{NoticeWriter.Title}%'), 0)") < high)
        await Task.Delay(250);
    while (waited.Elapsed < TimeSpan.FromMinutes(25)
           && await ScalarAsync<long>($"SELECT coalesce((SELECT max(id) FROM {schema.Document<IntegrityCheckpoint>()}), 0)") < high)
        await Task.Delay(500);
}

async Task EnsureDatabaseAsync()
{
    await using var admin = new NpgsqlConnection(serverConnection);
    await admin.OpenAsync();
    await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", admin) { Parameters = { new() { Value = database } } };
    if (await exists.ExecuteScalarAsync() is null)
        await new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin).ExecuteNonQueryAsync();
}

async Task<T> ScalarAsync<T>(string sql)
{
    await using var conn = new NpgsqlConnection(connection);
    await conn.OpenAsync();
    try { return (T)(await new NpgsqlCommand(sql, conn).ExecuteScalarAsync())!; }
    catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable) { return default!; }
}

async Task<List<string>> ListAsync(string sql)
{
    await using var conn = new NpgsqlConnection(connection);
    await conn.OpenAsync();
    await using var reader = await new NpgsqlCommand(sql, conn).ExecuteReaderAsync();
    var list = new List<string>();
    while (await reader.ReadAsync()) list.Add(reader.GetString(0));
    return list;
}

async Task ExecuteAsync(string sql)
{
    await using var conn = new NpgsqlConnection(connection);
    await conn.OpenAsync();
    await new NpgsqlCommand(sql, conn).ExecuteNonQueryAsync();
}

async Task<string> RunAsync(string file, string arguments, Dictionary<string, string> environment, bool quiet = false, string? workingDirectory = null)
{
    var info = new ProcessStartInfo(file, arguments) { WorkingDirectory = workingDirectory ?? ApiDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var (k, v) in environment) info.Environment[k] = v;
    using var process = Process.Start(info)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed: {await stderr}");
    if (!quiet) Console.Error.Write(await stderr);
    return await stdout;
}

partial class Program
{
    static double ApiPeakMb;
    static Process? Api;

    // The API process's CPU time so far (all its threads: requests, the async daemon, background writers).
    static TimeSpan ApiCpu()
    {
        if (Api is not { HasExited: false } api) return TimeSpan.Zero;
        api.Refresh();
        return api.TotalProcessorTime;
    }

    // A figure of the API process's memory in MB from /proc (VmRSS now, VmHWM its peak so far); the working set elsewhere.
    static double ApiResidentMb(string field)
    {
        if (Api is not { HasExited: false } api) return 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{api.Id}/status"))
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException) { }
        api.Refresh();
        return (field == "VmHWM" ? api.PeakWorkingSet64 : api.WorkingSet64) / 1_048_576.0;
    }

    static string ApiDirectory => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../Registry.Api/bin/Release/net10.0"));
}

/// <param name="Stored">How many events of each personal type the register holds: the per-event rows weigh the types by it.</param>
sealed record SealingResult(SetCost Sample, Dictionary<string, long> Stored, double KeyCreationUs, IReadOnlyList<SealingShare> Shares);

/// <param name="SealingUs">What sealing adds to one request (µs of CPU), from the events it wrote or opened.</param>
sealed record SealingShare(string Measure, double SealingUs, double CpuUs, double P50Ms, double EventsPerRequest, SetCost Events);

/// <param name="Seconds">From sending the mutation until the bench saw DONE (polled every 200 ms).</param>
/// <param name="ServiceSeconds">The run's own startedAt to finishedAt.</param>
sealed record SimulationMeasure(string Id, [property: System.Text.Json.Serialization.JsonIgnore] long Started, string Status = "QUEUED", long People = 0, long Total = 0, double Seconds = 0, double ServiceSeconds = 0)
{
    public double PerSecond => Seconds == 0 ? 0 : People / Seconds;

    public SimulationMeasure Finished(SimulationState state) => this with
    {
        Status = state.Status, People = state.Done, Total = state.Total, Seconds = Stopwatch.GetElapsedTime(Started).TotalSeconds, ServiceSeconds = state.ServiceSeconds,
    };
}

sealed record SimulationState(string Status, long Done, long Total, double ServiceSeconds);

sealed record FeedMeasure(string Audience, long Notices, int Pages, double PerSecond);

sealed record WebhookMeasure(int Changes, int Lost, double P50, double P99);

/// <param name="ApiCpuMs">The API process's CPU time per request during the measure (0 for pgbench).</param>
sealed record Measure(double PerSecond, double P50, double P99, int Count, int Errors, double ApiCpuMs = 0, double P95 = 0);

/// <param name="Percent">The ratio is a share, shown (with an AtMost target) in per cent.</param>
/// <param name="AtLeast">A target on the ratio that may be met exactly (≥), for figures whose second column is the target itself.</param>
sealed record Row(string Measure, double Registry, double Baseline, double? Target, string? Note = null, double? AtMost = null, bool Percent = false, string Digits = "N1",
    double? AtLeast = null);

sealed record DuplicatesMeasure(IReadOnlyList<Row> Rows, object Json, int Errors);

/// <param name="Seconds">The verb's wall time, start-up included.</param>
/// <param name="ProgressLines">Lines the verb printed while it went (one every 10,000 people).</param>
sealed record ReportMeasure(long People, long Pairs, double Threshold, double Seconds, double PeakMb, int ProgressLines, int ExitCode);

sealed record Options(int Citizens, int Seconds, int Clients, int[] MutationClients, int[] Sizes, int ImportRows, string? ConnectionOptions, string Url, int SimulationPageSize,
    double DuplicateShare, string? ReportRegister, bool DuplicatesOnly)
{
    public static Options Parse(string[] args)
    {
        string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Arg(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var mutationClients = (Arg("--mutation-clients") ?? "1,4,16").Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // "none" skips the comparison of register sizes (the 1,000,000-citizen register takes minutes to seed once).
        var sizes = Arg("--sizes") is "none" ? [] : (Arg("--sizes") ?? "10000,1000000").Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return new Options(Int("--citizens", 100_000), Int("--seconds", 15), Int("--clients", 4), mutationClients, sizes, Int("--import-rows", 100_000), Arg("--connection-options"), "http://127.0.0.1:5090",
            Int("--simulation-page-size", 1_000), Arg("--duplicates") is { } share ? double.Parse(share, CultureInfo.InvariantCulture) : 0.02, Arg("--report-register"),
            Arg("--only") is "duplicates");
    }
}
