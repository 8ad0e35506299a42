using System.Globalization;
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

    public sealed record Reject(long Row, string IdNumber, string Code, string Message);

    public sealed record Summary(long Rows, int Imported, int Households, int Skipped, IReadOnlyList<Reject> Rejects, TimeSpan Elapsed);

    /// <summary>Writes a synthetic register in the legacy format (the same plan as the seeds: fixed seed, valid ID numbers).</summary>
    public static async Task<int> GenerateAsync(TextWriter output, int citizens, DateOnly today)
    {
        await output.WriteLineAsync(string.Join(',', Columns));
        var written = 0;
        var h = 0;
        foreach (var plan in PopulationPlan.Generate(int.MaxValue, today))
        {
            h++;
            foreach (var p in plan.People)
            {
                var a = plan.Address;
                await output.WriteLineAsync(string.Join(',', p.IdNumber, Csv(p.FirstNames), Csv(p.Surname), p.DateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    p.Sex.ToString().ToUpperInvariant(), p.Citizenship == Citizenship.Citizen ? "CITIZEN" : "PERMANENT_RESIDENT", Csv(a.Line1), Csv(a.City),
                    a.MunicipalityCode, a.Province.ToString(), a.PostalCode, $"H{h:D8}", p.Relationship.ToString().ToUpperInvariant(),
                    p.MonthlyIncome?.ToString(CultureInfo.InvariantCulture) ?? ""));
                if (++written >= citizens) return written;
            }
        }
        return written;
    }

    /// <summary>
    /// Imports in transactions of whole households. Every row is checked with the same rules as the API;
    /// a bad row is reported and the rest go on. People already in the register are skipped, so a second
    /// run (or one after a kill half-way) imports nothing twice and loses nothing.
    /// </summary>
    public static async Task<Summary> ImportAsync(TextReader input, IDocumentStore store, TimeProvider clock, Action<long, double>? progress, CancellationToken ct,
        int householdsPerTransaction = 250)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var today = clock.Today();
        var rejects = new List<Reject>();
        var seen = new HashSet<string>();
        int imported = 0, households = 0, skipped = 0;
        var batch = new List<(List<(long Row, PlannedPerson Person)> People, Address Address)>();
        var group = new List<(long Row, PlannedPerson Person, Address Address)>();
        string? groupKey = null;

        var header = (await input.ReadLineAsync(ct) is { } first ? CsvLine.Split(first) : null) ?? [];
        if (!Columns.All(header.Contains))
            throw new InvalidDataException($"The file needs a header with the columns {string.Join(',', Columns)}.");
        var index = Columns.ToDictionary(c => c, c => Array.IndexOf(header, c));

        long row = 1;
        while (await input.ReadLineAsync(ct) is { } text)
        {
            row++;
            if (text.Length == 0) continue;
            var fields = CsvLine.Split(text);
            if (fields is null || fields.Length != header.Length)
            {
                rejects.Add(new Reject(row, fields?.FirstOrDefault() ?? "", "MALFORMED_ROW",
                    fields is null ? "The line is not valid CSV (an unclosed quote)." : $"Expected {header.Length} columns, found {fields.Length}."));
                continue;
            }
            var csv = new CsvRow(fields, index);
            var key = csv.GetField("household_key") ?? "";
            if (key != groupKey) { await CloseGroupAsync(); groupKey = key; }
            var parsed = Parse(csv, row, today);
            if (parsed.Error is { } error) { rejects.Add(error); continue; }
            var (person, address) = parsed.Value!.Value;
            if (!seen.Add(person.IdNumber)) { rejects.Add(new Reject(row, person.IdNumber, "DUPLICATE_IN_FILE", "This ID number appears earlier in the file.")); continue; }
            group.Add((row, person, address));
            if (row % 10_000 == 0) progress?.Invoke(row, row / started.Elapsed.TotalSeconds);
        }
        await CloseGroupAsync();
        await FlushAsync();
        progress?.Invoke(row, row / Math.Max(0.001, started.Elapsed.TotalSeconds));
        return new Summary(row - 1, imported, households, skipped, rejects, started.Elapsed);

        async Task CloseGroupAsync()
        {
            if (group.Count == 0) return;
            var heads = group.Count(g => g.Person.Relationship == Relationship.Head);
            if (heads != 1)
                rejects.AddRange(group.Select(g => new Reject(g.Row, g.Person.IdNumber, "IMPOSSIBLE_RELATIONSHIP",
                    heads == 0 ? "The household has no head." : $"The household has {heads} heads.")));
            else
                batch.Add(([.. group.OrderByDescending(g => g.Person.Relationship == Relationship.Head).Select(g => (g.Row, g.Person))], group.First(g => g.Person.Relationship == Relationship.Head).Address));
            group.Clear();
            if (batch.Count >= householdsPerTransaction) await FlushAsync();
        }

        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            await using var session = store.LightweightSession();
            session.LastModifiedBy = "system:import";
            session.CorrelationId = $"import-{Guid.CreateVersion7()}";
            session.SetHeader(EventHeaders.EffectiveDate, today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            session.SetHeader(EventHeaders.Reason, "legacy register import");

            // Who is already registered: a re-run skips them; someone registered elsewhere is a duplicate.
            var numbers = batch.SelectMany(h => h.People.Select(p => p.Person.IdNumber)).ToArray();
            var existing = (await session.Query<Citizen>().Where(c => c.IdNumber.IsOneOf(numbers)).Select(c => c.IdNumber).ToListAsync(ct)).ToHashSet();
            foreach (var (people, address) in batch)
            {
                if (people.All(p => existing.Contains(p.Person.IdNumber))) { skipped += people.Count; continue; }
                var fresh = people.Where(p => !existing.Contains(p.Person.IdNumber)).ToList();
                rejects.AddRange(people.Where(p => existing.Contains(p.Person.IdNumber))
                    .Select(p => new Reject(p.Row, p.Person.IdNumber, ErrorCodes.DuplicateIdNumber, "A citizen with this ID number is already registered.")));
                if (fresh[0].Person.Relationship != Relationship.Head)
                {
                    rejects.AddRange(fresh.Select(p => new Reject(p.Row, p.Person.IdNumber, "IMPOSSIBLE_RELATIONSHIP", "The household's head is already registered elsewhere.")));
                    continue;
                }
                var (written, formed, _) = BulkPopulation.WriteHousehold(session, new PlannedHousehold(address, [.. fresh.Select(p => p.Person)]), today);
                imported += written;
                households += formed ? 1 : 0;
            }
            await session.SaveChangesAsync(ct);
            batch.Clear();
        }
    }

    private sealed record CsvRow(string[] Fields, Dictionary<string, int> Index)
    {
        public string? GetField(string column) => Fields[Index[column]].Trim();
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
            return (Bad("UNKNOWN_MUNICIPALITY", $"'{code}' is not a municipality of {province} the register knows."), null);
        decimal? income = null;
        if (csv.GetField("monthly_income") is { Length: > 0 } text)
        {
            if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) || amount < 0)
                return (Bad(ErrorCodes.InvalidInput, "monthly_income is not an amount."), null);
            income = amount;
        }
        var address = new Address(csv.GetField("address_line1") ?? "", null, null, csv.GetField("city") ?? "", code, province, csv.GetField("postal_code") ?? "");
        // The same checks as registerCitizen: ID number, agreement, names, address.
        var check = CitizenDecisions.Register(Guid.Empty, id, csv.GetField("first_names") ?? "", csv.GetField("surname") ?? "", born, sex, citizenship, address, today);
        if (check.Error is { } error) return (Bad(error.Code, error.Message), null);
        var person = new PlannedPerson(id.Trim(), (csv.GetField("first_names") ?? "").Trim(), (csv.GetField("surname") ?? "").Trim(), born, sex, citizenship,
            relationship, income, income is null ? null : income == 0 ? IncomeSource.None : IncomeSource.Other, false, false);
        return (null, (person, address));
    }

    private static string Csv(string value) => value.Contains(',') || value.Contains('"') ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}

/// <summary>RFC 4180 fields of one line: commas, double quotes, doubled quotes inside. Null for an unclosed quote.</summary>
public static class CsvLine
{
    public static string[]? Split(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        if (quoted) return null;
        fields.Add(field.ToString());
        return [.. fields];
    }
}
