using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Registry.Domain.Citizens;

namespace Registry.Projections.Privacy;

/// <summary>
/// Whose data an event instance holds, for events that do not name the person themselves (a name change is
/// appended to the person's stream but carries no id). Registered before the save by reference identity.
/// </summary>
public static class Subjects
{
    private static readonly ConditionalWeakTable<object, object> Table = new();

    public static void Register(object data, Guid citizenId) => Table.AddOrUpdate(data, citizenId);

    public static Guid? Of(object data) => Table.TryGetValue(data, out var id) ? (Guid)id : null;
}

/// <summary>
/// Stores the personal properties of <typeparamref name="T"/> together in one envelope {"$personal": {"$sealed": base64,
/// "k": citizen id}} and the others as they are. Writing without a subject or a key throws: a personal value is never written
/// in plaintext. Reading a value whose key was erased gives a placeholder ("[erased]", zero, the minimum date).
/// </summary>
public sealed class SealingConverter<T>(CitizenKeyring keys, Func<T, Guid?> subjectOf, Func<string, bool> isPersonal) : JsonConverter<T>
    where T : class
{
    public const string SealedField = "$sealed";
    /// <summary>Where an object's personal values are kept, sealed together: {"$personal": {"$sealed": …, "k": …}}.</summary>
    public const string PersonalField = "$personal";
    public const string SubjectField = "k";

    // Marten serializes and deserializes with different options instances: one inner copy for each (a copy is costly to build).
    private readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> _inner = new();

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        var inner = Inner(options);
        var node = JsonSerializer.SerializeToNode(value, inner)!.AsObject();
        var subject = subjectOf(value)
                      ?? throw new InvalidOperationException($"{typeof(T).Name} has no registered data subject: it is not written unsealed.");
        var key = keys.Find(subject)
                  ?? throw new InvalidOperationException($"Citizen {subject} has no data key: {typeof(T).Name} is not written unsealed.");
        // All of the object's personal values in one envelope: one nonce and one AES-GCM pass per object, not per value.
        var personal = new JsonObject();
        foreach (var name in node.Select(p => p.Key).Where(isPersonal).ToList())
        {
            var plain = node[name];
            node.Remove(name);
            personal[name] = plain;
        }
        if (personal.Count > 0)
            node[PersonalField] = new JsonObject
            {
                [SealedField] = Seal.Encrypt(key, subject, Path("*"), personal.ToJsonString(inner)),
                [SubjectField] = subject.ToString(),
            };
        node.WriteTo(writer, inner);
    }

    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var inner = Inner(options);
        if (JsonNode.Parse(ref reader) is not JsonObject node) return null;
        Guid? subject = null;
        if (node[PersonalField] is JsonObject bundle && bundle[SealedField] is JsonValue bundled)
        {
            node.Remove(PersonalField);
            var citizen = Guid.Parse(bundle[SubjectField]!.GetValue<string>());
            subject = citizen;
            if (keys.Find(citizen) is { } key)
            {
                var opened = JsonNode.Parse(Seal.Decrypt(key, citizen, Path("*"), bundled.GetValue<string>()))!.AsObject();
                foreach (var name in opened.Select(p => p.Key).ToList())
                {
                    var value = opened[name];
                    opened.Remove(name);
                    node[name] = value;
                }
            }
            else
                foreach (var property in inner.GetTypeInfo(typeof(T)).Properties.Where(p => isPersonal(p.Name)))
                    node[property.Name] = Placeholders.For(property.PropertyType, inner);
        }
        // Events written before values were sealed together: one envelope per value.
        foreach (var (name, value) in node.ToList())
        {
            if (value is not JsonObject envelope || envelope[SealedField] is not JsonValue sealedValue) continue;
            var citizen = Guid.Parse(envelope[SubjectField]!.GetValue<string>());
            subject = citizen;
            node[name] = keys.Find(citizen) is { } key
                ? JsonNode.Parse(Seal.Decrypt(key, citizen, Path(name), sealedValue.GetValue<string>()))
                : Placeholders.For(inner.GetTypeInfo(typeof(T)).Properties.FirstOrDefault(p => p.Name == name)?.PropertyType, inner);
        }
        var result = node.Deserialize<T>(inner);
        // Written again (an auditor's export, a re-serialisation), it seals under the same person.
        if (result is not null && subject is { } s) Subjects.Register(result, s);
        return result;
    }

    private static string Path(string property) => $"{typeof(T).Name}.{property}";

    /// <summary>The same options without this converter, for the object's own (de)serialisation.</summary>
    private JsonSerializerOptions Inner(JsonSerializerOptions outer) =>
        _inner.GetValue(outer, o =>
        {
            var inner = new JsonSerializerOptions(o);
            inner.Converters.Remove(this);
            return inner;
        });
}

/// <summary>What an erased value reads as, by its type: a record of placeholders, never a null where one is not expected.</summary>
public static class Placeholders
{
    public static JsonNode? For(Type? type, JsonSerializerOptions options, int depth = 0)
    {
        if (type is null || Nullable.GetUnderlyingType(type) is not null) return null;
        if (type == typeof(string)) return JsonValue.Create(Erasure.Placeholder);
        if (type.IsValueType) return JsonSerializer.SerializeToNode(Activator.CreateInstance(type), type, options);
        var info = options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Enumerable: return new JsonArray();
            case JsonTypeInfoKind.Dictionary: return new JsonObject();
            case JsonTypeInfoKind.Object when depth < 4:
                var placeholder = new JsonObject();
                foreach (var property in info.Properties) placeholder[property.Name] = For(property.PropertyType, options, depth + 1);
                return placeholder;
            default: return null;
        }
    }
}
