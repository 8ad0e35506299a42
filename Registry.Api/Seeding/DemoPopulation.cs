using Registry.Api.Citizens;
using Registry.Api.Commands;
using Registry.Api.Hosting;
using Registry.Api.Households;

namespace Registry.Api.Seeding;

/// <summary>The demo population, written through the same commands as the API, so it obeys the same rules.</summary>
public static class DemoPopulation
{
    public sealed record Summary(int Citizens, int Households, int Rejected);

    public static async Task<Summary> SeedAsync(IServiceProvider services, int householdCount, CancellationToken ct)
    {
        using var scope = services.CreateScope();
        var dispatcher = scope.ServiceProvider.GetRequiredService<CommandDispatcher>();
        var today = scope.ServiceProvider.GetRequiredService<TimeProvider>().Today();
        int citizens = 0, households = 0, rejected = 0;

        CommandContext Context(string operation, DateOnly? effective = null) =>
            new(operation, "seed", $"seed-{Guid.CreateVersion7()}", effective ?? today, "demo population");

        async Task<bool> Send(RegistryCommand command)
        {
            var ok = (await dispatcher.SendAsync(command, ct)).Succeeded;
            if (!ok) rejected++;
            return ok;
        }

        foreach (var plan in PopulationPlan.Generate(householdCount, today))
        {
            var registered = new List<PlannedPerson>();
            foreach (var p in plan.People)
            {
                // A registration is effective from birth: the person has existed since then.
                if (await Send(new RegisterCitizen(p.IdNumber, p.FirstNames, p.Surname, p.DateOfBirth, p.Sex, p.Citizenship, plan.Address, Context("registerCitizen", p.DateOfBirth))))
                    registered.Add(p);
            }
            citizens += registered.Count;
            if (registered.FirstOrDefault() is not { Relationship: Domain.Common.Relationship.Head } head) continue;

            var formed = await dispatcher.SendAsync(new FormHousehold(head.IdNumber, plan.Address, Context("formHousehold")), ct);
            if (!formed.Succeeded) { rejected++; continue; }
            households++;
            foreach (var member in registered.Skip(1))
                await Send(new AddHouseholdMember(formed.StreamId!.Value.ToString(), member.IdNumber, member.Relationship, Context("addHouseholdMember")));
            foreach (var adult in registered.Where(p => p.MonthlyIncome is not null))
            {
                await Send(new DeclareIncome(adult.IdNumber, adult.MonthlyIncome!.Value, adult.IncomeSource!.Value, Context("declareIncome")));
                if (adult.Disabled)
                    await Send(new RecordDisabilityAssessment(adult.IdNumber, true, adult.PermanentDisability, adult.PermanentDisability ? null : today.AddYears(1), Context("recordDisabilityAssessment")));
            }
        }
        return new Summary(citizens, households, rejected);
    }
}
