using Registry.Domain.Common;
using Registry.Domain.Programmes;
using static System.FormattableString;

namespace Registry.Domain.Eligibility.Programmes;

public sealed record SchoolFeeExemptionParameters(decimal FullExemptionPercent, decimal PartialExemptionFloorPercent)
    : IProgrammeParameters<SchoolFeeExemptionParameters>
{
    public static IReadOnlyList<string> Keys { get; } = ["fullExemptionPercent", "partialExemptionFloorPercent"];

    public static SchoolFeeExemptionParameters From(ParameterSet set) => new(set["fullExemptionPercent"], set["partialExemptionFloorPercent"]);
}

/// <summary>How much of the school fees a learner's parents are exempted from.</summary>
public enum FeeExemptionBand { None, Partial, Full }

public static class FeeExemptionBands
{
    /// <summary>The text recorded as a decision's outcome; replays compare it, so it never changes.</summary>
    public static string Recorded(this FeeExemptionBand band) => band switch
    {
        FeeExemptionBand.Full => "FULL",
        FeeExemptionBand.Partial => "PARTIAL",
        FeeExemptionBand.None => "NONE",
        _ => throw new ArgumentOutOfRangeException(nameof(band)),
    };
}

/// <summary>
/// The outcome is the band. The department learns the band and why, never the parents' income,
/// nor which child grant (a Care Dependency Grant would tell it of a disability, a Foster Child Grant of a placement).
/// </summary>
internal sealed class SchoolFeeExemptionRules : ProgrammeRules<SchoolFeeExemptionParameters>
{
    public override ProgrammeCode Programme => ProgrammeCode.SchoolFeeExemption;

    protected override Assessment Assess(Checks check, EligibilityFacts facts, SchoolFeeExemptionParameters p, DateOnly on) =>
        new(null, Band(check, facts, p, on).Recorded());

    private static FeeExemptionBand Band(Checks check, EligibilityFacts facts, SchoolFeeExemptionParameters p, DateOnly on)
    {
        const string grounds = "child grant beneficiary, orphan in kinship care or child-headed household";
        if (AutomaticExemption(facts, on) is { } why)
        {
            check.Add("automaticExemption", true, why, grounds, $"Automatic full exemption: {why}.");
            return FeeExemptionBand.Full;
        }
        check.Add("automaticExemption", true, "none", grounds, "No automatic exemption applies; the income formula decides.");
        if (facts.SchoolCharges is not { } charges)
        {
            check.Add("feeFormula", false, "no school fees recorded", "fees and other charges of the school", "No school fees are recorded for this school year; a caseworker records them.");
            return FeeExemptionBand.None;
        }
        var parents = facts.Household?.Members.Where(m => m.Relationship is Relationship.Head or Relationship.Spouse && m.Person.AliveOn(on)).Sum(m => m.Person.IncomeMonthly) ?? 0m;
        var annualIncome = parents * 12m;
        var e = annualIncome == 0 ? decimal.MaxValue : 100m * (charges.AnnualFees + charges.OtherAnnualCharges) / annualIncome;
        var (full, floor) = (p.FullExemptionPercent, p.PartialExemptionFloorPercent);
        var band = e >= full ? FeeExemptionBand.Full : e >= floor ? FeeExemptionBand.Partial : FeeExemptionBand.None;
        var observed = band switch
        {
            FeeExemptionBand.Full => Invariant($"fees ≥ {full} % of parents' income"),
            FeeExemptionBand.Partial => Invariant($"fees {floor} – {full} % of parents' income"),
            _ => Invariant($"fees < {floor} % of parents' income"),
        };
        check.Add("feeFormula", band != FeeExemptionBand.None, observed, Invariant($"E = 100 × (F + A) / C ≥ {floor} %"), band switch
        {
            FeeExemptionBand.Full => "The fees are a large share of the parents' income: full exemption.",
            FeeExemptionBand.Partial => "The fees are a moderate share of the parents' income: partial exemption.",
            _ => "The fees are a small share of the parents' income: no exemption.",
        });
        return band;
    }

    /// <summary>Why the learner is exempt whatever the fees, or null: a child grant, an orphan in kinship care, a child-headed household.</summary>
    public static string? AutomaticExemption(EligibilityFacts facts, DateOnly on)
    {
        var learner = facts.Person;
        if (facts.Entitlements.Any(e => e.BeneficiaryId == learner.CitizenId && e.ActiveOnDate
                && e.Programme is ProgrammeCode.ChildSupportGrant or ProgrammeCode.FosterChildGrant or ProgrammeCode.CareDependencyGrant))
            return "child grant beneficiary";
        if (learner.Orphaned && (facts.Household?.InKinshipCare(learner.CitizenId) ?? false)) return "orphan in kinship care";
        if (facts.Household?.Head is { } head && head.AgeOn(on) < 18) return "child-headed household";
        return null;
    }
}
