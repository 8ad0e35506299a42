namespace Registry.Domain.Common;

/// <summary>A rejected command: a stable code other services can branch on, the input field at fault, a sentence for people.</summary>
public sealed record DomainError(string Code, string Message, string? Field = null);

/// <summary>The stable error codes of the register. Renaming one breaks callers.</summary>
public static class ErrorCodes
{
    public const string InvalidIdNumber = "INVALID_ID_NUMBER";
    public const string DuplicateIdNumber = "DUPLICATE_ID_NUMBER";
    public const string StaleVersion = "STALE_VERSION";
    public const string NotFound = "NOT_FOUND";
    public const string AlreadyInHousehold = "ALREADY_IN_HOUSEHOLD";
    public const string NotInHousehold = "NOT_IN_HOUSEHOLD";
    public const string HeadCannotLeave = "HEAD_CANNOT_LEAVE";
    public const string AlreadyHead = "ALREADY_HEAD";
    public const string HouseholdDissolved = "HOUSEHOLD_DISSOLVED";
    public const string CitizenDeceased = "CITIZEN_DECEASED";
    public const string InvalidInput = "INVALID_INPUT";
    public const string InvalidDate = "INVALID_DATE";
    public const string ReasonRequired = "REASON_REQUIRED";
    public const string NoChange = "NO_CHANGE";
    public const string Forbidden = "FORBIDDEN";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string LegalBasisRequired = "LEGAL_BASIS_REQUIRED";
    public const string CitizenErased = "CITIZEN_ERASED";
}

/// <summary>What a pure decision returns: the events to append, or why nothing may be appended.</summary>
public sealed class Decision
{
    private Decision(IReadOnlyList<object> events, DomainError? error) { Events = events; Error = error; }

    public IReadOnlyList<object> Events { get; }
    public DomainError? Error { get; }
    public bool IsAccepted => Error is null;

    public static Decision Accept(params object[] events) => new(events, null);
    public static Decision Reject(string code, string message, string? field = null) => new([], new DomainError(code, message, field));
    public static Decision Reject(DomainError error) => new([], error);
}
