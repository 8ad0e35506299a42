using System.Globalization;
using Registry.Domain.Common;
using Registry.Domain.Eligibility;

namespace Registry.Domain.Programmes;

/// <summary>New figures for a programme from a date, with the law that sets them. Never edited: a change is a new publication.</summary>
/// <param name="FromSimulation">The policy simulation whose figures these are, when it was enacted as simulated.</param>
public sealed record ProgrammeParametersPublished(
    ProgrammeCode Programme,
    DateOnly EffectiveFrom,
    IReadOnlyDictionary<string, decimal> Values,
    IReadOnlyDictionary<string, string> Notes,
    string LegalReference,
    Guid? FromSimulation = null);

/// <summary>One published parameter set. Its version names it in every decision that used it.</summary>
public sealed record ParameterSet(
    ProgrammeCode Programme,
    DateOnly EffectiveFrom,
    IReadOnlyDictionary<string, decimal> Values,
    IReadOnlyDictionary<string, string> Notes,
    string LegalReference,
    int Sequence,
    Guid? FromSimulation = null)
{
    public string Version => string.Create(CultureInfo.InvariantCulture, $"{Programme}/{EffectiveFrom:yyyy-MM-dd}/v{Sequence}");

    public decimal this[string key] => Values.TryGetValue(key, out var v)
        ? v
        : throw new KeyNotFoundException($"Parameter '{key}' is missing from {Version}.");

    /// <summary>
    /// A figure the rules learned to read after sets were already published: sets from before it existed
    /// stay valid and simply lack it, and the rule reads that as "not provided for then".
    /// </summary>
    public decimal? Optional(string key) => Values.TryGetValue(key, out var v) ? v : null;

    /// <summary>A per-municipality figure ("key.CPT") where one is published, else the general one.</summary>
    public decimal ForMunicipality(string key, string municipalityCode) =>
        Values.TryGetValue($"{key}.{municipalityCode}", out var local) ? local : this[key];
}

/// <summary>The parameter history of one programme, folded from its stream.</summary>
public sealed record Programme(Guid Id, ProgrammeCode Code, IReadOnlyList<ParameterSet> Parameters, long Version = 0)
{
    /// <summary>The set in force on a date: the latest effective on or before it; null before the first.</summary>
    public ParameterSet? InForceOn(DateOnly on) =>
        Parameters.Where(p => p.EffectiveFrom <= on).MaxBy(p => p.EffectiveFrom);

    /// <summary>The events <see cref="Evolve"/> folds.</summary>
    public static readonly IReadOnlyList<Type> EventTypes = [typeof(ProgrammeParametersPublished)];

    public static Programme? Evolve(Programme? state, object @event) => @event switch
    {
        ProgrammeParametersPublished e => new Programme(ProgrammeInfo.StreamIdFor(e.Programme), e.Programme,
            [.. state?.Parameters ?? [], new ParameterSet(e.Programme, e.EffectiveFrom, e.Values, e.Notes, e.LegalReference, (state?.Parameters.Count ?? 0) + 1, e.FromSimulation)],
            state?.Version ?? 0),
        _ => state,
    };

    /// <summary>Publishing is append-only and moves forward: a set dated on or before the latest is refused, so history never changes meaning.</summary>
    public static Decision Publish(Programme? state, ProgrammeCode code, DateOnly effectiveFrom,
        IReadOnlyDictionary<string, decimal> values, IReadOnlyDictionary<string, string> notes, string legalReference, Guid? fromSimulation = null)
    {
        if (string.IsNullOrWhiteSpace(legalReference))
            return Decision.Reject(ErrorCodes.InvalidInput, "A parameter set needs its legal reference.", "legalReference");
        // A set runs from its date until the next one: a date on or before the latest would rewrite a period already in force.
        if (state?.Parameters.MaxBy(p => p.EffectiveFrom) is { } latest && effectiveFrom <= latest.EffectiveFrom)
            return Decision.Reject(ErrorCodes.ParametersOverlap, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{code} already has parameters effective {latest.EffectiveFrom:yyyy-MM-dd}; publish a later date."), "effectiveFrom");
        var missing = EligibilityRules.For(code).ParameterKeys.Where(k => !values.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            return Decision.Reject(ErrorCodes.InvalidInput, $"Missing parameters for {code}: {string.Join(", ", missing)}.", "parametersJson");
        if (values.FirstOrDefault(v => v.Value < 0) is { Key: not null } negative)
            return Decision.Reject(ErrorCodes.InvalidInput, $"Parameter '{negative.Key}' cannot be negative.", "parametersJson");
        return Decision.Accept(new ProgrammeParametersPublished(code, effectiveFrom, values, notes, legalReference.Trim(), fromSimulation));
    }
}

public static class ProgrammeHistory
{
    /// <summary>The exact parameter set a recorded decision names by its version.</summary>
    public static ParameterSet? Version(this Programme programme, string version) =>
        programme.Parameters.FirstOrDefault(p => p.Version == version);
}
