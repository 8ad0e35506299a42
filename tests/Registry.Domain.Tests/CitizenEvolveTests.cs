using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Households;

namespace Registry.Domain.Tests;

public class CitizenEvolveTests
{
    private static readonly DateOnly Today = TestData.Today;

    private static readonly Guid CitizenId = Guid.Parse("5f0c1d2e-0000-4000-8000-000000000001");

    private static CitizenRegistered Registered() =>
        new(CitizenId, "8506150123089", "Thandiwe", "Nkosi", new DateOnly(1985, 6, 15), Sex.Female, Citizenship.Citizen, TestData.CapeTown());

    /// <summary>A citizen with every optional fact set, so a test can see that an event leaves the rest alone.</summary>
    private static Citizen Full() =>
        Citizen.Evolve(null, Registered())! with
        {
            MonthlyIncome = 1200m,
            IncomeSource = IncomeSource.Maintenance,
            Disability = new Disability(true, false, new DateOnly(2027, 1, 1)),
            Version = 7,
            LastChangedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        };

    [Fact]
    public void Registered_builds_the_citizen_from_the_event()
    {
        var c = Citizen.Evolve(null, Registered());

        c.Should().Be(new Citizen(CitizenId, "8506150123089", "Thandiwe", "Nkosi", new DateOnly(1985, 6, 15),
            Sex.Female, Citizenship.Citizen, TestData.CapeTown()));
        c!.IsAlive.Should().BeTrue();
        c.MonthlyIncome.Should().BeNull();
        c.IncomeSource.Should().BeNull();
        c.Disability.Should().BeNull();
        c.DateOfDeath.Should().BeNull();
    }

    public static TheoryData<object> NonRegistrationEvents => new()
    {
        new CitizenNameChanged("A", "B"),
        new CitizenAddressChanged(TestData.Johannesburg()),
        new IncomeDeclared(1m, IncomeSource.Other),
        new DisabilityAssessed(true, true, null),
        new CitizenDied(new DateOnly(2020, 1, 1)),
        new CitizenRecordCorrected("surname", "B", "C"),
        "not an event at all",
    };

    [Theory]
    [MemberData(nameof(NonRegistrationEvents))]
    public void Events_before_registration_give_no_citizen(object @event)
    {
        Citizen.Evolve(null, @event).Should().BeNull();
    }

    [Fact]
    public void NameChanged_changes_only_the_names()
    {
        var before = Full();
        Citizen.Evolve(before, new CitizenNameChanged("Lerato", "Dlamini"))
            .Should().Be(before with { FirstNames = "Lerato", Surname = "Dlamini" });
    }

    [Fact]
    public void AddressChanged_changes_only_the_address()
    {
        var before = Full();
        Citizen.Evolve(before, new CitizenAddressChanged(TestData.Johannesburg()))
            .Should().Be(before with { Address = TestData.Johannesburg() });
    }

    [Fact]
    public void IncomeDeclared_changes_only_income_and_source()
    {
        var before = Full();
        Citizen.Evolve(before, new IncomeDeclared(0m, IncomeSource.None))
            .Should().Be(before with { MonthlyIncome = 0m, IncomeSource = IncomeSource.None });
    }

    [Fact]
    public void DisabilityAssessed_replaces_the_disability()
    {
        var before = Full();
        Citizen.Evolve(before, new DisabilityAssessed(true, true, null))
            .Should().Be(before with { Disability = new Disability(true, true, null) });
        Citizen.Evolve(before, new DisabilityAssessed(false, false, null))
            .Should().Be(before with { Disability = new Disability(false, false, null) });
    }

    [Fact]
    public void CitizenDied_records_the_date_of_death_and_the_citizen_is_no_longer_alive()
    {
        var before = Full();
        var after = Citizen.Evolve(before, new CitizenDied(new DateOnly(2026, 10, 1)));

        after.Should().Be(before with { DateOfDeath = new DateOnly(2026, 10, 1) });
        after!.IsAlive.Should().BeFalse();
    }

    [Fact]
    public void Evolve_does_not_change_the_version_or_timestamp_which_the_store_maintains()
    {
        var before = Full();
        var after = Citizen.Evolve(before, new CitizenNameChanged("Lerato", "Dlamini"))!;
        after.Version.Should().Be(7);
        after.LastChangedAt.Should().Be(before.LastChangedAt);
    }

    public static TheoryData<string, string, Func<Citizen, Citizen>> Corrections => new()
    {
        { "firstNames", "Thandi", c => c with { FirstNames = "Thandi" } },
        { "surname", "Dlamini", c => c with { Surname = "Dlamini" } },
        { "dateOfBirth", "1915-03-04", c => c with { DateOfBirth = new DateOnly(1915, 3, 4) } },
        { "sex", "Male", c => c with { Sex = Sex.Male } },
        { "citizenship", "PermanentResident", c => c with { Citizenship = Citizenship.PermanentResident } },
        { "idNumber", "8001015009087", c => c with { IdNumber = "8001015009087" } },
    };

    [Theory]
    [MemberData(nameof(Corrections))]
    public void RecordCorrected_applies_the_new_value_to_that_field_only(string field, string newValue, Func<Citizen, Citizen> expected)
    {
        var before = Full();
        var e = new CitizenRecordCorrected(field, CorrectableFields.Current(before, field), newValue);

        Citizen.Evolve(before, e).Should().Be(expected(before));
    }

    [Fact]
    public void RecordCorrected_for_an_unknown_field_leaves_the_state()
    {
        var before = Full();
        Citizen.Evolve(before, new CitizenRecordCorrected("address", "x", "y")).Should().Be(before);
    }

    public static TheoryData<object> ForeignEvents => new()
    {
        "some string",
        42,
        new HouseholdFormed(Guid.NewGuid(), CitizenId, TestData.CapeTown()),
        new MemberLeft(CitizenId),
    };

    [Theory]
    [MemberData(nameof(ForeignEvents))]
    public void Unknown_events_leave_the_state_as_it_was(object @event)
    {
        var before = Full();
        Citizen.Evolve(before, @event).Should().BeSameAs(before);
    }

    [Fact]
    public void Decisions_folded_in_order_give_the_expected_state_and_deceased_guard_applies()
    {
        var registered = CitizenDecisions.Register(CitizenId, "8506150123089", "Thandiwe", "Nkosi", new DateOnly(1985, 6, 15),
            Sex.Female, Citizenship.Citizen, TestData.CapeTown(), Today);
        var state = Fold(null, registered);

        state = Fold(state, CitizenDecisions.ChangeName(state!, "Thandiwe", "Dlamini", new DateOnly(2010, 5, 1), Today));
        state = Fold(state, CitizenDecisions.DeclareIncome(state!, 4200m, IncomeSource.Employment, new DateOnly(2024, 1, 1), Today));
        state = Fold(state, CitizenDecisions.Correct(state!, "firstNames", "Thandi", "typo", Today));
        state = Fold(state, CitizenDecisions.RecordDeath(state!, new DateOnly(2026, 3, 3), "DN-77", Today));

        state.Should().Be(new Citizen(CitizenId, "8506150123089", "Thandi", "Dlamini", new DateOnly(1985, 6, 15),
            Sex.Female, Citizenship.Citizen, TestData.CapeTown(), 4200m, IncomeSource.Employment, null, new DateOnly(2026, 3, 3)));

        CitizenDecisions.ChangeAddress(state!, TestData.Johannesburg(), new DateOnly(2026, 1, 1), Today)
            .ShouldReject(ErrorCodes.CitizenDeceased, null);
    }

    private static Citizen? Fold(Citizen? state, Decision decision)
    {
        decision.IsAccepted.Should().BeTrue(decision.Error?.ToString());
        return decision.Events.Aggregate(state, Citizen.Evolve);
    }
}
