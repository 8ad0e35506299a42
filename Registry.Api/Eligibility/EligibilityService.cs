using Registry.Domain.Common;
using Registry.Domain.Eligibility;
using Registry.Domain.Programmes;

namespace Registry.Api.Eligibility;

/// <summary>
/// An answer to "is this person eligible for X on D, and why?" — or why it could not be answered. People
/// are everyone whose facts the decision was made from (the person, a named applicant, the household's
/// members): its reasons can show their income, so showing the answer is a read of each of them.
/// </summary>
public sealed record EligibilityAnswer(string IdNumber, ProgrammeCode Programme, DateOnly On, EligibilityDecision? Decision, DomainError? Error, Guid? DecisionId = null,
    Guid? CitizenId = null, IReadOnlyList<Guid>? People = null)
{
    /// <summary>A recorded decision evaluated again (audit.replayDecision): it carries the decision's id but is not what was recorded, so it has no receipt.</summary>
    public bool Replay { get; init; }

    public static EligibilityAnswer Recorded(Guid decisionId, EligibilityDecision d, IReadOnlyList<Guid> people) => new(d.IdNumber, d.Programme, d.On, d, null, decisionId, People: people);

    public IReadOnlyList<Guid> Shown => People ?? (CitizenId is { } id ? [id] : []);

    public static IReadOnlyList<Guid> PeopleIn(EligibilityFacts facts) =>
        [.. new[] { facts.Person.CitizenId, facts.Applicant?.CitizenId, facts.Household?.HeadCitizenId }.OfType<Guid>()
            .Concat(facts.Household?.Members.Select(m => m.Person.CitizenId) ?? []).Distinct()];
}

/// <param name="ResidentsOf">When set, only residents of these municipalities are answered; anyone else is not found, as if unregistered.</param>
public sealed record EligibilityQuestion(FactsRequest Facts, ProgrammeCode Programme, IReadOnlyCollection<string>? ResidentsOf = null);

/// <summary>Evaluates many questions with one load of the facts and the programmes' parameters.</summary>
public sealed class EligibilityService(EligibilityFactsLoader loader, Hosting.RegistryMetrics metrics)
{
    public const int MaxBatch = 1_000;

    public async Task<IReadOnlyList<EligibilityAnswer>> EvaluateAsync(IReadOnlyList<EligibilityQuestion> questions, CancellationToken ct)
    {
        var (facts, programmes) = await loader.LoadAsync([.. questions.Select(q => q.Facts)], [.. questions.Select(q => q.Programme).Distinct()], ct);

        return [.. questions.Zip(facts, (q, loaded) =>
        {
            var on = q.Facts.On;
            if (loaded.Error is { } error) return new EligibilityAnswer(q.Facts.IdNumber, q.Programme, on, null, error);
            // Another municipality's resident answers exactly like an unregistered number: a municipality learns nothing of them.
            if (q.ResidentsOf is { } residents && !residents.Contains(loaded.Municipality ?? ""))
                return new EligibilityAnswer(q.Facts.IdNumber, q.Programme, on, null, Citizens.CitizenLookup.NotFound());
            var parameters = programmes.GetValueOrDefault(q.Programme)?.InForceOn(on);
            if (parameters is null)
                return new EligibilityAnswer(q.Facts.IdNumber, q.Programme, on, null,
                    new DomainError(ErrorCodes.NoParametersInForce, $"No parameters of {q.Programme} were in force on {on:yyyy-MM-dd}.", "on"), CitizenId: loaded.Facts!.Person.CitizenId);
            if (EligibilityRules.Unanswerable(q.Programme, loaded.Facts!, on) is { } unanswerable)
                return new EligibilityAnswer(q.Facts.IdNumber, q.Programme, on, null, unanswerable, CitizenId: loaded.Facts!.Person.CitizenId);
            metrics.Decided(q.Programme);
            return new EligibilityAnswer(q.Facts.IdNumber, q.Programme, on, EligibilityRules.Evaluate(q.Programme, loaded.Facts!, parameters, on), null,
                CitizenId: loaded.Facts!.Person.CitizenId, People: EligibilityAnswer.PeopleIn(loaded.Facts));
        })];
    }

    public async Task<EligibilityAnswer> EvaluateAsync(EligibilityQuestion question, CancellationToken ct) =>
        (await EvaluateAsync([question], ct))[0];
}
