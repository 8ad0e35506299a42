using Marten;
using Registry.Api.Auth;
using Registry.Api.Seeding;
using Registry.Domain.Citizens;
using Registry.Projections;

namespace Registry.Api.Hosting;

public static class Verbs
{
    public static async Task<int> ServeAsync(string[] args)
    {
        await RegistryHost.Build(args).RunAsync();
        return 0;
    }

    /// <summary>Creates the demo population through the same command path as the API, only when the register is empty.</summary>
    public static async Task<int> SeedAsync(string[] args)
    {
        var households = Option(args, "--households") is { } n ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 120;
        var bulk = args.Contains("--bulk");
        // A throwaway port: seeding must not collide with a running API.
        var app = RegistryHost.Build([.. args.Where((a, i) => a is not ("--households" or "--bulk") && (i == 0 || args[i - 1] != "--households")), "--urls", "http://127.0.0.1:0"]);
        await app.StartAsync();
        try
        {
            await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
            var existing = await session.Query<Citizen>().CountAsync();
            if (existing > 0)
            {
                Console.WriteLine($"The register already holds {existing} citizens; not seeding.");
                return 0;
            }
            var started = System.Diagnostics.Stopwatch.StartNew();
            var summary = bulk
                ? await BulkPopulation.WriteAsync(app.Services.GetRequiredService<IDocumentStore>(), TimeProvider.System, households,
                    done => Console.Error.Write($"\r  {done:N0} citizens written ({done / Math.Max(0.001, started.Elapsed.TotalSeconds):N0}/s)"))
                : await DemoPopulation.SeedAsync(app.Services, households, CancellationToken.None);
            if (bulk) Console.Error.WriteLine();
            Console.WriteLine($"Seeded {summary.Citizens} citizens in {summary.Households} households ({summary.Rejected} rejected).");
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>
    /// verify [--witness DIGEST|FILE]: recomputes every stream's hash chain and every signed checkpoint; with a
    /// witness (what `witness` printed, or its digest), one checkpoint must also match it. Exit code 0 when
    /// intact, 1 when not, 2 when the witness cannot be read.
    /// </summary>
    public static async Task<int> VerifyAsync(string[] args)
    {
        Registry.Projections.Integrity.CheckpointWitness? witness = null;
        if (Option(args, "--witness") is { } given)
        {
            witness = Registry.Projections.Integrity.CheckpointWitness.Parse(File.Exists(given) ? await File.ReadAllTextAsync(given) : given);
            if (witness is null)
            {
                Console.Error.WriteLine("--witness takes the line `witness` printed (or a file holding it), or a checkpoint digest of 64 hex digits.");
                return 2;
            }
        }
        // Reading only: this process must not also claim the async projections.
        var app = RegistryHost.Build([.. WithoutOptions(args, "--witness"), "--urls", "http://127.0.0.1:0", "--Wolverine:Durability=MediatorOnly"]);
        await app.StartAsync();
        try
        {
            await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
            var started = System.Diagnostics.Stopwatch.StartNew();
            var report = await Registry.Projections.Integrity.EventChainVerifier.VerifyAsync(session, null, CancellationToken.None);
            var rate = report.EventsChecked / Math.Max(0.001, started.Elapsed.TotalSeconds);
            Console.WriteLine(report.Intact
                ? $"Chains intact: {report.EventsChecked:N0} events in {report.StreamsChecked:N0} streams verified in {started.Elapsed.TotalSeconds:N1} s ({rate:N0} events/s)."
                : $"BROKEN: first broken link at sequence {report.FirstBrokenSequence} (stream {report.FirstBrokenStream}); {report.EventsChecked:N0} events in {report.StreamsChecked:N0} streams checked.");
            var checkpoints = await Registry.Projections.Integrity.IntegrityCheckpoints.VerifyAsync(session,
                app.Services.GetRequiredService<Audit.CheckpointKey>().Bytes, CancellationToken.None, witness);
            Console.WriteLine(checkpoints.Finding switch
            {
                Registry.Projections.Integrity.CheckpointFinding.Intact when witness is not null =>
                    $"Checkpoints intact: {checkpoints.CheckpointsChecked} signed checkpoints; the witnessed one, sealed up to sequence {checkpoints.WitnessedSequence}, matches.",
                Registry.Projections.Integrity.CheckpointFinding.Intact => $"Checkpoints intact: {checkpoints.CheckpointsChecked} signed checkpoints over the global sequence.",
                Registry.Projections.Integrity.CheckpointFinding.NoCheckpoint => "NOT INTACT: events are stored but no signed checkpoint seals them (deleted, or none written yet).",
                Registry.Projections.Integrity.CheckpointFinding.WitnessNotMatched => "BROKEN: no checkpoint recomputed from the stored events has the witnessed digest: the register was rewritten since, or the witness is of another register.",
                _ => $"BROKEN: the checkpoint sealed up to sequence {checkpoints.FirstBrokenCheckpoint} no longer matches.",
            });
            return report.Intact && checkpoints.Intact ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>
    /// witness [--out FILE]: prints the newest signed checkpoint as one JSON line (sequence, digest, signature, time),
    /// for someone outside the register to keep, after checking that the register verifies.
    /// </summary>
    public static async Task<int> WitnessAsync(string[] args)
    {
        var output = Option(args, "--out");
        var app = RegistryHost.Build([.. WithoutOptions(args, "--out"), "--urls", "http://127.0.0.1:0", "--Wolverine:Durability=MediatorOnly"]);
        await app.StartAsync();
        try
        {
            await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
            var chains = await Registry.Projections.Integrity.EventChainVerifier.VerifyAsync(session, null, CancellationToken.None);
            var checkpoints = await Registry.Projections.Integrity.IntegrityCheckpoints.VerifyAsync(session,
                app.Services.GetRequiredService<Audit.CheckpointKey>().Bytes, CancellationToken.None);
            var latest = await Registry.Projections.Integrity.IntegrityCheckpoints.LatestAsync(session, CancellationToken.None);
            if (latest is null)
            {
                Console.Error.WriteLine("No signed checkpoint to witness yet; the service writes one every Integrity:CheckpointSeconds.");
                return 1;
            }
            // A witness must never vouch for a register that already fails its own checks.
            if (!chains.Intact || !checkpoints.Intact)
            {
                Console.Error.WriteLine("Not witnessing: the register does not verify; run `verify`.");
                return 1;
            }
            var line = System.Text.Json.JsonSerializer.Serialize(new { sequence = latest.UpToSequence, digest = latest.Digest, signature = latest.Signature, at = latest.At });
            if (output is null) Console.WriteLine(line);
            else await File.WriteAllTextAsync(output, line + "\n");
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>
    /// Rebuilds every read model from the events, all projections at once, reporting each as it ends. Run it
    /// with the API stopped: the rebuild replaces documents the API reads.
    /// </summary>
    public static async Task<int> RebuildAsync(string[] args)
    {
        // Wolverine as a mediator only: this process must not also claim the async projections.
        var app = RegistryHost.Build([.. args, "--urls", "http://127.0.0.1:0", "--Wolverine:Durability=MediatorOnly"]);
        await app.StartAsync();
        try
        {
            var store = app.Services.GetRequiredService<IDocumentStore>();
            await using (var session = store.QuerySession())
            {
                var events = (await session.AdvancedSql.QueryAsync<long>("SELECT count(*) FROM registry.mt_events WHERE type <> 'tombstone'", CancellationToken.None))[0];
                Console.WriteLine($"Rebuilding every read model from {events:N0} events.");
                using var daemon = await store.BuildProjectionDaemonAsync();
                var total = System.Diagnostics.Stopwatch.StartNew();
                // The projections of one phase at once: each reads the events on its own, so their reads and
                // writes overlap. The async phase waits for the inline one, whose documents it reads.
                var display = Import.ImportConsole.ForStandardError();
                var phases = ((StoreOptions)store.Options).RebuildPhases();
                var names = phases.SelectMany(p => p).ToArray();
                var finished = new System.Collections.Concurrent.ConcurrentQueue<string>();
                await WatchProgressionAsync(store, display, "rebuild", names, 0, async () =>
                {
                    foreach (var phase in phases)
                        await Task.WhenAll(phase.Select(async name =>
                        {
                            var one = System.Diagnostics.Stopwatch.StartNew();
                            await daemon.RebuildProjectionAsync(name, TimeSpan.FromMinutes(60), CancellationToken.None);
                            finished.Enqueue($"  {name,-32} {one.Elapsed.TotalSeconds,7:N1} s  {events / Math.Max(0.001, one.Elapsed.TotalSeconds),10:N0} events/s");
                        }));
                });
                foreach (var line in finished) Console.WriteLine(line);
                var seconds = Math.Max(0.001, total.Elapsed.TotalSeconds);
                Console.WriteLine($"Done in {seconds:N1} s: {events:N0} events replayed into {names.Length} projections, {events / seconds:N0} events/s.");
            }
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>generate [--citizens N] [--out FILE] [--seed S]: a synthetic register in the legacy CSV format (Bogus, fixed seed).</summary>
    public static int Generate(string[] args)
    {
        var citizens = Option(args, "--citizens") is { } n ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        var seed = Option(args, "--seed") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Import.SyntheticRegister.DefaultSeed;
        var output = Option(args, "--out") ?? "register.csv";
        var started = System.Diagnostics.Stopwatch.StartNew();
        using (var writer = new StreamWriter(output, false, new System.Text.UTF8Encoding(false), 1 << 16))
        {
            var written = Import.SyntheticRegister.Generate(writer, citizens, TimeProvider.System.Today(), seed);
            Console.WriteLine($"Wrote {written:N0} citizens to {output} in {started.Elapsed.TotalSeconds:N1} s.");
        }
        return 0;
    }

    /// <summary>
    /// import FILE [--rejects FILE] [--batch HOUSEHOLDS] [--parallel SAVES] [--no-catch-up]: imports a legacy register export;
    /// bad rows go to the reject report as they are found. Afterwards the async projections are caught up.
    /// </summary>
    public static async Task<int> ImportAsync(string[] args)
    {
        var file = Positional(args, "--rejects", "--batch", "--parallel");
        if (file is null || !File.Exists(file))
        {
            Console.Error.WriteLine("import needs the path of a legacy register CSV file.");
            return 2;
        }
        var rejectsFile = Option(args, "--rejects") ?? Path.ChangeExtension(file, ".rejects.csv");
        var perTransaction = Option(args, "--batch") is { } b ? int.Parse(b, System.Globalization.CultureInfo.InvariantCulture) : 250;
        var inFlight = Option(args, "--parallel") is { } p ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : 2;
        // Warnings only: the progress display is the output, not the schema SQL and the daemon's every page.
        // Checkpoints are the API's job: sealing millions of fresh events here would only cost memory.
        var app = RegistryHost.Build(["--urls", "http://127.0.0.1:0", "--Wolverine:Durability=MediatorOnly", "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.AspNetCore.StaticFiles=Error", "--Integrity:CheckpointSeconds=864000"]);
        await app.StartAsync();
        try
        {
            var store = app.Services.GetRequiredService<IDocumentStore>();
            var display = Import.ImportConsole.ForStandardError();
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var input = new StreamReader(stream);
            await using var report = new StreamWriter(rejectsFile);
            using var rejects = new CsvHelper.CsvWriter(report, System.Globalization.CultureInfo.InvariantCulture);
            foreach (var column in new[] { "row", "id_number", "code", "message" }) rejects.WriteField(column);
            rejects.NextRecord();

            // A file that is no legacy register export (empty, another header) is the operator's mistake: one line, exit 2.
            Import.LegacyRegister.Summary summary;
            try
            {
                summary = await display.RunAsync("import", stream.Length, step =>
                    Import.LegacyRegister.ImportAsync(input, store, TimeProvider.System,
                        p => step.Update(stream.Position, $"{p.Rows:N0} rows, {p.Rows / Math.Max(0.001, p.Elapsed.TotalSeconds):N0} rows/s, " +
                                                          $"{p.Events / Math.Max(0.001, p.Elapsed.TotalSeconds):N0} events/s, {p.Rejected:N0} rejected"),
                        CancellationToken.None, perTransaction,
                        r => { rejects.WriteField(r.Row); rejects.WriteField(r.IdNumber); rejects.WriteField(r.Code); rejects.WriteField(r.Message); rejects.NextRecord(); },
                        inFlight));
            }
            catch (InvalidDataException notAnExport)
            {
                Console.Error.WriteLine($"import: {file}: {notAnExport.Message}");
                return 2;
            }
            var seconds = Math.Max(0.001, summary.Elapsed.TotalSeconds);
            Console.WriteLine($"{summary.Rows:N0} rows in {seconds:N1} s: {summary.Imported:N0} citizens imported in {summary.Households:N0} households, " +
                              $"{summary.Skipped:N0} already in the register, {summary.Rejected:N0} rejected (see {rejectsFile}); " +
                              $"{summary.Rows / seconds:N0} rows/s, {summary.Events:N0} events ({summary.Events / seconds:N0} events/s).");
            Console.WriteLine($"Peak working set during the import {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1_048_576:N0} MB.");
            if (!args.Contains("--no-catch-up")) await CatchUpAsyncProjectionsAsync(store, display);
            else Console.WriteLine("Async projections not caught up here: a running API's daemon does it, or run `rebuild`.");
            Console.WriteLine($"Peak working set {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1_048_576:N0} MB.");
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>Runs every async projection up to the last event, showing how far it is.</summary>
    private static async Task CatchUpAsyncProjectionsAsync(IDocumentStore store, Import.ImportConsole display)
    {
        var asyncNames = store.Options.Events.Projections().Where(p => p.Lifecycle == JasperFx.Events.Projections.ProjectionLifecycle.Async)
            .Select(p => p.Name).Distinct().ToArray();
        if (asyncNames.Length == 0) return;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var daemon = await store.BuildProjectionDaemonAsync();
        var events = await WatchProgressionAsync(store, display, "async projections", asyncNames, null, () => daemon.CatchUpAsync(CancellationToken.None));
        Console.WriteLine(events == 0
            ? $"Async projections ({string.Join(", ", asyncNames)}) are up to date."
            : $"Async projections ({string.Join(", ", asyncNames)}) caught up over {events:N0} events in {clock.Elapsed.TotalSeconds:N1} s.");
    }

    /// <summary>
    /// Runs <paramref name="work"/> (a catch-up or a rebuild) while showing how far the named projections
    /// have got in mt_event_progression, from <paramref name="from"/> (or where they stand) to the last event.
    /// Returns how many events that spans; 0, without running the work, when there is nothing to do.
    /// </summary>
    private static async Task<long> WatchProgressionAsync(IDocumentStore store, Import.ImportConsole display, string title, string[] names, long? from, Func<Task> work)
    {
        await using var session = store.QuerySession();
        async Task<long> Scalar(string sql) => (await session.AdvancedSql.QueryAsync<long>(sql, CancellationToken.None))[0];
        var high = await Scalar("SELECT coalesce(max(seq_id), 0) FROM registry.mt_events");
        var floorQuery = string.Format(System.Globalization.CultureInfo.InvariantCulture,
            "SELECT CASE WHEN count(*) < {0} THEN 0 ELSE coalesce(min(last_seq_id), 0) END FROM registry.mt_event_progression WHERE {1}",
            names.Length, string.Join(" OR ", names.Select(n => $"name LIKE '{n.Replace("'", "''")}:%'")));
        var start = from ?? await Scalar(floorQuery);
        if (start >= high) return 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await display.RunAsync(title, high - start, async step =>
        {
            var running = work();
            while (await Task.WhenAny(running, Task.Delay(1000)) != running)
            {
                var at = Math.Max(start, await Scalar(floorQuery));
                step.Update(at - start, $"sequence {at:N0} of {high:N0}, {(at - start) / Math.Max(0.001, clock.Elapsed.TotalSeconds):N0} events/s");
            }
            await running;
            step.Update(high - start, $"sequence {high:N0} of {high:N0}");
            return 0;
        });
        return high - start;
    }

    /// <summary>Rebuilds into a scratch schema and compares with the live read models; exit code 1 on any difference.</summary>
    public static async Task<int> VerifyProjectionsAsync(string[] args)
    {
        var configuration = WebApplication.CreateBuilder(args).Configuration;
        var connectionString = configuration.GetConnectionString(RegistryHost.ConnectionStringName)
            ?? throw new ConfigurationMissingException("Set ConnectionStrings__Registry.");
        var result = await Audit.ProjectionVerification.RunAsync(connectionString, configuration, Console.WriteLine, CancellationToken.None);
        foreach (var difference in result.Differences) Console.WriteLine($"  DIFFERENT: {difference}");
        Console.WriteLine(result.Differences.Count == 0
            ? $"Read models match a rebuild from {result.Events:N0} events ({result.Elapsed.TotalSeconds:N1} s)."
            : $"{result.Differences.Count} differences between the live read models and a rebuild from {result.Events:N0} events.");
        return result.Differences.Count == 0 ? 0 : 1;
    }

    /// <summary>export --id-number N | --stream GUID | --correlation ID [--out FILE]: history as JSON lines with hashes.</summary>
    public static async Task<int> ExportAsync(string[] args)
    {
        var (idNumber, stream, correlation, output) = (Option(args, "--id-number"), Option(args, "--stream"), Option(args, "--correlation"), Option(args, "--out"));
        if (new[] { idNumber, stream, correlation }.Count(x => x is not null) != 1)
        {
            Console.Error.WriteLine("export needs exactly one of --id-number N, --stream GUID or --correlation ID (and optionally --out FILE).");
            return 2;
        }
        var passThrough = args.Where((a, i) => !a.StartsWith("--") && (i == 0 || !args[i - 1].StartsWith("--"))).ToArray();
        var app = RegistryHost.Build([.. passThrough, "--urls", "http://127.0.0.1:0", "--Wolverine:Durability=MediatorOnly"]);
        await app.StartAsync();
        try
        {
            await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
            Guid? streamId = stream is not null && Guid.TryParse(stream, out var g) ? g : null;
            if (idNumber is not null) streamId = (await Citizens.CitizenLookup.FindAsync(session, idNumber, CancellationToken.None))?.Id;
            if (correlation is null && streamId is null)
            {
                Console.Error.WriteLine("No such citizen or stream.");
                return 2;
            }
            await using var writer = output is null ? Console.Out : new StreamWriter(output);
            var lines = await Audit.HistoryExport.WriteAsync(session, streamId, correlation, writer, CancellationToken.None);
            Console.Error.WriteLine($"Exported {lines} events.");
            return lines > 0 ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>verify-export FILE: checks an export's hashes offline, without the database.</summary>
    public static int VerifyExport(string[] args)
    {
        if (args.Length == 0 || !File.Exists(args[0]))
        {
            Console.Error.WriteLine("verify-export needs the path of an exported file.");
            return 2;
        }
        var (intact, lines, broken) = Audit.HistoryExport.VerifyFile(File.ReadLines(args[0]));
        Console.WriteLine(intact ? $"Intact: {lines} events verified." : $"BROKEN at sequence {broken} (line {lines}).");
        return intact ? 0 : 1;
    }

    /// <summary>
    /// Prints a token for the configured signing key; the token is the last line of output. Outside
    /// Development it refuses unless told --production: production tokens come from the identity provider.
    /// </summary>
    public static int Token(string[] args)
    {
        var roles = args.Select((a, i) => (a, i)).Where(p => p.a == "--role" && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToList();
        if (roles.Count == 0) roles.Add(Roles.Caseworker);
        if (roles.FirstOrDefault(r => !Roles.IsKnown(r)) is { } unknown)
        {
            Console.Error.WriteLine($"Unknown role '{unknown}'. Roles: caseworker, auditor, admin, department:SASSA|DHS|DBE|STATSSA, department:MUNICIPALITY:<CODE>.");
            return 2;
        }
        // The verb's own options are not configuration: only the rest (e.g. --environment) reaches the host builder.
        var builder = WebApplication.CreateBuilder([.. WithoutOptions(args, "--role", "--subject", "--hours").Where(a => a != "--production")]);
        if (!builder.Environment.IsDevelopment() && !args.Contains("--production"))
        {
            Console.Error.WriteLine($"Not minting a token against the {builder.Environment.EnvironmentName} configuration; pass --production if that is meant.");
            return 2;
        }
        var settings = AuthSettings.From(builder.Configuration);
        var subject = Option(args, "--subject") ?? $"dev-{roles[0].Replace(':', '-')}";
        var hours = settings.MaxTokenLifetimeHours;
        if (Option(args, "--hours") is { } h && !double.TryParse(h, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out hours)
            || !(hours > 0 && hours <= settings.MaxTokenLifetimeHours))
        {
            Console.Error.WriteLine($"--hours must be more than 0 and at most {settings.MaxTokenLifetimeHours:0.##} (Auth:MaxTokenLifetimeHours); the register refuses longer tokens.");
            return 2;
        }
        var token = TokenIssuer.Issue(settings, subject, roles, TimeSpan.FromHours(hours), TimeProvider.System.GetUtcNow());
        Console.Error.WriteLine($"Token for '{subject}' with roles {string.Join(", ", roles)}, valid {hours} h:");
        Console.WriteLine(token);
        return 0;
    }

    public static int Usage(string verb)
    {
        Console.Error.WriteLine($"Unknown verb '{verb}'. Verbs: serve (default), seed [--households N] [--bulk], verify [--witness DIGEST|FILE], rebuild, verify-projections, generate [--citizens N] [--out FILE] [--seed S], import FILE [--rejects FILE] [--batch HOUSEHOLDS] [--parallel SAVES] [--no-catch-up], export (--id-number N | --stream GUID | --correlation ID) [--out FILE], verify-export FILE, witness [--out FILE], token --role ROLE [--subject S] [--hours H] [--production].");
        return 2;
    }

    /// <summary>The arguments without the named options and their values: what is left is configuration for the host.</summary>
    private static string[] WithoutOptions(string[] args, params string[] valued) =>
        [.. args.Where((a, i) => !valued.Contains(a) && (i == 0 || !valued.Contains(args[i - 1])))];

    /// <summary>The first argument that is neither an option nor the value of one of <paramref name="valued"/>.</summary>
    private static string? Positional(string[] args, params string[] valued) =>
        args.Where((a, i) => !a.StartsWith("--") && (i == 0 || !valued.Contains(args[i - 1]))).FirstOrDefault();

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
