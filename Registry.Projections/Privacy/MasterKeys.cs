using System.Security.Cryptography;
using System.Text;

namespace Registry.Projections.Privacy;

/// <summary>
/// The key material of the register: the master key that wraps every data key, the master keys of a rotation
/// still being worked off (unwrap only), and the key of the blind indexes that stand in for ID numbers.
/// </summary>
public sealed class MasterKeys
{
    public const int KeyBytes = 32;

    private readonly Dictionary<string, byte[]> _byId;

    public MasterKeys(byte[] current, IEnumerable<byte[]> previous, byte[] blindIndexKey)
    {
        if (current.Length != KeyBytes || blindIndexKey.Length != KeyBytes || previous.Any(k => k.Length != KeyBytes))
            throw new ArgumentException($"Registry keys are {KeyBytes} bytes.");
        Current = current;
        CurrentId = IdOf(current);
        BlindIndexKey = blindIndexKey;
        _byId = previous.Append(current).DistinctBy(IdOf).ToDictionary(IdOf);
    }

    public byte[] Current { get; }
    public string CurrentId { get; }
    public byte[] BlindIndexKey { get; }

    public byte[]? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>Names a master key without revealing it: the wrapped records say which key wraps them.</summary>
    public static string IdOf(byte[] key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("registry master key id")))[..16];

    /// <summary>A keyed hash of an ID number (or any identifier): equal inputs match, and without the key it cannot be reversed by trying numbers.</summary>
    public string BlindIndex(string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(BlindIndexKey, Encoding.UTF8.GetBytes(value)));
}
