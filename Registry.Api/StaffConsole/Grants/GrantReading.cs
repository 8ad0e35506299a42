using System.Text.Json;

namespace Registry.Api.StaffConsole;

/// <summary>A person's entitlements as the grant pages read them: one query, the one for a programme picked out.</summary>
public static class GrantReading
{
    public const string Decision = "programme on eligible monthlyAmount outcome ruleVersion parameterVersion reasons { criterion passed observed threshold legalReference message }";

    public const string Document = $$"""
        query($id: String!) {
          citizen(idNumber: $id) {
            firstNames surname
            entitlements { id programme status suspendedBy monthlyAmount since version lastDecision { {{Decision}} } }
          }
        }
        """;

    /// <summary>The person's entitlement of <paramref name="programme"/>, or null when they never applied for it.</summary>
    public static JsonElement? Of(JsonElement citizen, string programme) =>
        citizen.GetProperty("entitlements").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(e => e!.Value.GetProperty("programme").GetString() == programme);

    public static string Name(JsonElement citizen) => $"{citizen.GetProperty("firstNames").GetString()} {citizen.GetProperty("surname").GetString()}";

    /// <summary>A criterion as the rules name it (incomeTest) in words (Income test).</summary>
    public static string Criterion(string? name) =>
        Labels.Of(string.Concat((name ?? "").Select((ch, i) => i > 0 && char.IsUpper(ch) ? "_" + ch : ch.ToString())));
}
