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
    private readonly SealedReference<AuditSubject> _subjects = new(protection, "Registry.Console.AuditSubject", lifetime);
    private readonly SealedReference<List<string>> _trails = new(protection, "Registry.Console.AuditTrail", lifetime);

    public string Seal(AuditSubject subject) => _subjects.Seal(subject);

    /// <summary>Null for a reference that was altered, made elsewhere or has expired.</summary>
    public AuditSubject? Open(string? reference) => _subjects.Open(reference);

    /// <summary>The API's cursors, as it gave them, of every page read before this one (empty: the first page).</summary>
    public string SealTrail(IReadOnlyList<string> cursors) => _trails.Seal([.. cursors]);

    public IReadOnlyList<string>? OpenTrail(string? reference) => _trails.Open(reference);
}
