using Registry.Domain.Common;
using Registry.Domain.Programmes;
using static Registry.Domain.Tests.Eligibility.Facts;

namespace Registry.Domain.Tests.Eligibility;

public class MunicipalIndigentTests
{
    private static readonly ParameterSet Set = Sets.IndigentApril2025;
    private const ProgrammeCode Indigent = ProgrammeCode.MunicipalIndigent;

    [Theory]
    [InlineData("CPT", "5000", "R7,500", true)]   // Cape Town's own figure
    [InlineData("ETH", "5000", "R4,620", false)]  // no own figure: the default 2 × R2,310
    [InlineData("JHB", "5000", "R3,200", false)]
    [InlineData("TSH", "3200", "R3,200", true)]
    [InlineData("JHB", "3200.01", "R3,200", false)]
    [InlineData("ETH", "4620", "R4,620", true)]
    [InlineData("ETH", "4620.01", "R4,620", false)]
    [InlineData("CPT", "7500", "R7,500", true)]
    [InlineData("CPT", "7500.01", "R7,500", false)]
    [InlineData("", "4620", "R4,620", true)]      // no municipality code: the default
    [InlineData("", "4620.01", "R4,620", false)]
    public void Household_income_against_the_municipality_ceiling(string municipality, string monthly, string ceiling, bool eligible)
    {
        var head = Aged(45, M(monthly));

        var decision = Evaluate(Indigent, For(head, HouseholdIn(municipality, head)), Set);

        decision.ShouldHaveReason("inHousehold", true, Set);
        decision.ShouldHaveReason("householdIncome", eligible, Set).Threshold.Should().Be($"≤ {ceiling}/month");
        if (eligible) decision.ShouldBeEligible(null, Set);
        else decision.ShouldBeIneligibleBecause("householdIncome", Set);
    }

    [Fact]
    public void Same_household_income_R5000_eligible_in_Cape_Town_not_in_eThekwini()
    {
        var head = Aged(45, 3000m);
        var spouse = Aged(44, 2000m);

        var inCapeTown = Evaluate(Indigent, For(head, HouseholdIn("CPT", head, (spouse, Relationship.Spouse))), Set);
        var inEthekwini = Evaluate(Indigent, For(head, HouseholdIn("ETH", head, (spouse, Relationship.Spouse))), Set);

        inCapeTown.ShouldBeEligible(null, Set);
        inCapeTown.ShouldHaveReason("householdIncome", true, Set).Observed.Should().Be("R5,000/month");
        inEthekwini.ShouldBeIneligibleBecause("householdIncome", Set).Observed.Should().Be("R5,000/month");
    }

    [Fact]
    public void Any_member_may_ask_and_the_whole_household_income_counts()
    {
        var head = Aged(45, 4000m);
        var child = Aged(20, 700m);

        var decision = Evaluate(Indigent, For(child, HouseholdIn("ETH", head, (child, Relationship.Child))), Set);

        decision.ShouldBeIneligibleBecause("householdIncome", Set).Observed.Should().Be("R4,700/month");
    }

    [Fact]
    public void Eligible_message_names_the_free_basic_services()
    {
        var head = Aged(45, 1000m);

        var decision = Evaluate(Indigent, For(head, HouseholdIn("ETH", head)), Set);

        decision.ShouldHaveReason("householdIncome", true, Set).Message.Should().Contain("6 kl").And.Contain("50 kWh");
    }

    [Fact]
    public void No_household_is_not_eligible()
    {
        var decision = Evaluate(Indigent, For(Aged(45, 0m)), Set);

        decision.ShouldBeIneligibleBecause("inHousehold", Set).Observed.Should().Be("none");
        decision.ShouldNotHaveReason("householdIncome");
    }
}
