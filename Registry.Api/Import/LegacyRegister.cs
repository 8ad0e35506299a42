using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Marten;
using Registry.Api.Hosting;
using Registry.Api.Seeding;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Projections;

namespace Registry.Api.Import;

/// <summary>
/// The legacy register export: one row per person, rows of one household together.
/// id_number,first_names,surname,date_of_birth,sex,citizenship,address_line1,city,municipality_code,province,postal_code,household_key,relationship,monthly_income
/// </summary>
public static class LegacyRegister
{
    public static readonly string[] Columns =
        ["id_number", "first_names", "surname", "date_of_birth", "sex", "citizenship", "address_line1", "city", "municipality_code",
         "province", "postal_code", "household_key", "relationship", "monthly_income"];

    /// <summary>Columns a newer export may add; the import reads them when the header has them.</summary>
    public static readonly string[] OptionalColumns = ["disability"];

    public sealed record Reject(long Row, string IdNumber, string Code, string Message);

    /// <summary>
    /// The outcome of an import. Rejects holds the first <see cref="KeptRejects"/> only (memory stays bounded);
    /// Rejected counts them all, and the reject report (the OnReject callback) receives every one.
    /// </summary>
    public sealed record Summary(long Rows, int Imported, int Households, int Skipped, int Rejected, long Events, IReadOnlyList<Reject> Rejects, TimeSpan Elapsed);

    public sealed record Progress(long Rows, int Imported, int Skipped, int Rejected, long Events, TimeSpan Elapsed);

    public const int KeptRejects = 10_000;

    /// <summary>A relationship as the export spells it: OTHER_RELATIVE for OtherRelative.</summary>
    public static string Code(Relationship relationship) =>
        string.Concat(relationship.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? $"_{c}" : $"{char.ToUpperInvariant(c)}"));

    /// <summary>Writes a synthetic register in the legacy format (Bogus, fixed seed, valid ID numbers); see <see cref="SyntheticRegister"/>.</summary>
    public static Task<int> GenerateAsync(TextWriter output, int citizens, DateOnly today) =>
        Task.FromResult(SyntheticRegister.Generate(output, citizens, today));

    /// <summary>
    /// Reads the export with CsvHelper and imports it in transactions of whole households (one stream per
    /// citizen and per household, many streams per round-trip). Every row is checked with the same rules as
    /// the API; a bad row is reported and the rest go on. People already in the register are skipped, so a
    /// second run (or one after a kill half-way) imports nothing twice and loses nothing: a household is
    /// written in one transaction with its members, and a transaction is either in the register or not.
    /// Up to <paramref name="savesInFlight"/> batches are saved at once while the next is read and checked.
    /// </summary>
    public static async Task<Summary> ImportAsync(TextReader input, IDocumentStore store, TimeProvider clock, Action<Progress>? progress, CancellationToken ct,
        int householdsPerTransaction = 250, Action<Reject>? onReject = null, int savesInFlight = 2, Action<PlannedPerson>? onImported = null)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var today = clock.Today();
        var kept = new List<Reject>();
        var seen = new HashSet<long>();
        var seenText = new HashSet<string>();
        int imported = 0, households = 0, skipped = 0, rejected = 0;
        long events = 0;
        var batch = new List<PendingHousehold>();
        var group = new List<(long Row, PlannedPerson Person, Address Address)>();
        string? groupKey = null;
        var saving = new Queue<Task<FlushResult>>();

        var badData = false;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = _ => badData = true,
            // A legacy export has one record a line: a quote left open ends with its line, as bad data.
            LineBreakInQuotedFieldIsBadData = true,
            MissingFieldFound = null,
            HeaderValidated = null,
            IgnoreBlankLines = true,
        };
        using var csv = new CsvReader(input, config, leaveOpen: true);
        string[] header = await csv.ReadAsync() && csv.ReadHeader() ? csv.HeaderRecord ?? [] : [];
        if (!Columns.All(header.Contains))
            throw new InvalidDataException($"The file needs a header with the columns {string.Join(',', Columns)}.");
        var index = Columns.Concat(OptionalColumns).ToDictionary(c => c, c => Array.IndexOf(header, c));

        long row = 1, rows = 0;
        while (await csv.ReadAsync())
        {
            ct.ThrowIfCancellationRequested();
            row = csv.Parser.Row; // the line number while records are one line each (RawRow runs one ahead after a quote left open)
            rows++;
            var fields = csv.Parser.Record ?? [];
            if (badData || fields.Length != header.Length)
            {
                Rejected(new Reject(row, fields.FirstOrDefault()?.Trim() ?? "", ErrorCodes.MalformedRow,
                    badData ? "The line is not valid CSV (a quote left open or inside a field)." : $"Expected {header.Length} columns, found {fields.Length}."));
                badData = false;
                continue;
            }
            var record = new CsvRow(fields, index);
            var key = record.GetField("household_key") ?? "";
            if (key != groupKey) { await CloseGroupAsync(); groupKey = key; }
            var parsed = Parse(record, row, today);
            if (parsed.Error is { } error) { Rejected(error); continue; }
            var (person, address) = parsed.Value!.Value;
            if (!(long.TryParse(person.IdNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? seen.Add(number) : seenText.Add(person.IdNumber)))
            {
                Rejected(new Reject(row, person.IdNumber, ErrorCodes.DuplicateInFile, "This ID number appears earlier in the file."));
                continue;
            }
            group.Add((row, person, address));
            if (rows % 2_000 == 0) Report();
        }
        await CloseGroupAsync();
        await SaveBatchAsync();
        while (saving.Count > 0) Merge(await saving.Dequeue());
        Report();
        return new Summary(rows, imported, households, skipped, rejected, events, kept, started.Elapsed);

        void Report() => progress?.Invoke(new Progress(rows, imported, skipped, rejected, events, started.Elapsed));

        void Rejected(Reject reject)
        {
            rejected++;
            if (kept.Count < KeptRejects) kept.Add(reject);
            onReject?.Invoke(reject);
        }

        void Merge(FlushResult result)
        {
            imported += result.Imported;
            households += result.Households;
            skipped += result.Skipped;
            events += result.Events;
            foreach (var reject in result.Rejects) Rejected(reject);
            if (onImported is not null) foreach (var person in result.Written) onImported(person);
        }

        async Task CloseGroupAsync()
        {
            if (group.Count == 0) return;
            var heads = group.Count(g => g.Person.Relationship == Relationship.Head);
            if (heads != 1)
                foreach (var g in group)
                    Rejected(new Reject(g.Row, g.Person.IdNumber, ErrorCodes.ImpossibleRelationship, heads == 0 ? "The household has no head." : $"The household has {heads} heads."));
            else
                batch.Add(new PendingHousehold([.. group.OrderByDescending(g => g.Person.Relationship == Relationship.Head).Select(g => (g.Row, g.Person))],
                    group.First(g => g.Person.Relationship == Relationship.Head).Address));
            group.Clear();
            if (batch.Count >= householdsPerTransaction) await SaveBatchAsync();
        }

        // A few saves in flight, each its own transaction: while PostgreSQL writes one batch, the next is
        // read, checked and serialised. No ID number is in two batches (the file's duplicates are caught
        // above), so the transactions cannot overlap; a kill loses only uncommitted whole batches.
        async Task SaveBatchAsync()
        {
            if (batch.Count == 0) return;
            var work = batch;
            batch = [];
            if (saving.Count >= Math.Max(1, savesInFlight)) Merge(await saving.Dequeue());
            saving.Enqueue(Task.Run(() => FlushAsync(store, work, today, ct), ct));
        }
    }

    private sealed record PendingHousehold(List<(long Row, PlannedPerson Person)> People, Address Address);

    private sealed record FlushResult(int Imported, int Households, int Skipped, long Events, List<Reject> Rejects, List<PlannedPerson> Written);

    private static async Task<FlushResult> FlushAsync(IDocumentStore store, List<PendingHousehold> batch, DateOnly today, CancellationToken ct)
    {
        int imported = 0, households = 0, skipped = 0;
        var rejects = new List<Reject>();
        var written = new List<PlannedPerson>();
        await using var session = store.LightweightSession();
        session.LastModifiedBy = "system:import";
        session.CorrelationId = $"import-{Guid.CreateVersion7()}";
        session.SetHeader(EventHeaders.EffectiveDate, today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        session.SetHeader(EventHeaders.Reason, "legacy register import");

        // Who is already registered: a re-run skips them; someone registered elsewhere is a duplicate.
        var numbers = batch.SelectMany(h => h.People.Select(p => p.Person.IdNumber)).ToArray();
        var existing = (await session.Query<Citizen>().Where(c => c.IdNumber.IsOneOf(numbers)).Select(c => c.IdNumber).ToListAsync(ct)).ToHashSet();
        // People erased from the register are not brought back from an old export (matched by blind index).
        var keys = Projections.Privacy.EventSealing.Of(store).Keys.Master;
        var byIndex = numbers.Distinct().ToDictionary(n => Projections.Privacy.ErasedIdentity.IdFor(keys, n));
        var erased = (await session.LoadManyAsync<Projections.Privacy.ErasedIdentity>(ct, byIndex.Keys)).Select(e => byIndex[e.Id]).ToHashSet();
        foreach (var (people, address) in batch)
        {
            if (people.All(p => existing.Contains(p.Person.IdNumber))) { skipped += people.Count; continue; }
            var fresh = people.Where(p => !existing.Contains(p.Person.IdNumber) && !erased.Contains(p.Person.IdNumber)).ToList();
            rejects.AddRange(people.Where(p => existing.Contains(p.Person.IdNumber))
                .Select(p => new Reject(p.Row, p.Person.IdNumber, ErrorCodes.DuplicateIdNumber, "A citizen with this ID number is already registered.")));
            rejects.AddRange(people.Where(p => erased.Contains(p.Person.IdNumber))
                .Select(p => new Reject(p.Row, p.Person.IdNumber, ErrorCodes.CitizenErased, "This person was erased from the register; an import does not bring them back.")));
            if (fresh.Count == 0) continue;
            if (fresh[0].Person.Relationship != Relationship.Head)
            {
                rejects.AddRange(fresh.Select(p => new Reject(p.Row, p.Person.IdNumber, ErrorCodes.ImpossibleRelationship, "The household's head is already registered elsewhere.")));
                continue;
            }
            var (count, formed, _) = BulkPopulation.WriteHousehold(session, new PlannedHousehold(address, [.. fresh.Select(p => p.Person)]), today);
            imported += count;
            written.AddRange(fresh.Select(p => p.Person));
            households += formed ? 1 : 0;
        }
        var events = session.PendingChanges.Streams().Sum(s => (long)s.Events.Count);
        await session.SaveChangesAsync(ct);
        return new FlushResult(imported, households, skipped, events, rejects, written);
    }

    private sealed record CsvRow(string[] Fields, Dictionary<string, int> Index)
    {
        public string? GetField(string column) => Index[column] is var i and >= 0 ? Fields[i].Trim() : null;
    }

    private static (Reject? Error, (PlannedPerson, Address)? Value) Parse(CsvRow csv, long row, DateOnly today)
    {
        var id = csv.GetField("id_number") ?? "";
        Reject Bad(string code, string message) => new(row, id, code, message);
        if (!DateOnly.TryParseExact(csv.GetField("date_of_birth"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born))
            return (Bad(ErrorCodes.InvalidDate, "date_of_birth is not a yyyy-MM-dd date."), null);
        if (!Enum.TryParse<Sex>(csv.GetField("sex"), true, out var sex) || !Enum.IsDefined(sex))
            return (Bad(ErrorCodes.InvalidInput, "sex must be FEMALE or MALE."), null);
        if (!Enum.TryParse<Citizenship>(csv.GetField("citizenship")?.Replace("_", ""), true, out var citizenship) || !Enum.IsDefined(citizenship))
            return (Bad(ErrorCodes.InvalidInput, "citizenship must be CITIZEN or PERMANENT_RESIDENT."), null);
        if (!Enum.TryParse<Relationship>(csv.GetField("relationship")?.Replace("_", ""), true, out var relationship) || !Enum.IsDefined(relationship))
            return (Bad(ErrorCodes.InvalidInput, "relationship is not one the register knows."), null);
        if (!Enum.TryParse<Province>(csv.GetField("province")?.Replace("_", ""), true, out var province) || !Enum.IsDefined(province))
            return (Bad(ErrorCodes.InvalidInput, "province is not one of the nine."), null);
        var code = (csv.GetField("municipality_code") ?? "").ToUpperInvariant();
        if (Municipalities.Find(code) is not { } municipality || municipality.Province != province)
            return (Bad(ErrorCodes.UnknownMunicipality, $"'{code}' is not a municipality of {province} the register knows."), null);
        decimal? income = null;
        if (csv.GetField("monthly_income") is { Length: > 0 } text)
        {
            if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) || amount < 0)
                return (Bad(ErrorCodes.InvalidInput, "monthly_income is not an amount."), null);
            income = amount;
        }
        bool disabled = false, permanent = false;
        switch ((csv.GetField("disability") ?? "").ToUpperInvariant())
        {
            case "": break;
            case "TEMPORARY": disabled = true; break;
            case "PERMANENT": disabled = permanent = true; break;
            default: return (Bad(ErrorCodes.InvalidInput, "disability must be empty, TEMPORARY or PERMANENT."), null);
        }
        var address = new Address(csv.GetField("address_line1") ?? "", null, null, csv.GetField("city") ?? "", code, province, csv.GetField("postal_code") ?? "");
        // The same checks as registerCitizen: ID number, agreement, names, address.
        var check = CitizenDecisions.Register(Guid.Empty, id, csv.GetField("first_names") ?? "", csv.GetField("surname") ?? "", born, sex, citizenship, address, today);
        if (check.Error is { } error) return (Bad(error.Code, error.Message), null);
        var person = new PlannedPerson(id.Trim(), (csv.GetField("first_names") ?? "").Trim(), (csv.GetField("surname") ?? "").Trim(), born, sex, citizenship,
            relationship, income, income is null ? null : income == 0 ? IncomeSource.None : IncomeSource.Other, disabled, permanent);
        return (null, (person, address));
    }
}
