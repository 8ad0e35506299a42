using System.Globalization;
using GraphQL;
using Marten;
using Marten.Linq.MatchesSql;
using Registry.Domain.Simulation;
using Registry.Projections.Simulation;

namespace Registry.Api.Simulation;

/// <summary>
/// A run's per-person changes as CSV, one row per person, under the run's pseudonyms: what an analyst may see,
/// so a file that travels names no one. (Administrators and auditors read ID numbers through the API, where
/// the read is access-logged.) Read in pages of the run's rows, so a run of millions streams in bounded memory.
/// </summary>
public static class SimulationExport
{
    public const string Header = "pseudonym,kind,eligible_before,monthly_amount_before,eligible_after,monthly_amount_after,changed_criteria";

    private const int PageSize = 1_000;

    public static async Task<int> WriteAsync(IQuerySession session, Guid runId, SimulationChangeKind? kind, TextWriter output, CancellationToken ct)
    {
        await output.WriteLineAsync(Header);
        var written = 0;
        Guid? after = null;
        while (true)
        {
            var query = session.Query<SimulatedPerson>().Where(p => p.RunId == runId && p.Kind != null);
            if (kind is { } k) query = query.Where(p => p.Kind == k);
            if (after is { } last) query = query.Where(p => p.MatchesSql("d.id > ?", last));
            var page = await query.OrderBy(p => p.Id).Take(PageSize).ToListAsync(ct);
            foreach (var row in page) await output.WriteLineAsync(Line(row));
            written += page.Count;
            if (page.Count < PageSize) return written;
            after = page[^1].Id;
        }
    }

    public static string Line(SimulatedPerson row) => string.Join(",",
        row.Pseudonym, Kind(row.Kind), Yes(row.Before.Eligible), Amount(row.Before.MonthlyAmount), Yes(row.After.Eligible), Amount(row.After.MonthlyAmount),
        Quoted(string.Join("; ", row.ChangedCriteria.Select(c =>
            $"{c.Criterion}: {Passed(c.Before.Passed)} at {c.Before.Observed} (limit {c.ThresholdBefore}) -> {Passed(c.After.Passed)} at {c.After.Observed} (limit {c.Threshold})"))));

    /// <summary>The API's spelling (NEWLY_ELIGIBLE), so the file and the GraphQL answer read alike.</summary>
    private static string Kind(SimulationChangeKind? kind) => kind?.ToString().ToConstantCase() ?? "";

    private static string Yes(bool value) => value ? "yes" : "no";

    private static string Passed(bool value) => value ? "passed" : "failed";

    private static string Amount(decimal? amount) => amount?.ToString("0.00", CultureInfo.InvariantCulture) ?? "";

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.</summary>
    private static string Quoted(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
