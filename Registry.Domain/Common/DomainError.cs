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

    /// <summary>The fee-exemption formula needs the fees recorded for the learner's school year, and none are.</summary>
    public const string NoSchoolFeesRecorded = "NO_SCHOOL_FEES_RECORDED";
    /// <summary>A read that would show a person's data, asked without an X-Purpose header saying why.</summary>
    public const string PurposeRequired = "PURPOSE_REQUIRED";
    /// <summary>The access log could not record a read, so the read is not answered.</summary>
    public const string AccessLogUnavailable = "ACCESS_LOG_UNAVAILABLE";
    public const string IntrospectionDisabled = "INTROSPECTION_DISABLED";
    public const string TooManyEvaluations = "TOO_MANY_EVALUATIONS";
    public const string BatchTooLarge = "BATCH_TOO_LARGE";
    /// <summary>No parameters of the programme were in force on the date asked.</summary>
    public const string NoParametersInForce = "NO_PARAMETERS_IN_FORCE";
    /// <summary>A query argument is missing, out of range or combined with one it excludes.</summary>
    public const string InvalidArgument = "INVALID_ARGUMENT";
    /// <summary>The entitlement is not in a status that allows this change.</summary>
    public const string InvalidStatus = "INVALID_STATUS";
    /// <summary>A paging cursor that this register did not issue for this list.</summary>
    public const string InvalidCursor = "INVALID_CURSOR";
    /// <summary>An import row whose household relationship cannot be (a second head, a head missing).</summary>
    public const string ImpossibleRelationship = "IMPOSSIBLE_RELATIONSHIP";
    /// <summary>The request body is not application/json.</summary>
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    /// <summary>A municipality code the register does not know.</summary>
    public const string UnknownMunicipality = "UNKNOWN_MUNICIPALITY";
    /// <summary>The request body is larger than GraphQL:MaxRequestBytes.</summary>
    public const string RequestTooLarge = "REQUEST_TOO_LARGE";
    /// <summary>A parameter set that would take effect on a date another set already covers.</summary>
    public const string ParametersOverlap = "PARAMETERS_OVERLAP";
    /// <summary>A page larger than the list allows.</summary>
    public const string PageSizeTooLarge = "PAGE_SIZE_TOO_LARGE";
    /// <summary>The register had not recorded the subject by the knownAt asked.</summary>
    public const string NotYetRecorded = "NOT_YET_RECORDED";
    /// <summary>An import line that is not valid CSV or has the wrong number of columns.</summary>
    public const string MalformedRow = "MALFORMED_ROW";
    /// <summary>A knownAt later than now.</summary>
    public const string KnownAtInFuture = "KNOWN_AT_IN_FUTURE";
    /// <summary>The body is not a JSON object with a query string, or it holds the NUL character (U+0000), which PostgreSQL cannot store.</summary>
    public const string InvalidRequest = "INVALID_REQUEST";
    /// <summary>The register could not complete the request; the fault is logged by type, without data.</summary>
    public const string InternalError = "INTERNAL_ERROR";
    /// <summary>An idempotency key sent again with other facts.</summary>
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
    /// <summary>An import row whose ID number an earlier row of the same file holds.</summary>
    public const string DuplicateInFile = "DUPLICATE_IN_FILE";
    /// <summary>The beneficiary already holds this entitlement.</summary>
    public const string AlreadyEntitled = "ALREADY_ENTITLED";
    /// <summary>An erasure needs the legal basis it rests on.</summary>
    public const string LegalBasisRequired = "LEGAL_BASIS_REQUIRED";
    /// <summary>An import row for a person the register has erased: they are not registered again from an old export.</summary>
    public const string CitizenErased = "CITIZEN_ERASED";
    /// <summary>As many policy simulations are queued or running as the register allows at once: wait for one to finish.</summary>
    public const string TooManyRuns = "TOO_MANY_RUNS";
    /// <summary>A decision receipt that is not one, or whose signature does not verify with the register's key.</summary>
    public const string InvalidReceipt = "INVALID_RECEIPT";
    /// <summary>A change that needs a second person, decided by the person who asked for it.</summary>
    public const string FourEyes = "FOUR_EYES";
    /// <summary>A change request that was already approved, rejected, withdrawn or superseded.</summary>
    public const string ChangeNotPending = "CHANGE_NOT_PENDING";
    /// <summary>A record merged into another (or one a merge would chain): it stands for the survivor, and only an unmerge changes it.</summary>
    public const string AlreadyMerged = "ALREADY_MERGED";
    /// <summary>The merge was already undone.</summary>
    public const string AlreadyUnmerged = "ALREADY_UNMERGED";
    /// <summary>An appeal lodged after the window that runs from the decision's date (90 days, the last included).</summary>
    public const string AppealOutOfTime = "APPEAL_OUT_OF_TIME";
    /// <summary>An appeal against this decision is open already.</summary>
    public const string AppealAlreadyOpen = "APPEAL_ALREADY_OPEN";
    /// <summary>The appeal against this decision was decided: the register takes one appeal per decision.</summary>
    public const string AppealAlreadyDecided = "APPEAL_ALREADY_DECIDED";
    /// <summary>A later decision replaced the one appealed against on its entitlement.</summary>
    public const string DecisionSuperseded = "DECISION_SUPERSEDED";
    /// <summary>An overturn whose re-evaluation the rules still refuse: the register never grants against its rules.</summary>
    public const string AppealRulesStillRefuse = "APPEAL_RULES_STILL_REFUSE";
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
