using System.Security.Cryptography;
using System.Text;
using Marten;
using Registry.Api.Auth;
using Registry.Projections.Integrity;

namespace Registry.Api.Audit;

/// <summary>
/// Integrity:CheckpointKey signs the checkpoints. It must not be the JWT signing key: whoever verifies
/// checkpoints would otherwise hold what mints admin tokens. Outside Development it must be set; in
/// Development an unset key is derived one way from the signing key, so it works out of the box and
/// still cannot sign tokens.
/// </summary>
public sealed class CheckpointKey
{
    public const string Setting = "Integrity:CheckpointKey";

    private CheckpointKey(byte[] bytes) => Bytes = bytes;

    public byte[] Bytes { get; }

    /// <summary>Throws, with what to set, when the configuration would not give a separate key; the service does not start without one.</summary>
    public static CheckpointKey From(IConfiguration configuration, IHostEnvironment environment)
    {
        var signingKey = AuthSettings.From(configuration).SigningKey;
        var given = configuration[Setting];
        if (string.IsNullOrEmpty(given))
        {
            if (!environment.IsDevelopment())
                throw new Hosting.ConfigurationMissingException(
                    $"Set {Setting} (Integrity__CheckpointKey) to a key of at least {AuthSettings.MinimumKeyBytes} bytes, different from Auth:SigningKey: " +
                    $"outside Development the checkpoints are not signed with the token key ({environment.EnvironmentName}).");
            return new CheckpointKey(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), "registry development checkpoint key"u8));
        }
        if (Encoding.UTF8.GetByteCount(given) < AuthSettings.MinimumKeyBytes)
            throw new Hosting.ConfigurationMissingException($"{Setting} (Integrity__CheckpointKey) must be at least {AuthSettings.MinimumKeyBytes} bytes.");
        if (given == signingKey)
            throw new Hosting.ConfigurationMissingException($"{Setting} (Integrity__CheckpointKey) must differ from Auth:SigningKey: whoever verifies checkpoints must not be able to mint tokens.");
        return new CheckpointKey(Encoding.UTF8.GetBytes(given));
    }
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
