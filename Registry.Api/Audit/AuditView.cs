using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;
using JasperFx.Events;
using Marten;
using Registry.Api.Auth;
using Registry.Api.Citizens;
using Registry.Api.GraphQL;
using Registry.Api.Hosting;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Projections;

namespace Registry.Api.Audit;

public sealed record AuditRoot;

/// <summary>An event with its facts as JSON and the citizens they name (the stream's own, a member joining, an entitlement's inputs).</summary>
public sealed partial record RecordedEventView(IEvent Event, string Data, string? Reason, IReadOnlyList<Guid> People)
{
    /// <summary>A page of events with the citizens each one names: every id in an event's facts that is a citizen's, found in one query.</summary>
    public static async Task<List<RecordedEventView>> OfAsync(IQuerySession session, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        // Plain JSON: what the auditor reads, and where the ids of the people it names are found.
        var sealing = Registry.Projections.Privacy.EventSealing.Of(session.DocumentStore);
        var json = events.Select(e => sealing.PlainJson(e.Data)).ToList();
        var named = events.Select((e, i) => Uuid().Matches(json[i]).Select(m => Guid.Parse(m.Value)).Append(e.StreamId).Distinct().ToList()).ToList();
        var candidates = named.SelectMany(n => n).Distinct().ToArray();
        var citizens = candidates.Length == 0 ? [] : (await session.Query<Citizen>().Where(c => c.Id.IsOneOf(candidates)).Select(c => c.Id).ToListAsync(ct)).ToHashSet();
        return [.. events.Select((e, i) => new RecordedEventView(e, json[i], sealing.OpenText(e.GetHeader(EventHeaders.Reason)?.ToString()), [.. named[i].Where(citizens.Contains)]))];
    }

    [System.Text.RegularExpressions.GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial System.Text.RegularExpressions.Regex Uuid();
}

/// <summary>An event as an auditor sees it: what happened, to which stream, who did it, why, when known and when true.</summary>
public sealed class RecordedEventType : ObjectGraphType<RecordedEventView>
{
    public RecordedEventType()
    {
        Name = "RecordedEvent";
        Field<NonNullGraphType<LongGraphType>>("sequence").Resolve(ctx => ctx.Source.Event.Sequence);
        Field<NonNullGraphType<IdGraphType>>("streamId").Resolve(ctx => ctx.Source.Event.StreamId);
        Field<NonNullGraphType<IntGraphType>>("version").Resolve(ctx => (int)ctx.Source.Event.Version);
        Field<NonNullGraphType<StringGraphType>>("type").Resolve(ctx => ctx.Source.Event.EventTypeName);
        Field<NonNullGraphType<StringGraphType>>("data").Description("The event's facts as JSON (an erased person's values read \"[erased]\").").Resolve(ctx => ctx.Source.Data);
        Field<NonNullGraphType<StringGraphType>>("actor").Resolve(ctx => ctx.Source.Event.UserName ?? "unknown");
        Field<StringGraphType>("reason").Resolve(ctx => ctx.Source.Reason);
        Field<StringGraphType>("approvedBy").Description("For a change held for four eyes: the second person, who approved it (the actor asked for it).")
            .Resolve(ctx => ctx.Source.Event.GetHeader(EventHeaders.ApprovedBy)?.ToString());
        Field<NonNullGraphType<DateTimeScalar>>("recordedAt").Resolve(ctx => ctx.Source.Event.Timestamp);
        Field<DateScalar>("effectiveDate").Resolve(ctx => EventHeaders.EffectiveDateOf(ctx.Source.Event));
        Field<StringGraphType>("correlationId").Resolve(ctx => ctx.Source.Event.CorrelationId);
        Field<StringGraphType>("causationId").Resolve(ctx => ctx.Source.Event.CausationId);
        Field<NonNullGraphType<StringGraphType>>("hash")
            .Description("SHA-256 over this event and the previous event's hash in its stream (empty if the event was never sealed).")
            .Resolve(ctx => ctx.Source.Event.GetHeader(Registry.Projections.Integrity.EventChain.HashHeader)?.ToString() ?? "");
        this.ShowsPeople(e => e.People);
    }
}

public sealed class RecordedEventEdgeType() : EdgeType<RecordedEventType, RecordedEventView>("Event");

public sealed class EventConnectionType() : ConnectionType<RecordedEventType, RecordedEventEdgeType, RecordedEventView>("Event");

public sealed class AccessRecordType : ObjectGraphType<AccessRecord>
{
    public AccessRecordType()
    {
        Name = "AccessRecord";
        Field<NonNullGraphType<DateTimeScalar>>("at").Resolve(ctx => ctx.Source.At);
        Field(x => x.Actor);
        Field(x => x.Role);
        Field(x => x.Department, nullable: true);
        Field(x => x.Purpose, nullable: true);
        Field(x => x.Operation);
        Field(x => x.CorrelationId, nullable: true).Description("The request that read: audit.history(correlationId) shows what else it did.");
        this.ShowsPeople(r => [r.CitizenId]);
    }
}

public sealed class AccessEdgeType() : EdgeType<AccessRecordType, AccessRecord>("Access");

public sealed class AccessConnectionType() : ConnectionType<AccessRecordType, AccessEdgeType, AccessRecord>("Access");

/// <summary>The auditor's read-only view. Every read of a citizen's data here is itself logged.</summary>
public sealed class AuditViewType : ObjectGraphType<AuditRoot>
{
    public AuditViewType()
    {
        Name = "AuditView";
        this.IsNamespace();

        Field<NonNullGraphType<EventConnectionType>>("history")
            .Description("Every event of one stream, in order: a citizen's (by ID number), a household's, an entitlement's or an appeal's; or everything one request caused (correlationId).")
            .Argument<StringGraphType>("idNumber").Argument<IdGraphType>("householdId").Argument<IdGraphType>("entitlementId").Argument<IdGraphType>("appealId")
            .Argument<StringGraphType>("correlationId")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50).Argument<StringGraphType>("after")
            .AboutAPerson()
            .Resolve().WithService<AuditQueries>()
            .ResolveAsync(async (ctx, audit) => await audit.HistoryAsync(StreamSelector.From(ctx, allowNone: false),
                Paging.PageSize(ctx.GetArgument<int?>("first"), 50), Paging.AfterSequence(ctx.GetArgument<string?>("after")), ctx.CancellationToken));

        Field<CitizenType>("citizenAsOf")
            .Description("The citizen as true on validAt (default today), by what the register had recorded by knownAt (default now). Null, with an error saying why, when the register did not know the citizen by then.")
            .Argument<NonNullGraphType<StringGraphType>>("idNumber").Argument<DateScalar>("validAt").Argument<DateTimeScalar>("knownAt")
            .Resolve().WithService<AuditQueries>()
            .ResolveAsync(async (ctx, audit) =>
            {
                var asOf = await audit.CitizenAsOfAsync(AsOf(ctx), ctx.CancellationToken);
                if (asOf.Refusal is { } refusal) ctx.Errors.Add(refusal);
                // The household as it was answers the citizen's household field, even when it is none.
                if (asOf.Citizen is { } citizen)
                    foreach (var memberId in asOf.Household?.Household.Members.Select(m => m.CitizenId).Append(citizen.Id) ?? [citizen.Id])
                        ctx.Registry().HouseholdsAsOf[memberId] = asOf.Household;
                return asOf.Citizen;
            });

        ReplayingDecisions.AddTo(this);

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<Entitlements.EntitlementType>>>>("entitlementsAsOf")
            .Description("The person's entitlements, with status, amount and last decision, as true on validAt by what was recorded up to knownAt.")
            .Argument<NonNullGraphType<StringGraphType>>("idNumber").Argument<DateScalar>("validAt").Argument<DateTimeScalar>("knownAt")
            .AboutAPerson()
            .Resolve().WithService<AuditQueries>()
            .ResolveAsync(async (ctx, audit) =>
            {
                var asOf = await audit.EntitlementsAsOfAsync(AsOf(ctx), ctx.CancellationToken);
                if (asOf.Refusal is { } refusal) ctx.Errors.Add(refusal);
                // An empty list still answers about the person asked for.
                else ctx.Registry().Access.Note(ctx, [asOf.CitizenId]);
                return asOf.Entitlements;
            });

        Field<NonNullGraphType<IntegrityReportType>>("verifyIntegrity")
            .Description("Recomputes the hash chains of one stream (idNumber, householdId or entitlementId) or, with none given, of the whole register.")
            .Argument<StringGraphType>("idNumber").Argument<IdGraphType>("householdId").Argument<IdGraphType>("entitlementId")
            .Resolve().WithService<AuditQueries>()
            .ResolveAsync(async (ctx, audit) => await audit.VerifyIntegrityAsync(StreamSelector.From(ctx, allowNone: true), ctx.CancellationToken));

        CheckingTheRegister.AddToAudit(this);

        Field<NonNullGraphType<AccessConnectionType>>("accessLog")
            .Description("Who read this citizen's data, when, in which role and why: what the register can tell the citizen.")
            .Argument<NonNullGraphType<StringGraphType>>("idNumber")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50).Argument<StringGraphType>("after")
            .AboutAPerson()
            .Resolve().WithService<AuditQueries>()
            .ResolveAsync(async (ctx, audit) =>
            {
                var (citizenId, page) = await audit.AccessLogAsync(ctx.GetArgument<string>("idNumber"),
                    Paging.PageSize(ctx.GetArgument<int?>("first"), 50), Paging.After(ctx.GetArgument<string?>("after")), ctx.CancellationToken);
                // Who read P is about P, even when nobody has yet; each entry shown names P again (AccessRecordType).
                ctx.Registry().Access.Note(ctx, [citizenId]);
                return page;
            });
    }

    private static AsOfQuestion AsOf(IResolveFieldContext ctx) =>
        new(ctx.GetArgument<string>("idNumber"), ctx.GetArgument<DateOnly?>("validAt"), ctx.GetArgument<DateTimeOffset?>("knownAt"));
}

/// <summary>Which stream (or, for history, which request) an audit question is about: exactly one selector, or none for the whole register.</summary>
public sealed record StreamSelector(string? Name, string? Value)
{
    private static readonly string[] Selectors = ["idNumber", "householdId", "entitlementId", "appealId", "correlationId"];

    public static StreamSelector From(IResolveFieldContext ctx, bool allowNone)
    {
        // verifyIntegrity has no correlationId argument: only the selectors the field declares are asked about.
        var given = Selectors.Where(s => ctx.FieldDefinition.Arguments?.Find(s) is not null && ctx.HasArgument(s)).ToList();
        if (given.Count > 1 || (given.Count == 0 && !allowNone))
            throw new ExecutionError(allowNone ? "Give at most one of idNumber, householdId or entitlementId." : "Give exactly one of idNumber, householdId, entitlementId, appealId or correlationId.")
                { Code = ErrorCodes.InvalidArgument };
        return given.Count == 0 ? new StreamSelector(null, null) : new StreamSelector(given[0], ctx.GetArgument<string>(given[0]));
    }
}

/// <summary>An as-of question: which person, true on which date, by what the register knew at which instant (defaults: today, now).</summary>
public sealed record AsOfQuestion(string IdNumber, DateOnly? ValidAt, DateTimeOffset? KnownAt);

public static class AuditFields
{
    public static void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<AuditViewType>>("audit")
            .AuthorizeWithRoles(Roles.Auditor)
            .Resolve(_ => new AuditRoot());
}

public sealed record IntegrityView(Registry.Projections.Integrity.IntegrityReport Chains, Registry.Projections.Integrity.CheckpointReport? Checkpoints)
{
    public bool Intact => Chains.Intact && Checkpoints?.Intact != false;
}

public sealed class IntegrityReportType : ObjectGraphType<IntegrityView>
{
    public IntegrityReportType()
    {
        Name = "IntegrityReport";
        Field<NonNullGraphType<IntGraphType>>("streamsChecked").Resolve(ctx => ctx.Source.Chains.StreamsChecked);
        Field<NonNullGraphType<IntGraphType>>("eventsChecked").Resolve(ctx => (int)Math.Min(int.MaxValue, ctx.Source.Chains.EventsChecked));
        Field<NonNullGraphType<BooleanGraphType>>("intact").Resolve(ctx => ctx.Source.Intact);
        Field<LongGraphType>("firstBrokenSequence").Resolve(ctx => ctx.Source.Chains.FirstBrokenSequence);
        Field<IdGraphType>("firstBrokenStream").Resolve(ctx => ctx.Source.Chains.FirstBrokenStream);
        Field<IntGraphType>("checkpointsChecked").Description("Signed checkpoints over the global sequence (whole-register checks only).")
            .Resolve(ctx => ctx.Source.Checkpoints?.CheckpointsChecked);
        Field<LongGraphType>("firstBrokenCheckpoint").Description("The sequence the first checkpoint that no longer matches was sealed up to.")
            .Resolve(ctx => ctx.Source.Checkpoints?.FirstBrokenCheckpoint);
        Field<CheckpointFindingType>("checkpointFinding")
            .Description("What the signed checkpoints showed (whole-register checks only): NO_CHECKPOINT means events no checkpoint seals yet, or whose checkpoints were deleted.")
            .Resolve(ctx => ctx.Source.Checkpoints?.Finding);
    }
}

public sealed class CheckpointFindingType : EnumerationGraphType<Registry.Projections.Integrity.CheckpointFinding>
{
    public CheckpointFindingType() => Name = "CheckpointFinding";
}
