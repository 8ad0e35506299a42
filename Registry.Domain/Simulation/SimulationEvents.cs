using Registry.Domain.Common;
using Registry.Domain.Programmes;

namespace Registry.Domain.Simulation;

/// <summary>
/// A decision maker asked what a proposed parameter set would do to a programme on a date. It names both
/// sides so the run can be repeated: the baseline by the version in force then, the proposal by its figures
/// and their hash, the rules by their version.
/// </summary>
public sealed record SimulationRequested(
    Guid RunId, string Name, ProgrammeCode Programme, DateOnly On, Province? Province, string? MunicipalityCode,
    IReadOnlyDictionary<string, decimal> Values, IReadOnlyDictionary<string, string> Notes, string ProposedParametersHash,
    string BaselineParameterVersion, string RuleVersion, string RequestedBy, DateTimeOffset RequestedAt, Guid? RerunOf = null);

/// <summary>The run took up its work: this many people are registered to go through.</summary>
public sealed record SimulationStarted(long Total, DateTimeOffset StartedAt);

/// <summary>
/// One page of people decided under both parameter sets: the page runs from after <see cref="After"/> to
/// <see cref="Last"/> (citizen ids in order), and its tallies are added to the run's. A page is recorded
/// once: the run's position must still be <see cref="After"/>.
/// </summary>
public sealed record SimulationPageCompleted(Guid After, Guid Last, int Read, IReadOnlyDictionary<string, SimulationTally> Cells);

public sealed record SimulationFinished(DateTimeOffset FinishedAt);

/// <summary>The run cannot go on; <see cref="Code"/> says why without naming anyone.</summary>
public sealed record SimulationFailed(string Code, DateTimeOffset FailedAt);
