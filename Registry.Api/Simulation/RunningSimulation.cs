using GraphQL;
using Marten;
using Registry.Api.Commands;
using Registry.Api.Eligibility;
using Registry.Domain.Common;
using Registry.Domain.Eligibility;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;
using Registry.Domain.Simulation;
using Registry.Projections.Privacy;
using Registry.Projections.Simulation;
using Registry.Projections.Sql;
using Wolverine;

namespace Registry.Api.Simulation;

// A run is durable work on its own sequential local queue: one page per message, the page's tallies, its
// people and the message for the next page committed together. A run killed mid-page redoes that page;
// a page already recorded (a redelivery) records nothing, because the run's position has moved past it.

/// <summary>Decide the page of the register after <see cref="After"/> (citizen id order) under both parameter sets.</summary>
public sealed record SimulateNextPage(Guid RunId, Guid After, CommandContext Context) : RegistryCommand
{
    public const string Queue = "simulation";

    public static SimulateNextPage First(Guid runId, string correlationId, DateOnly on) =>
        new(runId, Guid.Empty, new CommandContext("simulatePage", "system:simulation", correlationId, on));
}

public static class SimulateNextPageHandler
{
    [Wolverine.Attributes.RetryNow(typeof(JasperFx.ConcurrencyException), 50, 200, 1000)]
    public static async Task<OutgoingMessages> Handle(SimulateNextPage page, IDocumentSession session, RegistrySql sql, TimeProvider clock,
        IConfiguration configuration, ILogger<SimulationRun> logger, CancellationToken ct)
    {
        var messages = new OutgoingMessages();
        // A pause before each page leaves the service's requests the processor between pages: a run is never urgent.
        if (configuration.GetValue("Registry:SimulationPagePauseMilliseconds", 0) is > 0 and var pause) await Task.Delay(pause, ct);
        var seen = await session.LoadAsync<SimulationRun>(page.RunId, ct);
        if (seen is null || seen.Status is SimulationStatus.Done or SimulationStatus.Failed
            || seen.Status == SimulationStatus.Running && seen.Position != page.After) return messages;

        var now = clock.GetUtcNow();
        var events = new List<object>();
        var run = seen;
        void Record(Decision decision)
        {
            events.AddRange(decision.Events);
            run = decision.Events.Aggregate(run, (r, e) => SimulationRun.Evolve(r, e)!);
        }

        if (run.Status == SimulationStatus.Queued)
            Record(SimulationRun.Start(run, (await session.AdvancedSql.QueryAsync<long>(sql.CitizenCount, ct))[0], now));
        var size = configuration.GetValue("Registry:SimulationPageSize", 1_000);
        var rows = await session.AdvancedSql.QueryAsync<PopulationRow>(sql.SimulationPopulationPage, ct, page.After, size, run.Programme.ToString());
        try
        {
            if (rows.Count > 0)
            {
                var (cells, people) = await SimulatedPage.DecideAsync(session, run, rows, clock, ct);
                foreach (var person in people) session.Store(person);
                Record(SimulationRun.CompletePage(run, page.After, rows[^1].CitizenId, rows.Count, cells));
            }
            if (rows.Count == size) messages.Add(page with { After = rows[^1].CitizenId });
            else Record(SimulationRun.Finish(run, run.Position, now));
        }
        catch (SimulationCannotRun failure)
        {
            // The code only: an exception's text could carry a figure of someone's.
            logger.LogWarning("Simulation {RunId} failed: {Code}", run.Id, failure.Code);
            Record(SimulationRun.Fail(run, failure.Code, now));
            messages = new OutgoingMessages();
        }

        // Appended only on the version read: a concurrent handling of the same page fails here and its retry finds the page done.
        await session.DecideAsync<SimulationRun>(run.Id, page with { Context = page.Context with { ExpectedVersion = seen.Version } }, clock,
            (_, _) => Decision.Accept([.. events]), ct);
        return messages;
    }
}

/// <summary>A run that cannot go on: its baseline is gone, or the rules refused the proposal's figures.</summary>
public sealed class SimulationCannotRun(string code) : Exception("The simulation cannot go on: " + code)
{
    public string Code { get; } = code;
}

/// <summary>One citizen of a page, with the programme's entitlement they hold (and its applicant) if any.</summary>
public sealed record PopulationRow(Guid CitizenId, string IdNumber, Guid? EntitlementId, string? ApplicantIdNumber);

public static class SimulatedPage
{
    /// <summary>
    /// Decides a page of people under the baseline and the proposal, on the same facts (as of the run's date, the
    /// same fold eligibility(on:) uses) and the same rules. The population is everyone alive on the date in the
    /// run's place; a question the rules cannot answer yet (a learner's fees not recorded) leaves the person out.
    /// </summary>
    public static async Task<(Dictionary<string, SimulationTally> Cells, List<SimulatedPerson> People)> DecideAsync(
        IDocumentSession session, SimulationRun run, IReadOnlyList<PopulationRow> rows, TimeProvider clock, CancellationToken ct)
    {
        var programme = await session.LoadAsync<Programme>(ProgrammeInfo.StreamIdFor(run.Programme), ct);
        var baseline = programme?.Version(run.BaselineParameterVersion) ?? throw new SimulationCannotRun("BASELINE_NOT_FOUND");
        var proposed = run.Proposed;
        var loaded = await new EligibilityFactsLoader(session, clock).LoadAsync(
            [.. rows.Select(r => new FactsRequest(r.IdNumber, run.On, r.ApplicantIdNumber))], ct);
        var keys = EventSealing.Of(session).Keys.Master;

        var cells = new Dictionary<string, SimulationTally>();
        var people = new List<SimulatedPerson>();
        foreach (var (row, facts) in rows.Zip(loaded))
        {
            if (facts.Facts is not { } f || !f.Person.AliveOn(run.On)) continue;
            var municipality = facts.Municipality is { } code ? Municipalities.Find(code) : null;
            if (run.MunicipalityCode is { } onlyIn && municipality?.Code != onlyIn) continue;
            if (run.Province is { } province && municipality?.Province != province) continue;
            if (EligibilityRules.Unanswerable(run.Programme, f, run.On) is not null) continue;

            // Decided as the one entitlement of this programme the person holds or would hold, as a re-assessment decides it.
            f = f with { AssessedEntitlementId = Entitlement.StreamIdFor(f.Person.CitizenId, run.Programme) };
            SimulatedOutcome outcome;
            try
            {
                outcome = SimulatedOutcome.Compare(EligibilityRules.Evaluate(run.Programme, f, baseline, run.On), EligibilityRules.Evaluate(run.Programme, f, proposed, run.On));
            }
            catch (KeyNotFoundException)
            {
                throw new SimulationCannotRun("PARAMETER_MISSING");
            }
            SimulationCells.Add(cells, outcome, new Dictionary<SimulationDimension, string>
            {
                [SimulationDimension.Province] = municipality?.Province.ToString().ToConstantCase() ?? "UNKNOWN",
                [SimulationDimension.Municipality] = municipality?.Code ?? "UNKNOWN",
                [SimulationDimension.AgeBand] = SimulatedOutcome.AgeBand(f.Person.AgeOn(run.On)),
                [SimulationDimension.Sex] = facts.Sex?.ToString().ToConstantCase() ?? "UNKNOWN",
                [SimulationDimension.HouseholdSize] = SimulatedOutcome.HouseholdSize(f.Household?.Members.Count),
            });
            if (outcome.Kind is null && row.EntitlementId is null) continue;
            var (id, pseudonym) = SimulatedPerson.Name(keys.BlindIndex, run.Id, row.CitizenId);
            people.Add(new SimulatedPerson(id, run.Id, pseudonym, row.CitizenId, outcome.Kind, outcome.Before, outcome.After, outcome.ChangedCriteria, row.EntitlementId));
        }
        return (cells, people);
    }
}
