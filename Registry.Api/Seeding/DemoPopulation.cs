using Registry.Api.Citizens;
using Registry.Api.Commands;
using Registry.Api.Households;
using Registry.Api.Hosting;
using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Api.Seeding;

/// <summary>
/// A small, plausible demo population: households across the provinces with valid ID numbers, incomes
/// and some disabilities. Fixed seed, so every fresh database gets the same people. Written through
/// the same commands as the API, so seeded data obeys the same rules.
/// </summary>
public static class DemoPopulation
{
    public sealed record Summary(int Citizens, int Households, int Rejected);

    private sealed record Municipality(string Code, string City, Province Province, string PostalCode);

    private static readonly Municipality[] Municipalities =
    [
        new("CPT", "Cape Town", Province.WesternCape, "7700"),
        new("WC023", "Paarl", Province.WesternCape, "7646"),
        new("JHB", "Johannesburg", Province.Gauteng, "2001"),
        new("TSH", "Pretoria", Province.Gauteng, "0002"),
        new("EKU", "Germiston", Province.Gauteng, "1401"),
        new("ETH", "Durban", Province.KwazuluNatal, "4001"),
        new("KZN225", "Pietermaritzburg", Province.KwazuluNatal, "3201"),
        new("NMA", "Gqeberha", Province.EasternCape, "6001"),
        new("BUF", "East London", Province.EasternCape, "5201"),
        new("EC157", "Mthatha", Province.EasternCape, "5099"),
        new("MAN", "Bloemfontein", Province.FreeState, "9301"),
        new("FS184", "Welkom", Province.FreeState, "9459"),
        new("LIM354", "Polokwane", Province.Limpopo, "0699"),
        new("LIM343", "Thohoyandou", Province.Limpopo, "0950"),
        new("MP326", "Mbombela", Province.Mpumalanga, "1200"),
        new("MP312", "eMalahleni", Province.Mpumalanga, "1035"),
        new("NW372", "Brits", Province.NorthWest, "0250"),
        new("NW373", "Rustenburg", Province.NorthWest, "0299"),
        new("NC091", "Kimberley", Province.NorthernCape, "8301"),
    ];

    private static readonly string[] FemaleNames = ["Nomvula", "Thandiwe", "Lerato", "Palesa", "Zanele", "Ayanda", "Naledi", "Busisiwe", "Precious", "Anele", "Karabo", "Refilwe", "Lindiwe", "Mpho", "Chantelle", "Anna", "Fatima", "Nokuthula", "Sibongile", "Dineo"];
    private static readonly string[] MaleNames = ["Sipho", "Thabo", "Bongani", "Mandla", "Themba", "Lwazi", "Kagiso", "Tshepo", "Sello", "Johan", "Pieter", "Ravi", "Mohammed", "Lungile", "Musa", "Andile", "Kabelo", "Neo", "Vusi", "Jabulani"];
    private static readonly string[] Surnames = ["Dlamini", "Nkosi", "Ndlovu", "Khumalo", "Mokoena", "Mahlangu", "Mthembu", "Naidoo", "Van der Merwe", "Botha", "Molefe", "Sithole", "Zulu", "Mabaso", "Petersen", "Pillay", "Maseko", "Radebe", "Tshabalala", "Baloyi", "Hendricks", "Mabena", "Ngcobo", "Mathebula"];
    private static readonly string[] Streets = ["Main Road", "Church Street", "Nelson Mandela Drive", "Voortrekker Road", "Oxford Road", "Jabavu Street", "Sisulu Avenue", "Long Street", "Market Street", "Biko Street"];

    public static async Task<Summary> SeedAsync(IServiceProvider services, int householdCount, CancellationToken ct)
    {
        using var scope = services.CreateScope();
        var dispatcher = scope.ServiceProvider.GetRequiredService<CommandDispatcher>();
        var today = scope.ServiceProvider.GetRequiredService<TimeProvider>().Today();
        var random = new Random(20250401);
        var usedNumbers = new HashSet<string>();
        int citizens = 0, households = 0, rejected = 0;

        CommandContext Context(string operation, DateOnly? effective = null) =>
            new(operation, "seed", $"seed-{Guid.CreateVersion7()}", effective ?? today, "demo population");

        async Task<string?> Register(DateOnly born, Sex sex, string surname, Address address)
        {
            var citizenship = random.NextDouble() < 0.06 ? Citizenship.PermanentResident : Citizenship.Citizen;
            SaIdNumber id;
            do id = SaIdNumber.Create(born, sex, citizenship, random.Next(0, 5000));
            while (!usedNumbers.Add(id.Value));
            var first = sex == Sex.Female ? Pick(FemaleNames) : Pick(MaleNames);
            var result = await dispatcher.SendAsync(new RegisterCitizen(id.Value, first, surname, born, sex, citizenship, address, Context("registerCitizen", born)), ct);
            if (!result.Succeeded) { rejected++; return null; }
            citizens++;
            return id.Value;
        }

        async Task Send(IRegistryCommand command)
        {
            if (!(await dispatcher.SendAsync(command, ct)).Succeeded) rejected++;
        }

        T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
        DateOnly BornAged(int minYears, int maxYears) => today.AddDays(-random.Next(minYears * 365 + 1, maxYears * 365 + 364));

        for (var h = 0; h < householdCount; h++)
        {
            var place = Pick(Municipalities);
            var address = new Address($"{random.Next(1, 400)} {Pick(Streets)}", null, null, place.City, place.Code, place.Province, place.PostalCode);
            var surname = Pick(Surnames);
            var headSex = random.NextDouble() < 0.45 ? Sex.Female : Sex.Male;
            var headBorn = BornAged(22, 85);
            if (await Register(headBorn, headSex, surname, address) is not { } headId) continue;

            var formed = await dispatcher.SendAsync(new FormHousehold(headId, address, Context("formHousehold")), ct);
            if (!formed.Succeeded) { rejected++; continue; }
            households++;
            var householdId = formed.StreamId!.Value.ToString();
            var members = new List<(string Id, DateOnly Born)> { (headId, headBorn) };

            if (random.NextDouble() < 0.5
                && await Register(BornAged(22, 80), headSex == Sex.Female ? Sex.Male : Sex.Female, surname, address) is { } spouse)
            {
                await Send(new AddHouseholdMember(householdId, spouse, Relationship.Spouse, Context("addHouseholdMember")));
                members.Add((spouse, default));
            }
            for (var c = random.Next(0, 4); c > 0; c--)
            {
                if (await Register(BornAged(0, 17), random.NextDouble() < 0.5 ? Sex.Female : Sex.Male, surname, address) is { } child)
                    await Send(new AddHouseholdMember(householdId, child, Relationship.Child, Context("addHouseholdMember")));
            }
            if (random.NextDouble() < 0.2
                && await Register(BornAged(62, 95), random.NextDouble() < 0.6 ? Sex.Female : Sex.Male, surname, address) is { } elder)
            {
                await Send(new AddHouseholdMember(householdId, elder, Relationship.Parent, Context("addHouseholdMember")));
                members.Add((elder, default));
            }

            // Adults declare income: many households live on very little, which is what the grants are for.
            foreach (var (adult, _) in members)
            {
                var roll = random.NextDouble();
                var (amount, source) = roll switch
                {
                    < 0.30 => (0m, IncomeSource.None),
                    < 0.55 => (random.Next(500, 4_000), IncomeSource.Other),
                    < 0.90 => (random.Next(4_000, 35_000), IncomeSource.Employment),
                    _ => ((decimal)random.Next(2_000, 12_000), IncomeSource.SelfEmployment),
                };
                await Send(new DeclareIncome(adult, amount, source, Context("declareIncome")));
                if (random.NextDouble() < 0.07)
                    await Send(new RecordDisabilityAssessment(adult, true, random.NextDouble() < 0.5, today.AddYears(1), Context("recordDisabilityAssessment")));
            }
        }
        return new Summary(citizens, households, rejected);
    }
}
