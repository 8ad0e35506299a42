using System.Globalization;
using System.Text;
using Registry.Domain.Common;

namespace Registry.Domain.Citizens;

/// <summary>How alike two registered people are: a score from 0 to 1 and the things that matched.</summary>
public sealed record DuplicateScore(double Score, IReadOnlyList<string> MatchedOn);

/// <summary>A registered person who may be the same person as the one asked about.</summary>
public sealed record PossibleDuplicate(Citizen Citizen, DuplicateScore Match);

/// <summary>
/// Probable duplicates: people registered twice under spellings, transliterations or a slipped ID number. A match
/// is a flag for a caseworker to look at, never a refusal, so the score weighs evidence rather than deciding.
/// </summary>
public static class DuplicateMatching
{
    public const string Name = "name";
    public const string DateOfBirth = "dateOfBirth";
    public const string Address = "address";
    public const string IdNumber = "idNumber";

    /// <summary>Names at least this alike count as the same name.</summary>
    public const double NamesAlike = 0.85;

    // Name, date of birth and address add up to 1. A namesake born the same day (0.75) is not enough on its own,
    // nor a namesake at the same address with another birthday; all three, or two with a slipped ID number, are.
    private const double NameWeight = 0.5, BirthWeight = 0.25, AddressWeight = 0.15, IdNumberWeight = 0.25;

    /// <summary>
    /// The most a candidate can score on name and address alone, born another day and no slipped number away: under
    /// the threshold, sharing an address is worth looking at only together with the birthday.
    /// </summary>
    public const double NameAndAddressAtMost = NameWeight + AddressWeight;

    /// <summary>
    /// Scores a candidate against the person. A near-miss ID number counts only when the names are alike: people
    /// born the same day are given sequence numbers in order, so numbers one digit apart are common among strangers.
    /// </summary>
    public static DuplicateScore Score(Citizen person, Citizen candidate, bool idNumberNearMiss) =>
        Score(Prepare(person), Prepare(candidate), idNumberNearMiss);

    /// <summary>The same score from people prepared once: the register-wide report scores each of a day's people against every other.</summary>
    public static DuplicateScore Score(Prepared person, Prepared candidate, bool idNumberNearMiss)
    {
        var name = NameSimilarity(person.Names, candidate.Names);
        var sameBirth = person.Citizen.DateOfBirth == candidate.Citizen.DateOfBirth;
        var sameAddress = person.AddressLine.Length > 0 && person.AddressLine == candidate.AddressLine
            && string.Equals(person.Municipality, candidate.Municipality, StringComparison.OrdinalIgnoreCase);
        var namesAlike = name >= NamesAlike;
        var slipped = idNumberNearMiss && namesAlike;

        var score = NameWeight * name + (sameBirth ? BirthWeight : 0) + (sameAddress ? AddressWeight : 0) + (slipped ? IdNumberWeight : 0);
        List<string> matchedOn = [];
        if (namesAlike) matchedOn.Add(Name);
        if (sameBirth) matchedOn.Add(DateOfBirth);
        if (sameAddress) matchedOn.Add(Address);
        if (slipped) matchedOn.Add(IdNumber);
        return new DuplicateScore(Math.Round(Math.Min(1, score), 4), matchedOn);
    }

    /// <summary>A name made ready for comparison: its letters as written and their sound-alike folding.</summary>
    public readonly record struct Spelling(string Plain, string Folded)
    {
        public static Spelling Of(string letters) => new(letters, DuplicateMatching.Folded(letters));
    }

    /// <summary>A person's names and address normalised once, for scoring against many others.</summary>
    public sealed record Prepared(Citizen Citizen, PreparedNames Names, string AddressLine, string Municipality);

    /// <summary>The surname, each given name, and the given names sorted and run together.</summary>
    public sealed record PreparedNames(Spelling Surname, Spelling[] Given, Spelling GivenTogether);

    public static Prepared Prepare(Citizen person) =>
        new(person, PrepareNames(person.FirstNames, person.Surname), AddressLine(person.Address.Line1), person.Address.MunicipalityCode.Trim());

    public static PreparedNames PrepareNames(string firstNames, string surname)
    {
        var given = Tokens(firstNames);
        return new PreparedNames(Spelling.Of(Letters(surname)), [.. given.Select(Spelling.Of)], Spelling.Of(string.Concat(given.Order(StringComparer.Ordinal))));
    }

    /// <summary>A caseworker found the two records to be two people (on either record): the pair is not flagged.</summary>
    public static bool ToldApart(Citizen a, Citizen b) =>
        (a.NotDuplicatesOf?.Contains(b.Id) ?? false) || (b.NotDuplicatesOf?.Contains(a.Id) ?? false);

    /// <summary>
    /// The candidates scoring at least the threshold, best first, at most <paramref name="limit"/>; never the person
    /// themself, nor anyone told apart from them.
    /// </summary>
    public static IReadOnlyList<PossibleDuplicate> Rank(Citizen person, IEnumerable<Citizen> candidates, IReadOnlySet<string> nearMissIdNumbers,
        double threshold, int limit)
    {
        // The person is prepared once, not once per candidate: a crowded birthday brings hundreds.
        var prepared = Prepare(person);
        return [.. candidates
            .Where(c => c.Id != person.Id && c.IdNumber != person.IdNumber && !ToldApart(person, c))
            .DistinctBy(c => c.Id)
            .Select(c => new PossibleDuplicate(c, Score(prepared, Prepare(c), nearMissIdNumbers.Contains(c.IdNumber))))
            .Where(d => d.Match.Score >= threshold)
            .OrderByDescending(d => d.Match.Score).ThenBy(d => d.Citizen.IdNumber, StringComparer.Ordinal)
            .Take(limit)];
    }

    /// <summary>
    /// Half the surname, half the given names. Given names may come in any order, and one record may hold a middle
    /// name the other lacks.
    /// </summary>
    public static double NameSimilarity(string firstNamesA, string surnameA, string firstNamesB, string surnameB) =>
        NameSimilarity(PrepareNames(firstNamesA, surnameA), PrepareNames(firstNamesB, surnameB));

    public static double NameSimilarity(PreparedNames a, PreparedNames b) =>
        0.5 * Similarity(a.Surname, b.Surname) + 0.5 * GivenNamesSimilarity(a, b);

    private static double GivenNamesSimilarity(PreparedNames a, PreparedNames b)
    {
        if (a.Given.Length == 0 || b.Given.Length == 0) return a.Given.Length == b.Given.Length ? 1 : 0;
        var together = Similarity(a.GivenTogether, b.GivenTogether);
        var (shorter, longer) = a.Given.Length <= b.Given.Length ? (a.Given, b.Given) : (b.Given, a.Given);
        // A name left out is a smaller difference than a name spelt otherwise, but a difference still.
        var aligned = shorter.Average(s => longer.Max(l => Similarity(s, l))) * (a.Given.Length == b.Given.Length ? 1 : 0.9);
        return Math.Max(together, aligned);
    }

    /// <summary>
    /// The better of the spelling as written and its sound-alike folding (transliteration variants such as
    /// Mohammed/Muhammad or Nkosi/Nkozi), the folding counting a little less.
    /// </summary>
    private static double Similarity(Spelling a, Spelling b)
    {
        if (a.Plain.Length == 0 || b.Plain.Length == 0) return a.Plain.Length == b.Plain.Length ? 1 : 0;
        return Math.Max(JaroWinkler(a.Plain, b.Plain), 0.92 * JaroWinkler(a.Folded, b.Folded));
    }

    /// <summary>
    /// Jaro-Winkler similarity: characters matched within a window of half the longer length, penalised for
    /// transpositions, with a bonus for a common prefix of up to four characters (mistakes come later in a name).
    /// </summary>
    public static double JaroWinkler(string a, string b)
    {
        if (a == b) return 1;
        if (a.Length == 0 || b.Length == 0) return 0;
        var window = Math.Max(0, Math.Max(a.Length, b.Length) / 2 - 1);
        var takenA = new bool[a.Length];
        var takenB = new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            for (var j = Math.Max(0, i - window); j < Math.Min(b.Length, i + window + 1); j++)
            {
                if (takenB[j] || a[i] != b[j]) continue;
                takenA[i] = takenB[j] = true;
                matches++;
                break;
            }
        }
        if (matches == 0) return 0;

        var outOfOrder = 0;
        for (int i = 0, j = 0; i < a.Length; i++)
        {
            if (!takenA[i]) continue;
            while (!takenB[j]) j++;
            if (a[i] != b[j]) outOfOrder++;
            j++;
        }
        double m = matches;
        var jaro = (m / a.Length + m / b.Length + (m - outOfOrder / 2.0) / m) / 3;
        var prefix = 0;
        while (prefix < Math.Min(4, Math.Min(a.Length, b.Length)) && a[prefix] == b[prefix]) prefix++;
        return jaro + prefix * 0.1 * (1 - jaro);
    }

    /// <summary>Same first address line (spelling of the street type aside) in the same municipality.</summary>
    public static bool SameAddress(Address a, Address b)
    {
        var line = AddressLine(a.Line1);
        return line.Length > 0 && line == AddressLine(b.Line1)
            && string.Equals(a.MunicipalityCode.Trim(), b.MunicipalityCode.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    private static readonly Dictionary<string, string> StreetWords = new(StringComparer.Ordinal)
    {
        ["st"] = "street", ["str"] = "street", ["rd"] = "road", ["ave"] = "avenue", ["av"] = "avenue", ["dr"] = "drive",
        ["ln"] = "lane", ["cres"] = "crescent", ["cl"] = "close", ["pl"] = "place",
    };

    private static string AddressLine(string line) =>
        string.Join(' ', Plain(line).SplitWhere(c => !char.IsAsciiLetterOrDigit(c)).Select(w => StreetWords.GetValueOrDefault(w, w)));

    /// <summary>Lower case, accents dropped: what is left of a name once case and diacritics are set aside.</summary>
    private static string Plain(string s)
    {
        var builder = new StringBuilder(s.Length);
        foreach (var c in s.Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) builder.Append(char.ToLowerInvariant(c));
        return builder.ToString();
    }

    /// <summary>Letters only: "Van der Merwe", "Van-der-Merwe" and "Vandermerwe" are one surname, as are "O'Reilly" and "OReilly".</summary>
    private static string Letters(string s) => new([.. Plain(s).Where(char.IsLetter)]);

    private static string[] Tokens(string s) => [.. Plain(s).SplitWhere(c => !char.IsLetter(c) && c != '\'' && c != '’').Select(Letters).Where(t => t.Length > 0)];

    /// <summary>
    /// A rough sound-alike key: consonant spellings that transliterations trade (ph/f, kh/k, c/q/k, z/s, y/i) made one,
    /// every vowel one vowel, doubled letters single.
    /// </summary>
    private static string Folded(string s)
    {
        var t = s.Replace("ph", "f", StringComparison.Ordinal).Replace("kh", "k", StringComparison.Ordinal).Replace("ck", "k", StringComparison.Ordinal);
        var builder = new StringBuilder(t.Length);
        foreach (var c in t)
        {
            var folded = c switch
            {
                'c' or 'q' => 'k',
                'z' => 's',
                'a' or 'e' or 'i' or 'o' or 'u' or 'y' => 'a',
                _ => c,
            };
            if (builder.Length == 0 || builder[^1] != folded) builder.Append(folded);
        }
        return builder.ToString();
    }

    private static string[] SplitWhere(this string s, Func<char, bool> isSeparator)
    {
        List<string> parts = [];
        var start = 0;
        for (var i = 0; i <= s.Length; i++)
        {
            if (i < s.Length && !isSeparator(s[i])) continue;
            if (i > start) parts.Add(s[start..i]);
            start = i + 1;
        }
        return [.. parts];
    }
}
