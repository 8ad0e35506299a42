using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Domain.Tests;

public class SaIdNumberTests
{
    private static readonly DateOnly Today = TestData.Today;

    private static DomainError ParseError(string? input, DateOnly? today = null)
    {
        SaIdNumber.TryParse(input, today ?? Today, out var id, out var error).Should().BeFalse($"'{input}' is not a valid ID number");
        id.Should().Be(default(SaIdNumber));
        error.Should().NotBeNull();
        return error!;
    }

    private static SaIdNumber ParseOk(string input, DateOnly? today = null)
    {
        SaIdNumber.TryParse(input, today ?? Today, out var id, out var error).Should().BeTrue($"'{input}' is a valid ID number, but got {error}");
        error.Should().BeNull();
        return id;
    }

    // ---- valid numbers ---------------------------------------------------------------------------

    // Check digits computed by hand / with an independent Luhn; the first row is the widely published example.
    [Theory]
    [InlineData("8001015009087", "1980-01-01", Sex.Male, Citizenship.Citizen)]
    [InlineData("0002290001086", "2000-02-29", Sex.Female, Citizenship.Citizen)]        // 2000 is a leap year
    [InlineData("9912314999183", "1999-12-31", Sex.Female, Citizenship.PermanentResident)] // 4999 is the last female sequence
    [InlineData("2611255000087", "2026-11-25", Sex.Male, Citizenship.Citizen)]          // born today; 5000 is the first male sequence
    [InlineData("2611264321003", "1926-11-26", Sex.Female, Citizenship.Citizen)]        // 2026-11-26 is tomorrow, so 1926
    [InlineData("0101019999198", "2001-01-01", Sex.Male, Citizenship.PermanentResident)] // historic digit 9
    [InlineData("8506150123089", "1985-06-15", Sex.Female, Citizenship.Citizen)]
    [InlineData("8506150123097", "1985-06-15", Sex.Female, Citizenship.Citizen)]        // historic digit 9
    [InlineData("8506150123055", "1985-06-15", Sex.Female, Citizenship.Citizen)]        // historic digit 5: any digit is accepted
    public void Valid_numbers_parse_to_their_date_of_birth_sex_and_citizenship(string input, string dob, Sex sex, Citizenship citizenship)
    {
        Luhn.IsValid(input).Should().BeTrue("the table itself must hold Luhn-valid numbers");

        var id = ParseOk(input);

        id.Value.Should().Be(input);
        id.ToString().Should().Be(input);
        id.ImpliedDateOfBirth.Should().Be(DateOnly.ParseExact(dob, "yyyy-MM-dd"));
        id.Sex.Should().Be(sex);
        id.Citizenship.Should().Be(citizenship);
    }

    [Fact]
    public void Surrounding_whitespace_is_ignored_and_not_kept()
    {
        var id = ParseOk("  8001015009087\t");
        id.Value.Should().Be("8001015009087");
    }

    [Fact]
    public void Parse_returns_the_number_and_throws_FormatException_for_an_invalid_one()
    {
        SaIdNumber.Parse("8001015009087", Today).Sex.Should().Be(Sex.Male);

        var act = () => SaIdNumber.Parse("8001015009088", Today);
        act.Should().Throw<FormatException>();
    }

    // ---- invalid numbers: each rule on its own --------------------------------------------------

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("800101500908")]     // 12 digits
    [InlineData("80010150090870")]   // 14 digits
    [InlineData("8")]
    public void Wrong_length_is_rejected(string? input)
    {
        var error = ParseError(input);
        error.Code.Should().Be(ErrorCodes.InvalidIdNumber);
        error.Field.Should().Be("idNumber");
    }

    [Theory]
    [InlineData("80010150090A7")]
    [InlineData("ABCDEFGHIJKLM")]
    [InlineData("800101-500908")]    // 13 characters, one a dash
    [InlineData("8001015 09087")]    // 13 characters, one a space
    [InlineData("+800101500908")]
    [InlineData("８００１０１５００９０８７")] // full-width digits are digits, but not ASCII ones
    [InlineData("٨٠٠١٠١٥٠٠٩٠٨٧")]   // Arabic-Indic digits
    public void Non_digits_are_rejected(string input)
    {
        var error = ParseError(input);
        error.Code.Should().Be(ErrorCodes.InvalidIdNumber);
        error.Field.Should().Be("idNumber");
    }

    // Every number here has a correct Luhn check digit and a valid citizenship digit, so only the
    // date rule can reject it.
    [Theory]
    [InlineData("310231")] // 31 February
    [InlineData("310431")] // 31 April
    [InlineData("010229")] // 29 February in 1901 and 2001, neither a leap year
    [InlineData("991329")] // month 13
    [InlineData("990029")] // month 00
    [InlineData("990100")] // day 00
    [InlineData("990132")] // day 32
    public void Impossible_dates_are_rejected(string yymmdd)
    {
        var input = Luhn.Complete(yymmdd + "000108");

        var error = ParseError(input);

        error.Code.Should().Be(ErrorCodes.InvalidIdNumber);
        error.Field.Should().Be("idNumber");
    }

    [Fact]
    public void The_29th_of_February_2000_is_a_real_date_but_1900_is_not_a_leap_year()
    {
        var input = Luhn.Complete("000229" + "000108");

        ParseOk(input).ImpliedDateOfBirth.Should().Be(new DateOnly(2000, 2, 29));
        // Before 2000-02-29 happened, only 1900 was available, and 1900-02-29 never existed.
        ParseError(input, today: new DateOnly(2000, 2, 28)).Code.Should().Be(ErrorCodes.InvalidIdNumber);
        ParseOk(input, today: new DateOnly(2000, 2, 29)).ImpliedDateOfBirth.Should().Be(new DateOnly(2000, 2, 29));
    }

    [Theory]
    [InlineData('2')]
    [InlineData('3')]
    [InlineData('5')]
    [InlineData('8')]
    [InlineData('9')]
    public void A_citizenship_digit_other_than_0_or_1_is_rejected(char digit)
    {
        var input = Luhn.Complete("850615" + "0123" + digit + "8");

        var error = ParseError(input);

        error.Code.Should().Be(ErrorCodes.InvalidIdNumber);
        error.Field.Should().Be("idNumber");
    }

    [Theory]
    [InlineData("8001015009087")]
    [InlineData("0002290001086")]
    [InlineData("9912314999183")]
    [InlineData("8506150123089")]
    public void Every_wrong_check_digit_is_rejected(string valid)
    {
        for (var wrong = 0; wrong < 10; wrong++)
        {
            var candidate = valid[..12] + wrong;
            if (candidate == valid) continue;
            var error = ParseError(candidate);
            error.Code.Should().Be(ErrorCodes.InvalidIdNumber);
            error.Field.Should().Be("idNumber");
        }
    }

    [Fact]
    public void Swapping_two_adjacent_digits_is_caught_by_the_check_digit()
    {
        // 8001015009087 -> swap the sequence digits "50" to "05": Luhn catches adjacent transpositions
        // of unequal digits (except 0<->9).
        var swapped = "8001010509087";
        Luhn.IsValid(swapped).Should().BeFalse();
        ParseError(swapped).Code.Should().Be(ErrorCodes.InvalidIdNumber);
    }

    // ---- sex, citizenship, century ---------------------------------------------------------------

    [Theory]
    [InlineData("0000", Sex.Female)]
    [InlineData("0001", Sex.Female)]
    [InlineData("2500", Sex.Female)]
    [InlineData("4999", Sex.Female)]
    [InlineData("5000", Sex.Male)]
    [InlineData("5001", Sex.Male)]
    [InlineData("7500", Sex.Male)]
    [InlineData("9999", Sex.Male)]
    public void Sex_comes_from_the_sequence_digits(string ssss, Sex expected)
    {
        ParseOk(Luhn.Complete("850615" + ssss + "08")).Sex.Should().Be(expected);
    }

    [Theory]
    [InlineData('0', Citizenship.Citizen)]
    [InlineData('1', Citizenship.PermanentResident)]
    public void Citizenship_comes_from_the_eleventh_digit(char digit, Citizenship expected)
    {
        ParseOk(Luhn.Complete("8506150123" + digit + "8")).Citizenship.Should().Be(expected);
    }

    [Theory]
    [InlineData("261125", "2026-11-25")] // today itself is not in the future
    [InlineData("261126", "1926-11-26")] // tomorrow in 2026 would be in the future
    [InlineData("261231", "1926-12-31")]
    [InlineData("270101", "1927-01-01")]
    [InlineData("991231", "1999-12-31")]
    [InlineData("250101", "2025-01-01")]
    [InlineData("000101", "2000-01-01")]
    [InlineData("260101", "2026-01-01")]
    public void The_century_is_the_latest_that_does_not_put_the_birth_in_the_future(string yymmdd, string expected)
    {
        ParseOk(Luhn.Complete(yymmdd + "500008")).ImpliedDateOfBirth.Should().Be(DateOnly.ParseExact(expected, "yyyy-MM-dd"));
    }

    [Fact]
    public void The_century_choice_depends_on_the_today_passed_in()
    {
        var input = Luhn.Complete("150304" + "500108");
        ParseOk(input, today: new DateOnly(2026, 11, 25)).ImpliedDateOfBirth.Should().Be(new DateOnly(2015, 3, 4));
        ParseOk(input, today: new DateOnly(2015, 3, 3)).ImpliedDateOfBirth.Should().Be(new DateOnly(1915, 3, 4));
    }

    // ---- agreement with the person's facts -------------------------------------------------------

    [Fact]
    public void Agreement_holds_when_date_of_birth_sex_and_citizenship_match()
    {
        var id = ParseOk("8001015009087");
        id.CheckAgreement(new DateOnly(1980, 1, 1), Sex.Male, Citizenship.Citizen).Should().BeNull();
    }

    [Fact]
    public void A_given_date_of_birth_in_the_other_century_agrees_because_it_settles_the_century()
    {
        // 150304...: implied 2015-03-04, but a person born 1915-03-04 has the same YYMMDD.
        var id = ParseOk(Luhn.Complete("150304" + "500108"));
        id.ImpliedDateOfBirth.Should().Be(new DateOnly(2015, 3, 4));

        id.CheckAgreement(new DateOnly(1915, 3, 4), Sex.Male, Citizenship.Citizen).Should().BeNull();
        id.CheckAgreement(new DateOnly(2015, 3, 4), Sex.Male, Citizenship.Citizen).Should().BeNull();
    }

    [Theory]
    [InlineData("1980-01-02")] // day differs
    [InlineData("1980-02-01")] // month differs
    [InlineData("1981-01-01")] // year differs
    [InlineData("2001-01-08")] // the same digits in another order
    public void A_date_of_birth_that_differs_from_the_number_is_a_mismatch_on_dateOfBirth(string dob)
    {
        var id = ParseOk("8001015009087");

        var error = id.CheckAgreement(DateOnly.ParseExact(dob, "yyyy-MM-dd"), Sex.Male, Citizenship.Citizen);

        error.Should().NotBeNull();
        error!.Code.Should().Be(ErrorCodes.InvalidIdNumber);
        error.Field.Should().Be("dateOfBirth");
    }

    [Theory]
    [InlineData("8001015009087", Sex.Female)]
    [InlineData("8506150123089", Sex.Male)]
    public void A_sex_that_differs_from_the_number_is_a_mismatch_on_sex(string input, Sex wrongSex)
    {
        var id = ParseOk(input);

        var error = id.CheckAgreement(id.ImpliedDateOfBirth, wrongSex, id.Citizenship);

        error.Should().NotBeNull();
        error!.Code.Should().Be(ErrorCodes.InvalidIdNumber);
        error.Field.Should().Be("sex");
    }

    [Theory]
    [InlineData("8001015009087", Citizenship.PermanentResident)]
    [InlineData("9912314999183", Citizenship.Citizen)]
    public void A_citizenship_that_differs_from_the_number_is_a_mismatch_on_citizenship(string input, Citizenship wrong)
    {
        var id = ParseOk(input);

        var error = id.CheckAgreement(id.ImpliedDateOfBirth, id.Sex, wrong);

        error.Should().NotBeNull();
        error!.Code.Should().Be(ErrorCodes.InvalidIdNumber);
        error.Field.Should().Be("citizenship");
    }

    // ---- building numbers ------------------------------------------------------------------------

    [Theory]
    [InlineData("1985-06-15", Sex.Female, Citizenship.Citizen, 0)]
    [InlineData("1985-06-15", Sex.Female, Citizenship.PermanentResident, 4999)]
    [InlineData("1985-06-15", Sex.Male, Citizenship.Citizen, 0)]
    [InlineData("1985-06-15", Sex.Male, Citizenship.PermanentResident, 4999)]
    [InlineData("2000-02-29", Sex.Male, Citizenship.Citizen, 77)]
    [InlineData("2026-11-25", Sex.Female, Citizenship.PermanentResident, 1234)]
    public void Create_builds_a_number_that_parses_back_to_the_same_facts(string dob, Sex sex, Citizenship citizenship, int sequence)
    {
        var dateOfBirth = DateOnly.ParseExact(dob, "yyyy-MM-dd");

        var created = SaIdNumber.Create(dateOfBirth, sex, citizenship, sequence);

        created.Value.Should().HaveLength(13).And.MatchRegex("^[0-9]{13}$");
        Luhn.IsValid(created.Value).Should().BeTrue();
        created.Value[..6].Should().Be(dob[2..4] + dob[5..7] + dob[8..10]);
        var expectedSsss = (sex == Sex.Female ? sequence : sequence + 5000).ToString("D4");
        created.Value.Substring(6, 4).Should().Be(expectedSsss);
        created.Value[10].Should().Be(citizenship == Citizenship.Citizen ? '0' : '1');
        created.Value[11].Should().Be('8', "8 is the default historic digit");

        var parsed = ParseOk(created.Value);
        parsed.Value.Should().Be(created.Value);
        parsed.Sex.Should().Be(sex);
        parsed.Citizenship.Should().Be(citizenship);
        parsed.ImpliedDateOfBirth.Should().Be(dateOfBirth);
        parsed.CheckAgreement(dateOfBirth, sex, citizenship).Should().BeNull();
    }

    [Fact]
    public void Create_uses_the_historic_digit_given()
    {
        var created = SaIdNumber.Create(new DateOnly(1985, 6, 15), Sex.Female, Citizenship.Citizen, 123, historicDigit: 9);
        created.Value.Should().Be(Luhn.Complete("850615" + "0123" + "0" + "9"));
        ParseOk(created.Value).Should().Be(created);
    }

    [Fact]
    public void Create_for_an_earlier_century_still_agrees_with_the_given_date_of_birth()
    {
        var dob = new DateOnly(1915, 3, 4);
        var created = SaIdNumber.Create(dob, Sex.Male, Citizenship.Citizen, 1);

        var parsed = ParseOk(created.Value);
        parsed.CheckAgreement(dob, Sex.Male, Citizenship.Citizen).Should().BeNull();
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(5000)]
    [InlineData(9999)]
    public void Create_rejects_a_sequence_outside_0_to_4999(int sequence)
    {
        var act = () => SaIdNumber.Create(new DateOnly(1985, 6, 15), Sex.Male, Citizenship.Citizen, sequence);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
