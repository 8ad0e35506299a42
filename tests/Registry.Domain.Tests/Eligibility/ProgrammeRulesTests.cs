using Registry.Domain.Eligibility;
using Registry.Domain.Programmes;
using static Registry.Domain.Tests.Eligibility.Facts;

namespace Registry.Domain.Tests.Eligibility;

/// <summary>Each programme's typed figures are the one list of names: what publication requires is what the rules read.</summary>
public class ProgrammeRulesTests
{
    public static TheoryData<ProgrammeCode, string[]> Required() => new()
    {
        { ProgrammeCode.OlderPersonsGrant, ["minAge", "monthlyAmount", "higherAmountAge", "monthlyAmountHigherAge", "incomeCeilingSingleAnnual", "incomeCeilingMarriedAnnual"] },
        { ProgrammeCode.DisabilityGrant, ["minAge", "maxAge", "monthlyAmount", "incomeCeilingSingleAnnual", "incomeCeilingMarriedAnnual"] },
        { ProgrammeCode.ChildSupportGrant, ["ageLimit", "monthlyAmount", "incomeCeilingSingleAnnual", "incomeCeilingMarriedAnnual", "topUpMonthlyAmount"] },
        { ProgrammeCode.FosterChildGrant, ["ageLimit", "ageLimitInSchool", "monthlyAmount"] },
        { ProgrammeCode.CareDependencyGrant, ["ageLimit", "monthlyAmount", "incomeCeilingSingleAnnual", "incomeCeilingMarriedAnnual"] },
        { ProgrammeCode.SocialReliefOfDistress, ["minAge", "maxAge", "monthlyAmount", "incomeCeilingMonthly"] },
        { ProgrammeCode.HousingSubsidyBng, ["minAge", "householdIncomeCeilingMonthly"] },
        { ProgrammeCode.HousingSubsidyFlisp, ["minAge", "householdIncomeFloorMonthly", "householdIncomeCeilingMonthly"] },
        { ProgrammeCode.SchoolFeeExemption, ["fullExemptionPercent", "partialExemptionFloorPercent"] },
        { ProgrammeCode.MunicipalIndigent, ["householdIncomeCeilingMonthly", "freeBasicWaterKl", "freeBasicElectricityKwh"] },
    };

    /// <summary>Figures the rules learned to read later: older sets lack them and still evaluate.</summary>
    private static readonly string[] ReadIfPublished = ["topUpMonthlyAmount", "ageLimitInSchool"];

    [Fact]
    public void Every_programme_has_its_rules()
    {
        foreach (var code in Enum.GetValues<ProgrammeCode>())
            EligibilityRules.For(code).Programme.Should().Be(code);
    }

    [Theory]
    [MemberData(nameof(Required))]
    public void A_publication_must_carry_the_figures_the_rules_read(ProgrammeCode code, string[] keys)
    {
        EligibilityRules.For(code).ParameterKeys.Should().Equal(keys);

        var refused = Programme.Publish(null, code, Sets.April2025, keys.Skip(1).ToDictionary(k => k, _ => 1m), new Dictionary<string, string>(), "law");

        refused.Error!.Message.Should().Be($"Missing parameters for {code}: {keys[0]}.");
    }

    [Theory]
    [MemberData(nameof(Required))]
    public void The_rules_read_only_the_published_figures_and_fail_on_a_missing_one_as_the_set_does(ProgrammeCode code, string[] keys)
    {
        var facts = For(Aged(30, 100m));
        ParameterSet SetOf(IEnumerable<string> names) => Sets.Make(code, Sets.April2025, "law", [.. names.Select(k => (k, 1m))]);

        EligibilityRules.Evaluate(code, facts, SetOf(keys), On).ParameterVersion.Should().Be(SetOf(keys).Version);
        foreach (var missing in keys)
        {
            var evaluate = () => EligibilityRules.Evaluate(code, facts, SetOf(keys.Where(k => k != missing)), On);
            if (ReadIfPublished.Contains(missing)) evaluate.Should().NotThrow();
            else evaluate.Should().Throw<KeyNotFoundException>().WithMessage($"Parameter '{missing}' is missing from {code}/2025-04-01/v1.");
        }
    }
}
