using JasperFx.CommandLine;
using Marten;
using Registry.Projections.Integrity;

namespace Registry.Api.Hosting.Verbs;

public sealed class VerifyInput : NetCoreInput
{
    [Description("What `witness` printed (or a file holding it), or a checkpoint digest of 64 hex digits: one checkpoint must also match it")]
    public string? WitnessFlag { get; set; }
}

/// <summary>Exit code 0 when intact, 1 when not, 2 when the witness cannot be read.</summary>
[Description("Recompute every stream's hash chain and every signed checkpoint; exit code 0 intact, 1 not, 2 an unreadable witness", Name = "verify")]
public sealed class VerifyCommand : RegistryVerb<VerifyInput>
{
    protected override async Task<int> RunAsync(VerifyInput input)
    {
        CheckpointWitness? witness = null;
        if (input.WitnessFlag is { } given)
        {
            witness = CheckpointWitness.Parse(File.Exists(given) ? await File.ReadAllTextAsync(given) : given);
            if (witness is null)
            {
                Console.Error.WriteLine("--witness takes the line `witness` printed (or a file holding it), or a checkpoint digest of 64 hex digits.");
                return 2;
            }
        }
        var app = BuildHost(input, MediatorOnly);
        await app.StartAsync();
        try
        {
            await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
            var started = System.Diagnostics.Stopwatch.StartNew();
            var report = await EventChainVerifier.VerifyAsync(session, null, CancellationToken.None);
            var rate = report.EventsChecked / Math.Max(0.001, started.Elapsed.TotalSeconds);
            Console.WriteLine(report.Intact
                ? $"Chains intact: {report.EventsChecked:N0} events in {report.StreamsChecked:N0} streams verified in {started.Elapsed.TotalSeconds:N1} s ({rate:N0} events/s)."
                : $"BROKEN: first broken link at sequence {report.FirstBrokenSequence} (stream {report.FirstBrokenStream}); {report.EventsChecked:N0} events in {report.StreamsChecked:N0} streams checked.");
            var checkpoints = await IntegrityCheckpoints.VerifyAsync(session,
                app.Services.GetRequiredService<Audit.CheckpointKey>().Bytes, CancellationToken.None, witness);
            Console.WriteLine(checkpoints.Finding switch
            {
                CheckpointFinding.Intact when witness is not null =>
                    $"Checkpoints intact: {checkpoints.CheckpointsChecked} signed checkpoints; the witnessed one, sealed up to sequence {checkpoints.WitnessedSequence}, matches.",
                CheckpointFinding.Intact => $"Checkpoints intact: {checkpoints.CheckpointsChecked} signed checkpoints over the global sequence.",
                CheckpointFinding.NoCheckpoint => "NOT INTACT: events are stored but no signed checkpoint seals them (deleted, or none written yet).",
                CheckpointFinding.WitnessNotMatched => "BROKEN: no checkpoint recomputed from the stored events has the witnessed digest: the register was rewritten since, or the witness is of another register.",
                _ => $"BROKEN: the checkpoint sealed up to sequence {checkpoints.FirstBrokenCheckpoint} no longer matches.",
            });
            return report.Intact && checkpoints.Intact ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
        }
    }
}

public sealed class WitnessInput : NetCoreInput
{
    [Description("Write the witness line to this file instead of standard output")]
    public string? OutFlag { get; set; }
}

[Description("Print the newest signed checkpoint as one JSON line for someone outside the register to keep, after checking that the register verifies", Name = "witness")]
public sealed class WitnessCommand : RegistryVerb<WitnessInput>
{
    protected override async Task<int> RunAsync(WitnessInput input)
    {
        var app = BuildHost(input, MediatorOnly);
        await app.StartAsync();
        try
        {
            await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
            var chains = await EventChainVerifier.VerifyAsync(session, null, CancellationToken.None);
            var checkpoints = await IntegrityCheckpoints.VerifyAsync(session,
                app.Services.GetRequiredService<Audit.CheckpointKey>().Bytes, CancellationToken.None);
            var latest = await IntegrityCheckpoints.LatestAsync(session, CancellationToken.None);
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
            if (input.OutFlag is null) Console.WriteLine(line);
            else await File.WriteAllTextAsync(input.OutFlag, line + "\n");
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }
}

public sealed class ExportInput : NetCoreInput
{
    [Description("The citizen whose history to export, by ID number")]
    public string? IdNumberFlag { get; set; }

    [Description("The stream to export, by id")]
    public FlagValue<Guid>? StreamFlag { get; set; }

    [Description("Every event of one request, by correlation id")]
    public string? CorrelationFlag { get; set; }

    [Description("Write to this file instead of standard output")]
    public string? OutFlag { get; set; }
}

[Description("Export a history as JSON lines with their hashes: exactly one of --id-number, --stream, --correlation", Name = "export")]
public sealed class ExportCommand : RegistryVerb<ExportInput>
{
    protected override async Task<int> RunAsync(ExportInput input)
    {
        if (new object?[] { input.IdNumberFlag, input.StreamFlag, input.CorrelationFlag }.Count(x => x is not null) != 1)
        {
            Console.Error.WriteLine("export needs exactly one of --id-number N, --stream GUID or --correlation ID (and optionally --out FILE).");
            return 2;
        }
        var app = BuildHost(input, MediatorOnly);
        await app.StartAsync();
        try
        {
            await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
            var streamId = input.StreamFlag?.Value;
            if (input.IdNumberFlag is { } idNumber) streamId = (await Citizens.CitizenLookup.FindAsync(session, idNumber, CancellationToken.None))?.Id;
            if (input.CorrelationFlag is null && streamId is null)
            {
                Console.Error.WriteLine("No such citizen or stream.");
                return 2;
            }
            await using var writer = input.OutFlag is null ? Console.Out : new StreamWriter(input.OutFlag);
            var lines = await Audit.HistoryExport.WriteAsync(session, streamId, input.CorrelationFlag, writer, CancellationToken.None);
            Console.Error.WriteLine($"Exported {lines} events.");
            return lines > 0 ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
        }
    }
}

public sealed class VerifyExportInput : NetCoreInput
{
    [Description("The file `export` wrote")]
    public string File { get; set; } = "";
}

[Description("Check an export's hashes offline, without the database; exit code 0 intact, 1 not", Name = "verify-export")]
public sealed class VerifyExportCommand : RegistryVerb<VerifyExportInput>
{
    protected override Task<int> RunAsync(VerifyExportInput input)
    {
        if (!System.IO.File.Exists(input.File))
        {
            Console.Error.WriteLine("verify-export needs the path of an exported file.");
            return Task.FromResult(2);
        }
        var (intact, lines, broken) = Audit.HistoryExport.VerifyFile(System.IO.File.ReadLines(input.File));
        Console.WriteLine(intact ? $"Intact: {lines} events verified." : $"BROKEN at sequence {broken} (line {lines}).");
        return Task.FromResult(intact ? 0 : 1);
    }
}
