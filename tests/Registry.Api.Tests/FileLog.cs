using Microsoft.Extensions.Logging;
namespace Registry.Api.Tests;
public sealed class FileLogProvider(string path) : ILoggerProvider
{
    private readonly object _gate = new();
    private readonly string _path = path;
    public ILogger CreateLogger(string category) => new L(this, category);
    public void Dispose() { }
    private sealed class L(FileLogProvider p, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel level) => level >= LogLevel.Information && (category.StartsWith("Marten") || category.StartsWith("JasperFx") || category.StartsWith("Wolverine"));
        public void Log<TState>(LogLevel level, EventId id, TState state, Exception? ex, Func<TState, Exception?, string> f)
        {
            if (!IsEnabled(level)) return;
            lock (p._gate) File.AppendAllText(p._path, $"{DateTime.UtcNow:HH:mm:ss.fff} {level} {category}: {f(state, ex)} {ex}\n");
        }
    }
}
