using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;
using Marten;
using Registry.Api.Audit;
using Registry.Api.Auth;
using Registry.Api.Citizens;
using Registry.Api.GraphQL;
using Registry.Api.Hosting;
using Registry.Domain.Eligibility.Programmes;
using Registry.Domain.Programmes;
using Registry.Projections.Municipalities;
using Registry.Projections.Sql;
using Registry.Domain.Common;

namespace Registry.Api.Departments;

public sealed record MunicipalViewRoot(string Code);

/// <summary>How far an async read model lags the event log; zero means it has seen every event.</summary>
public sealed record Freshness(long EventsBehind, long LastProcessedSequence, long LatestSequence);

public sealed class FreshnessType : ObjectGraphType<Freshness>
{
    public FreshnessType()
    {
        Name = "ViewFreshness";
        Description = "Async read models trail the event log by a moment; this says by how much when the answer was made.";
        Field<NonNullGraphType<IntGraphType>>("eventsBehind").Resolve(ctx => (int)Math.Min(int.MaxValue, ctx.Source.EventsBehind));
        Field<NonNullGraphType<LongGraphType>>("lastProcessedSequence").Resolve(ctx => ctx.Source.LastProcessedSequence);
        Field<NonNullGraphType<LongGraphType>>("latestSequence").Resolve(ctx => ctx.Source.LatestSequence);
    }

}

public sealed class IndigentHouseholdType : ObjectGraphType<MunicipalHousehold>
{
    public IndigentHouseholdType()
    {
        Name = "IndigentHousehold";
        Field<NonNullGraphType<IdGraphType>>("householdId").Resolve(ctx => ctx.Source.Id);
        Field(x => x.HeadIdNumber);
        Field<NonNullGraphType<IntGraphType>>("members").Resolve(ctx => ctx.Source.Members);
        Field(x => x.MonthlyIncome);
        Field<NonNullGraphType<AddressType>>("address").Resolve(ctx => ctx.Source.Address);
        // The household's income is its living members' incomes summed: reading it reads each of them.
        this.ShowsPeople(h => (h.LivingMemberIds ?? []).Append(h.HeadCitizenId).Distinct());
    }
}

public sealed class IndigentHouseholdEdgeType() : EdgeType<IndigentHouseholdType, MunicipalHousehold>("IndigentHousehold");

public sealed class IndigentHouseholdConnectionType() : ConnectionType<IndigentHouseholdType, IndigentHouseholdEdgeType, MunicipalHousehold>("IndigentHousehold");

public sealed class MunicipalViewType : ObjectGraphType<MunicipalViewRoot>
{
    public MunicipalViewType()
    {
        Name = "MunicipalView";
        this.IsNamespace();
        Field<NonNullGraphType<StringGraphType>>("code").Resolve(ctx => ctx.Source.Code);
        Field<NonNullGraphType<IndigentHouseholdConnectionType>>("indigentHouseholds")
            .Description("Households at or under the municipality's indigent income ceiling in force today (MUNICIPAL_INDIGENT parameters).")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after")
            .Resolve().WithService<MunicipalQueries>()
            .ResolveAsync(async (ctx, municipal) => await municipal.IndigentHouseholdsAsync(ctx.Source.Code,
                Paging.PageSize(ctx.GetArgument<int?>("first"), 50), Paging.After(ctx.GetArgument<string?>("after")), ctx.CancellationToken));
        Field<NonNullGraphType<FreshnessType>>("freshness")
            .Resolve().WithService<MunicipalQueries>()
            .ResolveAsync(async (ctx, municipal) => await municipal.FreshnessAsync(ctx.CancellationToken));
    }
}

/// <summary>What a municipality's questions read: its indigent households under the ceiling in force today, and how current that view is.</summary>
public sealed class MunicipalQueries(IQuerySession session, RegistrySql sql, TimeProvider clock)
{
    public async Task<Connection<MunicipalHousehold>> IndigentHouseholdsAsync(string code, int size, Guid? after, CancellationToken ct)
    {
        var programme = await session.LoadAsync<Programme>(ProgrammeInfo.StreamIdFor(ProgrammeCode.MunicipalIndigent), ct);
        var parameters = programme?.InForceOn(clock.Today())
                         ?? throw new ExecutionError("No indigent parameters are in force.") { Code = ErrorCodes.NoParametersInForce };
        var ceiling = MunicipalIndigentParameters.From(parameters).CeilingIn(code);
        var query = session.Query<MunicipalHousehold>().Where(h => h.MunicipalityCode == code && h.MonthlyIncome <= ceiling);
        var (rows, total) = await Paging.KeysetAsync(query, size, after, h => h.Id, ct);
        return Paging.Page(rows, size, total, h => h.Id);
    }

    /// <summary>How far the municipal households projection trails the event log.</summary>
    public async Task<Freshness> FreshnessAsync(CancellationToken ct)
    {
        var rows = await session.AdvancedSql.QueryAsync<long>(sql.ProjectionPosition, ct, MunicipalHouseholdProjection.ProjectionTitle + ":%");
        var latest = await session.AdvancedSql.QueryAsync<long>(sql.LatestSequence, ct);
        return new Freshness(Math.Max(0, latest[0] - rows[0]), rows[0], latest[0]);
    }
}

public static class MunicipalFields
{
    public static void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<MunicipalViewType>>("municipality")
            .Description("A municipality's own view; a municipal service (role department:MUNICIPALITY:<CODE>) sees only its code.")
            .Argument<NonNullGraphType<StringGraphType>>("code")
            .AuthorizeWithRoles(Roles.Caseworker, Roles.AnyDepartment)
            .Resolve(ctx =>
            {
                var code = ctx.GetArgument<string>("code").Trim().ToUpperInvariant();
                var user = ctx.User!;
                if (!Roles.Satisfies(user, [Roles.Caseworker]) && !Roles.MunicipalitiesOf(user).Contains(code))
                    throw new ExecutionError("You may not read this municipality's view.") { Code = ErrorCodes.Forbidden };
                return new MunicipalViewRoot(code);
            });
}
