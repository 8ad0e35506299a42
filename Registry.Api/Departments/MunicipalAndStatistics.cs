using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Audit;
using Registry.Api.Auth;
using Registry.Api.Citizens;
using Registry.Api.GraphQL;
using Registry.Api.Hosting;
using Registry.Domain.Eligibility.Programmes;
using Registry.Domain.Programmes;
using Registry.Domain.Statistics;
using Registry.Projections.Municipalities;
using Registry.Projections.Privacy;
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

    public static async Task<Freshness> OfAsync(IQuerySession session, string projection, CancellationToken ct)
    {
        var sql = RegistrySql.Of(session);
        var rows = await session.AdvancedSql.QueryAsync<long>(sql.ProjectionPosition, ct, projection + ":%");
        var latest = await session.AdvancedSql.QueryAsync<long>(sql.LatestSequence, ct);
        return new Freshness(Math.Max(0, latest[0] - rows[0]), rows[0], latest[0]);
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
            .ResolveAsync(async ctx =>
            {
                var size = Paging.PageSize(ctx.GetArgument<int?>("first"), 50);
                var after = Paging.After(ctx.GetArgument<string?>("after"));
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                var programme = await session.LoadAsync<Programme>(ProgrammeInfo.StreamIdFor(ProgrammeCode.MunicipalIndigent), ctx.CancellationToken);
                var parameters = programme?.InForceOn(ctx.RequestServices!.GetRequiredService<TimeProvider>().Today())
                                 ?? throw new ExecutionError("No indigent parameters are in force.") { Code = ErrorCodes.NoParametersInForce };
                var code = ctx.Source.Code;
                var ceiling = MunicipalIndigentParameters.From(parameters).CeilingIn(code);

                var query = session.Query<MunicipalHousehold>().Where(h => h.MunicipalityCode == code && h.MonthlyIncome <= ceiling);
                var (rows, total) = await Paging.KeysetAsync(query, size, after, h => h.Id, ctx.CancellationToken);
                return Paging.Page(rows, size, total, h => h.Id);
            });
        Field<NonNullGraphType<FreshnessType>>("freshness").ResolveAsync(async ctx =>
            await FreshnessType.OfAsync(ctx.RequestServices!.GetRequiredService<IQuerySession>(), MunicipalHouseholdProjection.ProjectionTitle, ctx.CancellationToken));
    }
}

public sealed record Count(string Key, int Value);

public sealed class CountType : ObjectGraphType<Count>
{
    public CountType()
    {
        Name = "Count";
        Description = $"A published count: suppressed under {Disclosure.MinimumCount}, otherwise rounded to a multiple of {Disclosure.RoundingBase}, so no cell and no difference of cells names a person.";
        Field(x => x.Key);
        Field<IntGraphType>("count").Description("Null when suppressed.").Resolve(ctx => Disclosure.Publish(ctx.Source.Value));
        Field<NonNullGraphType<BooleanGraphType>>("suppressed").Resolve(ctx => Disclosure.Publish(ctx.Source.Value) is null);
    }
}

public enum PopulationGrouping { Province, Municipality, AgeBand, Sex }

public enum BeneficiaryGrouping { Programme, Province, Status }

public sealed class PopulationGroupingType : EnumerationGraphType<PopulationGrouping>;

public sealed class BeneficiaryGroupingType : EnumerationGraphType<BeneficiaryGrouping>;

/// <summary>
/// Counts only: Statistics learns how many, never who. Computed from the inline documents and the tallies of
/// erased people (<see cref="ErasedResidue"/>), so always current; every count is published through
/// <see cref="Disclosure"/>, whoever asks.
/// </summary>
public sealed class StatisticsViewType : ObjectGraphType<DepartmentView>
{
    public StatisticsViewType()
    {
        Name = "StatisticsView";
        this.IsNamespace();
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CountType>>>>("population")
            .Description("Living citizens, grouped; people erased while alive are still counted, anonymously.")
            .Argument<NonNullGraphType<PopulationGroupingType>>("groupBy")
            .ResolveAsync(async ctx =>
            {
                var sql = ctx.RequestServices!.GetRequiredService<RegistrySql>();
                return await CountAsync(ctx, ctx.GetArgument<PopulationGrouping>("groupBy") switch
                {
                    PopulationGrouping.Province => sql.PopulationByProvince,
                    PopulationGrouping.Municipality => sql.PopulationByMunicipality,
                    PopulationGrouping.Sex => sql.PopulationBySex,
                    _ => sql.PopulationByAgeBand,
                });
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CountType>>>>("beneficiaries")
            .Description("Entitlements, grouped; every status unless grouped by it. Those of erased people count too.")
            .Argument<NonNullGraphType<BeneficiaryGroupingType>>("groupBy")
            .ResolveAsync(async ctx =>
            {
                var sql = ctx.RequestServices!.GetRequiredService<RegistrySql>();
                return await CountAsync(ctx, ctx.GetArgument<BeneficiaryGrouping>("groupBy") switch
                {
                    BeneficiaryGrouping.Programme => sql.BeneficiariesByProgramme,
                    BeneficiaryGrouping.Status => sql.BeneficiariesByStatus,
                    // An erased beneficiary's entitlements no longer join to a citizen: the residue kept their province.
                    _ => sql.BeneficiariesByProvince,
                });
            });
    }

    /// <summary>Runs a grouped count; its date parameters are the register's today (the injected clock, South African date), not the database's.</summary>
    private static async Task<IReadOnlyList<Count>> CountAsync(IResolveFieldContext ctx, CountQuery query)
    {
        var today = ctx.RequestServices!.GetRequiredService<TimeProvider>().Today();
        var parameters = Enumerable.Repeat<object>(today, query.TodayParameters).ToArray();
        var rows = await ctx.RequestServices!.GetRequiredService<IQuerySession>().AdvancedSql.QueryAsync<Count>(query.Text, ctx.CancellationToken, parameters);
        return [.. rows.Select(r => r with { Key = ConstantCase(r.Key ?? "UNKNOWN") })];
    }

    /// <summary>Enum names stored as C# names (WesternCape) are shown as the API spells them (WESTERN_CAPE).</summary>
    private static string ConstantCase(string value) =>
        value.Any(char.IsLower) && !value.Contains('-')
            ? string.Concat(value.Select((ch, i) => i > 0 && char.IsUpper(ch) ? "_" + ch : char.ToUpperInvariant(ch).ToString()))
            : value;
}

public static class MunicipalAndStatisticsFields
{
    public static void AddTo(ObjectGraphType query)
    {
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
        query.Field<NonNullGraphType<StatisticsViewType>>("statistics")
            .AuthorizeWithRoles(Roles.Caseworker, Roles.Auditor, Roles.Department(Registry.Domain.Programmes.Departments.Statistics))
            .Resolve(_ => new DepartmentView());
    }
}
