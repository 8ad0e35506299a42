using System.Security.Cryptography;
using System.Text;
using Registry.Domain.Notices;
using Registry.Projections.Privacy;

namespace Registry.Api.Notices;

/// <summary>
/// The register's webhook settings (section Webhooks): the callback policy, and how deliveries are retried.
/// A delivery that fails is tried again after <see cref="FirstRetry"/>, then twice as long each time up to
/// <see cref="LongestRetry"/>, <see cref="MaxAttempts"/> times in all; after that its notices are dead-lettered.
/// </summary>
public sealed class WebhookSettings
{
    public required CallbackPolicy Policy { get; init; }
    public int MaxAttempts { get; init; } = 15;
    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan LongestRetry { get; init; } = TimeSpan.FromHours(1);
    /// <summary>How long a receiver has to answer a delivery.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    public int BatchSize { get; init; } = 100;
    /// <summary>How often the dispatcher looks for subscriptions with notices not yet sent.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <param name="requireHttps">The default of Webhooks:RequireHttps: true in Production.</param>
    public static WebhookSettings From(IConfiguration configuration, bool requireHttps)
    {
        var section = configuration.GetSection("Webhooks");
        TimeSpan Millis(string key, TimeSpan fallback) =>
            section.GetValue<int?>(key) is { } ms ? TimeSpan.FromMilliseconds(ms) : fallback;
        var defaults = new WebhookSettings { Policy = CallbackPolicy.FromList(null, requireHttps) };
        return new WebhookSettings
        {
            // Production's https rule can be lifted only by name, for a closed test bench on loopback.
            Policy = CallbackPolicy.FromList(section["AllowedHosts"], section.GetValue("RequireHttps", requireHttps)),
            MaxAttempts = section.GetValue("MaxAttempts", defaults.MaxAttempts),
            FirstRetry = Millis("FirstRetryMilliseconds", defaults.FirstRetry),
            LongestRetry = Millis("LongestRetryMilliseconds", defaults.LongestRetry),
            Timeout = Millis("TimeoutMilliseconds", defaults.Timeout),
            BatchSize = section.GetValue("BatchSize", defaults.BatchSize),
            PollInterval = Millis("PollMilliseconds", defaults.PollInterval),
        };
    }

    /// <summary>The pause before attempt <paramref name="attempt"/> + 1 (the first attempt is 1).</summary>
    public TimeSpan RetryAfter(int attempt) =>
        TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks * (1L << Math.Min(attempt - 1, 30))));
}

/// <summary>
/// A subscription's signing secret: made once, shown once, stored sealed under a key derived from the master
/// key (the id of that master key beside it, so a key rotation still opens it).
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    public static string Create() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static (string Sealed, string KeyId) SealFor(MasterKeys keys, Guid subscriptionId, string secret) =>
        (Seal.Encrypt(KeyOf(keys.Current), subscriptionId, "webhook secret", secret), keys.CurrentId);

    public static string Open(MasterKeys keys, WebhookSubscription subscription) =>
        Seal.Decrypt(KeyOf(keys.Find(subscription.SecretKeyId) ?? throw new InvalidOperationException("The master key that sealed a webhook secret is not configured.")),
            subscription.Id, "webhook secret", subscription.SealedSecret);

    /// <summary>`t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body" under the secret&gt;`.</summary>
    public static string Signature(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var signed = Encoding.UTF8.GetBytes($"{unixSeconds}.").Concat(body.ToArray()).ToArray();
        return $"t={unixSeconds},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }

    private static DataKey KeyOf(byte[] master) => new(HMACSHA256.HashData(master, "webhook secrets"u8));
}
