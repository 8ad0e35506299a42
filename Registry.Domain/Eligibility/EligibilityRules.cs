using System.Collections.Frozen;
using Registry.Domain.Common;
using Registry.Domain.Eligibility.Programmes;
using Registry.Domain.Programmes;

namespace Registry.Domain.Eligibility;

/// <summary>
/// The rule sets of the ten programmes (one file each under Programmes/): pure functions of (facts on D, parameters in force on D).
/// A rule change means a new <see cref="RuleVersion"/>, so recorded decisions stay explainable.
/// </summary>
public static class EligibilityRules
{
    public const string RuleVersion = "2025.3";

    private static readonly FrozenDictionary<ProgrammeCode, IProgrammeRules> ByProgramme = new IProgrammeRules[]
    {
        new ChildSupportGrantRules(),
        new OlderPersonsGrantRules(),
        new DisabilityGrantRules(),
        new FosterChildGrantRules(),
        new CareDependencyGrantRules(),
        new SocialReliefOfDistressRules(),
        new HousingSubsidyBngRules(),
        new HousingSubsidyFlispRules(),
        new SchoolFeeExemptionRules(),
        new MunicipalIndigentRules(),
    }.ToFrozenDictionary(r => r.Programme);

    public static IProgrammeRules For(ProgrammeCode programme) =>
        ByProgramme.TryGetValue(programme, out var rules) ? rules : throw new ArgumentOutOfRangeException(nameof(programme), programme, "No rules for this programme.");

    /// <summary>
    /// The same inputs give the same text on every server: the rules format each number and date in reasons
    /// with the invariant culture themselves, whatever the host's culture.
    /// </summary>
    public static EligibilityDecision Evaluate(ProgrammeCode programme, EligibilityFacts facts, ParameterSet p, DateOnly on) =>
        For(programme).Evaluate(facts, p, on);

    /// <summary>
    /// A question the register cannot answer yet, as opposed to a "no": the exemption formula without the
    /// fees recorded for the learner's school year (and no automatic exemption).
    /// </summary>
    public static DomainError? Unanswerable(ProgrammeCode programme, EligibilityFacts facts, DateOnly on) =>
        programme == ProgrammeCode.SchoolFeeExemption && facts.SchoolCharges is null && SchoolFeeExemptionRules.AutomaticExemption(facts, on) is null
            ? new DomainError(ErrorCodes.NoSchoolFeesRecorded, FormattableString.Invariant(
                $"No school fees are recorded for the learner's {on.Year} school year, and no automatic exemption applies; a caseworker records the fees."), "on")
            : null;
}
