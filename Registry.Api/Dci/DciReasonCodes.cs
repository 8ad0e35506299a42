namespace Registry.Api.Dci;

/// <summary>
/// The DCI standard's own codes (registry core API v1.0.0), kept here rather than in ErrorCodes: DCI callers
/// code against these names, and the register's GraphQL vocabulary stays its own.
/// </summary>
public static class DciReasonCodes
{
    // Transport errors (the standard's Error / HttpErrorResponse): no envelope could be trusted or read.
    public const string RequestBad = "err.request.bad";
    public const string RequestUnauthorized = "err.request.unauthorized";
    public const string RequestForbidden = "err.request.forbidden";
    public const string SignatureMissing = "err.signature.missing";
    public const string SignatureInvalid = "err.signature.invalid";
    public const string EncryptionInvalid = "err.encryption.invalid";
    public const string ServiceUnavailable = "err.service.unavailable";
    public const string SenderIdInvalid = "err.sender_id.invalid";
    public const string SenderUriInvalid = "err.sender_uri.invalid";

    // Message header reason codes (MsgHeaderStatusReasonCode): the whole message is rejected.
    public const string VersionInvalid = "rjct.version.invalid";
    public const string MessageTsInvalid = "rjct.message_ts.invalid";
    public const string ActionNotSupported = "rjct.action.not_supported";
    public const string TotalCountInvalid = "rjct.total_count.invalid";
    public const string TotalCountLimitExceeded = "rjct.total_count.limit_exceeded";

    // Search reason codes (SearchStatusReasonCode): one search request of the batch is rejected.
    public const string ReferenceIdInvalid = "rjct.reference_id.invalid";
    public const string ReferenceIdDuplicate = "rjct.reference_id.duplicate";
    public const string TimestampInvalid = "rjct.timestamp.invalid";
    public const string SearchCriteriaInvalid = "rjct.search_criteria.invalid";
    public const string SortInvalid = "rjct.sort.invalid";
    public const string PaginationInvalid = "rjct.pagination.invalid";
    public const string TooManyRecordsFound = "rjct.search.too_many_records_found";

    // Subscribe reason codes (SubscribeStatusReasonCode): one subscribe request of the batch is rejected.
    public const string NotifyTypesInvalid = "rjct.notify_types.invalid";
    public const string NotifyDetailsInvalid = "rjct.notify_details.invalid";
    public const string EventAlreadySubscribed = "rjct.event.already_subscribed";

    // Unsubscribe reason codes (UnSubscribeStatusReasonCode): the whole unsubscribe request is rejected.
    public const string SubscriptionCodeInvalid = "rjct.subscription_code.invalid";
    public const string EventAlreadyUnsubscribed = "rjct.event.already_unsubscribed";

    // RequestStatus.
    public const string Success = "succ";
    public const string Rejected = "rjct";
}
