using System.Threading.Channels;
using GraphQL;
using Marten;
using Registry.Api.Auth;
using Registry.Api.GraphQL;

namespace Registry.Api.Audit;

/// <summary>One read of a citizen's personal data by a department or an auditor: who, in which role, when, why, what.</summary>
public sealed record AccessRecord(Guid Id, Guid CitizenId, DateTimeOffset At, string Actor, string Role, string? Department, string? Purpose, string Operation);

/// <summary>
/// Records reads of personal data without slowing the read: resolvers hand records to a channel and a
/// background writer stores them in batches. Caseworkers' own reads are not logged here (their writes
/// are events already); departments' and auditors' reads always are.
/// </summary>
public sealed class AccessLog(TimeProvider clock)
{
    private readonly Channel<AccessRecord> _pending = Channel.CreateBounded<AccessRecord>(
        new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    public ChannelReader<AccessRecord> Pending => _pending.Reader;

    /// <summary>Logs the read when the caller is a department or an auditor.</summary>
    public async ValueTask RecordAsync(IResolveFieldContext ctx, IEnumerable<Guid> citizenIds, string operation)
    {
        var caller = ctx.Registry();
        var role = caller.User.FindAll(Roles.ClaimType).Select(c => c.Value)
            .FirstOrDefault(r => r == Roles.Auditor || r.StartsWith(Roles.DepartmentPrefix, StringComparison.Ordinal));
        if (role is null) return;
        var department = role.StartsWith(Roles.DepartmentPrefix, StringComparison.Ordinal) ? role[Roles.DepartmentPrefix.Length..] : null;
        var now = clock.GetUtcNow();
        foreach (var id in citizenIds.Distinct())
            await _pending.Writer.WriteAsync(new AccessRecord(Guid.CreateVersion7(now), id, now, caller.Actor, role, department, caller.Purpose, operation), ctx.CancellationToken);
    }
}

/// <summary>Writes the pending access records in batches; on shutdown, what is pending is written first.</summary>
public sealed class AccessLogWriter(AccessLog log, IDocumentStore store, ILogger<AccessLogWriter> logger) : BackgroundService
{
    public const int BatchSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = log.Pending;
        var batch = new List<AccessRecord>(BatchSize);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < BatchSize && reader.TryRead(out var record)) batch.Add(record);
                await FlushAsync(batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
            while (reader.TryRead(out var record)) batch.Add(record);
            await FlushAsync(batch, CancellationToken.None);
        }
    }

    private async Task FlushAsync(List<AccessRecord> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        try
        {
            // COPY, not one INSERT per record: the log must cost the reads as little as possible.
            await store.BulkInsertAsync(batch.ToArray(), Weasel.Core.BulkInsertMode.InsertsOnly, batchSize: BatchSize, cancellation: ct);
        }
        catch (Exception ex)
        {
            logger.LogError("Could not write {Count} access records: {Fault}", batch.Count, Hosting.Faults.Describe(ex, withStackTrace: true));
        }
        batch.Clear();
    }
}
