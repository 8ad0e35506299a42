using System.Security.Cryptography;
using System.Text;
using Registry.Domain.Notices;
using Registry.Domain.Programmes;

namespace Registry.Projections.Notices;

/// <summary>The side of a change a department may see: eligible or not, the monthly amount, the entitlement's status.</summary>
public sealed record NoticeState(bool? Eligible, decimal? MonthlyAmount, string? Status);

/// <summary>
/// One notice for one audience (a department's feed). Written once by the notice writer in event order and
/// never changed, so a consumer's stored position stays valid. Holds ids only: the ID number a department
/// may see is read from the citizen's record when the notice is read, so an erased person leaves no number here.
/// </summary>
/// <param name="Audience">The feed it belongs to: SASSA, DHS, DBE, STATSSA, MUNICIPALITY (all municipalities) or MUNICIPALITY:&lt;code&gt;.</param>
/// <param name="Position">The global sequence of the event it came from: one event gives an audience at most one notice.</param>
/// <param name="CitizenId">The person it is about (a beneficiary), when it is about one.</param>
public sealed record ChangeNotice(
    Guid Id,
    string Audience,
    long Position,
    NoticeKind Kind,
    DateOnly OccurredAt,
    DateTimeOffset RecordedAt,
    ProgrammeCode? Programme,
    Guid? CitizenId,
    Guid? HouseholdId,
    NoticeState? Before,
    NoticeState? After,
    IReadOnlyList<string> ChangedCriteria,
    string? CorrelationId)
{
    /// <summary>Stable across replays: the same event gives the same audience the same notice id.</summary>
    public static Guid IdFor(Guid eventId, string audience)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"notice:{eventId:N}:{audience}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>The feeds that share every municipality's notices (parameters of municipal programmes).</summary>
    public const string AllMunicipalities = Departments.Municipality;

    public static string MunicipalityAudience(string code) => $"{Departments.Municipality}:{code}";
}
