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

    /// <summary>Writes <paramref name="citizens"/> rows (whole households; the last may be cut short, which the import then reports).</summary>
    public static int Generate(TextWriter output, int citizens, DateOnly today, int seed = DefaultSeed)
    {
        var random = new Randomizer(seed);
        var poolWeights = SouthAfricanNames.Pools.Select(p => p.Share).ToArray();
        var places = BuildPlaces();
        var placeWeights = places.Select(p => p.Weight).ToArray();
        var used = new HashSet<long>(citizens);
        using var csv = new CsvWriter(output, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" }, leaveOpen: true);
        foreach (var column in Header) csv.WriteField(column);
        csv.NextRecord();

        var written = 0;
        for (var h = 1; written < citizens; h++)
        {
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

                csv.WriteField(id.Value);
                csv.WriteField(first);
                csv.WriteField(surname);
                csv.WriteField(born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                csv.WriteField(sex == Sex.Female ? "FEMALE" : "MALE");
                csv.WriteField(citizenship == Citizenship.Citizen ? "CITIZEN" : "PERMANENT_RESIDENT");
                csv.WriteField(line1);
                csv.WriteField(place.City);
                csv.WriteField(place.Code);
                csv.WriteField(place.Province.ToString());
                csv.WriteField(place.PostalCode);
                csv.WriteField($"H{h:D8}");
                csv.WriteField(LegacyRegister.Code(person.Relationship));
                csv.WriteField(age >= 18 ? Income(random, age).ToString(CultureInfo.InvariantCulture) : "");
                csv.WriteField(Disability(random, age));
                csv.NextRecord();
                if (++written >= citizens) break;
            }
        }
        csv.Flush();
        return written;
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
