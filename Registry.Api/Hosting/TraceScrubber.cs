using System.Diagnostics;
using System.Reflection;
using Npgsql;
using OpenTelemetry;

namespace Registry.Api.Hosting;

/// <summary>
/// A failure leaves a span with its exceptions' types and SQLSTATE (<see cref="Faults.Describe"/>), never a message:
/// PostgreSQL's <c>invalid input syntax for type uuid: "&lt;value&gt;"</c> quotes what it was given.
/// <list type="bullet">
/// <item>Marten, its projection daemon and Wolverine record exceptions with <see cref="Activity.AddException"/> (so would
/// ASP.NET Core's instrumentation, were RecordException on). Its message and stack trace tags are written here, by an
/// <see cref="ActivityListener.ExceptionRecorder"/>, which AddException asks before it writes its own.</item>
/// <item>Npgsql 9 adds its own "exception" event with <c>ex.Message</c> and <c>ex.ToString()</c>, and has no option to
/// stop it. An event's tags are copied when it is added and cannot be changed, so a span with an exception the
/// recorder did not write is not exported at all; its parent notes the failure by SQLSTATE or type.</item>
/// <item>A status description (Npgsql's is a non-PostgreSQL error's message) is kept only if it is a SQLSTATE or an
/// exception type's name.</item>
/// </list>
/// Registered before every exporter: processors see a span in the order they were added.
/// </summary>
public sealed class TraceScrubber : BaseProcessor<Activity>
{
    // How many of a span's exceptions the recorder wrote: a custom property stays in the process, it is not exported.
    private const string ScrubbedExceptions = "registry.scrubbed-exceptions";
    private const string LegacyStatusDescription = "otel.status_description";

    private static readonly ActivityListener Recorder = new()
    {
        ShouldListenTo = source => source.Name == Telemetry.AspNetCoreSource || Telemetry.LibrarySources.Contains(source.Name),
        // Samples nothing of its own: the tracer provider decides which spans exist.
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
        ExceptionRecorder = Record,
    };

    private static readonly HashSet<string> SqlStates = [.. typeof(PostgresErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    private static readonly Lock TypeNamesLock = new();
    private static HashSet<string> _exceptionTypeNames = [];
    private static int _assembliesScanned;

    static TraceScrubber() => ActivitySource.AddActivityListener(Recorder);

    private static void Record(Activity activity, Exception exception, ref TagList tags)
    {
        Overwrite(ref tags, "exception.type", exception.GetType().FullName);
        Overwrite(ref tags, "exception.message", Faults.Describe(exception));
        Overwrite(ref tags, "exception.stacktrace", Faults.Describe(exception, withStackTrace: true));
        activity.SetCustomProperty(ScrubbedExceptions, (activity.GetCustomProperty(ScrubbedExceptions) as int? ?? 0) + 1);
    }

    private static void Overwrite(ref TagList tags, string key, string? value)
    {
        var found = false;
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i].Key != key) continue;
            tags[i] = new(key, value);
            found = true;
        }
        if (!found) tags.Add(key, value);
    }

    public override void OnEnd(Activity data)
    {
        try
        {
            Scrub(data);
        }
        catch (Exception)
        {
            // A span this class could not read through does not leave; the command that ended it carries on.
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }

    private static void Scrub(Activity data)
    {
        var exceptions = data.Events.Count(e => e.Tags.Any(t => t.Key is "exception.message" or "exception.stacktrace"));
        if (exceptions > (data.GetCustomProperty(ScrubbedExceptions) as int? ?? 0))
        {
            Withhold(data);
            return;
        }
        if (data.Status == ActivityStatusCode.Error && data.StatusDescription is { } description && !IsCode(description))
            data.SetStatus(ActivityStatusCode.Error, ExceptionType(data));
        if (data.GetTagItem(LegacyStatusDescription) is { } legacy && !(legacy is string code && IsCode(code)))
            data.SetTag(LegacyStatusDescription, ExceptionType(data));
    }

    private static void Withhold(Activity span)
    {
        // Export processors skip a span that is not recorded.
        span.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        if (span.Parent is { IsStopped: false, Recorded: true } parent)
            parent.AddEvent(new ActivityEvent("registry.span_withheld", tags: new ActivityTagsCollection
            {
                ["span.source"] = span.Source.Name,
                ["error.type"] = span.GetTagItem(LegacyStatusDescription) is string code && IsCode(code) ? code : ExceptionType(span),
            }));
    }

    private static string? ExceptionType(Activity span) =>
        span.Events.SelectMany(e => e.Tags).Where(t => t.Key == "exception.type").Select(t => t.Value as string)
            .LastOrDefault(t => t is not null && IsCode(t));

    private static bool IsCode(string text) => SqlStates.Contains(text) || IsExceptionTypeName(text);

    /// <summary>The name or full name of an exception type loaded in the process: code, so no person's data.</summary>
    private static bool IsExceptionTypeName(string text)
    {
        if (Volatile.Read(ref _exceptionTypeNames).Contains(text)) return true;
        lock (TypeNamesLock)
        {
            var assemblies = AppDomain.CurrentDomain.GetAssemblies();
            if (assemblies.Length == _assembliesScanned) return false;
            HashSet<string> names = [];
            foreach (var type in assemblies.SelectMany(LoadableTypes).Where(t => t.IsAssignableTo(typeof(Exception))))
            {
                names.Add(type.Name);
                if (type.FullName is { } full) names.Add(full);
            }
            (_exceptionTypeNames, _assembliesScanned) = (names, assemblies.Length);
            return names.Contains(text);
        }
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException partial)
        {
            return partial.Types.OfType<Type>();
        }
    }
}
