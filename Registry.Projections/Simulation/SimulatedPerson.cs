using Registry.Domain.Simulation;

namespace Registry.Projections.Simulation;

/// <summary>
/// One person's outcome in one simulation run, kept when it changed or when they hold the programme (so an
/// enactment can be compared with what was predicted for them). The pseudonym is a keyed hash of the run and
/// the person: stable within the run, unlinkable across runs. The observed figures in the criteria are the
/// person's own data, so an erasure deletes their rows; the run's tallies keep counting them.
/// </summary>
public sealed record SimulatedPerson(
    Guid Id, Guid RunId, string Pseudonym, Guid CitizenId, SimulationChangeKind? Kind, SimulatedSide Before, SimulatedSide After,
    IReadOnlyList<ChangedCriterion> ChangedCriteria, Guid? HeldEntitlementId)
{
    public static (Guid Id, string Pseudonym) Name(Func<string, string> keyedHash, Guid runId, Guid citizenId)
    {
        var hash = keyedHash($"simulation:{runId:N}:{citizenId:N}");
        return (Guid.ParseExact(hash[..32], "N"), "S-" + hash[..16].ToUpperInvariant());
    }
}
