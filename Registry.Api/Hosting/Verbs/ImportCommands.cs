using System.Globalization;
using JasperFx.CommandLine;
using Marten;

namespace Registry.Api.Hosting.Verbs;

public sealed class GenerateInput : NetCoreInput
{
    [Description("How many citizens to write")]
    public FlagValue<int> CitizensFlag { get; set; } = 100_000;

    [Description("The file to write")]
    public string OutFlag { get; set; } = "register.csv";

    [Description("The random seed: the same seed writes the same register")]
    public FlagValue<int> SeedFlag { get; set; } = Import.SyntheticRegister.DefaultSeed;

    [Description("The share of the rows, 0 to 0.5, that are planted duplicates (a person registered again, misspelt or one digit off)")]
    public FlagValue<double> DuplicatesFlag { get; set; } = 0;

    [Description("Where the planted pairs go (original_id_number,duplicate_id_number,kind; default: beside --out, .planted.csv), readable by its owner only")]
    public string? PlantedFlag { get; set; }
}

[Description("Write a synthetic register in the legacy CSV format (Bogus, fixed seed)", Name = "generate")]
public sealed class GenerateCommand : RegistryVerb<GenerateInput>
{
    protected override Task<int> RunAsync(GenerateInput input)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var writer = new StreamWriter(input.OutFlag, false, new System.Text.UTF8Encoding(false), 1 << 16);
        var share = input.DuplicatesFlag.Value;
        if (double.IsNaN(share) || share is < 0 or > Import.SyntheticRegister.MaxDuplicateShare)
        {
            Console.Error.WriteLine($"--duplicates is a share from 0 to {Import.SyntheticRegister.MaxDuplicateShare.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
            return Task.FromResult(2);
        }
        List<Import.PlantedDuplicate> planted = [];
        var written = Import.SyntheticRegister.Generate(writer, input.CitizensFlag.Value, TimeProvider.System.Today(), input.SeedFlag.Value, share, planted);
        var note = "";
        if (share > 0)
        {
            var path = input.PlantedFlag ?? Path.ChangeExtension(input.OutFlag, ".planted.csv");
            using var list = OutputFiles.Create(path, ownerOnly: true);
            list.WriteLine("original_id_number,duplicate_id_number,kind");
            foreach (var pair in planted) list.WriteLine($"{pair.OriginalIdNumber},{pair.DuplicateIdNumber},{pair.Kind}");
            note = $", {planted.Count:N0} of them planted duplicates (listed in {path})";
        }
        Console.WriteLine($"Wrote {written:N0} citizens to {input.OutFlag}{note} in {started.Elapsed.TotalSeconds:N1} s.");
        return Task.FromResult(0);
    }
}

public sealed class ImportInput : FiguresInput
{
    [Description("The legacy register CSV file")]
    public string File { get; set; } = "";

    [Description("Where the reject report goes (default: beside the file, .rejects.csv)")]
    public string? RejectsFlag { get; set; }

    [Description("Households per transaction")]
    public FlagValue<int> BatchFlag { get; set; } = 250;

    [Description("Transactions saved at once")]
    public FlagValue<int> ParallelFlag { get; set; } = 2;

    [Description("Leave the async projections to a running API's daemon (or `rebuild`)")]
    public bool NoCatchUpFlag { get; set; }

    [Description("Write the probable duplicate pairs that involve imported people to this CSV file, readable by its owner only")]
    public string? DuplicatesFlag { get; set; }

    [Description("Do not look for probable duplicates of the imported people (the `duplicates` report finds them later)")]
    public bool NoDuplicateCheckFlag { get; set; }
}

/// <summary>Bad rows go to the reject report as they are found; afterwards the async projections are caught up.</summary>
[Description("Import a legacy register export; bad rows go to the reject report; exit code 2 when the file is no such export", Name = "import")]
public sealed class ImportCommand : RegistryVerb<ImportInput>
{
    protected override async Task<int> RunAsync(ImportInput input)
    {
        var output = new Figures(input);
        var file = input.File;
        if (!System.IO.File.Exists(file))
        {
            Console.Error.WriteLine("import needs the path of a legacy register CSV file.");
            return 2;
        }
        var rejectsFile = input.RejectsFlag ?? Path.ChangeExtension(file, ".rejects.csv");
        // Warnings only: the progress display is the output, not the schema SQL and the daemon's every page.
        // Checkpoints are the API's job: sealing millions of fresh events here would only cost memory.
        var app = BuildHost(input, new Dictionary<string, string?>(MediatorOnly)
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore.StaticFiles"] = "Error",
            ["Integrity:CheckpointSeconds"] = "864000",
        });
        await app.StartAsync();
        try
        {
            var store = app.Services.GetRequiredService<IDocumentStore>();
            var display = Import.ImportConsole.ForStandardError();
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var reader = new StreamReader(stream);
            await using var report = OutputFiles.Create(rejectsFile, ownerOnly: true);
            // Opened before the import, so a bad path refuses before anything is written.
            await using var duplicatesCsv = input.NoDuplicateCheckFlag || input.DuplicatesFlag is null ? null : OutputFiles.Create(input.DuplicatesFlag, ownerOnly: true);
            using var rejects = new CsvHelper.CsvWriter(report, System.Globalization.CultureInfo.InvariantCulture);
            foreach (var column in new[] { "row", "id_number", "code", "message" }) rejects.WriteField(column);
            rejects.NextRecord();

            // The imported people by date of birth, for the duplicate check afterwards.
            var imported = new Dictionary<DateOnly, HashSet<long>>();
            // A file that is no legacy register export (empty, another header) is the operator's mistake: one line, exit 2.
            Import.LegacyRegister.Summary summary;
            try
            {
                summary = await display.RunAsync("import", stream.Length, step =>
                    Import.LegacyRegister.ImportAsync(reader, store, TimeProvider.System,
                        p => step.Update(stream.Position, $"{p.Rows:N0} rows, {p.Rows / Math.Max(0.001, p.Elapsed.TotalSeconds):N0} rows/s, " +
                                                          $"{p.Events / Math.Max(0.001, p.Elapsed.TotalSeconds):N0} events/s, {p.Rejected:N0} rejected"),
                        CancellationToken.None, input.BatchFlag.Value,
                        r => { rejects.WriteField(r.Row); rejects.WriteField(r.IdNumber); rejects.WriteField(r.Code); rejects.WriteField(r.Message); rejects.NextRecord(); },
                        input.ParallelFlag.Value,
                        input.NoDuplicateCheckFlag ? null : p => (imported.TryGetValue(p.DateOfBirth, out var day) ? day : imported[p.DateOfBirth] = []).Add(long.Parse(p.IdNumber, CultureInfo.InvariantCulture))));
            }
            catch (InvalidDataException notAnExport)
            {
                Console.Error.WriteLine($"import: {file}: {notAnExport.Message}");
                return 2;
            }
            var seconds = Math.Max(0.001, summary.Elapsed.TotalSeconds);
            output.Say($"{summary.Rows:N0} rows in {seconds:N1} s: {summary.Imported:N0} citizens imported in {summary.Households:N0} households, " +
                       $"{summary.Skipped:N0} already in the register, {summary.Rejected:N0} rejected (see {rejectsFile}); " +
                       $"{summary.Rows / seconds:N0} rows/s, {summary.Events:N0} events ({summary.Events / seconds:N0} events/s).");
            var importPeakMb = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1_048_576;
            output.Say($"Peak working set during the import {importPeakMb:N0} MB.");
            long? duplicatePairs = input.NoDuplicateCheckFlag ? null : await FlagDuplicatesAsync(app.Services, store, imported, duplicatesCsv, input.DuplicatesFlag, output);
            if (!input.NoCatchUpFlag) await ProjectionProgress.CatchUpAsyncProjectionsAsync(store, display);
            else output.Say("Async projections not caught up here: a running API's daemon does it, or run `rebuild`.");
            var peakMb = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1_048_576;
            output.Say($"Peak working set {peakMb:N0} MB.");
            output.Report(new
            {
                rows = summary.Rows, seconds, imported = summary.Imported, households = summary.Households, skipped = summary.Skipped,
                rejected = summary.Rejected, events = summary.Events, rowsPerSecond = summary.Rows / seconds, eventsPerSecond = summary.Events / seconds,
                importPeakWorkingSetMb = importPeakMb, peakWorkingSetMb = peakMb, probableDuplicatePairs = duplicatePairs,
            });
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>
    /// Flags, never refuses: the probable duplicates among the imported people and of them in the register, found and
    /// scored as the report does. The console gets the count; the pairs (ID numbers) go only to the owner-only file.
    /// </summary>
    private static async Task<long> FlagDuplicatesAsync(IServiceProvider services, IDocumentStore store, Dictionary<DateOnly, HashSet<long>> imported,
        StreamWriter? csv, string? file, Figures output)
    {
        var threshold = Citizens.FindingDuplicates.Threshold(services);
        if (csv is not null) await csv.WriteLineAsync(DuplicatesCommand.CsvHeader);
        await using var session = store.QuerySession();
        long pairs = 0;
        await foreach (var block in Citizens.DuplicatesReport.InvolvingAsync(session, imported, threshold))
        {
            pairs += block.Pairs.Count;
            if (csv is not null) await DuplicatesCommand.WriteAsync(csv, block.Pairs);
        }
        output.Say(pairs == 0
            ? "No probable duplicates among the imported people."
            : $"{pairs:N0} probable duplicate pairs involve imported people ({(file is null ? "list them with --duplicates FILE or the `duplicates` report" : $"see {file}")}); they are flagged, not refused.");
        return pairs;
    }
}
