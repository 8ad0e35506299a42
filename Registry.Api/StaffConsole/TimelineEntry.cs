using System.Text.Json;

namespace Registry.Api.StaffConsole;

/// <summary>One event of a history timeline (_TimelineEntry), with the auditor's links where the page offers them.</summary>
public sealed record TimelineEntry(JsonElement Event, string? RequestLink = null, string? ReplayLink = null);
