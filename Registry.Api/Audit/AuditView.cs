using GraphQL;
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
            .Description("Every event of one stream, in order: a citizen's (by ID number), a household's or an entitlement's; or everything one request caused (correlationId).")
            .Argument<StringGraphType>("idNumber").Argument<IdGraphType>("householdId").Argument<IdGraphType>("entitlementId").Argument<StringGraphType>("correlationId")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50).Argument<StringGraphType>("after")
            .AboutAPerson()
            .ResolveAsync(async ctx =>
            {
                var size = Paging.PageSize(ctx.GetArgument<int?>("first"), 50);
                var after = Paging.AfterSequence(ctx.GetArgument<string?>("after"));
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                var selectors = new[] { "idNumber", "householdId", "entitlementId", "correlationId" }.Where(ctx.HasArgument).ToList();
                if (selectors.Count != 1)
                    throw new ExecutionError("Give exactly one of idNumber, householdId, entitlementId or correlationId.") { Code = ErrorCodes.InvalidArgument };

                IQueryable<IEvent> events = session.Events.QueryAllRawEvents();
                if (ctx.GetArgument<string?>("correlationId") is { } correlation)
                    events = events.Where(e => e.CorrelationId == correlation);
                else
                {
                    var streamId = await StreamOf(ctx, session, selectors[0]);
                    events = events.Where(e => e.StreamId == streamId);
                }
                var total = await events.CountAsync(ctx.CancellationToken);
                var page = after is { } seq ? events.Where(e => e.Sequence > seq) : events;
                var rows = await page.OrderBy(e => e.Sequence).Take(size + 1).ToListAsync(ctx.CancellationToken);
                return Paging.PageBy(await RecordedEventView.OfAsync(session, rows, ctx.CancellationToken), size, total, e => Paging.Cursor(e.Event.Sequence));
            });

        Field<CitizenType>("citizenAsOf")
            .Description("The citizen as true on validAt (default today), by what the register had recorded by knownAt (default now). Null, with an error saying why, when the register did not know the citizen by then.")
            .Argument<NonNullGraphType<StringGraphType>>("idNumber").Argument<DateScalar>("validAt").Argument<DateTimeScalar>("knownAt")
            .ResolveAsync(async ctx =>
            {
                var (session, citizen, validAt, knownAt) = await AsOfAsync(ctx);
                if (knownAt is null) return null;
                var known = (await StateAsOf.EventsAsync(session, [citizen.Id], knownAt, ctx.CancellationToken))[citizen.Id].ToList();
                if (known.Count == 0)
                {
                    ctx.Errors.Add(new ExecutionError("The register had not recorded this citizen by knownAt.") { Code = ErrorCodes.NotYetRecorded });
                    return null;
                }
                var household = await HouseholdAsOfAsync(session, citizen.Id, validAt, knownAt.Value, ctx.CancellationToken);
                foreach (var memberId in household?.Household.Members.Select(m => m.CitizenId).Append(citizen.Id) ?? [citizen.Id])
                    ctx.Registry().HouseholdsAsOf[memberId] = household;
                return StateAsOf.Citizen(known, validAt);
            });

        ReplayingDecisions.AddTo(this);

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<Entitlements.EntitlementType>>>>("entitlementsAsOf")
            .Description("The person's entitlements, with status, amount and last decision, as true on validAt by what was recorded up to knownAt.")
            .Argument<NonNullGraphType<StringGraphType>>("idNumber").Argument<DateScalar>("validAt").Argument<DateTimeScalar>("knownAt")
            .AboutAPerson()
            .ResolveAsync(async ctx =>
            {
                var (session, citizen, validAt, knownAt) = await AsOfAsync(ctx);
                if (knownAt is null) return new List<Registry.Domain.Entitlements.Entitlement>();
                var streams = await session.Query<Registry.Domain.Entitlements.Entitlement>().Where(e => e.BeneficiaryId == citizen.Id).Select(e => e.Id).ToListAsync(ctx.CancellationToken);
                var events = await StateAsOf.EventsAsync(session, streams, knownAt, ctx.CancellationToken);
                // An empty list still answers about the person asked for.
                ctx.Registry().Access.Note(ctx, [citizen.Id]);
                return streams.Select(id => StateAsOf.Entitlement(events[id], validAt)).OfType<Registry.Domain.Entitlements.Entitlement>().ToList();
            });

        Field<NonNullGraphType<IntegrityReportType>>("verifyIntegrity")
            .Description("Recomputes the hash chains of one stream (idNumber, householdId or entitlementId) or, with none given, of the whole register.")
            .Argument<StringGraphType>("idNumber").Argument<IdGraphType>("householdId").Argument<IdGraphType>("entitlementId")
            .ResolveAsync(async ctx =>
            {
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                var selectors = new[] { "idNumber", "householdId", "entitlementId" }.Where(ctx.HasArgument).ToList();
                if (selectors.Count > 1)
                    throw new ExecutionError("Give at most one of idNumber, householdId or entitlementId.") { Code = ErrorCodes.InvalidArgument };
                Guid[]? streams = selectors.Count == 0 ? null : [await StreamOf(ctx, session, selectors[0])];
                var chains = await Registry.Projections.Integrity.EventChainVerifier.VerifyAsync(session, streams, ctx.CancellationToken);
                // The whole register is also checked against the signed checkpoints over the global sequence.
                var checkpoints = streams is null
                    ? await Registry.Projections.Integrity.IntegrityCheckpoints.VerifyAsync(session, ctx.RequestServices!.GetRequiredService<CheckpointKey>().Bytes, ctx.CancellationToken)
                    : null;
                return new IntegrityView(chains, checkpoints);
            });

        Field<NonNullGraphType<AccessConnectionType>>("accessLog")
            .Description("Who read this citizen's data, when, in which role and why: what the register can tell the citizen.")
            .Argument<NonNullGraphType<StringGraphType>>("idNumber")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50).Argument<StringGraphType>("after")
            .AboutAPerson()
            .ResolveAsync(async ctx =>
            {
                var size = Paging.PageSize(ctx.GetArgument<int?>("first"), 50);
                var after = Paging.After(ctx.GetArgument<string?>("after"));
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                var citizen = await CitizenOrNotFoundAsync(ctx, session);
                // Who read P is about P, even when nobody has yet; each entry shown names P again (AccessRecordType).
                ctx.Registry().Access.Note(ctx, [citizen.Id]);
                var (rows, total) = await Paging.KeysetAsync(session.Query<AccessRecord>().Where(r => r.CitizenId == citizen.Id), size, after, r => r.Id, ctx.CancellationToken);
                return Paging.Page(rows, size, total, r => r.Id);
            });
    }

    /// <summary>The household the citizen belonged to on validAt, with its members as they were, by what was known at knownAt.</summary>
    private static async Task<Households.HouseholdView?> HouseholdAsOfAsync(IQuerySession session, Guid citizenId, DateOnly validAt, DateTimeOffset knownAt, CancellationToken ct)
    {
        var households = await StateAsOf.EventsAsync(session, await StateAsOf.HouseholdsEverJoinedAsync(session, [citizenId], ct), knownAt, ct);
        foreach (var events in households)
        {
            if (StateAsOf.Household(events, validAt) is not { Dissolved: false } household || !household.HasMember(citizenId)) continue;
            var memberEvents = await StateAsOf.EventsAsync(session, household.Members.Select(m => m.CitizenId), knownAt, ct);
            var members = household.Members.Select(m => StateAsOf.Citizen(memberEvents[m.CitizenId], validAt)).OfType<Citizen>().ToDictionary(c => c.Id);
            return new Households.HouseholdView(household with { Members = [.. household.Members.Where(m => members.ContainsKey(m.CitizenId))] }, members);
        }
        return null;
    }

    private static async Task<Citizen> CitizenOrNotFoundAsync(IResolveFieldContext ctx, IQuerySession session) =>
        await CitizenLookup.FindAsync(session, ctx.GetArgument<string>("idNumber"), ctx.CancellationToken)
        ?? throw new ExecutionError(CitizenLookup.NotFound().Message) { Code = ErrorCodes.NotFound };

    /// <summary>
    /// The common arguments of the as-of questions. A knownAt in the future is answered with
    /// KNOWN_AT_IN_FUTURE and no data (knownAt null), never with a guess.
    /// </summary>
    private static async Task<(IQuerySession Session, Citizen Citizen, DateOnly ValidAt, DateTimeOffset? KnownAt)> AsOfAsync(IResolveFieldContext ctx)
    {
        var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
        var clock = ctx.RequestServices!.GetRequiredService<TimeProvider>();
        var citizen = await CitizenOrNotFoundAsync(ctx, session);
        var validAt = ctx.GetArgument<DateOnly?>("validAt") ?? clock.Today();
        var knownAt = ctx.GetArgument<DateTimeOffset?>("knownAt") ?? clock.GetUtcNow();
        if (knownAt <= clock.GetUtcNow()) return (session, citizen, validAt, knownAt);
        ctx.Errors.Add(new ExecutionError("knownAt lies in the future: the register cannot say what it will have recorded.") { Code = ErrorCodes.KnownAtInFuture });
        return (session, citizen, validAt, null);
    }

    private static async Task<Guid> StreamOf(IResolveFieldContext ctx, IQuerySession session, string selector)
    {
        if (selector == "idNumber") return (await CitizenOrNotFoundAsync(ctx, session)).Id;
        return Guid.TryParse(ctx.GetArgument<string>(selector), out var id) && await session.Events.FetchStreamStateAsync(id, ctx.CancellationToken) is not null
            ? id
            : throw new ExecutionError($"No stream with this {selector} exists.") { Code = ErrorCodes.NotFound };
    }
}

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
    }
}
