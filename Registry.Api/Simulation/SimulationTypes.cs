using GraphQL;
using GraphQL.Types;
using Marten;
using Marten.Linq.MatchesSql;
using Registry.Api.Audit;
using Registry.Api.Auth;
using Registry.Api.Eligibility;
using Registry.Api.GraphQL;
using Registry.Api.Programmes;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Simulation;
using Registry.Domain.Statistics;
using Registry.Projections.Simulation;

namespace Registry.Api.Simulation;

public static class SimulationRuns
{
    /// <summary>Who may read runs: analysts, and administrators and auditors, who also see ID numbers in the per-person rows.</summary>
    public static readonly string[] Readers = [Roles.Analyst, Roles.Admin, Roles.Auditor];

    public static async Task<SimulationRun?> FindAsync(IQuerySession session, string? id, CancellationToken ct) =>
        Guid.TryParse(id, out var runId) ? await session.LoadAsync<SimulationRun>(runId, ct) : null;

    /// <summary>Per-person rows name the person by ID number for these roles; an analyst sees the run's pseudonym only.</summary>
    public static bool SeesIdNumbers(IResolveFieldContext ctx) => Roles.Satisfies(ctx.Registry().User, [Roles.Admin, Roles.Auditor]);

    public static void AddTo(ObjectGraphType query)
    {
        query.Field<SimulationRunType>("simulationRun")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AuthorizeWithRoles(Readers)
            .ResolveAsync(async ctx => await FindAsync(ctx.RequestServices!.GetRequiredService<IQuerySession>(), ctx.GetArgument<string>("id"), ctx.CancellationToken));
        query.Field<NonNullGraphType<SimulationRunConnectionType>>("simulationRuns")
            .Description("Every run, oldest first, or newest first (the work just started at the top).")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .Argument<BooleanGraphType>("newestFirst", a => a.DefaultValue = false)
            .AuthorizeWithRoles(Readers)
            .ResolveAsync(async ctx =>
            {
                var size = Paging.PageSize(ctx.GetArgument<int?>("first"), 20);
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                var after = Paging.After(ctx.GetArgument<string?>("after"));
                if (!ctx.GetArgument<bool>("newestFirst"))
                {
                    var (rows, total) = await Paging.KeysetAsync(session.Query<SimulationRun>(), size, after, r => r.Id, ctx.CancellationToken);
                    return Paging.Page(rows, size, total, r => r.Id);
                }
                // Run ids are time-ordered (version 7): newest first is the keyset backwards.
                var count = await session.Query<SimulationRun>().CountAsync(ctx.CancellationToken);
                var older = after is { } key ? session.Query<SimulationRun>().Where(r => r.MatchesSql("d.id < ?", key)) : session.Query<SimulationRun>();
                var newest = await older.OrderByDescending(r => r.Id).Take(size + 1).ToListAsync(ctx.CancellationToken);
                return Paging.Page(newest, size, count, r => r.Id);
            });
    }
}

public sealed class SimulationStatusType : EnumerationGraphType<SimulationStatus>;

public sealed class SimulationDimensionType : EnumerationGraphType<SimulationDimension>;

public sealed class SimulationChangeKindType : EnumerationGraphType<SimulationChangeKind>;

public sealed class SimulationRunType : ObjectGraphType<SimulationRun>
{
    public SimulationRunType()
    {
        Name = "SimulationRun";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field(x => x.Name);
        Field<NonNullGraphType<ProgrammeCodeType>>("programme").Resolve(ctx => ctx.Source.Programme);
        Field(x => x.On);
        Field<NonNullGraphType<SimulationPopulationType>>("population").Resolve(ctx => ctx.Source);
        Field<NonNullGraphType<SimulationStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<StringGraphType>("failureCode").Description("Why a FAILED run stopped.").Resolve(ctx => ctx.Source.FailureCode);
        Field<NonNullGraphType<SimulationProgressType>>("progress").Resolve(ctx => ctx.Source);
        Field(x => x.RuleVersion);
        Field(x => x.BaselineParameterVersion);
        Field(x => x.ProposedParametersHash);
        Field<NonNullGraphType<StringGraphType>>("parametersJson").Description("The proposed set, as enacting it would publish it.")
            .Resolve(ctx => System.Text.Json.JsonSerializer.Serialize(new { values = ctx.Source.Values, notes = ctx.Source.Notes }));
        Field<IdGraphType>("rerunOf").Resolve(ctx => ctx.Source.RerunOf);
        Field(x => x.RequestedBy);
        Field(x => x.RequestedAt);
        Field(x => x.StartedAt, nullable: true);
        Field(x => x.FinishedAt, nullable: true);
        Field<NonNullGraphType<SimulationSummaryType>>("summary").Resolve(ctx => ctx.Source.Summary);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SimulationCellType>>>>("breakdown")
            .Argument<NonNullGraphType<SimulationDimensionType>>("by")
            .Resolve(ctx =>
            {
                var prefix = SimulationCells.Key(ctx.GetArgument<SimulationDimension>("by"), "");
                return (ctx.Source.Cells ?? new Dictionary<string, SimulationTally>())
                    .Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal))
                    .OrderBy(c => c.Key, StringComparer.Ordinal)
                    .Select(c => new SimulationCell(c.Key[prefix.Length..], c.Value)).ToList();
            });
        Field<SimulationEnactmentType>("enactment")
            .Description("Once the run's figures were published with fromSimulation: the re-assessments against the predictions.")
            .ResolveAsync(async ctx => await SimulationEnactment.FindAsync(ctx.RequestServices!.GetRequiredService<IQuerySession>(), ctx.Source,
                SimulationRuns.SeesIdNumbers(ctx), ctx.CancellationToken));
        Field<NonNullGraphType<SimulationChangeConnectionType>>("changes")
            .Description("The people whose outcome moved, one row each, in a stable order.")
            .Argument<SimulationChangeKindType>("kind")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx =>
            {
                var size = Paging.PageSize(ctx.GetArgument<int?>("first"), 50);
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                var runId = ctx.Source.Id;
                var query = session.Query<SimulatedPerson>().Where(p => p.RunId == runId && p.Kind != null);
                if (ctx.GetArgument<SimulationChangeKind?>("kind") is { } kind) query = query.Where(p => p.Kind == kind);
                var (rows, total) = await Paging.KeysetAsync(query, size, Paging.After(ctx.GetArgument<string?>("after")), p => p.Id, ctx.CancellationToken, Paging.AsksForTotal(ctx));
                var numbers = SimulationRuns.SeesIdNumbers(ctx)
                    ? (await session.LoadManyAsync<Citizen>(ctx.CancellationToken, rows.Select(r => r.CitizenId).Distinct())).ToDictionary(c => c.Id, c => c.IdNumber)
                    : [];
                return Paging.Page([.. rows.Select(r => new SimulationChange(r, numbers.GetValueOrDefault(r.CitizenId)))], size, total, c => c.Row.Id);
            });
    }
}

public sealed class SimulationPopulationType : ObjectGraphType<SimulationRun>
{
    public SimulationPopulationType()
    {
        Name = "SimulationPopulationScope";
        Description = "The place a run was narrowed to; both null for the whole register.";
        Field<ProvinceType>("province").Resolve(ctx => ctx.Source.Province);
        Field<StringGraphType>("municipalityCode").Resolve(ctx => ctx.Source.MunicipalityCode);
    }
}

public sealed class SimulationProgressType : ObjectGraphType<SimulationRun>
{
    public SimulationProgressType()
    {
        Name = "SimulationProgress";
        Description = "People read so far, of the people registered when the run started.";
        Field<NonNullGraphType<LongGraphType>>("done").Resolve(ctx => ctx.Source.Done);
        Field<NonNullGraphType<LongGraphType>>("total").Resolve(ctx => ctx.Source.Total);
    }
}

/// <summary>
/// Published as statistics are (<see cref="Disclosure"/>): a count under ten is suppressed and the rest rounded to
/// tens; money is rounded to the nearest thousand rand, and suppressed with the population it comes from.
/// </summary>
public abstract class PublishedTallyType<T> : ObjectGraphType<T>
{
    public const decimal MoneyRoundingBase = 1_000m;

    protected PublishedTallyType(Func<T, SimulationTally> tally)
    {
        Field<NonNullGraphType<BooleanGraphType>>("suppressed").Resolve(ctx => Disclosure.Publish(tally(ctx.Source).Population) is null);
        Count("population", t => t.Population);
        Count("eligibleBefore", t => t.EligibleBefore);
        Count("eligibleAfter", t => t.EligibleAfter);
        Count("newlyEligible", t => t.NewlyEligible);
        Count("noLongerEligible", t => t.NoLongerEligible);
        Count("amountUp", t => t.AmountUp);
        Count("amountDown", t => t.AmountDown);
        Money("monthlyCostBefore", t => t.MonthlyCostBefore);
        Money("monthlyCostAfter", t => t.MonthlyCostAfter);

        void Count(string name, Func<SimulationTally, long> count) =>
            Field<IntGraphType>(name).Description("Null when suppressed.").Resolve(ctx => Disclosure.Publish(count(tally(ctx.Source))));

        void Money(string name, Func<SimulationTally, decimal> amount) =>
            Field<DecimalGraphType>(name).Description("Rand a month, to the nearest thousand; null when the population is suppressed.").Resolve(ctx =>
                Disclosure.Publish(tally(ctx.Source).Population) is null ? null
                    : (decimal?)(Math.Round(amount(tally(ctx.Source)) / MoneyRoundingBase, MidpointRounding.AwayFromZero) * MoneyRoundingBase));
    }
}

public sealed class SimulationSummaryType : PublishedTallyType<SimulationTally>
{
    public SimulationSummaryType() : base(t => t) => Name = "SimulationSummary";
}

public sealed record SimulationCell(string Key, SimulationTally Tally);

public sealed class SimulationCellType : PublishedTallyType<SimulationCell>
{
    public SimulationCellType() : base(c => c.Tally)
    {
        Name = "SimulationCell";
        Field(x => x.Key);
    }
}

/// <summary>A person's row as the caller may see it: the ID number only for administrators and auditors.</summary>
public sealed record SimulationChange(SimulatedPerson Row, string? IdNumber);

public sealed class SimulationChangeType : ObjectGraphType<SimulationChange>
{
    public SimulationChangeType()
    {
        Name = "SimulationChange";
        // Logged only where the row names the person; a pseudonym alone does not.
        this.ShowsPeople(c => c.IdNumber is null ? [] : [c.Row.CitizenId]);
        Field<NonNullGraphType<StringGraphType>>("pseudonym").Description("Stable within the run, unrelated across runs.").Resolve(ctx => ctx.Source.Row.Pseudonym);
        Field<StringGraphType>("idNumber").Description("For administrators and auditors only; null for analysts.").Resolve(ctx => ctx.Source.IdNumber);
        Field<NonNullGraphType<SimulationChangeKindType>>("kind").Resolve(ctx => ctx.Source.Row.Kind);
        Field<NonNullGraphType<SimulatedSideType>>("before").Resolve(ctx => ctx.Source.Row.Before);
        Field<NonNullGraphType<SimulatedSideType>>("after").Resolve(ctx => ctx.Source.Row.After);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChangedCriterionType>>>>("changedCriteria").Resolve(ctx => ctx.Source.Row.ChangedCriteria);
    }
}

public sealed class SimulatedSideType : ObjectGraphType<SimulatedSide>
{
    public SimulatedSideType()
    {
        Name = "SimulatedOutcome";
        Field(x => x.Eligible);
        Field(x => x.MonthlyAmount, nullable: true);
    }
}

public sealed class CriterionSideType : ObjectGraphType<CriterionSide>
{
    public CriterionSideType()
    {
        Name = "SimulatedCriterionOutcome";
        Field(x => x.Passed);
        Field(x => x.Observed, nullable: true);
    }
}

public sealed class ChangedCriterionType : ObjectGraphType<ChangedCriterion>
{
    public ChangedCriterionType()
    {
        Name = "ChangedCriterion";
        Field(x => x.Criterion);
        Field<NonNullGraphType<CriterionSideType>>("before").Resolve(ctx => ctx.Source.Before);
        Field<NonNullGraphType<CriterionSideType>>("after").Resolve(ctx => ctx.Source.After);
        Field(x => x.Threshold, nullable: true).Description("The proposal's threshold.");
        Field(x => x.ThresholdBefore, nullable: true).Description("The baseline's threshold.");
    }
}

public sealed class SimulationRunEdgeType() : EdgeType<SimulationRunType, SimulationRun>("SimulationRun");

public sealed class SimulationRunConnectionType() : ConnectionType<SimulationRunType, SimulationRunEdgeType, SimulationRun>("SimulationRun");

public sealed class SimulationChangeEdgeType() : EdgeType<SimulationChangeType, SimulationChange>("SimulationChange");

public sealed class SimulationChangeConnectionType() : ConnectionType<SimulationChangeType, SimulationChangeEdgeType, SimulationChange>("SimulationChange");
