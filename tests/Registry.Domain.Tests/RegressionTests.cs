using System.Globalization;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Households;

namespace Registry.Domain.Tests;

/// <summary>
/// Pins the domain fixes made together with the first test suite: each test here fails if its fix is
/// reverted (culture-dependent date formatting, lax address checks, loose enum reading in corrections,
/// birth after death, household dates before joining, a member re-added to its own household, and an
/// out-of-range historic digit).
/// </summary>
public class RegressionTests
{
    private static readonly DateOnly Today = TestData.Today;

    // ===== 1. Culture independence ================================================================

    // 8506150123089: 1985-06-15, female, SA citizen, sequence 0123, historic digit 8.
    private const string ThandiweId = "8506150123089";
    private static readonly DateOnly ThandiweBirth = new(1985, 6, 15);

    /// <summary>
    /// Runs the assertions with the current culture set to one whose default calendar is not the
    /// Gregorian one (th-TH: Thai Buddhist, 1985 is 2528; ar-SA: Umm al-Qura, 1985 is 1405), and
    /// restores the previous culture afterwards. Fixtures should be built before calling this, so that
    /// only the code under test runs under the foreign culture.
    /// <para>
    /// If the host runs with invariant globalization (no ICU), such a culture cannot be created, or is
    /// created as a Gregorian stand-in; the test then returns early, as it could prove nothing there.
    /// This machine has ICU and the test project does not set InvariantGlobalization, so the
    /// assertions do run; the check on the rendered year below guards against a vacuous pass.
    /// </para>
    /// </summary>
    private static void UnderCulture(string name, Action assertions)
    {
        CultureInfo culture;
        try
        {
            culture = new CultureInfo(name);
        }
        catch (CultureNotFoundException)
        {
            return; // invariant globalization: the culture does not exist here; nothing to test.
        }
        if (culture.Calendar is GregorianCalendar)
            return; // invariant globalization with PredefinedCulturesOnly=false: a Gregorian stand-in; nothing to test.

        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = culture;
            ThandiweBirth.ToString("yyMMdd").Should().NotBe("850615",
                $"under {name} a culture-sensitive format must render another year, or this test proves nothing");
            assertions();
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData("th-TH")]
    [InlineData("ar-SA")]
    public void SaIdNumber_Create_writes_the_Gregorian_date_under_any_culture(string culture)
    {
        UnderCulture(culture, () =>
        {
            var created = SaIdNumber.Create(ThandiweBirth, Sex.Female, Citizenship.Citizen, 123);

            created.Value.Should().Be(ThandiweId);
            created.ImpliedDateOfBirth.Should().Be(ThandiweBirth);
            Luhn.IsValid(created.Value).Should().BeTrue();

            var male = SaIdNumber.Create(new DateOnly(1980, 1, 1), Sex.Male, Citizenship.Citizen, 0, historicDigit: 8);
            male.Value.Should().Be("8001015000086");
            Luhn.IsValid(male.Value).Should().BeTrue();
        });
    }

    [Theory]
    [InlineData("th-TH")]
    [InlineData("ar-SA")]
    public void SaIdNumber_CheckAgreement_compares_the_Gregorian_date_under_any_culture(string culture)
    {
        var id = SaIdNumber.Parse(ThandiweId, Today);

        UnderCulture(culture, () =>
        {
            id.CheckAgreement(ThandiweBirth, Sex.Female, Citizenship.Citizen).Should().BeNull();

            var mismatch = id.CheckAgreement(new DateOnly(1990, 1, 2), Sex.Female, Citizenship.Citizen);
            mismatch.Should().NotBeNull();
            mismatch!.Code.Should().Be(ErrorCodes.InvalidIdNumber);
            mismatch.Field.Should().Be("dateOfBirth");
            mismatch.Message.Should().Contain("1990-01-02", "the message quotes the date in ISO form whatever the culture");
        });
    }

    [Theory]
    [InlineData("th-TH")]
    [InlineData("ar-SA")]
    public void CorrectableFields_read_and_write_dates_in_ISO_Gregorian_form_under_any_culture(string culture)
    {
        var c = TestData.Citizen(dateOfBirth: ThandiweBirth);

        UnderCulture(culture, () =>
        {
            CorrectableFields.Current(c, "dateOfBirth").Should().Be("1985-06-15");
            CorrectableFields.Normalise("dateOfBirth", " 1990-01-02 ").Should().Be("1990-01-02");
            CorrectableFields.Apply(c, "dateOfBirth", "1990-01-02").DateOfBirth.Should().Be(new DateOnly(1990, 1, 2));

            // 1987 is not a leap year; read as a Thai Buddhist year it would be 1444, which is.
            CorrectableFields.Normalise("dateOfBirth", "1987-02-29").Should().BeNull();
            CorrectableFields.Normalise("dateOfBirth", "1988-02-29").Should().Be("1988-02-29");
        });
    }

    [Theory]
    [InlineData("th-TH")]
    [InlineData("ar-SA")]
    public void Register_and_Correct_decide_the_same_under_any_culture(string culture)
    {
        var c = TestData.Citizen(dateOfBirth: ThandiweBirth);
        // Registered as born 1925, the ID's YYMMDD (250615) also fits 2025: a correction to 2025 is legitimate.
        var old = TestData.Citizen(dateOfBirth: new DateOnly(1925, 6, 15));

        UnderCulture(culture, () =>
        {
            CitizenDecisions.Register(Guid.NewGuid(), ThandiweId, "Thandiwe", "Nkosi", ThandiweBirth,
                    Sex.Female, Citizenship.Citizen, TestData.CapeTown(), Today)
                .ShouldAcceptOne<CitizenRegistered>()
                .IdNumber.Should().Be(ThandiweId);

            CitizenDecisions.Correct(c, "surname", "Dlamini", "typo at capture", Today)
                .ShouldAcceptOne<CitizenRecordCorrected>()
                .Should().Be(new CitizenRecordCorrected("surname", "Nkosi", "Dlamini"));

            CitizenDecisions.Correct(c, "dateOfBirth", "1985-06-15", "typo", Today)
                .ShouldReject(ErrorCodes.NoChange, null);

            CitizenDecisions.Correct(old, "dateOfBirth", "2025-06-15", "wrong century at capture", Today)
                .ShouldAcceptOne<CitizenRecordCorrected>()
                .Should().Be(new CitizenRecordCorrected("dateOfBirth", "1925-06-15", "2025-06-15"));
        });
    }

    // ===== 2. Address.Validate ====================================================================

    [Fact]
    public void Address_rejects_a_postal_code_with_a_trailing_newline()
    {
        (TestData.CapeTown() with { PostalCode = "8001\n" }).Validate()
            .Should().Be(new DomainError(ErrorCodes.InvalidInput, "Postal code must be four digits.", "address.postalCode"));
    }

    [Fact]
    public void Address_rejects_a_municipality_code_with_a_trailing_newline()
    {
        var error = (TestData.CapeTown() with { MunicipalityCode = "CPT\n" }).Validate();

        error.Should().NotBeNull();
        error!.Code.Should().Be(ErrorCodes.InvalidInput);
        error.Field.Should().Be("address.municipalityCode");
    }

    [Theory]
    [InlineData(42)]
    [InlineData(-1)]
    [InlineData(9)] // one past WesternCape, the last of the nine
    public void Address_rejects_an_undefined_province(int province)
    {
        var error = (TestData.CapeTown() with { Province = (Province)province }).Validate();

        error.Should().NotBeNull();
        error!.Code.Should().Be(ErrorCodes.InvalidInput);
        error.Field.Should().Be("address.province");
    }

    [Fact]
    public void Address_field_prefix_is_used_for_the_new_checks()
    {
        (TestData.CapeTown() with { PostalCode = "8001\n" }).Validate("newAddress")!.Field.Should().Be("newAddress.postalCode");
        (TestData.CapeTown() with { MunicipalityCode = "CPT\n" }).Validate("newAddress")!.Field.Should().Be("newAddress.municipalityCode");
        (TestData.CapeTown() with { Province = (Province)42 }).Validate("newAddress")!.Field.Should().Be("newAddress.province");
    }

    [Fact]
    public void Addresses_with_a_trailing_newline_or_an_undefined_province_are_refused_by_the_decisions()
    {
        var c = TestData.Citizen();
        var head = TestData.Citizen(dateOfBirth: new DateOnly(1970, 2, 2), sex: Sex.Male);
        var formed = new DateOnly(2020, 1, 1);

        CitizenDecisions.ChangeAddress(c, TestData.Johannesburg() with { PostalCode = "2001\n" }, Today, Today)
            .ShouldReject(ErrorCodes.InvalidInput, "address.postalCode");
        CitizenDecisions.ChangeAddress(c, TestData.Johannesburg() with { MunicipalityCode = "JHB\n" }, Today, Today)
            .ShouldReject(ErrorCodes.InvalidInput, "address.municipalityCode");
        CitizenDecisions.ChangeAddress(c, TestData.Johannesburg() with { Province = (Province)42 }, Today, Today)
            .ShouldReject(ErrorCodes.InvalidInput, "address.province");

        CitizenDecisions.Register(Guid.NewGuid(), ThandiweId, "Thandiwe", "Nkosi", ThandiweBirth, Sex.Female,
                Citizenship.Citizen, TestData.CapeTown() with { Province = (Province)42 }, Today)
            .ShouldReject(ErrorCodes.InvalidInput, "address.province");

        HouseholdDecisions.Form(Guid.NewGuid(), head, null, TestData.CapeTown() with { PostalCode = "8001\n" }, formed, Today)
            .ShouldReject(ErrorCodes.InvalidInput, "address.postalCode");
    }

    [Fact]
    public void Address_still_accepts_every_defined_province_and_plain_codes()
    {
        foreach (var province in Enum.GetValues<Province>())
            (TestData.CapeTown() with { Province = province }).Validate().Should().BeNull($"{province} is one of the nine");
        (TestData.CapeTown() with { MunicipalityCode = "EC101", PostalCode = "0001" }).Validate().Should().BeNull();
    }

    // ===== 3. CitizenDecisions.Correct ============================================================

    [Theory]
    [InlineData("sex", "1")]            // numeric text would be read as Male
    [InlineData("sex", "0")]
    [InlineData("sex", "Female, Male")] // a flags-style list would be read as Female|Male = Male
    [InlineData("sex", "Male,Female")]
    [InlineData("sex", "-1")]
    [InlineData("citizenship", "1")]
    [InlineData("citizenship", "Citizen, PermanentResident")]
    public void Correct_refuses_numeric_or_listed_enum_values(string field, string value)
    {
        CitizenDecisions.Correct(TestData.Citizen(), field, value, "capture error", Today)
            .ShouldReject(ErrorCodes.InvalidInput, "value");
    }

    [Fact]
    public void Correct_still_reads_enum_names_in_either_spelling()
    {
        var resident = TestData.Citizen(citizenship: Citizenship.PermanentResident);
        // The ID says permanent resident, so a correction to CITIZEN must fail on agreement, not on reading.
        CitizenDecisions.Correct(resident, "citizenship", "CITIZEN", "capture error", Today)
            .ShouldReject(ErrorCodes.InvalidIdNumber, "citizenship");
        CitizenDecisions.Correct(resident, "citizenship", "PERMANENT_RESIDENT", "capture error", Today)
            .ShouldReject(ErrorCodes.NoChange, null);
        CitizenDecisions.Correct(resident, "sex", "male", "capture error", Today)
            .ShouldReject(ErrorCodes.InvalidIdNumber, "sex");
    }

    [Fact]
    public void Correct_refuses_a_date_of_birth_after_the_recorded_death()
    {
        // Registered as born 1925-06-15 (ID 250615...), death recorded in 1930. 2025-06-15 agrees with
        // the ID number and lies in the past, but would put the birth after the death.
        var c = TestData.Citizen(dateOfBirth: new DateOnly(1925, 6, 15), dateOfDeath: new DateOnly(1930, 1, 1));

        CitizenDecisions.Correct(c, "dateOfBirth", "2025-06-15", "wrong century at capture", Today)
            .ShouldReject(ErrorCodes.InvalidDate, "value");
    }

    [Fact]
    public void Correct_refuses_a_date_of_birth_after_the_recorded_death_before_checking_the_id()
    {
        var c = TestData.Citizen(dateOfBirth: new DateOnly(1985, 6, 15), dateOfDeath: new DateOnly(2000, 1, 1));

        CitizenDecisions.Correct(c, "dateOfBirth", "2001-01-01", "capture error", Today)
            .ShouldReject(ErrorCodes.InvalidDate, "value");
    }

    [Fact]
    public void Correct_accepts_a_date_of_birth_on_the_day_of_death_or_before_it()
    {
        var c = TestData.Citizen(dateOfBirth: new DateOnly(1925, 6, 15), dateOfDeath: new DateOnly(2025, 6, 15));

        CitizenDecisions.Correct(c, "dateOfBirth", "2025-06-15", "wrong century at capture", Today)
            .ShouldAcceptOne<CitizenRecordCorrected>()
            .Should().Be(new CitizenRecordCorrected("dateOfBirth", "1925-06-15", "2025-06-15"));

        var later = c with { DateOfDeath = new DateOnly(2026, 1, 1) };
        CitizenDecisions.Correct(later, "dateOfBirth", "2025-06-15", "wrong century at capture", Today)
            .ShouldAcceptOne<CitizenRecordCorrected>();
    }

    // ===== 4. HouseholdDecisions ==================================================================

    private static readonly Guid HouseholdId = Guid.Parse("7a000000-0000-4000-8000-0000000000bb");
    private static readonly DateOnly Formed = new(2020, 1, 1);
    private static readonly DateOnly ChildJoined = new(2024, 6, 1);

    private static readonly Citizen Head = TestData.Citizen(dateOfBirth: new DateOnly(1970, 2, 2), sex: Sex.Male, id: Guid.Parse("00000000-0000-4000-8000-0000000000b1"));
    private static readonly Citizen Spouse = TestData.Citizen(dateOfBirth: new DateOnly(1972, 3, 3), id: Guid.Parse("00000000-0000-4000-8000-0000000000b2"));
    private static readonly Citizen Child = TestData.Citizen(dateOfBirth: new DateOnly(2005, 4, 4), id: Guid.Parse("00000000-0000-4000-8000-0000000000b3"));

    private static Household Build(params (object Event, DateOnly Effective)[] stream)
    {
        Household? h = null;
        foreach (var (e, effective) in stream) h = Household.Evolve(h, e, effective);
        return h!;
    }

    private static Household HeadOnly() => Build((new HouseholdFormed(HouseholdId, Head.Id, TestData.CapeTown()), Formed));

    private static Household Family() => Build(
        (new HouseholdFormed(HouseholdId, Head.Id, TestData.CapeTown()), Formed),
        (new MemberJoined(Spouse.Id, Relationship.Spouse), Formed),
        (new MemberJoined(Child.Id, Relationship.Child), ChildJoined));

    [Fact]
    public void RemoveMember_before_the_member_joined_is_rejected()
    {
        HouseholdDecisions.RemoveMember(Family(), Child.Id, ChildJoined.AddDays(-1), Today)
            .ShouldReject(ErrorCodes.InvalidDate, "effectiveDate");
    }

    [Fact]
    public void RemoveMember_of_a_sole_head_before_the_household_was_formed_is_rejected()
    {
        HouseholdDecisions.RemoveMember(HeadOnly(), Head.Id, Formed.AddDays(-1), Today)
            .ShouldReject(ErrorCodes.InvalidDate, "effectiveDate");
    }

    [Fact]
    public void RemoveMember_on_the_day_of_joining_is_accepted()
    {
        HouseholdDecisions.RemoveMember(Family(), Child.Id, ChildJoined, Today)
            .ShouldAcceptOne<MemberLeft>()
            .Should().Be(new MemberLeft(Child.Id));
    }

    [Fact]
    public void ChangeHead_before_the_new_head_joined_is_rejected()
    {
        HouseholdDecisions.ChangeHead(Family(), Child, ChildJoined.AddDays(-1), Today)
            .ShouldReject(ErrorCodes.InvalidDate, "effectiveDate");
    }

    [Fact]
    public void ChangeHead_on_the_day_the_new_head_joined_is_accepted()
    {
        HouseholdDecisions.ChangeHead(Family(), Child, ChildJoined, Today)
            .ShouldAcceptOne<HeadChanged>()
            .Should().Be(new HeadChanged(Child.Id, Head.Id, Relationship.Parent));
    }

    [Fact]
    public void AddMember_of_a_member_of_this_household_is_rejected_even_when_the_caller_passes_no_current_household()
    {
        HouseholdDecisions.AddMember(Family(), Spouse, null, Relationship.Spouse, Today, Today)
            .ShouldReject(ErrorCodes.AlreadyInHousehold, "idNumber");
        HouseholdDecisions.AddMember(Family(), Child, null, Relationship.Grandchild, Today, Today)
            .ShouldReject(ErrorCodes.AlreadyInHousehold, "idNumber");
        HouseholdDecisions.AddMember(HeadOnly(), Head, null, Relationship.OtherRelative, Today, Today)
            .ShouldReject(ErrorCodes.AlreadyInHousehold, "idNumber");
    }

    [Fact]
    public void AddMember_of_a_former_member_who_left_is_accepted()
    {
        var h = Build(
            (new HouseholdFormed(HouseholdId, Head.Id, TestData.CapeTown()), Formed),
            (new MemberJoined(Spouse.Id, Relationship.Spouse), Formed),
            (new MemberLeft(Spouse.Id), ChildJoined));

        HouseholdDecisions.AddMember(h, Spouse, null, Relationship.Spouse, Today, Today)
            .ShouldAcceptOne<MemberJoined>()
            .Should().Be(new MemberJoined(Spouse.Id, Relationship.Spouse));
    }

    // ===== 5. SaIdNumber.Create historic digit ====================================================

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    [InlineData(18)]
    [InlineData(int.MinValue)]
    public void Create_with_a_historic_digit_outside_0_to_9_throws(int historicDigit)
    {
        var act = () => SaIdNumber.Create(ThandiweBirth, Sex.Female, Citizenship.Citizen, 123, historicDigit);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("historicDigit");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void Create_with_a_historic_digit_0_or_9_writes_that_digit(int historicDigit)
    {
        var created = SaIdNumber.Create(ThandiweBirth, Sex.Female, Citizenship.Citizen, 123, historicDigit);

        created.Value.Should().HaveLength(13);
        created.Value[11].Should().Be((char)('0' + historicDigit));
        Luhn.IsValid(created.Value).Should().BeTrue();
        SaIdNumber.Parse(created.Value, Today).Should().Be(created);
    }
}
