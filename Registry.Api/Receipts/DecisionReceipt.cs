using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQL;
using NSec.Cryptography;
using Registry.Domain.Eligibility;

namespace Registry.Api.Receipts;

/// <summary>What a receipt is signed about: a decision recorded on an entitlement, when, and under which law.</summary>
/// <param name="AppealId">The appeal whose overturn took this decision; a receipt names it last (the key is absent otherwise).</param>
public sealed record RecordedDecisionFacts(Guid DecisionId, Guid EntitlementId, EligibilityDecision Decision, string? ParameterLegalReference, DateTimeOffset RecordedAt,
    Guid? AppealId = null);

/// <summary>Whether a receipt holds: the key it names, the decision it names, and why not when it does not (never its contents).</summary>
public sealed record ReceiptCheck(bool Valid, string? KeyId, Guid? DecisionId, string Problem);

/// <summary>
/// A decision receipt: <c>{"receipt":{…},"signature":{"alg":"Ed25519","keyId":"…","value":"base64"}}</c>, where the
/// signature is Ed25519 over the canonical UTF-8 bytes of the "receipt" object (see <see cref="CanonicalJson"/>) under
/// the register's signing key, whose public half GET /.well-known/registry-keys publishes. Every value is a string,
/// a boolean, null or the integer version: amounts and dates are strings in invariant formats, so no reader's number
/// handling can change what was signed. See docs/receipts.md.
/// </summary>
public static class DecisionReceipt
{
    public const int Version = 1;
    public const string Algorithm = "Ed25519";

    /// <summary>The receipt object in its fixed key order: only what the decision itself holds, none of the recorded facts behind it.</summary>
    public static JsonObject Body(RecordedDecisionFacts recorded)
    {
        var d = recorded.Decision;
        var criteria = new JsonArray();
        foreach (var reason in d.Reasons)
            criteria.Add(new JsonObject
            {
                ["criterion"] = reason.Criterion,
                ["passed"] = reason.Passed,
                ["observed"] = reason.Observed,
                ["threshold"] = reason.Threshold,
            });
        var body = new JsonObject
        {
            ["version"] = Version,
            ["decisionId"] = recorded.DecisionId.ToString("D"),
            ["entitlementId"] = recorded.EntitlementId.ToString("D"),
            ["idNumber"] = d.IdNumber,
            ["programme"] = d.Programme.ToString().ToConstantCase(),
            ["on"] = d.On.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["eligible"] = d.Eligible,
            ["monthlyAmount"] = d.MonthlyAmount is { } amount ? Amount(amount) : null,
            ["outcome"] = d.Outcome,
            ["ruleVersion"] = d.RuleVersion,
            ["parameterVersion"] = d.ParameterVersion,
            ["legalReference"] = recorded.ParameterLegalReference,
            ["criteria"] = criteria,
            ["recordedAt"] = recorded.RecordedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        };
        // Only a decision taken on appeal has the key, so every other receipt is byte for byte what it was.
        if (recorded.AppealId is { } appeal) body["appealId"] = appeal.ToString("D");
        return body;
    }

    /// <summary>Rands with at least two decimals, more only when the amount has them: fixed notation, never an exponent.</summary>
    public static string Amount(decimal amount) => amount.ToString("0.00############################", CultureInfo.InvariantCulture);

    /// <summary>The signed receipt as canonical JSON text.</summary>
    public static string Issue(RecordedDecisionFacts recorded, string keyId, Func<byte[], byte[]> sign)
    {
        var body = CanonicalJson.Of(Body(recorded));
        var document = new StringBuilder("{\"receipt\":").Append(Encoding.UTF8.GetString(body))
            .Append(",\"signature\":{\"alg\":\"").Append(Algorithm).Append("\",\"keyId\":");
        CanonicalJson.WriteString(document, keyId);
        return document.Append(",\"value\":\"").Append(Convert.ToBase64String(sign(body))).Append("\"}}").ToString();
    }

    /// <summary>The id of a public key as the register names it: the first 16 hex digits of its SHA-256.</summary>
    public static string KeyIdOf(ReadOnlySpan<byte> publicKey) => Convert.ToHexStringLower(SHA256.HashData(publicKey))[..16];

    /// <summary>Checks a receipt's signature against a raw 32-byte Ed25519 public key, without the register.</summary>
    public static ReceiptCheck Verify(string document, ReadOnlySpan<byte> publicKey)
    {
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(document);
        }
        catch (JsonException)
        {
            return new ReceiptCheck(false, null, null, "not JSON");
        }
        using (parsed)
        {
            var root = parsed.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("receipt", out var receipt) || receipt.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("signature", out var signature) || signature.ValueKind != JsonValueKind.Object
                || !signature.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String
                || !signature.TryGetProperty("keyId", out var keyIdElement) || keyIdElement.ValueKind != JsonValueKind.String
                || !signature.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.String)
                return new ReceiptCheck(false, null, null, "not a decision receipt (receipt and signature with alg, keyId and value)");
            var keyId = keyIdElement.GetString();
            Guid? decisionId = receipt.TryGetProperty("decisionId", out var id) && id.ValueKind == JsonValueKind.String && Guid.TryParse(id.GetString(), out var g) ? g : null;
            if (alg.GetString() != Algorithm) return new ReceiptCheck(false, keyId, decisionId, $"the algorithm is not {Algorithm}");
            if (keyId != KeyIdOf(publicKey)) return new ReceiptCheck(false, keyId, decisionId, "signed with another key than the one given");
            var bytes = new byte[64];
            if (!Convert.TryFromBase64String(value.GetString()!, bytes, out var length) || length != 64)
                return new ReceiptCheck(false, keyId, decisionId, "the signature is not 64 bytes of base64");
            if (!NSec.Cryptography.PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key) || key is null)
                return new ReceiptCheck(false, keyId, decisionId, "the public key is not a raw 32-byte Ed25519 key");
            return SignatureAlgorithm.Ed25519.Verify(key, CanonicalJson.Of(receipt), bytes)
                ? new ReceiptCheck(true, keyId, decisionId, "")
                : new ReceiptCheck(false, keyId, decisionId, "the signature does not verify over the receipt");
        }
    }
}

/// <summary>
/// The canonical form a receipt is signed in: keys in the order written, no whitespace, strings in UTF-8 with only
/// <c>"</c>, <c>\</c> and control characters escaped (\b \f \n \r \t, else \u00xx in lower case). That is exactly
/// what JavaScript's JSON.stringify and Python's json.dumps(…, separators=(",", ":"), ensure_ascii=False) write, so
/// a verifier re-serialises the parsed receipt and checks the signature over the result.
/// </summary>
public static class CanonicalJson
{
    public static byte[] Of(JsonNode node) => Of(JsonSerializer.SerializeToElement(node));

    public static byte[] Of(JsonElement element)
    {
        var text = new StringBuilder();
        Write(text, element);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Write(StringBuilder text, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var first = true;
                foreach (var property in element.EnumerateObject())
                {
                    if (!first) text.Append(',');
                    first = false;
                    WriteString(text, property.Name);
                    text.Append(':');
                    Write(text, property.Value);
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var firstItem = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!firstItem) text.Append(',');
                    firstItem = false;
                    Write(text, item);
                }
                text.Append(']');
                break;
            case JsonValueKind.String: WriteString(text, element.GetString()!); break;
            // Receipts hold one number, the integer version: written as integers are everywhere.
            case JsonValueKind.Number:
                text.Append(element.TryGetInt64(out var integer) ? integer.ToString(CultureInfo.InvariantCulture) : element.GetRawText());
                break;
            case JsonValueKind.True: text.Append("true"); break;
            case JsonValueKind.False: text.Append("false"); break;
            default: text.Append("null"); break;
        }
    }

    public static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ': text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: text.Append(c); break;
            }
        text.Append('"');
    }
}
