using System.Text.Json;
using Marten;
using Registry.Domain.Citizens;
using Registry.Projections.Sql;

namespace Registry.Projections.Privacy;

/// <summary>
/// What the statistics still count of the people the register erased: one document of tallies, one tally per
/// grouping the statistics offer, never a row per person. The statistics group by one thing at a time, so
/// nothing joins a birth year to a sex or a municipality, and there is no per-person row whose id, order or
/// transaction could be matched to an erasure. Not a projection: no event could rebuild it (the erased events
/// read as placeholders), so rebuilds leave it alone, and only the statistics counts read it.
/// </summary>
public sealed record ErasedResidue(
    string Id,
    IReadOnlyDictionary<string, long> BirthYear,
    IReadOnlyDictionary<string, long> Sex,
    IReadOnlyDictionary<string, long> Province,
    IReadOnlyDictionary<string, long> Municipality,
    IReadOnlyDictionary<string, long> BeneficiaryProvince)
{
    /// <summary>The one document.</summary>
    public const string TheTallies = "erased";

    /// <summary>
    /// What one erasure adds. The living are counted in the population (the year of birth, not the date);
    /// everyone's entitlements, which stay as documents but no longer join to a citizen, by the province
    /// they were counted in. Keys are stored as the citizen documents store them, so the counts merge.
    /// </summary>
    public static ErasedResidue Of(Citizen citizen, int entitlements)
    {
        Dictionary<string, long> One(string key) => citizen.IsAlive ? new() { [key] = 1 } : [];
        return new ErasedResidue(TheTallies,
            One(citizen.DateOfBirth.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            One(citizen.Sex.ToString()),
            One(citizen.Address.Province.ToString()),
            One(citizen.Address.MunicipalityCode),
            entitlements > 0 ? new Dictionary<string, long> { [citizen.Address.Province.ToString()] = entitlements } : []);
    }

    /// <summary>Adds the person to the tallies in the session's transaction: counted anonymously exactly when their citizen document goes.</summary>
    public static async Task CountInAsync(IDocumentSession session, Citizen citizen, int entitlements, CancellationToken ct)
    {
        var residue = Of(citizen, entitlements);
        if (residue.BirthYear.Count == 0 && residue.BeneficiaryProvince.Count == 0) return;
        // Raw SQL does not make Marten create the table, as a first Store would.
        await session.Database.EnsureStorageExistsAsync(typeof(ErasedResidue), ct);
        session.QueueSqlCommand(RegistrySql.Of(session).AddToErasedResidue, TheTallies, JsonSerializer.Serialize(residue));
    }
}
