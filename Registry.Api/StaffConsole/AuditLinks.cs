using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Registry.Api.StaffConsole;

/// <summary>
/// What an auditor looks into: one of the history selectors the register's audit fields take (an ID number,
/// a household's, an entitlement's or a request's id) and the purpose given. Sealed like a person's link, so
/// no ID number, and no id that leads to one, appears in an address.
/// </summary>
public sealed record AuditSubject(string Selector, string Value, string Purpose)
{
    public const string IdNumber = "idNumber";
    public const string HouseholdId = "householdId";
    public const string EntitlementId = "entitlementId";
    public const string CorrelationId = "correlationId";

    public bool IsPerson => Selector == IdNumber;

    /// <summary>verifyIntegrity checks streams; a request (correlation id) is no stream.</summary>
    public bool IsStream => Selector != CorrelationId;

    /// <summary>The GraphQL type of the selector's argument, for a document's variable declaration.</summary>
    public string ArgumentType => Selector is IdNumber or CorrelationId ? "String!" : "ID!";

    public string Describe() => Selector switch
    {
        IdNumber => "A person",
        HouseholdId => "A household",
        EntitlementId => "An entitlement",
        _ => "One request to the register",
    };
}

/// <summary>Seals the auditor's subjects and the trail of cursors a paged list was read through (for its "previous" link).</summary>
public sealed class AuditLinks(IDataProtectionProvider protection, TimeSpan lifetime)
{
    private readonly ITimeLimitedDataProtector _subjects = protection.CreateProtector("Registry.Console.AuditSubject").ToTimeLimitedDataProtector();
    private readonly ITimeLimitedDataProtector _trails = protection.CreateProtector("Registry.Console.AuditTrail").ToTimeLimitedDataProtector();

    public string Seal(AuditSubject subject) => Seal(_subjects, subject);

    public AuditSubject? Open(string? reference) => Open<AuditSubject>(_subjects, reference);

    /// <summary>The API's cursors, as it gave them, of every page read before this one (empty: the first page).</summary>
    public string SealTrail(IReadOnlyList<string> cursors) => Seal(_trails, cursors);

    public IReadOnlyList<string>? OpenTrail(string? reference) => Open<List<string>>(_trails, reference);

    private string Seal<T>(ITimeLimitedDataProtector protector, T value) => protector.Protect(JsonSerializer.Serialize(value), lifetime);

    /// <summary>Null for a reference that was altered, made elsewhere or has expired.</summary>
    private static T? Open<T>(ITimeLimitedDataProtector protector, string? reference) where T : class
    {
        if (string.IsNullOrEmpty(reference)) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(protector.Unprotect(reference));
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }
}
