using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Registry.Domain.Common;
using Registry.Domain.Eligibility;
using Registry.Domain.Programmes;
using Programmes = Registry.Domain.Programmes;

namespace Registry.Domain.Simulation;

public enum SimulationStatus { Queued, Running, Done, Failed }

/// <summary>A policy simulation, folded from its stream: what was asked, how far it got, and the tallies so far.</summary>
public sealed record SimulationRun(
    Guid Id, string Name, ProgrammeCode Programme, DateOnly On, Province? Province, string? MunicipalityCode,
    IReadOnlyDictionary<string, decimal> Values, IReadOnlyDictionary<string, string> Notes, string ProposedParametersHash,
    string BaselineParameterVersion, string RuleVersion, string RequestedBy, DateTimeOffset RequestedAt, Guid? RerunOf,
    SimulationStatus Status = SimulationStatus.Queued, long Total = 0, long Done = 0, Guid Position = default,
    DateTimeOffset? StartedAt = null, DateTimeOffset? FinishedAt = null, string? FailureCode = null,
    IReadOnlyDictionary<string, SimulationTally>? Cells = null, long Version = 0)
{
    /// <summary>The longest name a run may have.</summary>
    public const int MaxNameLength = 200;

    /// <summary>How far ahead of today a run may look: the rules read ages and dates, not forecasts.</summary>
    public const int MaxYearsAhead = 10;

    public bool CoversWholeRegister => Province is null && MunicipalityCode is null;

    public SimulationTally Summary => Cells?.GetValueOrDefault(SimulationCells.Summary) ?? SimulationTally.Zero;

    /// <summary>The proposal as a parameter set beside the baseline: same programme and date, its own figures.</summary>
    public ParameterSet Proposed => new(Programme, On, Values, Notes, "proposed in simulation " + Id.ToString("N"), 0);

    public static readonly IReadOnlyList<Type> EventTypes =
        [typeof(SimulationRequested), typeof(SimulationStarted), typeof(SimulationPageCompleted), typeof(SimulationFinished), typeof(SimulationFailed)];

    public static SimulationRun? Evolve(SimulationRun? state, object @event) => (state, @event) switch
    {
        (_, SimulationRequested e) => new SimulationRun(e.RunId, e.Name, e.Programme, e.On, e.Province, e.MunicipalityCode, e.Values, e.Notes,
            e.ProposedParametersHash, e.BaselineParameterVersion, e.RuleVersion, e.RequestedBy, e.RequestedAt, e.RerunOf),
        (null, _) => null,
        (var s, SimulationStarted e) => s with { Status = SimulationStatus.Running, Total = e.Total, StartedAt = e.StartedAt },
        (var s, SimulationPageCompleted e) => s with
        {
            Done = s.Done + e.Read, Position = e.Last, Cells = SimulationCells.Merge(s.Cells ?? new Dictionary<string, SimulationTally>(), e.Cells),
        },
        (var s, SimulationFinished e) => s with { Status = SimulationStatus.Done, FinishedAt = e.FinishedAt, Total = s.Done },
        (var s, SimulationFailed e) => s with { Status = SimulationStatus.Failed, FinishedAt = e.FailedAt, FailureCode = e.Code },
        var (s, _) => s,
    };

    /// <summary>
    /// Checks a request before anything starts: a name, figures the programme's rules can read (the checks a
    /// publication makes), a date with parameters in force and not beyond <see cref="MaxYearsAhead"/>, a known place.
    /// </summary>
    /// <param name="baseline">The set in force on the date for a new run; for a rerun, the set the first run compared with.</param>
    public static Decision Request(Guid runId, string name, ParameterSet? baseline, ProgrammeCode code, DateOnly on, DateOnly today,
        Province? province, string? municipalityCode, IReadOnlyDictionary<string, decimal> values, IReadOnlyDictionary<string, string> notes,
        string requestedBy, DateTimeOffset at, Guid? rerunOf = null)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength)
            return Decision.Reject(ErrorCodes.InvalidInput, $"A simulation needs a name of 1-{MaxNameLength} characters.", "name");
        if (on > today.AddYears(MaxYearsAhead))
            return Decision.Reject(ErrorCodes.InvalidDate, $"A simulation looks at most {MaxYearsAhead} years ahead.", "on");
        if (baseline is null)
            return Decision.Reject(ErrorCodes.InvalidDate, string.Create(CultureInfo.InvariantCulture,
                $"No parameters of {code} were in force on {on:yyyy-MM-dd}: the register has no baseline to compare with."), "on");
        if (Programmes.Programme.Publish(null, code, on, values, notes, "simulation") is { Error: { } invalid })
            return Decision.Reject(invalid);
        if (municipalityCode is not null)
        {
            if (Municipalities.Find(municipalityCode) is not { } municipality)
                return Decision.Reject(ErrorCodes.InvalidInput, "The municipality code is not one the register knows.", "population.municipalityCode");
            if (province is { } p && municipality.Province != p)
                return Decision.Reject(ErrorCodes.InvalidInput, "The municipality is not in the province given.", "population.province");
        }
        return Decision.Accept(new SimulationRequested(runId, name.Trim(), code, on, province, municipalityCode?.Trim(), values, notes, HashOf(values),
            baseline.Version, EligibilityRules.RuleVersion, requestedBy, at, rerunOf));
    }

    public static Decision Start(SimulationRun run, long total, DateTimeOffset at) =>
        run.Status == SimulationStatus.Queued ? Decision.Accept(new SimulationStarted(total, at)) : Decision.Accept();

    /// <summary>A page already recorded (a redelivered message) records nothing.</summary>
    public static Decision CompletePage(SimulationRun run, Guid after, Guid last, int read, IReadOnlyDictionary<string, SimulationTally> cells) =>
        run.Status == SimulationStatus.Running && run.Position == after && read > 0
            ? Decision.Accept(new SimulationPageCompleted(after, last, read, cells))
            : Decision.Accept();

    public static Decision Finish(SimulationRun run, Guid after, DateTimeOffset at) =>
        run.Status == SimulationStatus.Running && run.Position == after ? Decision.Accept(new SimulationFinished(at)) : Decision.Accept();

    public static Decision Fail(SimulationRun run, string code, DateTimeOffset at) =>
        run.Status is SimulationStatus.Queued or SimulationStatus.Running ? Decision.Accept(new SimulationFailed(code, at)) : Decision.Accept();

    /// <summary>The proposal's figures in name order, hashed: two runs of the same figures name the same hash.</summary>
    public static string HashOf(IReadOnlyDictionary<string, decimal> values)
    {
        var text = string.Join("\n", values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value.ToString("0.############################", CultureInfo.InvariantCulture)}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
