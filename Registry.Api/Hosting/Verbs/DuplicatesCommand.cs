using System.Globalization;
using JasperFx.CommandLine;
using Marten;
using Registry.Api.Citizens;

namespace Registry.Api.Hosting.Verbs;

public sealed class DuplicatesInput : NetCoreInput
{
    [Description("How alike a pair must be, from 0 to 1 (default Registry:DuplicateThreshold, 0.85)")]
    public FlagValue<double>? ThresholdFlag { get; set; }

    [Description("Write the pairs (the two ID numbers, score, matchedOn) to this CSV file, readable by its owner only")]
    public string? CsvFlag { get; set; }
}

/// <summary>
/// The register-wide duplicates report. The console has figures only (people read, pairs found, seconds): the pairs
/// are personal data and go to the CSV file alone, which nothing logs.
/// </summary>
[Description("Find probable duplicates across the register, one date of birth at a time; the pairs go to --csv FILE", Name = "duplicates")]
public sealed class DuplicatesCommand : RegistryVerb<DuplicatesInput>
{
    protected override async Task<int> RunAsync(DuplicatesInput input)
    {
        if (input.ThresholdFlag is { Value: var t } && (double.IsNaN(t) || t <= 0 || t > 1))
        {
            Console.Error.WriteLine("--threshold is a number above 0 and at most 1.");
            return 2;
        }
        var app = BuildHost(input, MediatorOnly);
        await app.StartAsync();
        try
        {
            var threshold = input.ThresholdFlag?.Value
                            ?? FindingDuplicates.Threshold(app.Services);
            var today = RegistryClock.Today(app.Services.GetRequiredService<TimeProvider>());
            var started = System.Diagnostics.Stopwatch.StartNew();
            await using var csv = input.CsvFlag is { } path ? OutputFiles.Create(path, ownerOnly: true) : null;
            if (csv is not null) await csv.WriteLineAsync(CsvHeader);

            await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
            long people = 0, pairs = 0, readInPart = 0, reported = 0;
            await foreach (var block in DuplicatesReport.BlocksAsync(session, threshold, today))
            {
                people += block.People;
                pairs += block.Pairs.Count;
                if (block.ReadInPart) readInPart++;
                if (csv is not null) await WriteAsync(csv, block.Pairs);
                if (people - reported >= 10_000)
                {
                    Console.Error.WriteLine($"{people:N0} people read, {pairs:N0} pairs so far…");
                    reported = people;
                }
            }
            var note = readInPart > 0 ? $" ({readInPart:N0} dates of birth held more than {DuplicatesReport.BlockCap:N0} people and were read in part)" : "";
            Console.Error.WriteLine($"{people:N0} people read, {pairs:N0} probable duplicate pairs at {threshold.ToString(CultureInfo.InvariantCulture)} or above, in {started.Elapsed.TotalSeconds:N1} s{note}.");
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    internal const string CsvHeader = "first_id_number,second_id_number,score,matched_on";

    /// <summary>The pairs as CSV lines under <see cref="CsvHeader"/>.</summary>
    internal static async Task WriteAsync(StreamWriter csv, IEnumerable<DuplicatePair> pairs)
    {
        foreach (var pair in pairs)
            await csv.WriteLineAsync(string.Join(',', pair.First.IdNumber, pair.Second.IdNumber,
                pair.Match.Score.ToString("0.####", CultureInfo.InvariantCulture), string.Join(';', pair.Match.MatchedOn)));
    }

    /// <summary>A new file (or one emptied) that only its owner may read: it holds ID numbers.</summary>
}
