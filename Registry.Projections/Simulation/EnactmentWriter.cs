using System.Security.Cryptography;
using System.Text;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;
using Registry.Domain.Simulation;
using Registry.Projections.Privacy;

namespace Registry.Projections.Simulation;

/// <summary>How an enacted run's publication has gone so far: the re-assessments it caused, and how many did as predicted.</summary>
/// <param name="LastSequence">The last re-assessment counted, so a page read twice counts nothing twice.</param>
public sealed record EnactmentTally(Guid Id, int Reassessed, int Matched, long LastSequence);

/// <summary>One re-assessment that did not do what the run predicted for its beneficiary, under the run's pseudonym.</summary>
/// <param name="Predicted">The run's proposed side for the person; null when the run predicted they would hold nothing.</param>
public sealed record EnactmentDifference(Guid Id, Guid RunId, long Sequence, Guid CitizenId, string Pseudonym, SimulatedSide? Predicted, SimulatedSide Actual)
{
    public static Guid IdFor(Guid runId, Guid eventId) => new(SHA256.HashData(Encoding.UTF8.GetBytes($"enactment:{runId:N}:{eventId:N}")).AsSpan(0, 16));
}

/// <summary>
/// Compares, as they are recorded, the re-assessments a publication made from a simulation caused with the
/// run's prediction for each person, and keeps the tally and the differences. Counting once, at write time,
/// rather than reading every re-assessment of the publication whenever someone looks: at a national register
/// those are millions of events.
/// </summary>
public sealed class EnactmentWriter : SubscriptionBase
{
    public const string Title = "SimulationEnactments";

    public EnactmentWriter()
    {
        Name = Title;
        IncludeType<EntitlementReassessed>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations,
        CancellationToken cancellationToken)
    {
        var reassessments = page.Events.Where(e => e.Data is EntitlementReassessed { CauseSource: not null }).ToList();
        if (reassessments.Count == 0) return NullChangeListener.Instance;

        // Which causes are publications made from a run: the programmes' own record of their parameter sets.
        var programmes = await operations.Query<Programme>().ToListAsync(cancellationToken);
        var enacted = programmes.SelectMany(p => p.Parameters.Where(s => s.FromSimulation is not null)
                .Select(s => (Cause: ReassessmentCause.EventSource(p.Id, s.Sequence), Run: s.FromSimulation!.Value)))
            .ToDictionary(x => x.Cause, x => x.Run);
        var counted = reassessments.Select(e => (Event: e, Data: (EntitlementReassessed)e.Data))
            .Where(x => enacted.ContainsKey(x.Data.CauseSource!)).ToList();
        if (counted.Count == 0) return NullChangeListener.Instance;

        var keys = EventSealing.Of(operations.DocumentStore).Keys.Master;
        var runs = counted.Select(x => enacted[x.Data.CauseSource!]).Distinct().ToList();
        var tallies = (await operations.LoadManyAsync<EnactmentTally>(cancellationToken, runs)).ToDictionary(t => t.Id);
        var named = counted.Select(x => (x.Event, x.Data, Run: enacted[x.Data.CauseSource!],
            Name: SimulatedPerson.Name(keys.BlindIndex, enacted[x.Data.CauseSource!], x.Data.Inputs.Person.CitizenId))).ToList();
        var predictions = (await operations.LoadManyAsync<SimulatedPerson>(cancellationToken, named.Select(n => n.Name.Id).Distinct())).ToDictionary(p => p.Id);

        foreach (var (e, data, run, name) in named)
        {
            var tally = tallies.GetValueOrDefault(run) ?? new EnactmentTally(run, 0, 0, 0);
            if (tally.LastSequence >= e.Sequence) continue;
            var actual = SimulatedSide.Of(data.Decision);
            var predicted = predictions.GetValueOrDefault(name.Id)?.After;
            var matched = predicted == actual;
            tallies[run] = tally with { Reassessed = tally.Reassessed + 1, Matched = tally.Matched + (matched ? 1 : 0), LastSequence = e.Sequence };
            if (!matched)
                operations.Store(new EnactmentDifference(EnactmentDifference.IdFor(run, e.Id), run, e.Sequence, data.Inputs.Person.CitizenId, name.Pseudonym, predicted, actual));
        }
        foreach (var tally in tallies.Values) operations.Store(tally);
        return NullChangeListener.Instance;
    }
}
