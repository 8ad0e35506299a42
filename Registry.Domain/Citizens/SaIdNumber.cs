using System.Globalization;
using Registry.Domain.Common;

namespace Registry.Domain.Citizens;

/// <summary>
/// A South African identity number, YYMMDD SSSS C A Z: date of birth, sequence (0000-4999 female,
/// 5000-9999 male), citizenship (0 citizen, 1 permanent resident), a historic digit, a Luhn check digit.
/// The one place the register parses, validates and builds ID numbers.
/// </summary>
public readonly record struct SaIdNumber
{
    private SaIdNumber(string value, DateOnly impliedDateOfBirth, Sex sex, Citizenship citizenship)
    {
        Value = value;
        ImpliedDateOfBirth = impliedDateOfBirth;
        Sex = sex;
        Citizenship = citizenship;
    }

    public string Value { get; }

    /// <summary>Birth date with the century that does not put the birth in the future; a given date of birth may choose an earlier century.</summary>
    public DateOnly ImpliedDateOfBirth { get; }
    public Sex Sex { get; }
    public Citizenship Citizenship { get; }

    public override string ToString() => Value;

    public static SaIdNumber Parse(string? input, DateOnly today) =>
        TryParse(input, today, out var id, out var error) ? id : throw new FormatException(error!.Message);

    public static bool TryParse(string? input, DateOnly today, out SaIdNumber id, out DomainError? error)
    {
        id = default;
        error = null;
        var value = input?.Trim() ?? "";
        if (value.Length != 13)
            return Fail("An ID number has exactly 13 digits.", out error);
        if (!value.All(char.IsAsciiDigit))
            return Fail("An ID number contains digits only.", out error);

        var birth = ImpliedBirth(value, today);
        if (birth is null)
            return Fail($"The first six digits ({value[..6]}) are not a real date of birth.", out error);

        var citizenshipDigit = value[10] - '0';
        if (citizenshipDigit > 1)
            return Fail("The eleventh digit must be 0 (SA citizen) or 1 (permanent resident).", out error);

        if (LuhnCheckDigit(value.AsSpan(0, 12)) != value[12] - '0')
            return Fail("The check digit does not match; the number was probably mistyped.", out error);

        id = new SaIdNumber(
            value,
            birth.Value,
            Digits(value, 6, 4) < 5000 ? Sex.Female : Sex.Male,
            citizenshipDigit == 0 ? Citizenship.Citizen : Citizenship.PermanentResident);
        return true;
    }

    /// <summary>Null when the number agrees with the date of birth, sex and citizenship given for the person.</summary>
    public DomainError? CheckAgreement(DateOnly dateOfBirth, Sex sex, Citizenship citizenship)
    {
        // The given date of birth settles the century; its YYMMDD must be the number's.
        if (dateOfBirth.ToString("yyMMdd", CultureInfo.InvariantCulture) != Value[..6])
            return Mismatch("dateOfBirth", string.Create(CultureInfo.InvariantCulture, $"The date of birth {dateOfBirth:yyyy-MM-dd} does not agree with the ID number ({Value[..6]})."));
        if (sex != Sex)
            return Mismatch("sex", $"The ID number is that of a {Sex.ToString().ToLowerInvariant()} person.");
        if (citizenship != Citizenship)
            return Mismatch("citizenship", Citizenship == Citizenship.Citizen
                ? "The ID number is that of an SA citizen."
                : "The ID number is that of a permanent resident.");
        return null;
    }

    /// <summary>Builds a valid number; sequence 0-4999 (the sex offset is added here). The given date of birth is kept as the implied one.</summary>
    public static SaIdNumber Create(DateOnly dateOfBirth, Sex sex, Citizenship citizenship, int sequence, int historicDigit = 8)
    {
        if (sequence is < 0 or > 4999) throw new ArgumentOutOfRangeException(nameof(sequence));
        if (historicDigit is < 0 or > 9) throw new ArgumentOutOfRangeException(nameof(historicDigit));
        var ssss = sex == Sex.Female ? sequence : sequence + 5000;
        var first12 = string.Create(CultureInfo.InvariantCulture, $"{dateOfBirth:yyMMdd}{ssss:D4}{(citizenship == Citizenship.Citizen ? 0 : 1)}{historicDigit}");
        return new SaIdNumber(first12 + LuhnCheckDigit(first12), dateOfBirth, sex, citizenship);
    }

    /// <summary>
    /// The valid numbers one slip away from this one: its first twelve digits with one digit changed or two adjacent
    /// digits swapped, each completed with its own check digit. The check digit refuses such a slip typed once (it
    /// catches every single-digit change and every adjacent swap but 09/90), so a second registration under a slipped
    /// number carries a check digit worked out afresh; these are the numbers such a registration could hold.
    /// </summary>
    public IReadOnlyList<SaIdNumber> NearMisses(DateOnly today)
    {
        var found = new List<SaIdNumber>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { Value };
        var digits = Value[..12].ToCharArray();
        // Every registration's duplicate check asks for these, so no parse with its messages: only the date and the
        // citizenship digit can turn invalid by a slip, and the check digit is worked out here.
        void Consider()
        {
            if (digits[10] > '1' || ImpliedBirth(digits, today) is not { } birth) return;
            var value = string.Concat(digits.AsSpan(), [(char)('0' + LuhnCheckDigit(digits))]);
            if (!seen.Add(value)) return;
            var sequence = (digits[6] - '0') * 1000 + (digits[7] - '0') * 100 + (digits[8] - '0') * 10 + (digits[9] - '0');
            found.Add(new SaIdNumber(value, birth, sequence < 5000 ? Sex.Female : Sex.Male, digits[10] == '0' ? Citizenship.Citizen : Citizenship.PermanentResident));
        }
        for (var i = 0; i < digits.Length; i++)
        {
            var original = digits[i];
            for (var d = '0'; d <= '9'; d++)
            {
                if (d == original) continue;
                digits[i] = d;
                Consider();
            }
            digits[i] = original;
        }
        for (var i = 0; i + 1 < digits.Length; i++)
        {
            if (digits[i] == digits[i + 1]) continue;
            (digits[i], digits[i + 1]) = (digits[i + 1], digits[i]);
            Consider();
            (digits[i], digits[i + 1]) = (digits[i + 1], digits[i]);
        }
        return found;
    }

    /// <summary>
    /// Whether two registered (valid) numbers are one slip apart, as <see cref="NearMisses"/> lists them: their first
    /// twelve digits differ in one digit or in two adjacent digits swapped. Valid numbers with the same first twelve
    /// digits are the same number, so the check digits need no comparing. No allocation: the register-wide report asks
    /// this of every pair of a day.
    /// </summary>
    public static bool AreOneSlipApart(string a, string b)
    {
        if (a.Length != 13 || b.Length != 13) return false;
        int first = -1, differing = 0;
        for (var i = 0; i < 12; i++)
        {
            if (a[i] == b[i]) continue;
            if (++differing > 2) return false;
            if (differing == 1) first = i;
            else if (i != first + 1) return false;
        }
        return differing == 1 || (differing == 2 && a[first] == b[first + 1] && a[first + 1] == b[first]);
    }

    private static int LuhnCheckDigit(ReadOnlySpan<char> digits)
    {
        // Luhn: from the right, double every second digit of the payload (starting with the rightmost).
        var sum = 0;
        var doubleIt = true;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
            doubleIt = !doubleIt;
        }
        return (10 - sum % 10) % 10;
    }

    private static bool IsRealDate(int year, int month, int day) =>
        month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);

    private static int Digits(ReadOnlySpan<char> s, int start, int length) => int.Parse(s.Slice(start, length), CultureInfo.InvariantCulture);

    /// <summary>The date of birth YYMMDD names, in the century that does not put it after today; null when no real date.</summary>
    private static DateOnly? ImpliedBirth(ReadOnlySpan<char> value, DateOnly today)
    {
        var (yy, mm, dd) = (Digits(value, 0, 2), Digits(value, 2, 2), Digits(value, 4, 2));
        if (IsRealDate(2000 + yy, mm, dd) && new DateOnly(2000 + yy, mm, dd) <= today) return new DateOnly(2000 + yy, mm, dd);
        if (IsRealDate(1900 + yy, mm, dd) && new DateOnly(1900 + yy, mm, dd) <= today) return new DateOnly(1900 + yy, mm, dd);
        return null;
    }

    private static bool Fail(string message, out DomainError? error)
    {
        error = new DomainError(ErrorCodes.InvalidIdNumber, message, "idNumber");
        return false;
    }

    private static DomainError Mismatch(string field, string message) => new(ErrorCodes.InvalidIdNumber, message, field);
}
