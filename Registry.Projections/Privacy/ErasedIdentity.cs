using Registry.Domain.Citizens;

namespace Registry.Projections.Privacy;

/// <summary>
/// That someone with this ID number was erased, by its blind index (a keyed hash, not the number): lets the
/// import refuse to bring them back from an old export, without the register keeping the number itself.
/// </summary>
public sealed record ErasedIdentity(string Id, DateTimeOffset ErasedAt, ErasureBasis LegalBasis)
{
    public static string IdFor(MasterKeys keys, string idNumber) => keys.BlindIndex("id-number:" + idNumber.Trim());
}
