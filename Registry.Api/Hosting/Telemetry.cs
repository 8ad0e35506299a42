using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Registry.Api.Hosting;

/// <summary>
/// Traces and metrics through OpenTelemetry: one trace per request across ASP.NET Core, the Wolverine
/// handler, Marten and each Npgsql command; exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
/// Spans and metrics carry ids, types and codes only: no query text, no variables, no SQL parameter values, no
/// exception messages (<see cref="TraceScrubber"/>).
/// </summary>
public static class Telemetry
{
    public const string ServiceName = "registry";

    /// <summary>The activity sources the register exports: its libraries', and ASP.NET Core's through its instrumentation.</summary>
    public static readonly string[] LibrarySources = ["Wolverine", "Marten", "Npgsql"];
    public const string AspNetCoreSource = "Microsoft.AspNetCore";

    public static IServiceCollection AddRegistryTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<RegistryMetrics>();
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithTracing(t =>
            {
                // The path is enough: a query string could carry anything a caller typed.
                t.AddAspNetCoreInstrumentation(o => o.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null))
                    .AddSource(LibrarySources)
                    // Before any exporter: no exception message leaves in a span.
                    .AddProcessor(new TraceScrubber());
                if (otlp) t.AddOtlpExporter();
            })
            .WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation().AddRuntimeInstrumentation()
                    .AddMeter("Wolverine", "Marten", RegistryMetrics.MeterName);
                if (otlp) m.AddOtlpExporter();
            });
        return services;
    }
}

/// <summary>The register's own measures. Tags are programme codes and outcomes, never a person.</summary>
public sealed class RegistryMetrics : IDisposable
{
    public const string MeterName = "Registry";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _reassessments;
    private readonly Counter<long> _accessRecords;

    public RegistryMetrics()
    {
        _decisions = _meter.CreateCounter<long>("registry.eligibility.decisions", "{decision}", "Eligibility decisions taken, by programme.");
        _reassessments = _meter.CreateCounter<long>("registry.reassessments", "{entitlement}", "Entitlements re-assessed after a change.");
        _accessRecords = _meter.CreateCounter<long>("registry.access_log.records", "{record}", "Access-log records written.");
    }

    public Meter Meter => _meter;

    public void Decided(Domain.Programmes.ProgrammeCode programme, long count = 1) =>
        _decisions.Add(count, new KeyValuePair<string, object?>("programme", programme.ToString()));

    public void Reassessed(long count) => _reassessments.Add(count);

    public void AccessRecorded(long count) => _accessRecords.Add(count);

    public void Dispose() => _meter.Dispose();
}
