using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Registry.Projections.Integrity;

/// <summary>
/// Tamper evidence: each event's hash covers its stream, version, type, data and metadata, and the
/// hash of the event before it in the stream. Editing, deleting or reordering a stored event breaks
/// the chain from that event on. The data is hashed in a canonical JSON form (keys sorted), so the
/// hash computed at append and the one recomputed from the stored jsonb agree.
/// </summary>
public static class EventChain
{
    public const string HashHeader = "hash";
    public const string Genesis = "genesis";

    private static readonly JsonSerializerOptions Canonical = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Hash(string previousHash, Guid streamId, long version, string type, string dataJson,
        string? effectiveDate, string? reason, string? actor, string? correlationId)
    {
        var text = string.Join('\u001f', previousHash, streamId.ToString("N"), version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            type, CanonicalJson(dataJson), effectiveDate ?? "", reason ?? "", actor ?? "", correlationId ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public static string CanonicalJson(string json) => Sort(JsonNode.Parse(json))?.ToJsonString(Canonical) ?? "null";

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value?.DeepClone())))),
        JsonArray a => new JsonArray([.. a.Select(x => Sort(x?.DeepClone()))]),
        _ => node?.DeepClone(),
    };
}
