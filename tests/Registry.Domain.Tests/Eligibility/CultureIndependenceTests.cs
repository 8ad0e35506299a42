using System.Globalization;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Eligibility;
using Registry.Domain.Programmes;
using static Registry.Domain.Tests.Eligibility.Facts;

namespace Registry.Domain.Tests.Eligibility;

/// <summary>
/// "The same inputs + the same rule version + the same parameter version must always give the same
/// answer" (RULES.md), whatever the culture of the host.
/// </summary>
public class CultureIndependenceTests
{
    [Theory]
    [InlineData("th-TH")]
    [InlineData("ar-SA")]
    public void Dates_in_reasons_do_not_depend_on_the_host_culture(string culture)
    {
        var died = Person(BornAged(70, On), 0m, dateOfDeath: new DateOnly(2025, 6, 15));
        var lapsed = Person(BornAged(30, On), 0m, disability: new Disability(true, false, new DateOnly(2025, 6, 15)));

        var (death, disability) = UnderCulture(culture, () => (
            EligibilityRules.Evaluate(ProgrammeCode.OlderPersonsGrant, For(died), Sets.OlderPersonsApril2025, On),
            EligibilityRules.Evaluate(ProgrammeCode.DisabilityGrant, For(lapsed), Sets.DisabilityApril2025, On)));

        death.Reasons.Single(r => r.Criterion == "alive").Observed.Should().Be("died 2025-06-15");
        disability.Reasons.Single(r => r.Criterion == "disability").Observed.Should().Be("temporary until 2025-06-15");
    }

    [Theory]
    [InlineData("en-ZA")]
    [InlineData("de-DE")]
    public void Percentages_in_reasons_do_not_depend_on_the_host_culture(string culture)
    {
        var head = Aged(40, 5000m);
        var learner = Aged(10);
        var facts = For(learner, Household(head, (learner, Relationship.Child)), charges: new SchoolCharges(2400m, 0m));

        var invariant = UnderCulture("", () => EligibilityRules.Evaluate(ProgrammeCode.SchoolFeeExemption, facts, Sets.SchoolFeesApril2025, On));
        var local = UnderCulture(culture, () => EligibilityRules.Evaluate(ProgrammeCode.SchoolFeeExemption, facts, Sets.SchoolFeesApril2025, On));

        local.Should().BeEquivalentTo(invariant, o => o.WithStrictOrdering());
        local.Reasons.Single(r => r.Criterion == "feeFormula").Threshold.Should().Contain("3.5 %");
    }

    private static T UnderCulture<T>(string name, Func<T> evaluate)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
            return evaluate();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }
}
