using Marten;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Registry.Projections.Sql;

namespace Registry.Api.Hosting;

/// <summary>
/// /health/live answers while the process runs; /health/ready while it can serve: PostgreSQL reachable,
/// the event store's schema applied, and the async projections (the department views) no further
/// behind than Health:MaxProjectionLagSeconds. Answers carry the status only.
/// </summary>
public static class Health
{
    private const string Ready = "ready";

    public static IServiceCollection AddRegistryHealth(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton<ProjectionLag>();
        services.AddHostedService<ProjectionLagMonitor>();
        services.AddHealthChecks()
            .AddNpgSql(connectionString, name: "postgresql", tags: [Ready], timeout: TimeSpan.FromSeconds(3))
            .AddCheck<SchemaAndProjectionsCheck>("event-store", tags: [Ready]);
        return services;
    }

    public static void MapRegistryHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready) });
    }
}

/// <summary>How far the async projections are behind the newest event, in events and in seconds.</summary>
public sealed record LagMeasurement(bool SchemaApplied, long Events, double Seconds, DateTimeOffset MeasuredAt);

/// <summary>Measures the async projections' lag from Marten's progression table.</summary>
public sealed class ProjectionLag(IDocumentStore store, RegistrySql sql, TimeProvider clock)
{
    public LagMeasurement? Latest { get; private set; }

    public async Task<LagMeasurement> MeasureAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var applied = (await session.AdvancedSql.QueryAsync<bool>(sql.EventStoreExists, ct))[0];
        if (!applied) return Latest = new LagMeasurement(false, 0, 0, clock.GetUtcNow());

        var rows = await session.AdvancedSql.QueryAsync<LagRow>(sql.ProjectionLag, ct);
        var row = rows[0];
        var now = clock.GetUtcNow();
        var seconds = row.OldestPending is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : 0;
        return Latest = new LagMeasurement(true, row.Behind, seconds, now);
    }

    public sealed record LagRow(long Behind, DateTimeOffset? OldestPending);
}

/// <summary>Measures the lag every few seconds for the metrics, so a scrape or a probe never waits on it.</summary>
public sealed class ProjectionLagMonitor(ProjectionLag lag, RegistryMetrics metrics, IConfiguration configuration, ILogger<ProjectionLagMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.Meter.CreateObservableGauge("registry.projection.lag.events", () => lag.Latest?.Events ?? 0, "{event}", "Events the slowest async projection has still to apply.");
        metrics.Meter.CreateObservableGauge("registry.projection.lag.seconds", () => lag.Latest?.Seconds ?? 0, "s", "How long the oldest event not yet applied by every async projection has waited.");
        var every = TimeSpan.FromSeconds(configuration.GetValue("Health:ProjectionLagPollSeconds", 5));
        using var timer = new PeriodicTimer(every);
        do
        {
            try { await lag.MeasureAsync(stoppingToken); }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The readiness check reports the database; here only the fault's description, never a message that might quote data.
                logger.LogWarning("Projection lag could not be measured: {Fault}", Faults.Describe(ex));
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>Ready when the schema is applied and the async projections are within the allowed lag.</summary>
public sealed class SchemaAndProjectionsCheck(ProjectionLag lag, IConfiguration configuration, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // The monitor measures every few seconds; a probe measures itself only when that is missing or stale.
        var fresh = TimeSpan.FromSeconds(2 * configuration.GetValue("Health:ProjectionLagPollSeconds", 5));
        var measured = lag.Latest is { } latest && clock.GetUtcNow() - latest.MeasuredAt < fresh ? latest : await lag.MeasureAsync(cancellationToken);
        if (!measured.SchemaApplied) return HealthCheckResult.Unhealthy("The event store's schema is not applied.");
        var allowed = configuration.GetValue("Health:MaxProjectionLagSeconds", 300.0);
        return measured.Seconds <= allowed
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"The department views are {measured.Seconds:N0} s behind (allowed {allowed:N0} s).");
    }
}
