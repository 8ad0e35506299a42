using JasperFx.CommandLine;
using Marten;
using Registry.Api.Seeding;
using Registry.Domain.Citizens;

namespace Registry.Api.Hosting.Verbs;

public sealed class SeedInput : NetCoreInput
{
    [Description("How many demo households to create")]
    public FlagValue<int> HouseholdsFlag { get; set; } = 120;

    [Description("Write the events straight to the store, for a big register (benchmarks), instead of through the API's command path")]
    public bool BulkFlag { get; set; }
}

[Description("Create the demo population through the same command path as the API, only when the register is empty", Name = "seed")]
public sealed class SeedCommand : RegistryVerb<SeedInput>
{
    protected override async Task<int> RunAsync(SeedInput input)
    {
        var app = BuildHost(input);
        await app.StartAsync();
        try
        {
            var store = app.Services.GetRequiredService<IDocumentStore>();
            await using var session = store.QuerySession();
            var existing = await session.Query<Citizen>().CountAsync();
            if (existing > 0)
            {
                Console.WriteLine($"The register already holds {existing} citizens; not seeding.");
                return 0;
            }
            var started = System.Diagnostics.Stopwatch.StartNew();
            var summary = input.BulkFlag
                ? await BulkPopulation.WriteAsync(store, TimeProvider.System, input.HouseholdsFlag.Value,
                    done => Console.Error.Write($"\r  {done:N0} citizens written ({done / Math.Max(0.001, started.Elapsed.TotalSeconds):N0}/s)"))
                : await DemoPopulation.SeedAsync(app.Services, input.HouseholdsFlag.Value, CancellationToken.None);
            if (input.BulkFlag) Console.Error.WriteLine();
            Console.WriteLine($"Seeded {summary.Citizens} citizens in {summary.Households} households ({summary.Rejected} rejected).");
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
