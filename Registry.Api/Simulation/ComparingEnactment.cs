using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Audit;
using Registry.Api.GraphQL;
using Registry.Domain.Citizens;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;
using Registry.Domain.Simulation;
using Registry.Projections.Privacy;
using Registry.Projections.Simulation;

namespace Registry.Api.Simulation;

/// <summary>One re-assessment that did not do what the run predicted for that person, with their ID number for those who may see it.</summary>
public sealed record EnactmentDifferenceView(EnactmentDifference Difference, string? IdNumber);

/// <summary>
/// A run enacted as simulated, compared person by person: every entitlement the publication re-assessed, its
/// decision against the run's prediction for its beneficiary (the proposal's side), as the enactment writer
/// counted them. A person the run has no row for was predicted to hold nothing, so a re-assessment of them differs.
/// </summary>
public sealed record SimulationEnactment(ParameterSet Published, EnactmentTally Tally, Guid RunId, bool WithIdNumbers)
{
    public static async Task<SimulationEnactment?> FindAsync(IQuerySession session, SimulationRun run, bool withIdNumbers, CancellationToken ct)
    {
        var programme = await session.LoadAsync<Programme>(ProgrammeInfo.StreamIdFor(run.Programme), ct);
        if (programme?.Parameters.FirstOrDefault(p => p.FromSimulation == run.Id) is not { } published) return null;
        var tally = await session.LoadAsync<EnactmentTally>(run.Id, ct) ?? new EnactmentTally(run.Id, 0, 0, 0);
        return new SimulationEnactment(published, tally, run.Id, withIdNumbers);
    }

    /// <summary>The first differences in the order the re-assessments were recorded.</summary>
    public async Task<IReadOnlyList<EnactmentDifferenceView>> DifferencesAsync(IQuerySession session, int first, CancellationToken ct)
    {
        var rows = await session.Query<EnactmentDifference>().Where(d => d.RunId == RunId).OrderBy(d => d.Sequence).Take(first).ToListAsync(ct);
        var numbers = WithIdNumbers
            ? (await session.LoadManyAsync<Citizen>(ct, rows.Select(r => r.CitizenId).Distinct())).ToDictionary(c => c.Id, c => c.IdNumber)
            : [];
        return [.. rows.Select(r => new EnactmentDifferenceView(r, numbers.GetValueOrDefault(r.CitizenId)))];
    }
}

public sealed class SimulationEnactmentType : ObjectGraphType<SimulationEnactment>
{
    public SimulationEnactmentType()
    {
        Name = "SimulationEnactment";
        Field<NonNullGraphType<StringGraphType>>("parameterVersion").Resolve(ctx => ctx.Source.Published.Version);
        Field<NonNullGraphType<DateScalar>>("effectiveFrom").Resolve(ctx => ctx.Source.Published.EffectiveFrom);
        Field<NonNullGraphType<IntGraphType>>("reassessed").Description("Entitlements the publication re-assessed so far.").Resolve(ctx => ctx.Source.Tally.Reassessed);
        Field<NonNullGraphType<IntGraphType>>("matched").Description("Re-assessments whose eligibility and amount are what the run predicted.").Resolve(ctx => ctx.Source.Tally.Matched);
        Field<NonNullGraphType<IntGraphType>>("differed").Resolve(ctx => ctx.Source.Tally.Reassessed - ctx.Source.Tally.Matched);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EnactmentDifferenceType>>>>("differences")
            .Description("The people whose re-assessment differed from the prediction (a fact changed in between), in the order they were re-assessed.")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .ResolveAsync(async ctx => await ctx.Source.DifferencesAsync(ctx.RequestServices!.GetRequiredService<IQuerySession>(),
                Paging.PageSize(ctx.GetArgument<int?>("first"), 50), ctx.CancellationToken));
    }
}

public sealed class EnactmentDifferenceType : ObjectGraphType<EnactmentDifferenceView>
{
    public EnactmentDifferenceType()
    {
        Name = "EnactmentDifference";
        this.ShowsPeople(d => d.IdNumber is null ? [] : [d.Difference.CitizenId]);
        Field<NonNullGraphType<StringGraphType>>("pseudonym").Resolve(ctx => ctx.Source.Difference.Pseudonym);
        Field<StringGraphType>("idNumber").Description("For administrators and auditors only.").Resolve(ctx => ctx.Source.IdNumber);
        Field<SimulatedSideType>("predicted").Description("Null when the run predicted nothing for the person.").Resolve(ctx => ctx.Source.Difference.Predicted);
        Field<NonNullGraphType<SimulatedSideType>>("actual").Resolve(ctx => ctx.Source.Difference.Actual);
    }
}
