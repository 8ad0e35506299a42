using Spectre.Console;

namespace Registry.Api.Import;

/// <summary>
/// Progress of a long console job on standard error: a Spectre.Console bar (rate, ETA) on a terminal,
/// and a plain line every few seconds when the output goes to a file or CI log.
/// </summary>
public sealed class ImportConsole
{
    private static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(5);
    private readonly IAnsiConsole? _console;

    private ImportConsole(IAnsiConsole? console) => _console = console;

    /// <summary>Interactive when standard error is a terminal and REGISTRY_PLAIN_PROGRESS is not set.</summary>
    public static ImportConsole ForStandardError()
    {
        var interactive = !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("REGISTRY_PLAIN_PROGRESS") is null;
        return new ImportConsole(interactive
            ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error), Interactive = InteractionSupport.Yes })
            : null);
    }

    /// <summary>One step's progress: set Done (of Total) and a status text; the display shows rate and ETA.</summary>
    public interface IStep
    {
        void Update(double done, string status);
    }

    /// <summary>Runs <paramref name="work"/> with a progress display for one step whose size is <paramref name="total"/> units.</summary>
    public async Task<T> RunAsync<T>(string title, double total, Func<IStep, Task<T>> work)
    {
        if (_console is null)
        {
            var plain = new PlainStep(title, total);
            var result = await work(plain);
            plain.Finish();
            return result;
        }
        return await _console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(title, maxValue: Math.Max(1, total));
                var result = await work(new SpectreStep(task, title));
                task.Value = task.MaxValue;
                return result;
            });
    }

    private sealed class SpectreStep(ProgressTask task, string title) : IStep
    {
        public void Update(double done, string status)
        {
            task.Value = Math.Min(done, task.MaxValue);
            task.Description = $"{title}: {Markup.Escape(status)}";
        }
    }

    private sealed class PlainStep(string title, double total) : IStep
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private TimeSpan _printed = TimeSpan.Zero;
        private string _last = "";
        private double _done;

        public void Update(double done, string status)
        {
            (_done, _last) = (done, status);
            if (_clock.Elapsed - _printed < PlainEvery) return;
            _printed = _clock.Elapsed;
            var fraction = total > 0 ? Math.Clamp(done / total, 0, 1) : 0;
            var eta = fraction > 0.001 ? TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds * (1 - fraction) / fraction) : (TimeSpan?)null;
            Console.Error.WriteLine($"  {title}: {status}; {fraction:P0}, ETA {(eta is { } t ? t.ToString(@"hh\:mm\:ss") : "?")}");
        }

        public void Finish() =>
            Console.Error.WriteLine($"  {title}: {_last}; done in {_clock.Elapsed:hh\\:mm\\:ss} ({(total > 0 ? _done / total : 1):P0}).");
    }
}
