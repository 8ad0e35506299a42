using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;
using Marten;
using Registry.Api.Audit;
using Registry.Api.Auth;
using Registry.Api.Citizens;
using Registry.Api.Commands;
using Registry.Api.Eligibility;
using Registry.Api.GraphQL;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Entitlements;
using Registry.Projections.Sql;

namespace Registry.Api.Entitlements;

public sealed class EntitlementStatusType : EnumerationGraphType<EntitlementStatus>;

public sealed class SuspendedByType : EnumerationGraphType<SuspendedBy>;

public sealed class EntitlementType : ObjectGraphType<Entitlement>
{
    public EntitlementType()
    {
        Name = "Entitlement";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field<NonNullGraphType<ProgrammeCodeType>>("programme").Resolve(ctx => ctx.Source.Programme);
        Field<CitizenType>("beneficiary").Description("Null once the beneficiary was erased.").Resolve().WithService<IQuerySession>().ResolveAsync(async (ctx, session) =>
            await session.LoadAsync<Citizen>(ctx.Source.BeneficiaryId, ctx.CancellationToken));
        Field<CitizenType>("applicant").Resolve().WithService<IQuerySession>().ResolveAsync(async (ctx, session) => ctx.Source.ApplicantId is { } id
            ? await session.LoadAsync<Citizen>(id, ctx.CancellationToken)
            : null);
        Field<NonNullGraphType<EntitlementStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<SuspendedByType>("suspendedBy").Description("Set while suspended: a re-assessment's suspension lifts itself when the person qualifies again; a caseworker's waits for a caseworker.")
            .Resolve(ctx => ctx.Source.Status == EntitlementStatus.Suspended ? ctx.Source.SuspendedBy : null);
        Field(x => x.MonthlyAmount, nullable: true);
        Field(x => x.Since, nullable: true);
        Field<EligibilityDecisionType>("lastDecision").Resolve(object? (ctx) =>
        {
            if (ctx.Source.LastDecision is not { } d) return null;
            var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
            // The people whose facts the decision was made from are in its recorded inputs: one query for a page of entitlements.
            return ctx.Registry().Loader<Guid, IReadOnlyDictionary<Guid, IReadOnlyList<Guid>>>("Entitlement.lastDecision", (ids, ct) => RecordedDecisions.PeopleAsync(session, ids, ct))
                .Load(ctx.Source.Id, decisions => EligibilityAnswer.Recorded(d.DecisionId, d.Decision,
                    decisions?.GetValueOrDefault(d.DecisionId) ?? [ctx.Source.BeneficiaryId]));
        });
        Appeals.AppealFields.AddTo(this);
        Field<NonNullGraphType<IntGraphType>>("version").Resolve(ctx => (int)ctx.Source.Version);
        this.ShowsPeople(e => [e.BeneficiaryId]);
    }
}

/// <summary>The recorded decisions of entitlements, each with the people whose facts it was made from.</summary>
public static class RecordedDecisions
{
    private sealed record Row(Guid EntitlementId, Guid DecisionId, Guid[] People);

    public static async Task<IReadOnlyDictionary<Guid, IReadOnlyDictionary<Guid, IReadOnlyList<Guid>>>> PeopleAsync(IQuerySession session, IReadOnlyCollection<Guid> entitlementIds, CancellationToken ct)
    {
        var rows = await session.AdvancedSql.QueryAsync<Row>(RegistrySql.Of(session).RecordedDecisionPeople, ct, entitlementIds.ToArray());
        return rows.GroupBy(r => r.EntitlementId).ToDictionary(g => g.Key,
            g => (IReadOnlyDictionary<Guid, IReadOnlyList<Guid>>)g.ToDictionary(r => r.DecisionId, r => (IReadOnlyList<Guid>)[.. r.People.Distinct()]));
    }
}

public sealed record EntitlementPayload(Entitlement? Entitlement, int? Version, IReadOnlyList<DomainError> Errors);

public sealed class EntitlementPayloadType : ObjectGraphType<EntitlementPayload>
{
    public EntitlementPayloadType()
    {
        Name = "EntitlementPayload";
        Field<EntitlementType>("entitlement").Resolve(ctx => ctx.Source.Entitlement);
        Field(x => x.Version, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}

public static class EntitlementFields
{
    public static async Task<EntitlementPayload> PayloadAsync(IResolveFieldContext ctx, CommandResult result)
    {
        if (!result.Succeeded) return new EntitlementPayload(null, null, result.Errors);
        var entitlement = await ctx.RequestServices!.GetRequiredService<IQuerySession>().LoadAsync<Entitlement>(result.StreamId!.Value, ctx.CancellationToken);
        return new EntitlementPayload(entitlement, (int)result.Version!.Value, []);
    }

    public static void AddTo(ObjectGraphType query) =>
        query.Field<EntitlementType>("entitlement")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AuthorizeWithRoles(Roles.Caseworker)
            .Resolve().WithService<IQuerySession>()
            .ResolveAsync(async (ctx, session) => Guid.TryParse(ctx.GetArgument<string>("id"), out var id)
                ? await session.LoadAsync<Entitlement>(id, ctx.CancellationToken)
                : null);

    /// <summary>Citizen.entitlements: everything the person is the beneficiary of.</summary>
    public static void AddToCitizen(CitizenType citizen) =>
        citizen.Field<NonNullGraphType<ListGraphType<NonNullGraphType<EntitlementType>>>>("entitlements").Resolve(object? (ctx) =>
        {
            var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
            // A page of citizens asks for all their entitlements in one query.
            return ctx.Registry().Loader<Guid, IReadOnlyList<Entitlement>>("Citizen.entitlements", async (ids, ct) =>
            {
                var held = await session.Query<Entitlement>().Where(e => e.BeneficiaryId.IsOneOf(ids.ToArray())).ToListAsync(ct);
                return ids.ToDictionary(id => id, id => (IReadOnlyList<Entitlement>)[.. held.Where(e => e.BeneficiaryId == id)]);
            }).Load(ctx.Source.Id);
        });
}
