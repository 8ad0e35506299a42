using System.Threading.Channels;
using GraphQL;
using GraphQL.Instrumentation;
using GraphQL.Builders;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
using Registry.Api.GraphQL;

namespace Registry.Api.Audit;

/// <summary>
/// One read of a person's data: who, in which role, when, why, through which field, in which request.
/// Only the citizen's stream id names the person: no ID number, no name.
/// </summary>
public sealed record AccessRecord(Guid Id, Guid CitizenId, DateTimeOffset At, string Actor, string Role, string? Department, string? Purpose, string Operation,
    string? CorrelationId = null);

/// <summary>
/// Marks a graph type as showing people's data. Whenever any field of an object of that type is resolved,
/// the people it names are noted in the request's access set (see <see cref="AccessLogMiddleware"/>), so a
/// person reached through any nesting is logged, and the request must state a purpose (see <see cref="PurposeRule"/>).
/// </summary>
public static class PeopleShown
{
    private const string Key = "registry:peopleShown";

    public static void ShowsPeople<TSource>(this ObjectGraphType<TSource> type, Func<TSource, IEnumerable<Guid>> people) =>
        type.Metadata[Key] = (Func<object, IEnumerable<Guid>>)(source => source is TSource s ? people(s) : []);

    /// <summary>The people an object of this type shows (none for anything that is not such an object).</summary>
    public static Func<object, IEnumerable<Guid>>? PeopleOf(this IGraphType type) =>
        type.GetMetadata<Func<object, IEnumerable<Guid>>?>(Key);

    public static bool ShowsPeople(this IGraphType type) => type.PeopleOf() is not null;

    /// <summary>
    /// Marks a field that answers about the person it is asked about even when it shows no person object
    /// (an empty access log, no entitlements); its resolver notes the person itself.
    /// </summary>
    public static FieldBuilder<TSource, TReturn> AboutAPerson<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field) =>
        field.WithMetadata(AboutKey, true);

    public static bool IsAboutAPerson(this FieldType field) => field.GetMetadata(AboutKey, false);

    private const string AboutKey = "registry:aboutAPerson";

    /// <summary>Marks a root field's type as a namespace (audit, socialDevelopment…): its fields name the operation.</summary>
    public static void IsNamespace(this IGraphType type) => type.Metadata["registry:namespace"] = true;

    public static bool IsNamespaceType(this IGraphType type) => type.GetMetadata("registry:namespace", false);
}

/// <summary>Notes the people of every person-showing object whose fields a request resolves.</summary>
public sealed class AccessLogMiddleware : IFieldMiddleware
{
    public ValueTask<object?> ResolveAsync(IResolveFieldContext context, FieldMiddlewareDelegate next)
    {
        if (context.Source is { } source && context.ParentType.PeopleOf() is { } people)
            context.Registry().Access.Note(context, source, people);
        return context.FieldDefinition.ResolvedType?.GetNamedType().PeopleOf() is { } shown ? NoteResultAsync(context, next, shown) : next(context);
    }

    /// <summary>
    /// A person answered with nothing but __typename resolves no field of its own, yet says the person is
    /// there: the field that returns it notes it too (a deferred, batch-loaded result is noted by its fields only).
    /// </summary>
    private static async ValueTask<object?> NoteResultAsync(IResolveFieldContext context, FieldMiddlewareDelegate next, Func<object, IEnumerable<Guid>> people)
    {
        var result = await next(context);
        var shown = result is System.Collections.IEnumerable many and not string ? many.Cast<object?>().OfType<object>() : result is null ? [] : [result];
        context.Registry().Access.Note(context, shown.SelectMany(people));
        return result;
    }
}

/// <summary>
/// The people one request showed, by the operation that showed them (the root field, or namespace.field
/// such as audit.citizenAsOf). Collected while the request executes; written once, before it is answered.
/// </summary>
public sealed class RequestAccess
{
    private readonly Lock _gate = new();
    private readonly HashSet<(Guid CitizenId, string Operation)> _seen = [];
    private object? _lastSource;

    public void Note(IResolveFieldContext context, object source, Func<object, IEnumerable<Guid>> people)
    {
        lock (_gate)
        {
            // The fields of one object are resolved one after another: note its people once, not per field.
            if (ReferenceEquals(source, _lastSource)) return;
            _lastSource = source;
        }
        Note(context, people(source));
    }

    public void Note(IResolveFieldContext context, IEnumerable<Guid> citizenIds)
    {
        var operation = Operation(context);
        lock (_gate)
            foreach (var id in citizenIds) _seen.Add((id, operation));
    }

    public IReadOnlyList<AccessRecord> Records(RegistryUserContext caller, DateTimeOffset at)
    {
        var roles = caller.User.FindAll(Roles.ClaimType).Select(c => c.Value).ToList();
        var department = Roles.DepartmentsOf(caller.User).FirstOrDefault();
        var role = string.Join(",", roles);
        lock (_gate)
            return [.. _seen.Select(s => new AccessRecord(Guid.CreateVersion7(at), s.CitizenId, at, caller.Actor, role, department,
                // Only a mutation gets here without a purpose (PurposeRule): its purpose is the change it makes.
                caller.Purpose ?? s.Operation, s.Operation, caller.CorrelationId))];
    }

    /// <summary>Field names from the root (never aliases): "citizen", or "audit.history" under a namespace.</summary>
    private static string Operation(IResolveFieldContext context)
    {
        IResolveFieldContext? child = null;
        var root = context;
        while (root.Parent is { } parent) (child, root) = (root, parent);
        return root.FieldDefinition.ResolvedType?.GetNamedType().IsNamespaceType() == true && child is not null
            ? root.FieldDefinition.Name + "." + child.FieldDefinition.Name
            : root.FieldDefinition.Name;
    }
}

/// <summary>The access log could not store a request's records; the request is not answered.</summary>
public sealed class AccessLogUnavailableException(Exception? inner = null)
    : Exception("The access log could not record this read.", inner);

/// <summary>
/// Stores access records durably before the reads they record are answered. Requests hand in their records
/// and wait; one writer takes everything pending, writes it in one COPY and one commit, and releases every
/// waiting request together (group commit), so concurrent reads share a commit and a failed write fails
/// every read it carried instead of dropping records.
/// </summary>
public sealed class AccessLog
{
    internal sealed record Pending(IReadOnlyList<AccessRecord> Records, TaskCompletionSource Written);

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>();

    internal ChannelReader<Pending> Reader => _pending.Reader;

    /// <summary>Requests waiting for the next commit.</summary>
    public int Waiting => _pending.Reader.Count;

    internal void Close() => _pending.Writer.TryComplete();

    /// <summary>Completes once the records are committed; throws <see cref="AccessLogUnavailableException"/> if they could not be.</summary>
    public async Task WriteAsync(IReadOnlyList<AccessRecord> records)
    {
        if (records.Count == 0) return;
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.Writer.TryWrite(new Pending(records, written))) throw new AccessLogUnavailableException();
        await written.Task;
    }
}

/// <summary>The group-commit loop of the <see cref="AccessLog"/>. On shutdown, what is pending is written first.</summary>
public sealed class AccessLogWriter(AccessLog log, IDocumentStore store, Hosting.RegistryMetrics metrics, ILogger<AccessLogWriter> logger) : BackgroundService
{
    /// <summary>At most this many records in one commit; more wait for the next.</summary>
    public const int MaxRecordsPerCommit = 5_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = log.Reader;
        var batch = new List<AccessLog.Pending>();
        try
        {
            // No timer: while one commit is in flight, the requests that arrive queue up and share the next.
            while (await reader.WaitToReadAsync(stoppingToken))
                await CommitAsync(reader, batch);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            log.Close();
            while (reader.TryPeek(out _)) await CommitAsync(reader, batch);
        }
    }

    private async Task CommitAsync(ChannelReader<AccessLog.Pending> reader, List<AccessLog.Pending> batch)
    {
        batch.Clear();
        var count = 0;
        while (count < MaxRecordsPerCommit && reader.TryRead(out var pending))
        {
            batch.Add(pending);
            count += pending.Records.Count;
        }
        if (batch.Count == 0) return;
        try
        {
            // One COPY in one transaction for every waiting request.
            await store.BulkInsertAsync(batch.SelectMany(p => p.Records).ToArray(), Weasel.Core.BulkInsertMode.InsertsOnly, batchSize: MaxRecordsPerCommit * 2);
            metrics.AccessRecorded(count);
            foreach (var p in batch) p.Written.TrySetResult();
        }
        catch (Exception ex)
        {
            logger.LogError("Could not write {Count} access records of {Requests} requests; those requests are refused: {Fault}",
                count, batch.Count, Hosting.Faults.Describe(ex, withStackTrace: true));
            foreach (var p in batch) p.Written.TrySetException(new AccessLogUnavailableException(ex));
        }
    }
}
