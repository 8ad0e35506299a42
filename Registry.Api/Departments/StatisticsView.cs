using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;
using Marten;
using Registry.Api.Audit;
using Registry.Api.Auth;
using Registry.Api.GraphQL;
using Registry.Api.Hosting;
using Registry.Domain.Statistics;
using Registry.Projections.Privacy;
using Registry.Projections.Sql;

namespace Registry.Api.Departments;

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
            .Resolve().WithService<StatisticsQueries>()
            .ResolveAsync(async (ctx, statistics) => await statistics.PopulationAsync(ctx.GetArgument<PopulationGrouping>("groupBy"), ctx.CancellationToken));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CountType>>>>("beneficiaries")
            .Description("Entitlements, grouped; every status unless grouped by it. Those of erased people count too.")
            .Argument<NonNullGraphType<BeneficiaryGroupingType>>("groupBy")
            .Resolve().WithService<StatisticsQueries>()
            .ResolveAsync(async (ctx, statistics) => await statistics.BeneficiariesAsync(ctx.GetArgument<BeneficiaryGrouping>("groupBy"), ctx.CancellationToken));
    }
}

/// <summary>The grouped counts Statistics may ask for, before the disclosure rule (CountType applies it to every cell).</summary>
public sealed class StatisticsQueries(IQuerySession session, RegistrySql sql, TimeProvider clock)
{
    public Task<IReadOnlyList<Count>> PopulationAsync(PopulationGrouping grouping, CancellationToken ct) => CountAsync(grouping switch
    {
        PopulationGrouping.Province => sql.PopulationByProvince,
        PopulationGrouping.Municipality => sql.PopulationByMunicipality,
        PopulationGrouping.Sex => sql.PopulationBySex,
        _ => sql.PopulationByAgeBand,
    }, ct);

    public Task<IReadOnlyList<Count>> BeneficiariesAsync(BeneficiaryGrouping grouping, CancellationToken ct) => CountAsync(grouping switch
    {
        BeneficiaryGrouping.Programme => sql.BeneficiariesByProgramme,
        BeneficiaryGrouping.Status => sql.BeneficiariesByStatus,
        // An erased beneficiary's entitlements no longer join to a citizen: the residue kept their province.
        _ => sql.BeneficiariesByProvince,
    }, ct);

    /// <summary>Runs a grouped count; its date parameters are the register's today (the injected clock, South African date), not the database's.</summary>
    private async Task<IReadOnlyList<Count>> CountAsync(CountQuery query, CancellationToken ct)
    {
        var parameters = Enumerable.Repeat<object>(clock.Today(), query.TodayParameters).ToArray();
        var rows = await session.AdvancedSql.QueryAsync<Count>(query.Text, ct, parameters);
        return [.. rows.Select(r => r with { Key = ConstantCase(r.Key ?? "UNKNOWN") })];
    }

    /// <summary>Enum names stored as C# names (WesternCape) are shown as the API spells them (WESTERN_CAPE).</summary>
    private static string ConstantCase(string value) =>
        value.Any(char.IsLower) && !value.Contains('-')
            ? string.Concat(value.Select((ch, i) => i > 0 && char.IsUpper(ch) ? "_" + ch : char.ToUpperInvariant(ch).ToString()))
            : value;
}

public static class StatisticsFields
{
    public static void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<StatisticsViewType>>("statistics")
            .AuthorizeWithRoles(Roles.Caseworker, Roles.Auditor, Roles.Department(Registry.Domain.Programmes.Departments.Statistics))
            .Resolve(_ => new DepartmentView());
}
