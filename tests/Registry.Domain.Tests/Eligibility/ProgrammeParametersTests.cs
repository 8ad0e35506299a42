using Registry.Domain.Common;
using Registry.Domain.Programmes;

namespace Registry.Domain.Tests.Eligibility;

public class ProgrammePublishTests
{
    private static readonly ParameterSet April = Sets.OlderPersonsApril2025;
    private static readonly ParameterSet October = Sets.OlderPersonsOctober2025;
    private static readonly IReadOnlyDictionary<string, string> NoNotes = new Dictionary<string, string>();

    private static Decision Publish(Programme? state, ParameterSet set, IReadOnlyDictionary<string, decimal>? values = null, string? legalReference = null) =>
        Programme.Publish(state, set.Programme, set.EffectiveFrom, values ?? set.Values, set.Notes, legalReference ?? set.LegalReference);

    [Fact]
    public void First_publication_is_accepted_with_its_figures_and_law()
    {
        var published = Publish(null, April).ShouldAcceptOne<ProgrammeParametersPublished>();

        published.Programme.Should().Be(ProgrammeCode.OlderPersonsGrant);
        published.EffectiveFrom.Should().Be(Sets.April2025);
        published.Values.Should().BeEquivalentTo(April.Values);
        published.LegalReference.Should().Be(April.LegalReference);
    }

    [Fact]
    public void A_later_date_is_accepted()
    {
        var state = ProgrammeHistory.Of(April);

        Publish(state, October).ShouldAcceptOne<ProgrammeParametersPublished>().EffectiveFrom.Should().Be(Sets.October2025);
    }

    [Fact]
    public void A_second_set_with_the_same_effective_date_is_refused()
    {
        var state = ProgrammeHistory.Of(April, October);
        var changed = new Dictionary<string, decimal>(April.Values) { ["monthlyAmount"] = 2400 };

        Publish(state, April, changed).ShouldReject("PARAMETERS_OVERLAP", "effectiveFrom");
        Publish(state, October).ShouldReject("PARAMETERS_OVERLAP", "effectiveFrom");
    }

    [Theory]
    [InlineData("minAge")]
    [InlineData("monthlyAmount")]
    [InlineData("higherAmountAge")]
    [InlineData("monthlyAmountHigherAge")]
    [InlineData("incomeCeilingSingleAnnual")]
    [InlineData("incomeCeilingMarriedAnnual")]
    public void A_missing_required_key_is_invalid(string key)
    {
        var values = April.Values.Where(v => v.Key != key).ToDictionary(v => v.Key, v => v.Value);

        Publish(null, April, values).ShouldReject(ErrorCodes.InvalidInput, "parametersJson").Message.Should().Contain(key);
    }

    [Fact]
    public void An_empty_set_is_invalid()
    {
        Publish(null, Sets.IndigentApril2025, new Dictionary<string, decimal>()).ShouldReject(ErrorCodes.InvalidInput, "parametersJson");
    }

    [Fact]
    public void Keys_of_another_programme_do_not_satisfy_the_catalogue()
    {
        Programme.Publish(null, ProgrammeCode.HousingSubsidyFlisp, Sets.April2025, Sets.BngApril2025.Values, NoNotes, "Housing Code")
            .ShouldReject(ErrorCodes.InvalidInput, "parametersJson").Message.Should().Contain("householdIncomeFloorMonthly");
    }

    [Theory]
    [InlineData("monthlyAmount")]
    [InlineData("assetCeilingSingle")] // not a required key, but still a figure that cannot be negative
    public void A_negative_value_is_invalid(string key)
    {
        var values = new Dictionary<string, decimal>(April.Values) { [key] = -1 };

        Publish(null, April, values).ShouldReject(ErrorCodes.InvalidInput, "parametersJson").Message.Should().Contain(key);
    }

    [Fact]
    public void Zero_is_a_valid_figure()
    {
        var values = new Dictionary<string, decimal>(Sets.SocialReliefApril2025.Values) { ["incomeCeilingMonthly"] = 0 };

        Publish(null, Sets.SocialReliefApril2025, values).ShouldAcceptOne<ProgrammeParametersPublished>();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void An_empty_legal_reference_is_invalid(string legalReference)
    {
        Publish(null, April, legalReference: legalReference).ShouldReject(ErrorCodes.InvalidInput, "legalReference");
    }

    [Fact]
    public void The_legal_reference_is_trimmed()
    {
        Publish(null, April, legalReference: "  Social Assistance Act 13 of 2004, s10 ").ShouldAcceptOne<ProgrammeParametersPublished>()
            .LegalReference.Should().Be("Social Assistance Act 13 of 2004, s10");
    }

    [Fact]
    public void Extra_figures_beyond_the_catalogue_are_kept()
    {
        var published = Publish(null, April).ShouldAcceptOne<ProgrammeParametersPublished>();

        published.Values.Should().ContainKey("assetCeilingSingle").WhoseValue.Should().Be(1372800m);
    }
}

public class ProgrammeInForceTests
{
    private static readonly ParameterSet April = Sets.OlderPersonsApril2025;
    private static readonly ParameterSet October = Sets.OlderPersonsOctober2025;

    [Theory]
    [InlineData("2000-01-01", null)]
    [InlineData("2025-03-31", null)]        // the day before the first set
    [InlineData("2025-04-01", "2025-04-01")] // on the first effective date
    [InlineData("2025-09-30", "2025-04-01")]
    [InlineData("2025-10-01", "2025-10-01")]
    [InlineData("2030-12-31", "2025-10-01")]
    public void The_latest_set_effective_on_or_before_the_date(string date, string? expectedFrom)
    {
        var programme = ProgrammeHistory.Of(April, October);

        var set = programme.InForceOn(Facts.D(date));

        if (expectedFrom is null) set.Should().BeNull();
        else set!.EffectiveFrom.Should().Be(Facts.D(expectedFrom));
    }

    [Fact]
    public void The_choice_is_by_effective_date_not_publication_order()
    {
        var programme = ProgrammeHistory.Of(October, April);

        programme.InForceOn(new DateOnly(2025, 6, 1))!.Values["monthlyAmount"].Should().Be(2310m);
        programme.InForceOn(new DateOnly(2025, 12, 1))!.Values["monthlyAmount"].Should().Be(2320m);
    }

    [Fact]
    public void Sets_are_numbered_in_publication_order_and_named_by_version()
    {
        var programme = ProgrammeHistory.Of(April, October);

        programme.Parameters.Select(p => p.Version).Should().Equal("OlderPersonsGrant/2025-04-01/v1", "OlderPersonsGrant/2025-10-01/v2");
        programme.InForceOn(new DateOnly(2025, 10, 1))!.LegalReference.Should().Be(October.LegalReference);
    }

    [Fact]
    public void A_missing_key_names_the_set_when_read()
    {
        var set = Sets.Make(ProgrammeCode.FosterChildGrant, Sets.April2025, "law", ("ageLimit", 18));

        var read = () => set["monthlyAmount"];

        read.Should().Throw<KeyNotFoundException>().WithMessage("*monthlyAmount*FosterChildGrant/2025-04-01/v1*");
    }

    [Fact]
    public void A_municipal_figure_falls_back_to_the_general_one()
    {
        var set = Sets.IndigentApril2025;

        set.ForMunicipality("householdIncomeCeilingMonthly", "CPT").Should().Be(7500m);
        set.ForMunicipality("householdIncomeCeilingMonthly", "JHB").Should().Be(3200m);
        set.ForMunicipality("householdIncomeCeilingMonthly", "ETH").Should().Be(4620m);
    }
}
