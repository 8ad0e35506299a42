using Registry.Domain.Common;
using Registry.Domain.Eligibility;
using Registry.Domain.Programmes;
using Registry.Domain.Simulation;

namespace Registry.Domain.Tests.Simulation;

public sealed class SimulationRunTests
{
    private static readonly Dictionary<string, decimal> Srd = new() { ["minAge"] = 18, ["maxAge"] = 59, ["monthlyAmount"] = 370, ["incomeCeilingMonthly"] = 624 };
    private static readonly ParameterSet Baseline = new(ProgrammeCode.SocialReliefOfDistress, new DateOnly(2025, 4, 1), Srd, new Dictionary<string, string>(), "SRD regulations", 1);

    private static Decision Request(ParameterSet? baseline = null, DateOnly? on = null, string name = "ceiling", IReadOnlyDictionary<string, decimal>? values = null,
        Province? province = null, string? municipality = null) =>
        SimulationRun.Request(Guid.NewGuid(), name, baseline ?? Baseline, ProgrammeCode.SocialReliefOfDistress, on ?? TestData.Today, TestData.Today, province, municipality,
            values ?? Srd, new Dictionary<string, string>(), "analyst", DateTimeOffset.UnixEpoch);

    private static SimulationRun Running()
    {
        var requested = (SimulationRequested)Request().Events.Single();
        return new[] { requested, (object)new SimulationStarted(10, DateTimeOffset.UnixEpoch) }.Aggregate((SimulationRun?)null, SimulationRun.Evolve)!;
    }

    [Fact]
    public void A_request_names_both_sides_so_it_can_be_repeated()
    {
        var requested = (SimulationRequested)Request().Events.Single();
        requested.BaselineParameterVersion.Should().Be(Baseline.Version);
        requested.RuleVersion.Should().Be(EligibilityRules.RuleVersion);
        requested.ProposedParametersHash.Should().Be(SimulationRun.HashOf(new Dictionary<string, decimal>(Srd) { ["monthlyAmount"] = 370.00m }),
            "the same figures written with other decimals are the same proposal");
        requested.ProposedParametersHash.Should().NotBe(SimulationRun.HashOf(new Dictionary<string, decimal>(Srd) { ["monthlyAmount"] = 371 }));
    }

    [Fact]
    public void A_request_without_baseline_too_far_ahead_unnamed_with_bad_figures_or_an_unknown_place_is_refused()
    {
        SimulationRun.Request(Guid.NewGuid(), "x", null, ProgrammeCode.SocialReliefOfDistress, new DateOnly(2020, 1, 1), TestData.Today, null, null, Srd,
            new Dictionary<string, string>(), "analyst", DateTimeOffset.UnixEpoch).Error!.Code.Should().Be(ErrorCodes.InvalidDate);
        Request(on: TestData.Today.AddYears(SimulationRun.MaxYearsAhead).AddDays(1)).Error!.Code.Should().Be(ErrorCodes.InvalidDate);
        Request(on: TestData.Today.AddYears(SimulationRun.MaxYearsAhead)).Error.Should().BeNull();
        Request(name: " ").Error!.Field.Should().Be("name");
        Request(name: new string('n', SimulationRun.MaxNameLength + 1)).Error!.Field.Should().Be("name");
        Request(values: new Dictionary<string, decimal>(Srd) { ["monthlyAmount"] = -1 }).Error!.Field.Should().Be("parametersJson");
        Request(values: new Dictionary<string, decimal> { ["minAge"] = 18 }).Error!.Field.Should().Be("parametersJson");
        Request(municipality: "NOWHERE").Error!.Code.Should().Be(ErrorCodes.InvalidInput);
        Request(municipality: "CPT", province: Province.Gauteng).Error!.Field.Should().Be("population.province");
        Request(municipality: "CPT", province: Province.WesternCape).Error.Should().BeNull();
    }

    [Fact]
    public void A_page_is_recorded_once_and_only_at_the_run_s_position()
    {
        var run = Running();
        var cells = new Dictionary<string, SimulationTally> { [SimulationCells.Summary] = SimulationTally.Zero with { Population = 2 } };
        var first = Guid.NewGuid();
        var page = SimulationRun.CompletePage(run, Guid.Empty, first, 2, cells);
        page.Events.Should().ContainSingle();
        var after = SimulationRun.Evolve(run, page.Events[0])!;
        after.Position.Should().Be(first);
        after.Done.Should().Be(2);
        SimulationRun.CompletePage(after, Guid.Empty, first, 2, cells).Events.Should().BeEmpty("a redelivered page is already counted");
        var second = SimulationRun.Evolve(after, SimulationRun.CompletePage(after, first, Guid.NewGuid(), 3, cells).Events[0])!;
        second.Summary.Population.Should().Be(4);
        second.Done.Should().Be(5);
        SimulationRun.Finish(second, first, DateTimeOffset.UnixEpoch).Events.Should().BeEmpty();
        SimulationRun.Evolve(second, SimulationRun.Finish(second, second.Position, DateTimeOffset.UnixEpoch).Events[0])!.Status.Should().Be(SimulationStatus.Done);
    }

    private static EligibilityDecision Decision(bool eligible, decimal? amount, params Reason[] reasons) =>
        new("", ProgrammeCode.SocialReliefOfDistress, TestData.Today, eligible, amount, reasons, EligibilityRules.RuleVersion, "v");

    [Fact]
    public void An_outcome_names_its_kind_and_only_the_criteria_whose_result_or_threshold_moved()
    {
        Reason Income(bool passed, string threshold) => new("incomeTest", passed, "R625/month", threshold, null, "");
        Reason Age() => new("age", true, "35", "18-59", null, "");
        var newly = SimulatedOutcome.Compare(Decision(false, 370, Income(false, "R624"), Age()), Decision(true, 370, Income(true, "R625"), Age()));
        newly.Kind.Should().Be(SimulationChangeKind.NewlyEligible);
        newly.ChangedCriteria.Should().ContainSingle().Which.Should().Be(new ChangedCriterion("incomeTest",
            new CriterionSide(false, "R625/month"), new CriterionSide(true, "R625/month"), "R625", "R624"));
        newly.Before.Cost.Should().Be(0m, "an ineligible person costs nothing whatever amount the rules name");

        SimulatedOutcome.Compare(Decision(true, 370, Age()), Decision(false, 370, Age())).Kind.Should().Be(SimulationChangeKind.NoLongerEligible);
        SimulatedOutcome.Compare(Decision(true, 370, Age()), Decision(true, 400, Age())).Kind.Should().Be(SimulationChangeKind.AmountUp);
        SimulatedOutcome.Compare(Decision(true, 400, Age()), Decision(true, 370, Age())).Kind.Should().Be(SimulationChangeKind.AmountDown);
        var same = SimulatedOutcome.Compare(Decision(false, 370, Age()), Decision(false, 400, Age()));
        same.Kind.Should().BeNull();
        same.ChangedCriteria.Should().BeEmpty();
    }

    [Fact]
    public void Tallies_add_a_person_to_the_summary_and_to_one_cell_per_dimension()
    {
        var cells = new Dictionary<string, SimulationTally>();
        var outcome = SimulatedOutcome.Compare(Decision(false, 370), Decision(true, 370));
        var place = new Dictionary<SimulationDimension, string> { [SimulationDimension.Province] = "GAUTENG", [SimulationDimension.AgeBand] = "18-34" };
        SimulationCells.Add(cells, outcome, place);
        SimulationCells.Add(cells, outcome, place);
        cells.Keys.Should().BeEquivalentTo([SimulationCells.Summary, "Province:GAUTENG", "AgeBand:18-34"]);
        cells[SimulationCells.Summary].Should().Be(new SimulationTally(2, 0, 2, 2, 0, 0, 0, 0m, 740m));
        SimulatedOutcome.AgeBand(17).Should().Be("0-17");
        SimulatedOutcome.AgeBand(60).Should().Be("60+");
        SimulatedOutcome.HouseholdSize(null).Should().Be("none");
        SimulatedOutcome.HouseholdSize(7).Should().Be("6+");
    }
}
