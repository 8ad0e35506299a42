using System.Globalization;
using Bogus;
using CsvHelper;
using CsvHelper.Configuration;
using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Api.Import;

/// <summary>
/// A synthetic national register in the legacy export format, made with Bogus from one fixed seed: the
/// same N and the same day give the same file. Names come from <see cref="SouthAfricanNames"/> (Bogus's own
/// South African locales have next to no name data); a household draws from one pool.
/// Proportions (province, household size, ages, incomes, disability, permanent residents) are rounded
/// figures of the kind Stats SA publishes; they aim at plausible, not exact.
/// A share of the rows may be planted duplicates (see <see cref="PlantedDuplicate"/>), drawn from a randomizer of
/// their own, so the rest of the register is the same with or without them.
/// </summary>
public static class SyntheticRegister
{
    public const int DefaultSeed = 20_260_401;

    // Share of the population per province (census 2022, rounded).
    private static readonly (Province Province, double Share)[] ProvinceShares =
    [
        (Province.Gauteng, 0.243), (Province.KwazuluNatal, 0.197), (Province.WesternCape, 0.119), (Province.EasternCape, 0.117),
        (Province.Limpopo, 0.101), (Province.Mpumalanga, 0.081), (Province.NorthWest, 0.062), (Province.FreeState, 0.047), (Province.NorthernCape, 0.021),
    ];

    // Within a province, a metro holds more people than a district town.
    private static readonly Dictionary<string, double> MunicipalityWeight = new()
    {
        ["JHB"] = 5, ["TSH"] = 4, ["EKU"] = 4, ["CPT"] = 5, ["WC023"] = 1, ["ETH"] = 4, ["KZN225"] = 1, ["NMA"] = 1.3, ["BUF"] = 1, ["EC157"] = 0.6,
        ["MAN"] = 1.3, ["FS184"] = 0.7,
    };

    private static readonly string[] Header = [.. LegacyRegister.Columns, .. LegacyRegister.OptionalColumns];

    /// <summary>The most of the rows that may be planted duplicates: each original is registered twice at most.</summary>
    public const double MaxDuplicateShare = 0.5;

    /// <summary>
    /// Writes <paramref name="citizens"/> rows (whole households; the last may be cut short, which the import then reports).
    /// <paramref name="duplicateShare"/> of them (rounded) are planted duplicates, each recorded in <paramref name="planted"/>.
    /// </summary>
    public static int Generate(TextWriter output, int citizens, DateOnly today, int seed = DefaultSeed, double duplicateShare = 0,
        ICollection<PlantedDuplicate>? planted = null)
    {
        if (double.IsNaN(duplicateShare) || duplicateShare is < 0 or > MaxDuplicateShare)
            throw new ArgumentOutOfRangeException(nameof(duplicateShare), $"A share from 0 to {MaxDuplicateShare}.");
        var random = new Randomizer(seed);
        // The duplicates' own draws: the originals come out the same whatever the share.
        var planting = new Randomizer(seed ^ 0x5eed);
        var duplicates = (int)Math.Round(citizens * duplicateShare);
        var originals = citizens - duplicates;
        var plantedCount = 0;
        var poolWeights = SouthAfricanNames.Pools.Select(p => p.Share).ToArray();
        var places = BuildPlaces();
        var placeWeights = places.Select(p => p.Weight).ToArray();
        var used = new HashSet<long>(citizens);
        using var csv = new CsvWriter(output, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" }, leaveOpen: true);
        foreach (var column in Header) csv.WriteField(column);
        csv.NextRecord();

        var written = 0;
        var h = 0;
        void Write(Row row)
        {
            foreach (var field in row.Fields()) csv.WriteField(field);
            csv.NextRecord();
        }
        while (written < originals)
        {
            h++;
            List<Row> twice = [];
            var pool = SouthAfricanNames.Pools[Weighted(random, poolWeights)];
            var place = places[Weighted(random, placeWeights)].Municipality;
            var line1 = $"{random.Number(1, 999)} {random.ArrayElement(SouthAfricanNames.Streets)}";
            var surname = random.ArrayElement(pool.Surnames);
            foreach (var person in Household(random, today))
            {
                var born = person.Born;
                var sex = person.Sex;
                var citizenship = random.Double() < 0.035 ? Citizenship.PermanentResident : Citizenship.Citizen;
                SaIdNumber id;
                do id = SaIdNumber.Create(born, sex, citizenship, random.Number(0, 4999));
                while (!used.Add(long.Parse(id.Value, CultureInfo.InvariantCulture)));
                var names = sex == Sex.Female ? pool.Female : pool.Male;
                var first = random.ArrayElement(names);
                if (random.Double() < 0.3 && random.ArrayElement(names) is var second && second != first) first += " " + second;
                var age = Age(born, today);

                var row = new Row(id, first, surname, born, sex, citizenship, line1, place, $"H{h:D8}", LegacyRegister.Code(person.Relationship),
                    age >= 18 ? Income(random, age).ToString(CultureInfo.InvariantCulture) : "", Disability(random, age));
                Write(row);
                written++;
                // Duplicates are paced evenly through the register: after the k-th original, k × duplicates / originals are due.
                if (plantedCount < (long)written * duplicates / Math.Max(1, originals))
                {
                    plantedCount++;
                    twice.Add(row);
                }
                if (written >= originals) break;
            }
            // Each duplicate is a registration of its own: a household of one at the same address, after the original's.
            foreach (var original in twice)
            {
                h++;
                var (duplicate, kind) = PlantDuplicate(planting, original, $"H{h:D8}", today, used);
                Write(duplicate);
                planted?.Add(new PlantedDuplicate(original.Id.Value, duplicate.Id.Value, kind));
            }
        }
        csv.Flush();
        return written + plantedCount;
    }

    private sealed record Row(SaIdNumber Id, string FirstNames, string Surname, DateOnly Born, Sex Sex, Citizenship Citizenship, string Line1,
        Municipality Place, string Household, string Relationship, string Income, string Disability)
    {
        public IEnumerable<string> Fields() =>
        [
            Id.Value, FirstNames, Surname, Born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Sex == Sex.Female ? "FEMALE" : "MALE",
            Citizenship == Citizenship.Citizen ? "CITIZEN" : "PERMANENT_RESIDENT", Line1, Place.City, Place.Code, Place.Province.ToString(),
            Place.PostalCode, Household, Relationship, Income, Disability,
        ];
    }

    /// <summary>
    /// The same person registered again, as a data-capture clerk would get it wrong: the same date of birth, sex and
    /// address; the name misspelt, transliterated, shortened or reordered (or as it was); the ID number one digit off,
    /// two digits swapped, or another number altogether. A slipped number is one the register accepts: the check digit
    /// refuses a slip typed once, so a number that got in was worked out afresh from the slipped digits (what
    /// <see cref="SaIdNumber.NearMisses"/> lists). Only the sequence digits slip, so the sex and date the number says stay true.
    /// </summary>
    private static (Row Duplicate, string Kind) PlantDuplicate(Randomizer random, Row original, string household, DateOnly today, HashSet<long> used)
    {
        var (firstNames, surname, nameKind) = VaryName(random, original.FirstNames, original.Surname);
        var pick = random.Double();
        var numberKind = pick < 0.4 ? "digit" : pick < 0.6 ? "swap" : "other-number";
        SaIdNumber? id = null;
        for (var attempt = 0; id is null; attempt++)
        {
            var candidate = numberKind == "other-number" || attempt > 50
                ? SaIdNumber.Create(original.Born, original.Sex, original.Citizenship, random.Number(0, 4999))
                : Slipped(random, original.Id, numberKind == "swap", today);
            if (candidate is { } c && used.Add(long.Parse(c.Value, CultureInfo.InvariantCulture))) id = c;
        }
        return (original with { Id = id.Value, FirstNames = firstNames, Surname = surname, Household = household, Relationship = LegacyRegister.Code(Relationship.Head) },
            $"{nameKind}+{numberKind}");
    }

    // Digits 7-10 are the sequence; the first of them only within its half (below 5 is female).
    private static SaIdNumber? Slipped(Randomizer random, SaIdNumber id, bool swap, DateOnly today)
    {
        var digits = id.Value[..12].ToCharArray();
        if (swap)
        {
            var i = random.Number(6, 8);
            if (digits[i] == digits[i + 1]) return null;
            (digits[i], digits[i + 1]) = (digits[i + 1], digits[i]);
        }
        else
        {
            var i = random.Number(6, 9);
            var d = (char)('0' + random.Number(0, 9));
            if (d == digits[i]) return null;
            digits[i] = d;
        }
        var first12 = new string(digits);
        foreach (var nearMiss in id.NearMisses(today))
            if (nearMiss.Value.StartsWith(first12, StringComparison.Ordinal) && nearMiss.Sex == id.Sex) return nearMiss;
        return null;
    }

    private static readonly (string From, string To)[] Transliterations =
    [
        ("ph", "f"), ("f", "ph"), ("kh", "k"), ("k", "kh"), ("c", "k"), ("z", "s"), ("s", "z"), ("y", "i"), ("i", "y"), ("ee", "i"),
        ("oo", "u"), ("u", "oo"), ("mm", "m"), ("ll", "l"), ("th", "t"), ("sh", "s"), ("v", "w"), ("w", "v"), ("e", "a"), ("o", "u"),
    ];

    /// <summary>One of: a transliteration (a spelling traded for a like-sounding one), a typo, a given name left out, the given names reordered, or no change.</summary>
    private static (string FirstNames, string Surname, string Kind) VaryName(Randomizer random, string firstNames, string surname)
    {
        var given = firstNames.Split(' ');
        var pick = random.Double();
        if (pick < 0.1) return (firstNames, surname, "same-name");
        if (pick < 0.2 && given.Length > 1)
            return random.Bool() ? (given[0], surname, "name-left-out") : (string.Join(' ', given.Reverse()), surname, "names-reordered");
        var onSurname = random.Bool();
        var name = onSurname ? surname : given[0];
        var varied = pick < 0.55 ? Transliterated(random, name) : null;
        var kind = varied is null ? "typo" : "transliteration";
        varied ??= Typo(random, name);
        return onSurname ? (firstNames, varied, kind) : (string.Join(' ', [varied, .. given.Skip(1)]), surname, kind);
    }

    private static string? Transliterated(Randomizer random, string name)
    {
        var lower = name.ToLowerInvariant();
        var options = Transliterations.Where(t => lower.IndexOf(t.From, 1, StringComparison.Ordinal) > 0 || lower.StartsWith(t.From, StringComparison.Ordinal)).ToArray();
        if (options.Length == 0) return null;
        var (from, to) = random.ArrayElement(options);
        var at = lower.IndexOf(from, StringComparison.Ordinal);
        var replaced = name[..at] + (at == 0 && char.IsUpper(name[0]) ? char.ToUpperInvariant(to[0]) + to[1..] : to) + name[(at + from.Length)..];
        return replaced == name ? null : replaced;
    }

    /// <summary>A slip of the keyboard past the first letter: one left out, one doubled, two swapped or one mistyped.</summary>
    private static string Typo(Randomizer random, string name)
    {
        if (name.Length < 3) return name + name[^1];
        var i = random.Number(1, name.Length - 2);
        return random.Number(0, 3) switch
        {
            0 => name.Remove(i, 1),
            1 => name.Insert(i, name[i].ToString()),
            2 when name[i] != name[i + 1] => name[..i] + name[i + 1] + name[i] + name[(i + 2)..],
            _ when char.IsAsciiLetterLower(name[i]) => name[..i] + (char)('a' + (name[i] - 'a' + 1 + random.Number(0, 24)) % 26) + name[(i + 1)..],
            _ => name.Remove(i, 1),
        };
    }

    private sealed record Member(DateOnly Born, Sex Sex, Relationship Relationship);

    /// <summary>
    /// One household, head first. Sizes follow roughly 1: 24%, 2: 20%, 3: 18%, 4: 15%, 5: 10%, 6+: 13%
    /// (mean about 3.3); children are of an age their parents could have, grandparents live with some.
    /// </summary>
    private static List<Member> Household(Randomizer random, DateOnly today)
    {
        var size = Weighted(random, [0.24, 0.20, 0.18, 0.15, 0.10, 0.07, 0.04, 0.02]) + 1;
        var headAge = size == 1 ? random.Number(18, 90) : random.Number(22, 80);
        var headSex = random.Double() < 0.42 ? Sex.Female : Sex.Male;
        var members = new List<Member> { new(Born(random, today, headAge), headSex, Relationship.Head) };
        if (size >= 2 && random.Double() < 0.55)
        {
            var spouseAge = Math.Clamp(headAge + random.Number(-8, 6), 18, 95);
            members.Add(new Member(Born(random, today, spouseAge), headSex == Sex.Female ? Sex.Male : Sex.Female, Relationship.Spouse));
        }
        if (members.Count < size && headAge >= 45 && random.Double() < 0.15)
            members.Add(new Member(Born(random, today, Math.Min(95, headAge + random.Number(20, 30))), random.Double() < 0.7 ? Sex.Female : Sex.Male, Relationship.Parent));
        while (members.Count < size)
        {
            var sex = random.Bool() ? Sex.Female : Sex.Male;
            var pick = random.Double();
            if (headAge >= 50 && pick < 0.25)
                members.Add(new Member(Born(random, today, random.Number(0, 17)), sex, Relationship.Grandchild));
            else if (pick < 0.85 && headAge >= 17)
                members.Add(new Member(Born(random, today, random.Number(0, Math.Min(headAge - 16, 35))), sex, Relationship.Child));
            else if (pick < 0.95)
                members.Add(new Member(Born(random, today, random.Number(10, 70)), sex, random.Bool() ? Relationship.Sibling : Relationship.OtherRelative));
            else
                members.Add(new Member(Born(random, today, random.Number(18, 60)), sex, Relationship.NonRelative));
        }
        return members;
    }

    /// <summary>Monthly rand: a third of adults have no income, many earn little, some earn well (a long tail).</summary>
    private static decimal Income(Randomizer random, int age)
    {
        if (age >= 65) return random.Double() < 0.8 ? 0 : random.Number(1_000, 15_000);
        var p = random.Double();
        if (p < 0.33) return 0;
        if (p < 0.55) return random.Number(300, 3_500);
        // Employed: log-normal around R9,000 a month.
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.Double())) * Math.Cos(2 * Math.PI * random.Double());
        return Math.Round((decimal)Math.Min(250_000, 9_000 * Math.Exp(0.8 * normal)) / 10) * 10;
    }

    /// <summary>About 7-8% of people have a disability, more with age; about half of those are permanent.</summary>
    private static string Disability(Randomizer random, int age)
    {
        var prevalence = age switch { < 5 => 0.01, < 18 => 0.03, < 60 => 0.06, < 75 => 0.18, _ => 0.35 };
        if (random.Double() >= prevalence) return "";
        return random.Double() < 0.5 ? "PERMANENT" : "TEMPORARY";
    }

    private static DateOnly Born(Randomizer random, DateOnly today, int age) =>
        today.AddYears(-age).AddDays(-random.Number(1, 364));

    private static int Age(DateOnly born, DateOnly today) =>
        today.Year - born.Year - (today < born.AddYears(today.Year - born.Year) ? 1 : 0);

    private static List<(Municipality Municipality, double Weight)> BuildPlaces() =>
    [
        .. from m in Municipalities.Known
           let inProvince = Municipalities.Known.Where(o => o.Province == m.Province).Sum(o => MunicipalityWeight.GetValueOrDefault(o.Code, 1))
           select (m, ProvinceShares.Single(s => s.Province == m.Province).Share * MunicipalityWeight.GetValueOrDefault(m.Code, 1) / inProvince),
    ];

    private static int Weighted(Randomizer random, double[] list)
    {
        var roll = random.Double() * list.Sum();
        for (var i = 0; i < list.Length; i++)
        {
            roll -= list[i];
            if (roll < 0) return i;
        }
        return list.Length - 1;
    }
}

/// <summary>
/// A duplicate the generator planted: the original's ID number, the duplicate's, and how the second registration
/// differs (name: same-name, transliteration, typo, name-left-out or names-reordered; number: digit, swap or other-number).
/// </summary>
public sealed record PlantedDuplicate(string OriginalIdNumber, string DuplicateIdNumber, string Kind);
