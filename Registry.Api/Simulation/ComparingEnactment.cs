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

/// <summary>One re-assessment that did not do what the run predicted for that person.</summary>
public sealed record EnactmentDifference(SimulatedPerson? Predicted, Guid CitizenId, string Pseudonym, SimulatedSide? PredictedOutcome, SimulatedSide Actual, string? IdNumber);

/// <summary>
/// A run enacted as simulated, compared person by person: every entitlement the publication re-assessed, its
/// decision against the run's prediction for its beneficiary (the proposal's side). A person the run has no
/// row for was predicted to hold nothing, so a re-assessment of them differs.
/// </summary>
public sealed record SimulationEnactment(ParameterSet Published, int Reassessed, int Matched, IReadOnlyList<EnactmentDifference> Differences)
{
    public static async Task<SimulationEnactment?> CompareAsync(IQuerySession session, SimulationRun run, bool withIdNumbers, CancellationToken ct)
    {
        var programmeId = ProgrammeInfo.StreamIdFor(run.Programme);
        var programme = await session.LoadAsync<Programme>(programmeId, ct);
        if (programme?.Parameters.FirstOrDefault(p => p.FromSimulation == run.Id) is not { } published) return null;

        // Each publication is one event on the programme's stream, so its version is the set's sequence.
        var cause = ReassessmentCause.EventSource(programmeId, published.Sequence);
        var reassessed = await session.Events.QueryRawEventDataOnly<EntitlementReassessed>().Where(e => e.CauseSource == cause).ToListAsync(ct);
        var keys = EventSealing.Of(session).Keys.Master;
        var named = reassessed.Select(e => (e, name: SimulatedPerson.Name(keys.BlindIndex, run.Id, e.Inputs.Person.CitizenId))).ToList();
        var predictions = (await session.LoadManyAsync<SimulatedPerson>(ct, named.Select(n => n.name.Id).Distinct())).ToDictionary(p => p.Id);
        var numbers = withIdNumbers
            ? (await session.LoadManyAsync<Citizen>(ct, named.Select(n => n.e.Inputs.Person.CitizenId).Distinct())).ToDictionary(c => c.Id, c => c.IdNumber)
            : [];

        var differences = new List<EnactmentDifference>();
        foreach (var (e, name) in named)
        {
            var actual = SimulatedSide.Of(e.Decision);
            var predicted = predictions.GetValueOrDefault(name.Id);
            if (predicted?.After == actual) continue;
            differences.Add(new EnactmentDifference(predicted, e.Inputs.Person.CitizenId, name.Pseudonym, predicted?.After, actual, numbers.GetValueOrDefault(e.Inputs.Person.CitizenId)));
        }
        return new SimulationEnactment(published, reassessed.Count, reassessed.Count - differences.Count, differences);
    }
}

public sealed class SimulationEnactmentType : ObjectGraphType<SimulationEnactment>
{
    public SimulationEnactmentType()
    {
        Name = "SimulationEnactment";
        Field<NonNullGraphType<StringGraphType>>("parameterVersion").Resolve(ctx => ctx.Source.Published.Version);
        Field<NonNullGraphType<DateScalar>>("effectiveFrom").Resolve(ctx => ctx.Source.Published.EffectiveFrom);
        Field<NonNullGraphType<IntGraphType>>("reassessed").Description("Entitlements the publication re-assessed so far.").Resolve(ctx => ctx.Source.Reassessed);
        Field<NonNullGraphType<IntGraphType>>("matched").Description("Re-assessments whose eligibility and amount are what the run predicted.").Resolve(ctx => ctx.Source.Matched);
        Field<NonNullGraphType<IntGraphType>>("differed").Resolve(ctx => ctx.Source.Differences.Count);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EnactmentDifferenceType>>>>("differences")
            .Description("The people whose re-assessment differed from the prediction (a fact changed in between).")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Resolve(ctx => ctx.Source.Differences.Take(Paging.PageSize(ctx.GetArgument<int?>("first"), 50)).ToList());
    }
}

public sealed class EnactmentDifferenceType : ObjectGraphType<EnactmentDifference>
{
    public EnactmentDifferenceType()
    {
        Name = "EnactmentDifference";
        this.ShowsPeople(d => d.IdNumber is null ? [] : [d.CitizenId]);
        Field<NonNullGraphType<StringGraphType>>("pseudonym").Resolve(ctx => ctx.Source.Pseudonym);
        Field<StringGraphType>("idNumber").Description("For administrators and auditors only.").Resolve(ctx => ctx.Source.IdNumber);
        Field<SimulatedSideType>("predicted").Description("Null when the run predicted nothing for the person.").Resolve(ctx => ctx.Source.PredictedOutcome);
        Field<NonNullGraphType<SimulatedSideType>>("actual").Resolve(ctx => ctx.Source.Actual);
    }
}
