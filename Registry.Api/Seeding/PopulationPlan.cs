using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Api.Seeding;

/// <summary>One planned person: identity, place in the household, and circumstances to declare.</summary>
public sealed record PlannedPerson(
    string IdNumber, string FirstNames, string Surname, DateOnly DateOfBirth, Sex Sex, Citizenship Citizenship,
    Relationship Relationship, decimal? MonthlyIncome, IncomeSource? IncomeSource, bool Disabled, bool PermanentDisability);

public sealed record PlannedHousehold(Address Address, IReadOnlyList<PlannedPerson> People)
{
    public PlannedPerson Head => People[0];
}

/// <summary>
/// A plausible population: households across the nine provinces with valid ID numbers, ages, incomes
/// and some disabilities. A fixed seed gives the same people every time.
/// </summary>
public static class PopulationPlan
{
    private static readonly string[] FemaleNames = ["Nomvula", "Thandiwe", "Lerato", "Palesa", "Zanele", "Ayanda", "Naledi", "Busisiwe", "Precious", "Anele", "Karabo", "Refilwe", "Lindiwe", "Mpho", "Chantelle", "Anna", "Fatima", "Nokuthula", "Sibongile", "Dineo"];
    private static readonly string[] MaleNames = ["Sipho", "Thabo", "Bongani", "Mandla", "Themba", "Lwazi", "Kagiso", "Tshepo", "Sello", "Johan", "Pieter", "Ravi", "Mohammed", "Lungile", "Musa", "Andile", "Kabelo", "Neo", "Vusi", "Jabulani"];
    private static readonly string[] Surnames = ["Dlamini", "Nkosi", "Ndlovu", "Khumalo", "Mokoena", "Mahlangu", "Mthembu", "Naidoo", "Van der Merwe", "Botha", "Molefe", "Sithole", "Zulu", "Mabaso", "Petersen", "Pillay", "Maseko", "Radebe", "Tshabalala", "Baloyi", "Hendricks", "Mabena", "Ngcobo", "Mathebula"];
    private static readonly string[] Streets = ["Main Road", "Church Street", "Nelson Mandela Drive", "Voortrekker Road", "Oxford Road", "Jabavu Street", "Sisulu Avenue", "Long Street", "Market Street", "Biko Street"];

    public static IEnumerable<PlannedHousehold> Generate(int householdCount, DateOnly today, int seed = 20250401)
    {
        var random = new Random(seed);
        var used = new HashSet<string>();

        T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
        DateOnly BornAged(int minYears, int maxYears) => today.AddDays(-random.Next(minYears * 365 + 1, maxYears * 365 + 364));

        PlannedPerson Person(DateOnly born, Sex sex, string surname, Relationship relationship, bool adult)
        {
            var citizenship = random.NextDouble() < 0.06 ? Citizenship.PermanentResident : Citizenship.Citizen;
            SaIdNumber id;
            do id = SaIdNumber.Create(born, sex, citizenship, random.Next(0, 5000));
            while (!used.Add(id.Value));
            var first = sex == Sex.Female ? Pick(FemaleNames) : Pick(MaleNames);
            if (!adult) return new PlannedPerson(id.Value, first, surname, born, sex, citizenship, relationship, null, null, false, false);

            // Many households live on very little, which is what the grants are for.
            var (amount, source) = random.NextDouble() switch
            {
                < 0.30 => (0m, IncomeSource.None),
                < 0.55 => ((decimal)random.Next(500, 4_000), IncomeSource.Other),
                < 0.90 => ((decimal)random.Next(4_000, 35_000), IncomeSource.Employment),
                _ => ((decimal)random.Next(2_000, 12_000), IncomeSource.SelfEmployment),
            };
            var disabled = random.NextDouble() < 0.07;
            return new PlannedPerson(id.Value, first, surname, born, sex, citizenship, relationship, amount, source, disabled, disabled && random.NextDouble() < 0.5);
        }

        for (var h = 0; h < householdCount; h++)
        {
            var place = Pick(Municipalities.Known);
            var address = new Address($"{random.Next(1, 400)} {Pick(Streets)}", null, null, place.City, place.Code, place.Province, place.PostalCode);
            var surname = Pick(Surnames);
            var headSex = random.NextDouble() < 0.45 ? Sex.Female : Sex.Male;
            var people = new List<PlannedPerson> { Person(BornAged(22, 85), headSex, surname, Relationship.Head, adult: true) };
            if (random.NextDouble() < 0.5)
                people.Add(Person(BornAged(22, 80), headSex == Sex.Female ? Sex.Male : Sex.Female, surname, Relationship.Spouse, adult: true));
            for (var c = random.Next(0, 4); c > 0; c--)
                people.Add(Person(BornAged(0, 17), random.NextDouble() < 0.5 ? Sex.Female : Sex.Male, surname, Relationship.Child, adult: false));
            if (random.NextDouble() < 0.2)
                people.Add(Person(BornAged(62, 95), random.NextDouble() < 0.6 ? Sex.Female : Sex.Male, surname, Relationship.Parent, adult: true));
            yield return new PlannedHousehold(address, people);
        }
    }
}
