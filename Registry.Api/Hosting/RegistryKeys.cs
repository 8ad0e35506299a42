using System.Security.Cryptography;
using System.Text;
using Registry.Projections.Privacy;

namespace Registry.Api.Hosting;

/// <summary>
/// The keys of the register from configuration: Registry:MasterKey (base64, 32 bytes) wraps every person's data
/// key; Registry:PreviousMasterKeys (comma-separated) are the keys of a rotation still being worked off, which
/// only unwrap; Registry:BlindIndexKey keys the hashes that stand in for ID numbers. Outside Development both
/// keys must be set; in Development fixed keys are derived so the demo runs without setup.
/// </summary>
public static class RegistryKeys
{
    public const string MasterKey = "Registry:MasterKey";
    public const string PreviousMasterKeys = "Registry:PreviousMasterKeys";
    public const string BlindIndexKey = "Registry:BlindIndexKey";

    public static MasterKeys From(IConfiguration configuration)
    {
        var development = string.Equals(EnvironmentOf(configuration), Environments.Development, StringComparison.OrdinalIgnoreCase);
        var previous = (configuration[PreviousMasterKeys] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => Decode(k, PreviousMasterKeys));
        return new MasterKeys(Read(configuration, MasterKey, development), previous, Read(configuration, BlindIndexKey, development));
    }

    private static byte[] Read(IConfiguration configuration, string name, bool development)
    {
        if (configuration[name] is { Length: > 0 } text) return Decode(text, name);
        if (development) return SHA256.HashData(Encoding.UTF8.GetBytes($"registry development key: {name}"));
        throw new ConfigurationMissingException(
            $"Set {name} ({name.Replace(":", "__")}) to a base64 {MasterKeys.KeyBytes}-byte key: outside Development the register does not start without it.");
    }

    private static byte[] Decode(string text, string name)
    {
        var bytes = new byte[MasterKeys.KeyBytes + 1];
        if (!Convert.TryFromBase64String(text, bytes, out var length) || length != MasterKeys.KeyBytes)
            throw new ConfigurationMissingException($"{name} must be base64 of exactly {MasterKeys.KeyBytes} bytes.");
        return bytes[..MasterKeys.KeyBytes];
    }

    /// <summary>The host's environment as configuration knows it (WebApplication puts it under "environment").</summary>
    private static string EnvironmentOf(IConfiguration configuration) =>
        configuration[HostDefaults.EnvironmentKey]
        ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
        ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
        ?? Environments.Production;
}
