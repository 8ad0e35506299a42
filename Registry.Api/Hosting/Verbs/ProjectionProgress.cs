using Marten;
using Registry.Projections.Sql;

namespace Registry.Api.Hosting.Verbs;

/// <summary>Catch-ups and rebuilds shown as they go: shared by import and rebuild.</summary>
internal static class ProjectionProgress
{
    /// <summary>Runs every async projection up to the last event, showing how far it is.</summary>
    public static async Task CatchUpAsyncProjectionsAsync(IDocumentStore store, Import.ImportConsole display)
    {
        var asyncNames = store.Options.Events.Projections().Where(p => p.Lifecycle == JasperFx.Events.Projections.ProjectionLifecycle.Async)
            .Select(p => p.Name).Distinct().ToArray();
        if (asyncNames.Length == 0) return;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var daemon = await store.BuildProjectionDaemonAsync();
        var events = await WatchProgressionAsync(store, display, "async projections", asyncNames, null, () => daemon.CatchUpAsync(CancellationToken.None));
        Console.WriteLine(events == 0
            ? $"Async projections ({string.Join(", ", asyncNames)}) are up to date."
            : $"Async projections ({string.Join(", ", asyncNames)}) caught up over {events:N0} events in {clock.Elapsed.TotalSeconds:N1} s.");
    }

    /// <summary>
    /// Runs <paramref name="work"/> (a catch-up or a rebuild) while showing how far the named projections
    /// have got in mt_event_progression, from <paramref name="from"/> (or where they stand) to the last event.
    /// Returns how many events that spans; 0, without running the work, when there is nothing to do.
    /// </summary>
    public static async Task<long> WatchProgressionAsync(IDocumentStore store, Import.ImportConsole display, string title, string[] names, long? from, Func<Task> work)
    {
        await using var session = store.QuerySession();
        async Task<long> Scalar(string sql) => (await session.AdvancedSql.QueryAsync<long>(sql, CancellationToken.None))[0];
        var sql = RegistrySql.Of(store);
        var high = await Scalar(sql.LatestSequence);
        var floorQuery = sql.ProjectionFloor(names);
        var start = from ?? await Scalar(floorQuery);
        if (start >= high) return 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await display.RunAsync(title, high - start, async step =>
        {
            var running = work();
            while (await Task.WhenAny(running, Task.Delay(1000)) != running)
            {
                var at = Math.Max(start, await Scalar(floorQuery));
                step.Update(at - start, $"sequence {at:N0} of {high:N0}, {(at - start) / Math.Max(0.001, clock.Elapsed.TotalSeconds):N0} events/s");
            }
            await running;
            step.Update(high - start, $"sequence {high:N0} of {high:N0}");
            return 0;
        });
        return high - start;
    }
}
