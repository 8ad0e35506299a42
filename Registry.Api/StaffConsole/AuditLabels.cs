using System.Globalization;

namespace Registry.Api.StaffConsole;

/// <summary>The audit fields' values in plain words: what each kind of event means, instants, who read what.</summary>
public static class AuditLabels
{
    private static readonly Dictionary<string, string> Events = new(StringComparer.Ordinal)
    {
        ["citizen_registered"] = "Registered in the register",
        ["citizen_name_changed"] = "Name changed",
        ["citizen_address_changed"] = "Address changed",
        ["income_declared"] = "Income declared",
        ["disability_assessed"] = "Disability assessed",
        ["citizen_died"] = "Death recorded",
        ["orphanhood_recorded"] = "Orphanhood recorded",
        ["school_attendance_recorded"] = "School attendance recorded",
        ["school_fees_recorded"] = "School fees recorded",
        ["citizen_record_corrected"] = "A mistake in the record corrected",
        ["citizen_erased"] = "Personal data erased",
        ["household_formed"] = "Household formed",
        ["member_joined"] = "Joined the household",
        ["member_left"] = "Left the household",
        ["head_changed"] = "Head of the household changed",
        ["household_dissolved"] = "Household dissolved",
        ["household_address_erased"] = "Household's address erased",
        ["entitlement_applied"] = "Applied for",
        ["entitlement_assessed"] = "Eligibility assessed",
        ["entitlement_reassessed"] = "Eligibility assessed again",
        ["entitlement_granted"] = "Granted",
        ["entitlement_rejected"] = "Rejected",
        ["entitlement_suspended"] = "Suspended",
        ["entitlement_reinstated"] = "Reinstated",
        ["entitlement_lapsed"] = "Lapsed",
        ["entitlement_terminated"] = "Terminated",
        ["entitlement_amount_changed"] = "Monthly amount changed",
        ["programme_parameters_published"] = "Programme parameters published",
    };

    private static readonly Dictionary<string, string> Operations = new(StringComparer.Ordinal)
    {
        ["citizen"] = "The person's record",
        ["citizens"] = "A list of people",
        ["household"] = "A household",
        ["entitlement"] = "An entitlement",
        ["eligibility"] = "An eligibility answer",
        ["eligibilityBatch"] = "Eligibility answers in a batch",
        ["audit.history"] = "The history (auditor)",
        ["audit.citizenAsOf"] = "The record as of a date (auditor)",
        ["audit.entitlementsAsOf"] = "Entitlements as of a date (auditor)",
        ["audit.accessLog"] = "This access log (auditor)",
        ["audit.replayDecision"] = "A decision replayed (auditor)",
    };

    /// <summary>income_declared → "Income declared"; an event this list does not know reads as its own name.</summary>
    public static string Event(string? type) => type is not null && Events.TryGetValue(type, out var label) ? label : Labels.Of(type);

    /// <summary>The access log's operation (the field that read), in words; an unknown one as the register names it.</summary>
    public static string Operation(string? operation) => operation is not null && Operations.TryGetValue(operation, out var label) ? label : operation ?? "";

    /// <summary>2026-12-02T16:40:12.123Z → "2 December 2026, 16:40:12 UTC".</summary>
    public static string Instant(string? iso) =>
        DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime().ToString("d MMMM yyyy, HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)
            : "";
}
