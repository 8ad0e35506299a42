using System.Security.Cryptography;
using System.Text;

namespace Registry.Projections.Privacy;

/// <summary>
/// AES-GCM over one personal value. The nonce is derived from the value (HMAC of its place and plaintext), so
/// sealing the same value twice gives the same bytes: the hash chain computed before the save and the stored
/// row agree. A nonce repeats only for an identical value in the same place of the same person's data, which
/// reveals only that equality.
/// </summary>
public static class Seal
{
    public const int NonceBytes = 12;
    public const int TagBytes = 16;

    public static string Encrypt(DataKey key, Guid subject, string path, string plaintext)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var context = Context(subject, path);
        var output = new byte[NonceBytes + data.Length + TagBytes];
        var nonce = output.AsSpan(0, NonceBytes);
        HMACSHA256.HashData(key.Nonces, (byte[])[.. context, 0, .. data]).AsSpan(0, NonceBytes).CopyTo(nonce);
        using var aes = new AesGcm(key.Encryption, TagBytes);
        aes.Encrypt(nonce, data, output.AsSpan(NonceBytes, data.Length), output.AsSpan(NonceBytes + data.Length), context);
        return Convert.ToBase64String(output);
    }

    /// <summary>The plaintext; throws when the value was altered or belongs to another person or place.</summary>
    public static string Decrypt(DataKey key, Guid subject, string path, string sealedValue)
    {
        var bytes = Convert.FromBase64String(sealedValue);
        var data = new byte[bytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(key.Encryption, TagBytes);
        aes.Decrypt(bytes.AsSpan(0, NonceBytes), bytes.AsSpan(NonceBytes, data.Length), bytes.AsSpan(NonceBytes + data.Length), data, Context(subject, path));
        return Encoding.UTF8.GetString(data);
    }

    private static byte[] Context(Guid subject, string path) => Encoding.UTF8.GetBytes($"{subject:N}|{path}");
}
