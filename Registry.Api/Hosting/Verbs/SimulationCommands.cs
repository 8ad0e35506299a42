using JasperFx.CommandLine;
using Marten;
using Registry.Domain.Simulation;

namespace Registry.Api.Hosting.Verbs;

public sealed class ExportSimulationInput : NetCoreInput
{
    [Description("The simulation run, by id")]
    public FlagValue<Guid>? RunFlag { get; set; }

    [Description("Only this kind of change: NEWLY_ELIGIBLE, NO_LONGER_ELIGIBLE, AMOUNT_UP or AMOUNT_DOWN")]
    public string? KindFlag { get; set; }

    [Description("Write to this file instead of standard output")]
    public string? OutFlag { get; set; }
}

[Description("Export a policy simulation's per-person changes as CSV, under the run's pseudonyms", Name = "export-simulation")]
public sealed class ExportSimulationCommand : RegistryVerb<ExportSimulationInput>
{
    protected override async Task<int> RunAsync(ExportSimulationInput input)
    {
        SimulationChangeKind? kind = null;
        if (input.KindFlag is { } text)
        {
            if (!Enum.TryParse<SimulationChangeKind>(text.Replace("_", ""), ignoreCase: true, out var parsed) || text.Any(char.IsDigit))
            {
                Console.Error.WriteLine("--kind is one of NEWLY_ELIGIBLE, NO_LONGER_ELIGIBLE, AMOUNT_UP, AMOUNT_DOWN.");
                return 2;
            }
            kind = parsed;
        }
        if (input.RunFlag is not { } run)
        {
            Console.Error.WriteLine("export-simulation needs --run GUID (and optionally --kind KIND, --out FILE).");
            return 2;
        }
        var app = BuildHost(input, MediatorOnly);
        await app.StartAsync();
        try
        {
            await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
            if (await session.LoadAsync<SimulationRun>(run.Value) is not { } found)
            {
                Console.Error.WriteLine("No simulation run has this id.");
                return 2;
            }
            await using var writer = input.OutFlag is null ? Console.Out : new StreamWriter(input.OutFlag);
            var rows = await Simulation.SimulationExport.WriteAsync(session, found.Id, kind, writer, CancellationToken.None);
            Console.Error.WriteLine($"Exported {rows} people of run {found.Id} ({found.Status.ToString().ToUpperInvariant()}).");
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
