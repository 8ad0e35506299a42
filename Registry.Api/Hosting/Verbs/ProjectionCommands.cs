using JasperFx.CommandLine;
using Marten;
using Registry.Projections;
using Registry.Projections.Sql;

namespace Registry.Api.Hosting.Verbs;

/// <summary>
/// Rebuilds every read model from the events, all projections at once, reporting each as it ends. Run it
/// with the API stopped: the rebuild replaces documents the API reads.
/// </summary>
[Description("Rebuild every read model from the events (with the API stopped: it replaces documents the API reads)", Name = "rebuild")]
public sealed class RebuildCommand : RegistryVerb<FiguresInput>
{
    protected override async Task<int> RunAsync(FiguresInput input)
    {
        var output = new Figures(input);
        var app = BuildHost(input, MediatorOnly);
        await app.StartAsync();
        try
        {
            var store = app.Services.GetRequiredService<IDocumentStore>();
            await using var session = store.QuerySession();
            var events = (await session.AdvancedSql.QueryAsync<long>(RegistrySql.Of(store).EventCount, CancellationToken.None))[0];
            output.Say($"Rebuilding every read model from {events:N0} events.");
            using var daemon = await store.BuildProjectionDaemonAsync();
            var total = System.Diagnostics.Stopwatch.StartNew();
            // The projections of one phase at once: each reads the events on its own, so their reads and
            // writes overlap. The async phase waits for the inline one, whose documents it reads.
            var display = Import.ImportConsole.ForStandardError();
            var phases = ((StoreOptions)store.Options).RebuildPhases();
            var names = phases.SelectMany(p => p).ToArray();
            var finished = new System.Collections.Concurrent.ConcurrentQueue<string>();
            await ProjectionProgress.WatchProgressionAsync(store, display, "rebuild", names, 0, async () =>
            {
                foreach (var phase in phases)
                    await Task.WhenAll(phase.Select(async name =>
                    {
                        var one = System.Diagnostics.Stopwatch.StartNew();
                        await daemon.RebuildProjectionAsync(name, TimeSpan.FromMinutes(60), CancellationToken.None);
                        finished.Enqueue($"  {name,-32} {one.Elapsed.TotalSeconds,7:N1} s  {events / Math.Max(0.001, one.Elapsed.TotalSeconds),10:N0} events/s");
                    }));
            });
            foreach (var line in finished) output.Say(line);
            var seconds = Math.Max(0.001, total.Elapsed.TotalSeconds);
            output.Say($"Done in {seconds:N1} s: {events:N0} events replayed into {names.Length} projections, {events / seconds:N0} events/s.");
            output.Report(new { events, projections = names.Length, seconds, eventsPerSecond = events / seconds });
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }
}

[Description("Rebuild into a scratch schema and compare with the live read models; exit code 1 on any difference", Name = "verify-projections")]
public sealed class VerifyProjectionsCommand : RegistryVerb<NetCoreInput>
{
    protected override async Task<int> RunAsync(NetCoreInput input)
    {
        var configuration = ConfigurationOnly(input).Configuration;
        var connectionString = configuration.GetConnectionString(RegistryHost.ConnectionStringName)
            ?? throw new ConfigurationMissingException("Set ConnectionStrings__Registry.");
        var result = await Audit.ProjectionVerification.RunAsync(connectionString, configuration, Console.WriteLine, CancellationToken.None);
        foreach (var difference in result.Differences) Console.WriteLine($"  DIFFERENT: {difference}");
        Console.WriteLine(result.Differences.Count == 0
            ? $"Read models match a rebuild from {result.Events:N0} events ({result.Elapsed.TotalSeconds:N1} s)."
            : $"{result.Differences.Count} differences between the live read models and a rebuild from {result.Events:N0} events.");
        return result.Differences.Count == 0 ? 0 : 1;
    }
}
