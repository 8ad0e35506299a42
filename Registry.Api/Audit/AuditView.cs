using GraphQL;
using GraphQL.Types;
using JasperFx.Events;
using Marten;
using Registry.Api.Auth;
using Registry.Api.Citizens;
using Registry.Api.GraphQL;
using Registry.Api.Hosting;
using Registry.Domain.Citizens;
using Registry.Projections;

namespace Registry.Api.Audit;

public sealed record AuditRoot;

/// <summary>An event as an auditor sees it: what happened, to which stream, who did it, why, when known and when true.</summary>
public sealed class RecordedEventType : ObjectGraphType<IEvent>
{
    public RecordedEventType()
    {
        Name = "RecordedEvent";
        Field<NonNullGraphType<LongGraphType>>("sequence").Resolve(ctx => ctx.Source.Sequence);
        Field<NonNullGraphType<IdGraphType>>("streamId").Resolve(ctx => ctx.Source.StreamId);
        Field<NonNullGraphType<IntGraphType>>("version").Resolve(ctx => (int)ctx.Source.Version);
        Field<NonNullGraphType<StringGraphType>>("type").Resolve(ctx => ctx.Source.EventTypeName);
        Field<NonNullGraphType<StringGraphType>>("data").Description("The event's facts as JSON.")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<IDocumentStore>().Options.Serializer().ToJson(ctx.Source.Data));
        Field<NonNullGraphType<StringGraphType>>("actor").Resolve(ctx => ctx.Source.UserName ?? "unknown");
        Field<StringGraphType>("reason").Resolve(ctx => ctx.Source.GetHeader(EventHeaders.Reason)?.ToString());
        Field<NonNullGraphType<DateTimeScalar>>("recordedAt").Resolve(ctx => ctx.Source.Timestamp);
        Field<DateScalar>("effectiveDate").Resolve(ctx => EventHeaders.EffectiveDateOf(ctx.Source));
        Field<StringGraphType>("correlationId").Resolve(ctx => ctx.Source.CorrelationId);
        Field<StringGraphType>("causationId").Resolve(ctx => ctx.Source.CausationId);
        Field<NonNullGraphType<StringGraphType>>("hash")
            .Description("SHA-256 over this event and the previous event's hash in its stream (empty if the event was never sealed).")
            .Resolve(ctx => ctx.Source.GetHeader(Registry.Projections.Integrity.EventChain.HashHeader)?.ToString() ?? "");
    }
}

public sealed class RecordedEventEdgeType() : EdgeType<RecordedEventType, IEvent>("Event");

public sealed class EventConnectionType() : ConnectionType<RecordedEventType, RecordedEventEdgeType, IEvent>("Event");

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

        Field<NonNullGraphType<EventConnectionType>>("history")
            .Description("Every event of one stream, in order: a citizen's (by ID number), a household's or an entitlement's; or everything one request caused (correlationId).")
            .Argument<StringGraphType>("idNumber").Argument<IdGraphType>("householdId").Argument<IdGraphType>("entitlementId").Argument<StringGraphType>("correlationId")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50).Argument<StringGraphType>("after")
            .ResolveAsync(async ctx =>
            {
                var size = Paging.PageSize(ctx.GetArgument<int?>("first"), 50);
                var after = Paging.AfterSequence(ctx.GetArgument<string?>("after"));
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                var selectors = new[] { "idNumber", "householdId", "entitlementId", "correlationId" }.Where(ctx.HasArgument).ToList();
                if (selectors.Count != 1)
                    throw new ExecutionError("Give exactly one of idNumber, householdId, entitlementId or correlationId.") { Code = "INVALID_ARGUMENT" };

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
                var citizens = rows.Where(r => r.Data is CitizenRegistered or CitizenNameChanged or CitizenAddressChanged or IncomeDeclared
                    or DisabilityAssessed or CitizenDied or CitizenRecordCorrected).Select(r => r.StreamId);
                await ctx.RequestServices!.GetRequiredService<AccessLog>().RecordAsync(ctx, citizens, "audit.history");
                return Paging.PageBy(rows, size, total, e => Paging.Cursor(e.Sequence));
            });

        Field<CitizenType>("citizenAsOf")
            .Description("The citizen as true on validAt (default today), by what the register had recorded by knownAt (default now). Null, with an error saying why, when the register did not know the citizen by then.")
            .Argument<NonNullGraphType<StringGraphType>>("idNumber").Argument<DateScalar>("validAt").Argument<DateTimeScalar>("knownAt")
            .ResolveAsync(async ctx =>
            {
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                var clock = ctx.RequestServices!.GetRequiredService<TimeProvider>();
                var citizen = await CitizenLookup.FindAsync(session, ctx.GetArgument<string>("idNumber"), ctx.CancellationToken)
                              ?? throw new ExecutionError("No citizen with this ID number is registered.") { Code = "NOT_FOUND" };
                var knownAt = ctx.GetArgument<DateTimeOffset?>("knownAt") ?? clock.GetUtcNow();
                if (knownAt > clock.GetUtcNow())
                {
                    ctx.Errors.Add(new ExecutionError("knownAt lies in the future: the register cannot say what it will have recorded.") { Code = "KNOWN_AT_IN_FUTURE" });
                    return null;
                }
                var known = (await session.Events.FetchStreamAsync(citizen.Id, token: ctx.CancellationToken)).Where(e => e.Timestamp <= knownAt).ToList();
                if (known.Count == 0)
                {
                    ctx.Errors.Add(new ExecutionError("The register had not recorded this citizen by knownAt.") { Code = "NOT_YET_RECORDED" });
                    return null;
                }
                var validAt = ctx.GetArgument<DateOnly?>("validAt") ?? clock.Today();
                var household = await HouseholdAsOfAsync(session, citizen.Id, validAt, knownAt, ctx.CancellationToken);
                foreach (var memberId in household?.Household.Members.Select(m => m.CitizenId).Append(citizen.Id) ?? [citizen.Id])
                    ctx.Registry().HouseholdsAsOf[memberId] = household;
                await ctx.RequestServices!.GetRequiredService<AccessLog>().RecordAsync(ctx,
                    household?.Citizens.Keys.Append(citizen.Id) ?? [citizen.Id], "audit.citizenAsOf");
                return StateAsOf.Citizen(known, validAt);
            });

        ReplayingDecisions.AddTo(this);

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<Entitlements.EntitlementType>>>>("entitlementsAsOf")
            .Description("The person's entitlements, with status, amount and last decision, as true on validAt by what was recorded up to knownAt.")
            .Argument<NonNullGraphType<StringGraphType>>("idNumber").Argument<DateScalar>("validAt").Argument<DateTimeScalar>("knownAt")
            .ResolveAsync(async ctx =>
            {
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                var clock = ctx.RequestServices!.GetRequiredService<TimeProvider>();
                var citizen = await CitizenLookup.FindAsync(session, ctx.GetArgument<string>("idNumber"), ctx.CancellationToken)
                              ?? throw new ExecutionError("No citizen with this ID number is registered.") { Code = "NOT_FOUND" };
                var knownAt = ctx.GetArgument<DateTimeOffset?>("knownAt") ?? clock.GetUtcNow();
                var validAt = ctx.GetArgument<DateOnly?>("validAt") ?? clock.Today();
                var streams = await session.Query<Registry.Domain.Entitlements.Entitlement>().Where(e => e.BeneficiaryId == citizen.Id).Select(e => e.Id).ToListAsync(ctx.CancellationToken);
                var result = new List<Registry.Domain.Entitlements.Entitlement>();
                foreach (var id in streams)
                {
                    var known = (await session.Events.FetchStreamAsync(id, token: ctx.CancellationToken)).Where(e => e.Timestamp <= knownAt);
                    if (StateAsOf.Entitlement(known, validAt) is { } state) result.Add(state);
                }
                await ctx.RequestServices!.GetRequiredService<AccessLog>().RecordAsync(ctx, [citizen.Id], "audit.entitlementsAsOf");
                return result;
            });

        Field<NonNullGraphType<IntegrityReportType>>("verifyIntegrity")
            .Description("Recomputes the hash chains of one stream (idNumber, householdId or entitlementId) or, with none given, of the whole register.")
            .Argument<StringGraphType>("idNumber").Argument<IdGraphType>("householdId").Argument<IdGraphType>("entitlementId")
            .ResolveAsync(async ctx =>
            {
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                var selectors = new[] { "idNumber", "householdId", "entitlementId" }.Where(ctx.HasArgument).ToList();
                if (selectors.Count > 1)
                    throw new ExecutionError("Give at most one of idNumber, householdId or entitlementId.") { Code = "INVALID_ARGUMENT" };
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
            .ResolveAsync(async ctx =>
            {
                var size = Paging.PageSize(ctx.GetArgument<int?>("first"), 50);
                var after = Paging.After(ctx.GetArgument<string?>("after"));
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                var citizen = await CitizenLookup.FindAsync(session, ctx.GetArgument<string>("idNumber"), ctx.CancellationToken)
                              ?? throw new ExecutionError("No citizen with this ID number is registered.") { Code = "NOT_FOUND" };
                var (rows, total) = await Paging.KeysetAsync(session.Query<AccessRecord>().Where(r => r.CitizenId == citizen.Id), size, after, r => r.Id, ctx.CancellationToken);
                return Paging.Page(rows, size, total, r => r.Id);
            });
    }

    /// <summary>The household the citizen belonged to on validAt, with its members as they were, by what was known at knownAt.</summary>
    private static async Task<Households.HouseholdView?> HouseholdAsOfAsync(IQuerySession session, Guid citizenId, DateOnly validAt, DateTimeOffset knownAt, CancellationToken ct)
    {
        var candidates = await session.AdvancedSql.QueryAsync<Guid>(
            "SELECT DISTINCT stream_id FROM registry.mt_events WHERE type IN ('household_formed', 'member_joined') " +
            "AND coalesce(data ->> 'CitizenId', data ->> 'HeadCitizenId') = ?", ct, citizenId.ToString());
        foreach (var householdId in candidates)
        {
            var events = (await session.Events.FetchStreamAsync(householdId, token: ct)).Where(e => e.Timestamp <= knownAt);
            if (StateAsOf.Household(events, validAt) is not { Dissolved: false } household || !household.HasMember(citizenId)) continue;
            var members = new Dictionary<Guid, Citizen>();
            foreach (var member in household.Members)
            {
                var memberEvents = (await session.Events.FetchStreamAsync(member.CitizenId, token: ct)).Where(e => e.Timestamp <= knownAt);
                if (StateAsOf.Citizen(memberEvents, validAt) is { } state) members[member.CitizenId] = state;
            }
            return new Households.HouseholdView(household with { Members = [.. household.Members.Where(m => members.ContainsKey(m.CitizenId))] }, members);
        }
        return null;
    }

    private static async Task<Guid> StreamOf(IResolveFieldContext ctx, IQuerySession session, string selector)
    {
        if (selector == "idNumber")
            return (await CitizenLookup.FindAsync(session, ctx.GetArgument<string>("idNumber"), ctx.CancellationToken))?.Id
                   ?? throw new ExecutionError("No citizen with this ID number is registered.") { Code = "NOT_FOUND" };
        return Guid.TryParse(ctx.GetArgument<string>(selector), out var id) && await session.Events.FetchStreamStateAsync(id, ctx.CancellationToken) is not null
            ? id
            : throw new ExecutionError($"No stream with this {selector} exists.") { Code = "NOT_FOUND" };
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
