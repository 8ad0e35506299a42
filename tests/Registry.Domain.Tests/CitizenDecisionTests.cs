using System.Globalization;
using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Domain.Tests;

public class CitizenDecisionTests
{
    private static readonly DateOnly Today = TestData.Today;
    private static readonly DateOnly Yesterday = Today.AddDays(-1);
    private static readonly DateOnly Tomorrow = Today.AddDays(1);

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static decimal M(string amount) => decimal.Parse(amount, NumberStyles.Number | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    // ===== Register ===============================================================================

    // 8506150123089: 1985-06-15, female, SA citizen.
    private const string ThandiweId = "8506150123089";

    private static Decision Register(
        string idNumber = ThandiweId, string firstNames = "Thandiwe", string surname = "Nkosi",
        string dateOfBirth = "1985-06-15", Sex sex = Sex.Female, Citizenship citizenship = Citizenship.Citizen,
        Address? address = null, Guid? id = null) =>
        CitizenDecisions.Register(id ?? Guid.NewGuid(), idNumber, firstNames, surname, D(dateOfBirth), sex, citizenship,
            address ?? TestData.CapeTown(), Today);

    [Fact]
    public void Register_accepts_a_consistent_person_and_trims_the_names_and_id_number()
    {
        var id = Guid.NewGuid();
        var address = TestData.Johannesburg();

        var e = Register(idNumber: " " + ThandiweId + " ", firstNames: "  Thandiwe Grace ", surname: "   Nkosi  ", address: address, id: id)
            .ShouldAcceptOne<CitizenRegistered>();

        e.Should().Be(new CitizenRegistered(id, ThandiweId, "Thandiwe Grace", "Nkosi", D("1985-06-15"), Sex.Female, Citizenship.Citizen, address));
    }

    [Fact]
    public void Register_accepts_a_male_permanent_resident()
    {
        var idNumber = SaIdNumber.Create(D("1990-09-30"), Sex.Male, Citizenship.PermanentResident, 42).Value;

        var e = Register(idNumber: idNumber, firstNames: "Jean-Pierre", surname: "O'Neill", dateOfBirth: "1990-09-30",
            sex: Sex.Male, citizenship: Citizenship.PermanentResident).ShouldAcceptOne<CitizenRegistered>();

        e.Sex.Should().Be(Sex.Male);
        e.Citizenship.Should().Be(Citizenship.PermanentResident);
        e.FirstNames.Should().Be("Jean-Pierre");
        e.Surname.Should().Be("O'Neill");
    }

    [Theory]
    [InlineData("")]
    [InlineData("850615012308")]    // 12 digits
    [InlineData("85061501230890")]  // 14 digits
    [InlineData("8506150123088")]   // Luhn failure
    [InlineData("85O6150123089")]   // letter O for zero
    public void Register_rejects_an_invalid_id_number(string idNumber)
    {
        Register(idNumber: idNumber).ShouldReject(ErrorCodes.InvalidIdNumber, "idNumber");
    }

    [Fact]
    public void Register_rejects_a_date_of_birth_in_the_future_even_when_it_has_the_id_numbers_digits()
    {
        // 261126... parses as 1926-11-26; the given 2026-11-26 has the same YYMMDD but is tomorrow.
        var idNumber = Luhn.Complete("261126" + "012308");

        Register(idNumber: idNumber, dateOfBirth: "2026-11-26").ShouldReject(ErrorCodes.InvalidDate, "dateOfBirth");
        Register(idNumber: idNumber, dateOfBirth: "1926-11-26").ShouldAcceptOne<CitizenRegistered>();
    }

    [Fact]
    public void Register_accepts_someone_born_today()
    {
        var idNumber = SaIdNumber.Create(Today, Sex.Female, Citizenship.Citizen, 1).Value;
        Register(idNumber: idNumber, dateOfBirth: "2026-11-25").ShouldAcceptOne<CitizenRegistered>();
    }

    [Theory]
    [InlineData("1896-11-25", true)]  // exactly 130 years before today
    [InlineData("1896-11-24", false)] // a day more than 130 years
    [InlineData("1895-01-01", false)]
    public void Register_rejects_a_date_of_birth_more_than_130_years_ago(string dob, bool accepted)
    {
        // The ID number carries the same YYMMDD, so only the age limit can reject it.
        var idNumber = Luhn.Complete(dob[2..4] + dob[5..7] + dob[8..10] + "012308");

        var decision = Register(idNumber: idNumber, dateOfBirth: dob);

        if (accepted) decision.ShouldAcceptOne<CitizenRegistered>().DateOfBirth.Should().Be(D(dob));
        else decision.ShouldReject(ErrorCodes.InvalidDate, "dateOfBirth");
    }

    [Fact]
    public void Register_accepts_a_date_of_birth_in_the_earlier_century_when_the_yymmdd_agrees()
    {
        var idNumber = Luhn.Complete("150304" + "012308"); // implied 2015-03-04

        Register(idNumber: idNumber, dateOfBirth: "1915-03-04").ShouldAcceptOne<CitizenRegistered>()
            .DateOfBirth.Should().Be(D("1915-03-04"));
    }

    [Fact]
    public void Register_rejects_a_date_of_birth_that_disagrees_with_the_id_number()
    {
        Register(dateOfBirth: "1985-06-16").ShouldReject(ErrorCodes.InvalidIdNumber, "dateOfBirth");
    }

    [Fact]
    public void Register_rejects_a_sex_that_disagrees_with_the_id_number()
    {
        Register(sex: Sex.Male).ShouldReject(ErrorCodes.InvalidIdNumber, "sex");
    }

    [Fact]
    public void Register_rejects_a_citizenship_that_disagrees_with_the_id_number()
    {
        Register(citizenship: Citizenship.PermanentResident).ShouldReject(ErrorCodes.InvalidIdNumber, "citizenship");
    }

    [Theory]
    [InlineData("Thandi2", "Nkosi", "firstNames")]
    [InlineData("Thandiwe", "Nk0si", "surname")]
    [InlineData("", "Nkosi", "firstNames")]
    [InlineData("   ", "Nkosi", "firstNames")]
    [InlineData("Thandiwe", "", "surname")]
    [InlineData("Thandi\u0007we", "Nkosi", "firstNames")] // control character
    [InlineData("Thandiwe", "Nkosi\n", "surname")]        // a newline is a control character, even at the end
    public void Register_rejects_unacceptable_names(string firstNames, string surname, string field)
    {
        Register(firstNames: firstNames, surname: surname).ShouldReject(ErrorCodes.InvalidInput, field);
    }

    [Fact]
    public void Register_allows_names_up_to_100_characters()
    {
        Register(surname: new string('a', 100)).ShouldAcceptOne<CitizenRegistered>();
        Register(surname: "  " + new string('a', 100) + "  ").ShouldAcceptOne<CitizenRegistered>().Surname.Should().HaveLength(100);
        Register(surname: new string('a', 101)).ShouldReject(ErrorCodes.InvalidInput, "surname");
    }

    public static TheoryData<Address, string> InvalidAddresses => new()
    {
        { TestData.CapeTown() with { PostalCode = "800" }, "address.postalCode" },
        { TestData.CapeTown() with { PostalCode = "80011" }, "address.postalCode" },
        { TestData.CapeTown() with { PostalCode = "8OO1" }, "address.postalCode" },
        { TestData.CapeTown() with { PostalCode = "" }, "address.postalCode" },
        { TestData.CapeTown() with { MunicipalityCode = "cpt" }, "address.municipalityCode" },
        { TestData.CapeTown() with { MunicipalityCode = "C" }, "address.municipalityCode" },
        { TestData.CapeTown() with { MunicipalityCode = "CAPE" }, "address.municipalityCode" },
        { TestData.CapeTown() with { MunicipalityCode = "EC1010" }, "address.municipalityCode" },
        { TestData.CapeTown() with { MunicipalityCode = "101EC" }, "address.municipalityCode" },
        { TestData.CapeTown() with { MunicipalityCode = "" }, "address.municipalityCode" },
        { TestData.CapeTown() with { Line1 = " " }, "address.line1" },
        { TestData.CapeTown() with { City = "" }, "address.city" },
        { TestData.CapeTown() with { Line1 = new string('x', 201) }, "address" },
        { TestData.CapeTown() with { Line2 = new string('x', 201) }, "address" },
        { TestData.CapeTown() with { Suburb = new string('x', 101) }, "address" },
        { TestData.CapeTown() with { City = new string('x', 101) }, "address" },
    };

    [Theory]
    [MemberData(nameof(InvalidAddresses))]
    public void Register_rejects_an_invalid_address(Address address, string field)
    {
        Register(address: address).ShouldReject(ErrorCodes.InvalidInput, field);
    }

    public static TheoryData<Address> ValidAddresses => new()
    {
        TestData.CapeTown(),
        TestData.Johannesburg(),
        TestData.CapeTown() with { MunicipalityCode = "EC101" },
        TestData.CapeTown() with { MunicipalityCode = "KZN225" },
        TestData.CapeTown() with { MunicipalityCode = "NC" },
        TestData.CapeTown() with { PostalCode = "0001" },
        TestData.CapeTown() with { Line1 = new string('x', 200), Line2 = new string('y', 200), Suburb = new string('z', 100), City = new string('c', 100) },
    };

    [Theory]
    [MemberData(nameof(ValidAddresses))]
    public void Register_accepts_valid_addresses(Address address)
    {
        address.Validate().Should().BeNull();
        Register(address: address).ShouldAcceptOne<CitizenRegistered>().Address.Should().Be(address);
    }

    [Fact]
    public void Address_errors_are_reported_under_the_field_prefix_given()
    {
        var error = (TestData.CapeTown() with { PostalCode = "x" }).Validate("newAddress");
        error.Should().NotBeNull();
        error!.Field.Should().Be("newAddress.postalCode");
        error.Code.Should().Be(ErrorCodes.InvalidInput);
    }

    // ===== Guard shared by circumstance changes ====================================================

    public static TheoryData<string> CircumstanceChanges => ["name", "address", "income", "disability", "school", "fees"];

    private static Decision Change(string kind, Citizen c, DateOnly effective) => kind switch
    {
        "name" => CitizenDecisions.ChangeName(c, "Lerato", "Dlamini", effective, Today),
        "address" => CitizenDecisions.ChangeAddress(c, TestData.Johannesburg(), effective, Today),
        "income" => CitizenDecisions.DeclareIncome(c, 3500m, IncomeSource.Employment, effective, Today),
        "disability" => CitizenDecisions.RecordDisabilityAssessment(c, true, true, null, effective, Today),
        "school" => CitizenDecisions.RecordSchoolAttendance(c, true, effective, Today),
        "fees" => CitizenDecisions.RecordSchoolFees(c, Today.Year, 4000m, 0m, effective, Today),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(CircumstanceChanges))]
    public void A_change_is_accepted_from_the_date_of_birth_up_to_today(string kind)
    {
        var c = TestData.Citizen();
        Change(kind, c, Today).IsAccepted.Should().BeTrue();
        Change(kind, c, c.DateOfBirth).IsAccepted.Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(CircumstanceChanges))]
    public void A_change_for_a_deceased_citizen_is_rejected(string kind)
    {
        var c = TestData.Citizen(dateOfDeath: D("2020-01-01"));
        Change(kind, c, D("2019-06-01")).ShouldReject(ErrorCodes.CitizenDeceased, null);
    }

    [Theory]
    [MemberData(nameof(CircumstanceChanges))]
    public void A_change_effective_in_the_future_is_rejected(string kind)
    {
        Change(kind, TestData.Citizen(), Tomorrow).ShouldReject(ErrorCodes.InvalidDate, "effectiveDate");
    }

    [Theory]
    [MemberData(nameof(CircumstanceChanges))]
    public void A_change_effective_before_birth_is_rejected(string kind)
    {
        var c = TestData.Citizen();
        Change(kind, c, c.DateOfBirth.AddDays(-1)).ShouldReject(ErrorCodes.InvalidDate, "effectiveDate");
    }

    // ===== ChangeName ==============================================================================

    [Fact]
    public void ChangeName_emits_the_trimmed_new_names()
    {
        var c = TestData.Citizen(firstNames: "Thandiwe", surname: "Nkosi");

        CitizenDecisions.ChangeName(c, " Thandiwe ", " Dlamini-Nkosi ", Yesterday, Today)
            .ShouldAcceptOne<CitizenNameChanged>()
            .Should().Be(new CitizenNameChanged("Thandiwe", "Dlamini-Nkosi"));
    }

    [Fact]
    public void ChangeName_to_the_same_names_is_no_change_even_with_extra_whitespace()
    {
        var c = TestData.Citizen(firstNames: "Thandiwe", surname: "Nkosi");

        CitizenDecisions.ChangeName(c, "Thandiwe", "Nkosi", Yesterday, Today).ShouldReject(ErrorCodes.NoChange, null);
        CitizenDecisions.ChangeName(c, "  Thandiwe", "Nkosi  ", Yesterday, Today).ShouldReject(ErrorCodes.NoChange, null);
    }

    [Fact]
    public void ChangeName_of_only_the_first_names_is_a_change()
    {
        var c = TestData.Citizen(firstNames: "Thandiwe", surname: "Nkosi");
        CitizenDecisions.ChangeName(c, "Thandi", "Nkosi", Yesterday, Today)
            .ShouldAcceptOne<CitizenNameChanged>().Should().Be(new CitizenNameChanged("Thandi", "Nkosi"));
    }

    [Theory]
    [InlineData("Thandi1", "Nkosi", "firstNames")]
    [InlineData("Thandiwe", "", "surname")]
    [InlineData(" ", "Nkosi", "firstNames")]
    public void ChangeName_rejects_unacceptable_names(string firstNames, string surname, string field)
    {
        CitizenDecisions.ChangeName(TestData.Citizen(), firstNames, surname, Yesterday, Today)
            .ShouldReject(ErrorCodes.InvalidInput, field);
    }

    // ===== ChangeAddress ===========================================================================

    [Fact]
    public void ChangeAddress_emits_the_new_address()
    {
        var newAddress = TestData.Johannesburg();
        CitizenDecisions.ChangeAddress(TestData.Citizen(), newAddress, Yesterday, Today)
            .ShouldAcceptOne<CitizenAddressChanged>().Address.Should().Be(newAddress);
    }

    [Fact]
    public void ChangeAddress_to_an_equal_address_is_no_change()
    {
        var c = TestData.Citizen();
        var sameButNewInstance = TestData.CapeTown();
        sameButNewInstance.Should().NotBeSameAs(c.Address);

        CitizenDecisions.ChangeAddress(c, sameButNewInstance, Yesterday, Today).ShouldReject(ErrorCodes.NoChange, null);
    }

    [Fact]
    public void ChangeAddress_of_only_the_postal_code_is_a_change()
    {
        var c = TestData.Citizen();
        CitizenDecisions.ChangeAddress(c, c.Address with { PostalCode = "8005" }, Yesterday, Today)
            .ShouldAcceptOne<CitizenAddressChanged>().Address.PostalCode.Should().Be("8005");
    }

    [Fact]
    public void ChangeAddress_rejects_an_invalid_address()
    {
        CitizenDecisions.ChangeAddress(TestData.Citizen(), TestData.CapeTown() with { PostalCode = "80" }, Yesterday, Today)
            .ShouldReject(ErrorCodes.InvalidInput, "address.postalCode");
        CitizenDecisions.ChangeAddress(TestData.Citizen(), TestData.CapeTown() with { MunicipalityCode = "Cape Town" }, Yesterday, Today)
            .ShouldReject(ErrorCodes.InvalidInput, "address.municipalityCode");
    }

    // ===== DeclareIncome ===========================================================================

    [Theory]
    [InlineData("0", IncomeSource.None)]
    [InlineData("0", IncomeSource.Employment)]
    [InlineData("0.01", IncomeSource.Other)]
    [InlineData("4500.50", IncomeSource.Employment)]
    [InlineData("2320", IncomeSource.Pension)]
    [InlineData("12.500", IncomeSource.Maintenance)] // trailing zeros are still whole cents
    [InlineData("100000000", IncomeSource.SelfEmployment)]
    public void DeclareIncome_accepts_rand_and_cent_amounts(string amount, IncomeSource source)
    {
        var e = CitizenDecisions.DeclareIncome(TestData.Citizen(), M(amount), source, Yesterday, Today)
            .ShouldAcceptOne<IncomeDeclared>();

        e.MonthlyIncome.Should().Be(M(amount));
        e.Source.Should().Be(source);
    }

    [Theory]
    [InlineData("-0.01")]
    [InlineData("-100")]
    [InlineData("10.005")]
    [InlineData("0.001")]
    [InlineData("100000000.01")]
    [InlineData("1000000000")]
    public void DeclareIncome_rejects_negative_over_the_maximum_or_fractional_cent_amounts(string amount)
    {
        CitizenDecisions.DeclareIncome(TestData.Citizen(), M(amount), IncomeSource.Employment, Yesterday, Today)
            .ShouldReject(ErrorCodes.InvalidInput, "monthlyIncome");
    }

    [Theory]
    [InlineData("0.01")]
    [InlineData("1500")]
    public void DeclareIncome_with_source_none_requires_zero(string amount)
    {
        CitizenDecisions.DeclareIncome(TestData.Citizen(), M(amount), IncomeSource.None, Yesterday, Today)
            .ShouldReject(ErrorCodes.InvalidInput, "source");
    }

    // ===== RecordOrphanhood and RecordSchoolAttendance =============================================

    [Fact]
    public void Orphanhood_is_recorded_for_a_child_with_its_evidence()
    {
        var child = TestData.Citizen(dateOfBirth: Today.AddYears(-10));
        CitizenDecisions.RecordOrphanhood(child, true, "death certificates 123 and 456", Yesterday, Today)
            .ShouldAcceptOne<OrphanhoodRecorded>().Should().Be(new OrphanhoodRecorded(true));
        CitizenDecisions.RecordOrphanhood(child, true, "  ", Yesterday, Today).ShouldReject(ErrorCodes.ReasonRequired, "reason");
        CitizenDecisions.RecordOrphanhood(child, false, "correction", Yesterday, Today).ShouldReject(ErrorCodes.NoChange, null);
    }

    [Fact]
    public void Orphanhood_is_not_recorded_for_an_adult()
    {
        var adult = TestData.Citizen(dateOfBirth: Today.AddYears(-18));
        CitizenDecisions.RecordOrphanhood(adult, true, "death certificates", Today, Today).ShouldReject(ErrorCodes.InvalidInput, "orphaned");
    }

    [Fact]
    public void School_attendance_carries_the_date_it_began_and_ended()
    {
        var learner = TestData.Citizen(dateOfBirth: Today.AddYears(-19));
        CitizenDecisions.RecordSchoolAttendance(learner, true, Yesterday, Today).ShouldAcceptOne<SchoolAttendanceRecorded>()
            .Should().Be(new SchoolAttendanceRecorded(true, Yesterday));
        var attending = Citizen.Evolve(learner, new SchoolAttendanceRecorded(true, Yesterday))!;
        attending.School.Should().Be(new SchoolAttendance(true, Yesterday));
        CitizenDecisions.RecordSchoolAttendance(attending, true, Today, Today).ShouldReject(ErrorCodes.NoChange, null);
        CitizenDecisions.RecordSchoolAttendance(learner, false, Today, Today).ShouldReject(ErrorCodes.NoChange, null);
    }

    // ===== RecordSchoolFees ========================================================================

    [Fact]
    public void School_fees_are_recorded_per_school_year_and_a_later_recording_replaces_that_year_only()
    {
        var learner = TestData.Citizen(dateOfBirth: D("2014-03-03"));
        CitizenDecisions.RecordSchoolFees(learner, 2026, 4000m, 250.50m, Today, Today).ShouldAcceptOne<SchoolFeesRecorded>()
            .Should().Be(new SchoolFeesRecorded(2026, 4000m, 250.50m));

        var both = Citizen.Evolve(Citizen.Evolve(learner, new SchoolFeesRecorded(2026, 4000m, 250.50m)), new SchoolFeesRecorded(2025, 3600m, 0m))!;
        var raised = Citizen.Evolve(both, new SchoolFeesRecorded(2026, 4400m, 0m))!;

        raised.SchoolFees.Should().Equal(new SchoolFees(2025, 3600m, 0m), new SchoolFees(2026, 4400m, 0m));
        raised.SchoolFeesFor(D("2026-01-01")).Should().Be(new SchoolFees(2026, 4400m, 0m));
        raised.SchoolFeesFor(D("2025-12-31")).Should().Be(new SchoolFees(2025, 3600m, 0m));
        raised.SchoolFeesFor(D("2024-06-01")).Should().BeNull();
        CitizenDecisions.RecordSchoolFees(raised, 2026, 4400m, 0m, Today, Today).ShouldReject(ErrorCodes.NoChange, null);
    }

    [Theory]
    [InlineData(2013, "4000", "0", "year")]      // before the learner was born
    [InlineData(2028, "4000", "0", "year")]      // beyond next year
    [InlineData(2026, "-1", "0", "annualFees")]
    [InlineData(2026, "4000.001", "0", "annualFees")]
    [InlineData(2026, "10000000.01", "0", "annualFees")]
    [InlineData(2026, "4000", "-0.01", "otherAnnualCharges")]
    public void School_fees_outside_what_a_school_can_charge_are_rejected(int year, string fees, string other, string field)
    {
        var learner = TestData.Citizen(dateOfBirth: D("2014-03-03"));
        CitizenDecisions.RecordSchoolFees(learner, year, M(fees), M(other), Today, Today)
            .ShouldReject(ErrorCodes.InvalidInput, field);
    }

    [Fact]
    public void Next_years_fees_may_be_recorded_in_advance()
    {
        var learner = TestData.Citizen(dateOfBirth: D("2014-03-03"));
        CitizenDecisions.RecordSchoolFees(learner, Today.Year + 1, 0m, 0m, Today, Today).IsAccepted.Should().BeTrue();
    }

    // ===== RecordDisabilityAssessment ==============================================================

    [Fact]
    public void A_temporary_disability_with_a_later_review_date_is_recorded_with_that_date()
    {
        var review = D("2027-06-01");
        CitizenDecisions.RecordDisabilityAssessment(TestData.Citizen(), true, false, review, Yesterday, Today)
            .ShouldAcceptOne<DisabilityAssessed>()
            .Should().Be(new DisabilityAssessed(true, false, review));
    }

    [Fact]
    public void A_permanent_disability_is_recorded_without_a_review_date_even_if_one_was_given()
    {
        CitizenDecisions.RecordDisabilityAssessment(TestData.Citizen(), true, true, null, Yesterday, Today)
            .ShouldAcceptOne<DisabilityAssessed>().Should().Be(new DisabilityAssessed(true, true, null));
        CitizenDecisions.RecordDisabilityAssessment(TestData.Citizen(), true, true, D("2030-01-01"), Yesterday, Today)
            .ShouldAcceptOne<DisabilityAssessed>().Should().Be(new DisabilityAssessed(true, true, null));
    }

    [Fact]
    public void An_assessment_of_no_disability_is_recorded()
    {
        CitizenDecisions.RecordDisabilityAssessment(TestData.Citizen(), false, false, null, Yesterday, Today)
            .ShouldAcceptOne<DisabilityAssessed>().Should().Be(new DisabilityAssessed(false, false, null));
    }

    [Fact]
    public void Permanent_but_not_disabled_is_rejected()
    {
        CitizenDecisions.RecordDisabilityAssessment(TestData.Citizen(), false, true, null, Yesterday, Today)
            .ShouldReject(ErrorCodes.InvalidInput, "permanent");
    }

    [Fact]
    public void A_temporary_disability_without_a_review_date_is_rejected()
    {
        CitizenDecisions.RecordDisabilityAssessment(TestData.Citizen(), true, false, null, Yesterday, Today)
            .ShouldReject(ErrorCodes.InvalidInput, "reviewDate");
    }

    [Theory]
    [InlineData(0)]   // on the day of the assessment
    [InlineData(-1)]  // before it
    [InlineData(-400)]
    public void A_review_date_not_after_the_assessment_is_rejected(int daysAfterEffective)
    {
        var effective = D("2026-01-15");
        CitizenDecisions.RecordDisabilityAssessment(TestData.Citizen(), true, false, effective.AddDays(daysAfterEffective), effective, Today)
            .ShouldReject(ErrorCodes.InvalidDate, "reviewDate");
    }

    [Fact]
    public void A_review_date_the_day_after_the_assessment_is_accepted()
    {
        var effective = D("2026-01-15");
        CitizenDecisions.RecordDisabilityAssessment(TestData.Citizen(), true, false, effective.AddDays(1), effective, Today)
            .ShouldAcceptOne<DisabilityAssessed>().ReviewDate.Should().Be(effective.AddDays(1));
    }

    // ===== RecordDeath =============================================================================

    [Fact]
    public void RecordDeath_emits_the_date_of_death()
    {
        CitizenDecisions.RecordDeath(TestData.Citizen(), D("2026-10-01"), "Death notice DN-2026-001", Today)
            .ShouldAcceptOne<CitizenDied>().Should().Be(new CitizenDied(D("2026-10-01")));
    }

    [Fact]
    public void RecordDeath_accepts_today_and_the_date_of_birth()
    {
        var c = TestData.Citizen();
        CitizenDecisions.RecordDeath(c, Today, "DN-1", Today).ShouldAcceptOne<CitizenDied>();
        CitizenDecisions.RecordDeath(c, c.DateOfBirth, "DN-1", Today).ShouldAcceptOne<CitizenDied>();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void RecordDeath_needs_a_reason(string? reason)
    {
        CitizenDecisions.RecordDeath(TestData.Citizen(), Yesterday, reason, Today).ShouldReject(ErrorCodes.ReasonRequired, "reason");
    }

    [Fact]
    public void RecordDeath_rejects_a_date_before_birth_or_in_the_future()
    {
        var c = TestData.Citizen();
        CitizenDecisions.RecordDeath(c, c.DateOfBirth.AddDays(-1), "DN-1", Today).ShouldReject(ErrorCodes.InvalidDate, "dateOfDeath");
        CitizenDecisions.RecordDeath(c, Tomorrow, "DN-1", Today).ShouldReject(ErrorCodes.InvalidDate, "dateOfDeath");
    }

    [Fact]
    public void RecordDeath_twice_is_rejected()
    {
        var c = TestData.Citizen(dateOfDeath: D("2025-05-05"));
        CitizenDecisions.RecordDeath(c, D("2025-05-05"), "DN-1", Today).ShouldReject(ErrorCodes.CitizenDeceased, null);
        CitizenDecisions.RecordDeath(c, D("2026-01-01"), "DN-2", Today).ShouldReject(ErrorCodes.CitizenDeceased, null);
    }

    // ===== Correct =================================================================================

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t ")]
    public void A_correction_needs_a_reason(string? reason)
    {
        CitizenDecisions.Correct(TestData.Citizen(), "surname", "Dlamini", reason, Today).ShouldReject(ErrorCodes.ReasonRequired, "reason");
    }

    [Theory]
    [InlineData("address")]
    [InlineData("dateOfDeath")]
    [InlineData("monthlyIncome")]
    [InlineData("")]
    [InlineData("Surname")] // field names are exact
    public void Only_the_correctable_fields_can_be_corrected(string field)
    {
        CitizenDecisions.Correct(TestData.Citizen(), field, "anything", "capture error", Today).ShouldReject(ErrorCodes.InvalidInput, "field");
    }

    [Fact]
    public void A_surname_correction_records_the_old_and_new_values()
    {
        var c = TestData.Citizen(surname: "Nkozi");

        CitizenDecisions.Correct(c, "surname", "  Nkosi ", "typo at capture", Today)
            .ShouldAcceptOne<CitizenRecordCorrected>()
            .Should().Be(new CitizenRecordCorrected("surname", "Nkozi", "Nkosi"));
    }

    [Fact]
    public void A_first_names_correction_records_the_old_and_new_values()
    {
        var c = TestData.Citizen(firstNames: "Tandiwe");
        CitizenDecisions.Correct(c, "firstNames", "Thandiwe", "typo", Today)
            .ShouldAcceptOne<CitizenRecordCorrected>()
            .Should().Be(new CitizenRecordCorrected("firstNames", "Tandiwe", "Thandiwe"));
    }

    [Fact]
    public void A_correction_to_the_value_already_held_is_no_change()
    {
        var c = TestData.Citizen(surname: "Nkosi");
        CitizenDecisions.Correct(c, "surname", " Nkosi ", "typo", Today).ShouldReject(ErrorCodes.NoChange, null);
        CitizenDecisions.Correct(c, "dateOfBirth", "1985-06-15", "typo", Today).ShouldReject(ErrorCodes.NoChange, null);
        CitizenDecisions.Correct(c, "sex", "FEMALE", "typo", Today).ShouldReject(ErrorCodes.NoChange, null);
        CitizenDecisions.Correct(c, "citizenship", "CITIZEN", "typo", Today).ShouldReject(ErrorCodes.NoChange, null);
        CitizenDecisions.Correct(c, "idNumber", c.IdNumber, "typo", Today).ShouldReject(ErrorCodes.NoChange, null);
    }

    [Theory]
    [InlineData("surname", "Nk0si")]
    [InlineData("firstNames", "")]
    [InlineData("dateOfBirth", "15/06/1985")]
    [InlineData("dateOfBirth", "1985-02-30")]
    [InlineData("sex", "unknown")]
    [InlineData("citizenship", "refugee")]
    public void A_correction_to_an_unreadable_value_is_rejected(string field, string value)
    {
        CitizenDecisions.Correct(TestData.Citizen(), field, value, "typo", Today).ShouldReject(ErrorCodes.InvalidInput, "value");
    }

    [Theory]
    [InlineData("850615012308")]     // 12 digits
    [InlineData("85061501230899")]   // 14 digits
    [InlineData("85061501230A9")]
    public void An_id_number_correction_that_is_not_13_digits_is_rejected(string value)
    {
        CitizenDecisions.Correct(TestData.Citizen(), "idNumber", value, "typo", Today).ShouldReject(ErrorCodes.InvalidIdNumber, "value");
    }

    [Fact]
    public void An_id_number_correction_with_a_bad_check_digit_is_rejected()
    {
        var c = TestData.Citizen();
        var otherSequence = SaIdNumber.Create(c.DateOfBirth, c.Sex, c.Citizenship, 4321).Value;

        CitizenDecisions.Correct(c, "idNumber", Luhn.Spoil(otherSequence), "typo", Today).ShouldReject(ErrorCodes.InvalidIdNumber, "value");
    }

    [Fact]
    public void An_id_number_correction_that_agrees_with_the_record_is_accepted()
    {
        var c = TestData.Citizen();
        var corrected = SaIdNumber.Create(c.DateOfBirth, c.Sex, c.Citizenship, 4321).Value;

        CitizenDecisions.Correct(c, "idNumber", " " + corrected + " ", "typo", Today)
            .ShouldAcceptOne<CitizenRecordCorrected>()
            .Should().Be(new CitizenRecordCorrected("idNumber", c.IdNumber, corrected));
    }

    [Fact]
    public void An_id_number_correction_that_disagrees_with_the_record_is_rejected()
    {
        var c = TestData.Citizen(); // 1985-06-15, female, citizen

        var otherDate = SaIdNumber.Create(D("1985-06-16"), c.Sex, c.Citizenship, 1).Value;
        var otherSex = SaIdNumber.Create(c.DateOfBirth, Sex.Male, c.Citizenship, 1).Value;
        var otherCitizenship = SaIdNumber.Create(c.DateOfBirth, c.Sex, Citizenship.PermanentResident, 1).Value;

        CitizenDecisions.Correct(c, "idNumber", otherDate, "typo", Today).ShouldReject(ErrorCodes.InvalidIdNumber, "dateOfBirth");
        CitizenDecisions.Correct(c, "idNumber", otherSex, "typo", Today).ShouldReject(ErrorCodes.InvalidIdNumber, "sex");
        CitizenDecisions.Correct(c, "idNumber", otherCitizenship, "typo", Today).ShouldReject(ErrorCodes.InvalidIdNumber, "citizenship");
    }

    [Fact]
    public void A_date_of_birth_correction_to_the_other_century_is_accepted_when_the_yymmdd_is_unchanged()
    {
        var c = TestData.Citizen(dateOfBirth: D("2015-03-04"));

        CitizenDecisions.Correct(c, "dateOfBirth", "1915-03-04", "century captured wrongly", Today)
            .ShouldAcceptOne<CitizenRecordCorrected>()
            .Should().Be(new CitizenRecordCorrected("dateOfBirth", "2015-03-04", "1915-03-04"));
    }

    [Fact]
    public void A_date_of_birth_correction_that_changes_the_yymmdd_disagrees_with_the_id_number()
    {
        CitizenDecisions.Correct(TestData.Citizen(), "dateOfBirth", "1985-06-16", "typo", Today)
            .ShouldReject(ErrorCodes.InvalidIdNumber, "dateOfBirth");
    }

    [Fact]
    public void A_date_of_birth_correction_into_the_future_or_beyond_130_years_is_rejected()
    {
        // 1926-11-26 -> 2026-11-26 keeps the YYMMDD but is tomorrow.
        CitizenDecisions.Correct(TestData.Citizen(dateOfBirth: D("1926-11-26")), "dateOfBirth", "2026-11-26", "century", Today)
            .ShouldReject(ErrorCodes.InvalidDate, "value");
        // 1995-01-01 -> 1895-01-01 keeps the YYMMDD but is more than 130 years ago.
        CitizenDecisions.Correct(TestData.Citizen(dateOfBirth: D("1995-01-01")), "dateOfBirth", "1895-01-01", "century", Today)
            .ShouldReject(ErrorCodes.InvalidDate, "value");
    }

    [Fact]
    public void A_sex_or_citizenship_correction_that_disagrees_with_the_id_number_is_rejected()
    {
        var c = TestData.Citizen(sex: Sex.Female, citizenship: Citizenship.Citizen);

        CitizenDecisions.Correct(c, "sex", "MALE", "typo", Today).ShouldReject(ErrorCodes.InvalidIdNumber, "sex");
        CitizenDecisions.Correct(c, "citizenship", "PERMANENT_RESIDENT", "typo", Today).ShouldReject(ErrorCodes.InvalidIdNumber, "citizenship");
    }

    [Fact]
    public void A_sex_correction_that_brings_the_record_in_line_with_the_id_number_is_accepted()
    {
        // A record captured before validation: the ID number says female, the record says male.
        var c = TestData.Citizen(sex: Sex.Female) with { Sex = Sex.Male };

        CitizenDecisions.Correct(c, "sex", "FEMALE", "capture error", Today)
            .ShouldAcceptOne<CitizenRecordCorrected>()
            .Should().Be(new CitizenRecordCorrected("sex", "Male", "Female"));
    }

    [Theory]
    [InlineData("PERMANENT_RESIDENT")] // GraphQL spelling
    [InlineData("PermanentResident")]  // C# spelling
    [InlineData("permanentresident")]
    public void A_citizenship_correction_accepts_both_enum_spellings_and_stores_the_canonical_one(string value)
    {
        var c = TestData.Citizen(citizenship: Citizenship.PermanentResident) with { Citizenship = Citizenship.Citizen };

        CitizenDecisions.Correct(c, "citizenship", value, "capture error", Today)
            .ShouldAcceptOne<CitizenRecordCorrected>()
            .Should().Be(new CitizenRecordCorrected("citizenship", "Citizen", "PermanentResident"));
    }

    [Fact]
    public void A_deceased_citizens_record_can_still_be_corrected()
    {
        var c = TestData.Citizen(surname: "Nkozi", dateOfDeath: D("2024-02-02"));

        CitizenDecisions.Correct(c, "surname", "Nkosi", "death notice shows the right spelling", Today)
            .ShouldAcceptOne<CitizenRecordCorrected>().NewValue.Should().Be("Nkosi");
    }
}
