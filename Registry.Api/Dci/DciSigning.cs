using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NSec.Cryptography;
using Registry.Api.Hosting;
using Registry.Projections.Privacy;

namespace Registry.Api.Dci;

/// <summary>
/// A DCI MsgSignature: the standard's draft-cavage style string
/// <c>namespace="spdci", kidId="{sender_id}|{key_id}|ed25519", algorithm="ed25519", created="…", expires="…",
/// headers="(created) (expires) digest", signature="…"</c>. The signature is Ed25519 over the UTF-8 signing string
/// <c>(created): {created}\n(expires): {expires}\ndigest: {base64 SHA-256 of the header's JSON bytes then the message's}</c>,
/// where the JSON bytes are the envelope's "header" and "message" values exactly as they stand in the body sent.
/// </summary>
public sealed partial record DciSignature(string SenderId, string KeyId, long Created, long Expires, byte[] Value)
{
    public const string Namespace = "spdci";
    public const string Algorithm = "ed25519";
    public const string SignedHeaders = "(created) (expires) digest";

    /// <summary>How far a signer's clock may be from the register's.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    public static byte[] SigningString(long created, long expires, ReadOnlySpan<byte> header, ReadOnlySpan<byte> message)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(header);
        sha.AppendData(message);
        var digest = Convert.ToBase64String(sha.GetHashAndReset());
        return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"(created): {created}\n(expires): {expires}\ndigest: {digest}"));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"namespace=\"{Namespace}\", kidId=\"{SenderId}|{KeyId}|{Algorithm}\", algorithm=\"{Algorithm}\", created=\"{Created}\", expires=\"{Expires}\", headers=\"{SignedHeaders}\", signature=\"{Convert.ToBase64String(Value)}\"");

    /// <summary>The signature's parts, or null when the text is not such a string (an optional "Signature:" prefix is allowed).</summary>
    public static DciSignature? TryParse(string text)
    {
        var body = text.Trim();
        if (body.StartsWith("Signature:", StringComparison.OrdinalIgnoreCase)) body = body["Signature:".Length..];
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Parameter().Matches(body))
            if (!fields.TryAdd(m.Groups[1].Value, m.Groups[2].Value)) return null;
        if (!fields.TryGetValue("kidId", out var kid) || kid.Split('|') is not [var sender, var keyId, var kidAlgorithm]
            || !string.Equals(kidAlgorithm, Algorithm, StringComparison.OrdinalIgnoreCase)
            || !fields.TryGetValue("algorithm", out var algorithm) || !string.Equals(algorithm, Algorithm, StringComparison.OrdinalIgnoreCase)
            || !fields.TryGetValue("headers", out var headers) || headers != SignedHeaders
            || !fields.TryGetValue("created", out var createdText) || !long.TryParse(createdText, NumberStyles.None, CultureInfo.InvariantCulture, out var created)
            || !fields.TryGetValue("expires", out var expiresText) || !long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || !fields.TryGetValue("signature", out var signatureText))
            return null;
        var value = new byte[64];
        if (!Convert.TryFromBase64String(signatureText, value, out var length) || length != 64) return null;
        return new DciSignature(sender, keyId, created, expires, value);
    }

    [GeneratedRegex("""([A-Za-z]+)="([^"]*)"\s*(?:,|$)""")]
    private static partial Regex Parameter();
}

/// <summary>
/// The register's own DCI signing key: an Ed25519 key whose 32-byte seed is HMAC-SHA256 of the fixed label
/// "registry dci envelope signing key v1" under the current master key (Registry:MasterKey). Every node derives
/// the same key, nothing new is stored, and rotating the master key rotates this key with it.
/// </summary>
public sealed class RegisterSigningKey : IDisposable
{
    private static readonly byte[] Label = "registry dci envelope signing key v1"u8.ToArray();
    private readonly Key _key;

    public RegisterSigningKey(MasterKeys keys, string registryId)
    {
        var seed = HMACSHA256.HashData(keys.Current, Label);
        try
        {
            _key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
        PublicKey = _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        // Names the key without revealing anything: a short hash of the public key.
        KeyId = Convert.ToHexStringLower(SHA256.HashData(PublicKey))[..16];
        RegistryId = registryId;
    }

    public byte[] PublicKey { get; }
    public string KeyId { get; }
    public string RegistryId { get; }

    public DciSignature Sign(ReadOnlySpan<byte> header, ReadOnlySpan<byte> message, DateTimeOffset now)
    {
        var created = now.ToUnixTimeSeconds();
        var expires = created + 300;
        return new DciSignature(RegistryId, KeyId, created, expires, SignatureAlgorithm.Ed25519.Sign(_key, DciSignature.SigningString(created, expires, header, message)));
    }

    public void Dispose() => _key.Dispose();

    /// <summary>Ed25519 over any bytes with this key: what signs a decision receipt's canonical JSON (Receipts/DecisionReceipt.cs).</summary>
    public byte[] SignBytes(ReadOnlySpan<byte> data) => SignatureAlgorithm.Ed25519.Sign(_key, data);
}

/// <summary>
/// The senders whose messages must be signed, from Dci:SenderKeys:&lt;sender_id&gt; = base64 of a raw 32-byte
/// Ed25519 public key. A sender without a key here may only send unsigned messages.
/// </summary>
public sealed class DciSenderKeys
{
    public const string Section = "Dci:SenderKeys";

    private readonly Dictionary<string, PublicKey> _keys;

    private DciSenderKeys(Dictionary<string, PublicKey> keys) => _keys = keys;

    public static DciSenderKeys From(IConfiguration configuration)
    {
        var keys = new Dictionary<string, PublicKey>(StringComparer.Ordinal);
        foreach (var sender in configuration.GetSection(Section).GetChildren())
        {
            var raw = new byte[33];
            if (sender.Value is not { Length: > 0 } text || !Convert.TryFromBase64String(text, raw, out var length) || length != 32
                || !PublicKey.TryImport(SignatureAlgorithm.Ed25519, raw.AsSpan(0, 32), KeyBlobFormat.RawPublicKey, out var key) || key is null)
                throw new ConfigurationMissingException($"{Section}:{sender.Key} must be base64 of a raw 32-byte Ed25519 public key.");
            keys[sender.Key] = key;
        }
        return new DciSenderKeys(keys);
    }

    /// <summary>
    /// Why the message's signature does not hold, as a transport error code and a sentence; null when it may be read.
    /// A configured sender must sign; an unconfigured one must not, since nothing here could check what it signed.
    /// </summary>
    public (string Code, string Message)? Refusal(string? signature, string senderId, ReadOnlySpan<byte> header, ReadOnlySpan<byte> message, DateTimeOffset now)
    {
        var unsigned = string.IsNullOrWhiteSpace(signature);
        if (!_keys.TryGetValue(senderId, out var key))
            return unsigned ? null : (DciReasonCodes.SignatureInvalid, "This sender has no key configured with the register: send the message unsigned, or have the key configured.");
        if (unsigned) return (DciReasonCodes.SignatureMissing, "This sender's messages must be signed.");
        if (DciSignature.TryParse(signature!) is not { } parsed)
            return (DciReasonCodes.SignatureInvalid, "The signature is not a DCI signature string with algorithm ed25519 and headers \"(created) (expires) digest\".");
        if (parsed.SenderId != senderId) return (DciReasonCodes.SignatureInvalid, "The signature's kidId names another sender than the header.");
        var at = now.ToUnixTimeSeconds();
        var skew = (long)DciSignature.ClockSkew.TotalSeconds;
        if (parsed.Created > at + skew || parsed.Expires < at - skew || parsed.Expires < parsed.Created)
            return (DciReasonCodes.SignatureInvalid, "The signature is not valid at this time (created, expires).");
        return SignatureAlgorithm.Ed25519.Verify(key, DciSignature.SigningString(parsed.Created, parsed.Expires, header, message), parsed.Value)
            ? null
            : (DciReasonCodes.SignatureInvalid, "The signature does not verify over this header and message.");
    }
}
