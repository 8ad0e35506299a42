using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Registry.Api.Tests;

/// <summary>Every log line of every category and level a host writes, kept in memory: message and exception text.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, string Text)> _lines = new();

    public IReadOnlyList<(string Category, string Text)> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            // Scopes are part of what a structured sink writes; capture their text too.
            logs._lines.Enqueue((category, $"scope: {state}"));
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The structured values too: a JSON sink writes each one, not only the formatted message.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            logs._lines.Enqueue((category, $"{logLevel} {formatter(state, exception)} {values} {exception}"));
        }
    }
}

public static class ProductionHost
{
    /// <summary>
    /// A second in-process host on the test database, as operators run it: the Production environment,
    /// Wolverine as a mediator only (the shared host runs the async projections), the given settings,
    /// logs captured when asked.
    /// </summary>
    public static WebApplicationFactory<Program> InProduction(this RegistryApiFactory api, CapturedLogs? logs = null, params (string Key, string Value)[] settings) =>
        api.WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("Wolverine:Durability", "MediatorOnly");
            foreach (var (key, value) in settings) b.UseSetting(key, value);
            if (logs is not null)
                b.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(logs).AddFilter<CapturedLogs>(null, LogLevel.Trace));
        });

    public static HttpClient ClientFor(this WebApplicationFactory<Program> host, RegistryApiFactory api, params string[] roles)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", api.Token(roles));
        return client;
    }
}
