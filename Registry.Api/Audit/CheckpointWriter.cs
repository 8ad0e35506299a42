using System.Text;
using Marten;
using Registry.Api.Auth;
using Registry.Projections.Integrity;

namespace Registry.Api.Audit;

/// <summary>Integrity:CheckpointKey signs the checkpoints; without one the JWT signing key is used.</summary>
public sealed class CheckpointKey(IConfiguration configuration)
{
    public byte[] Bytes { get; } = Encoding.UTF8.GetBytes(
        configuration["Integrity:CheckpointKey"] is { Length: > 0 } key ? key : AuthSettings.From(configuration).SigningKey);
}

/// <summary>Seals the global sequence every Integrity:CheckpointSeconds (default 60) while new events arrive.</summary>
public sealed class CheckpointWriter(IDocumentStore store, CheckpointKey key, TimeProvider clock, IConfiguration configuration, ILogger<CheckpointWriter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(configuration.GetValue("Integrity:CheckpointSeconds", 60));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, stoppingToken);
                await using var session = store.LightweightSession();
                if (await IntegrityCheckpoints.CreateAsync(session, key.Bytes, clock.GetUtcNow(), stoppingToken) is { } c)
                    logger.LogInformation("Integrity checkpoint up to sequence {Sequence} over {Events} events", c.UpToSequence, c.Events);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Marten.Exceptions.MartenCommandException or JasperFx.DocumentAlreadyExistsException or Npgsql.NpgsqlException)
            {
                // Another node sealed the same range first; the next round continues from its checkpoint.
                logger.LogDebug("Checkpoint round skipped: {Fault}", Hosting.Faults.Describe(ex));
            }
        }
    }
}
