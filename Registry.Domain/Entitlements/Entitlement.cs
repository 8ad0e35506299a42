using System.Security.Cryptography;
using System.Text;
using Registry.Domain.Common;
using Registry.Domain.Eligibility;
using Registry.Domain.Eligibility.Programmes;
using Registry.Domain.Programmes;

namespace Registry.Domain.Entitlements;

public enum EntitlementStatus { Applied, Active, Rejected, Suspended, Lapsed, Terminated }

public sealed record RecordedDecision(Guid DecisionId, EligibilityDecision Decision);

/// <summary>The current state of one entitlement, folded from its stream.</summary>
public sealed record Entitlement(
    Guid Id,
    ProgrammeCode Programme,
    Guid BeneficiaryId,
    Guid? ApplicantId,
    EntitlementStatus Status,
    decimal? MonthlyAmount = null,
    DateOnly? Since = null,
    RecordedDecision? LastDecision = null,
    bool EverGranted = false,
    /// <summary>The change the last re-assessment came from (<see cref="ReassessmentCause.Source"/>).</summary>
    string? LastCause = null,
    SuspendedBy? SuspendedBy = null,
    long Version = 0)
{
    /// <summary>One stream per beneficiary × programme, named without the ID number (which must stay erasable).</summary>
    public static Guid StreamIdFor(Guid beneficiaryId, ProgrammeCode programme)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"entitlement:{beneficiaryId:N}:{programme}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    public bool IsHeld => Status is EntitlementStatus.Active or EntitlementStatus.Suspended;

    public EntitlementHolding AsHolding(DateOnly on) =>
        new(Id, Programme, BeneficiaryId, Status == EntitlementStatus.Active && Since <= on, EverGranted);

    /// <summary>The events <see cref="Evolve"/> folds: what a projection of entitlements reads, and nothing else.</summary>
    public static readonly IReadOnlyList<Type> EventTypes =
    [
        typeof(EntitlementApplied), typeof(EntitlementAssessed), typeof(EntitlementGranted), typeof(EntitlementRejected), typeof(EntitlementReassessed),
        typeof(EntitlementSuspended), typeof(EntitlementLapsed), typeof(EntitlementTerminated), typeof(EntitlementAmountChanged), typeof(EntitlementReinstated),
    ];

    public static Entitlement? Evolve(Entitlement? state, object @event) => (state, @event) switch
    {
        (_, EntitlementApplied e) => new Entitlement(e.EntitlementId, e.Programme, e.BeneficiaryId, e.ApplicantId, EntitlementStatus.Applied,
            EverGranted: state?.EverGranted ?? false),
        (null, _) => null,
        (var s, EntitlementAssessed e) => s with { LastDecision = new RecordedDecision(e.DecisionId, e.Decision) },
        (var s, EntitlementGranted e) => s with { Status = EntitlementStatus.Active, MonthlyAmount = e.MonthlyAmount, Since = e.Since, EverGranted = true },
        (var s, EntitlementRejected) => s with { Status = EntitlementStatus.Rejected, MonthlyAmount = null },
        (var s, EntitlementReassessed e) => s with { LastDecision = new RecordedDecision(e.DecisionId, e.Decision), LastCause = e.CauseSource ?? e.Cause },
        (var s, EntitlementSuspended e) => s with { Status = EntitlementStatus.Suspended, SuspendedBy = e.By },
        (var s, EntitlementLapsed) => s with { Status = EntitlementStatus.Lapsed },
        // Ended by the beneficiary's erasure: the decision it held named them, so it is not kept.
        (var s, EntitlementTerminated { Cause: Citizens.Erasure.TerminationCause }) => s with { Status = EntitlementStatus.Terminated, LastDecision = null },
        (var s, EntitlementTerminated) => s with { Status = EntitlementStatus.Terminated },
        (var s, EntitlementAmountChanged e) => s with { MonthlyAmount = e.MonthlyAmount },
        (var s, EntitlementReinstated) => s with { Status = EntitlementStatus.Active, SuspendedBy = null },
        var (s, _) => s,
    };
}

/// <summary>Pure decisions on the Entitlement stream.</summary>
public static class EntitlementDecisions
{
    /// <summary>Applying assesses at once: the recorded decision, then granted or rejected.</summary>
    public static Decision Apply(Entitlement? current, Guid entitlementId, ProgrammeCode programme, Guid beneficiaryId, Guid? applicantId,
        EligibilityFacts facts, ParameterSet? parameters, DateOnly on, Guid decisionId)
    {
        if (current is { IsHeld: true })
            return Decision.Reject(ErrorCodes.AlreadyEntitled, $"The beneficiary already holds this entitlement ({current.Status.ToString().ToUpperInvariant()}).", "beneficiaryIdNumber");
        if (parameters is null)
            return Decision.Reject(ErrorCodes.NoParametersInForce, $"No parameters of {programme} were in force on {on:yyyy-MM-dd}.", "effectiveDate");
        if (!facts.Person.AliveOn(on))
            return Decision.Reject(ErrorCodes.CitizenDeceased, "A deceased person cannot apply.", "beneficiaryIdNumber");
        if (EligibilityRules.Unanswerable(programme, facts, on) is { } unanswerable)
            return Decision.Reject(unanswerable with { Field = "effectiveDate" });

        var decision = EligibilityRules.Evaluate(programme, facts with { AssessedEntitlementId = entitlementId }, parameters, on);
        return Decision.Accept(
            new EntitlementApplied(entitlementId, programme, beneficiaryId, applicantId),
            new EntitlementAssessed(decisionId, decision, facts with { AssessedEntitlementId = entitlementId }),
            decision.Eligible ? new EntitlementGranted(decisionId, decision.MonthlyAmount, on) : new EntitlementRejected(decisionId));
    }

    /// <summary>
    /// Re-assesses a held entitlement after a change elsewhere. Every re-assessment is recorded with its
    /// inputs; then death terminates, an age limit lapses, ineligibility suspends, a new amount is recorded,
    /// and a grant this process suspended is reinstated once the person qualifies again. A caseworker's
    /// suspension (say, pending an investigation) is left for a caseworker to lift.
    /// The same causing change twice records nothing the second time (messages may be delivered more than once).
    /// </summary>
    public static Decision Reassess(Entitlement e, EligibilityFacts facts, ParameterSet? parameters, DateOnly on, Guid decisionId, ReassessmentCause cause)
    {
        if (!e.IsHeld || parameters is null || e.LastCause == cause.Source) return Decision.Accept();
        facts = facts with { AssessedEntitlementId = e.Id };
        var decision = EligibilityRules.Evaluate(e.Programme, facts, parameters, on);
        var events = new List<object> { new EntitlementReassessed(decisionId, cause.Description, decision, facts, cause.Trigger, cause.Source) };

        if (facts.Person.DateOfDeath is { } died && died <= on)
            events.Add(new EntitlementTerminated(died, "death"));
        else if (AgeLimitDate(e.Programme, parameters, facts.Person) is { } limit && limit <= on)
            events.Add(new EntitlementLapsed(limit));
        else if (!decision.Eligible && e.Status == EntitlementStatus.Active)
            events.Add(new EntitlementSuspended(on, SuspendedBy.Reassessment));
        else if (decision.Eligible && (e.Status == EntitlementStatus.Active || e.SuspendedBy == SuspendedBy.Reassessment))
        {
            if (e.Status == EntitlementStatus.Suspended) events.Add(new EntitlementReinstated(on));
            if (decision.MonthlyAmount != e.MonthlyAmount) events.Add(new EntitlementAmountChanged(decision.MonthlyAmount, on));
        }
        return Decision.Accept([.. events]);
    }

    /// <summary>
    /// The day a beneficiary ages out: 18th birthday for child grants, the day after the upper age for adults.
    /// A foster child in school keeps the grant to 21; one who leaves school after 18 ages out on the day they left.
    /// </summary>
    public static DateOnly? AgeLimitDate(ProgrammeCode programme, ParameterSet parameters, PersonFacts person)
    {
        var born = person.DateOfBirth;
        return programme switch
        {
            ProgrammeCode.FosterChildGrant => FosterChildAgeLimitDate(FosterChildGrantParameters.From(parameters), person),
            ProgrammeCode.ChildSupportGrant => born.AddYears((int)ChildSupportGrantParameters.From(parameters).AgeLimit),
            ProgrammeCode.CareDependencyGrant => born.AddYears((int)CareDependencyGrantParameters.From(parameters).AgeLimit),
            ProgrammeCode.DisabilityGrant => born.AddYears((int)DisabilityGrantParameters.From(parameters).MaxAge + 1),
            ProgrammeCode.SocialReliefOfDistress => born.AddYears((int)SocialReliefOfDistressParameters.From(parameters).MaxAge + 1),
            _ => null,
        };
    }

    private static DateOnly FosterChildAgeLimitDate(FosterChildGrantParameters p, PersonFacts person)
    {
        var born = person.DateOfBirth;
        var ageLimit = born.AddYears((int)p.AgeLimit);
        if (p.AgeLimitInSchool is not { } years) return ageLimit;
        var inSchoolLimit = born.AddYears((int)years);
        if (person.AttendingSchool) return inSchoolLimit;
        return person.School is { Attending: false } left && left.From > ageLimit ? new[] { left.From, inSchoolLimit }.Min() : ageLimit;
    }

    /// <summary>The beneficiary was erased: whatever the status, the entitlement ends from the erasure date.</summary>
    public static Decision EndByErasure(DateOnly on) =>
        Decision.Accept(new EntitlementTerminated(on, Citizens.Erasure.TerminationCause));

    /// <summary>A caseworker suspends an active grant from <paramref name="on"/>, which has happened by <paramref name="today"/>.</summary>
    public static Decision Suspend(Entitlement e, string? reason, DateOnly on, DateOnly today)
    {
        if (on > today) return FutureDate();
        if (string.IsNullOrWhiteSpace(reason)) return Decision.Reject(ErrorCodes.ReasonRequired, "A suspension needs a reason.", "reason");
        if (e.Status != EntitlementStatus.Active)
            return Decision.Reject(ErrorCodes.InvalidStatus, $"Only an active entitlement can be suspended; this one is {e.Status.ToString().ToUpperInvariant()}.", "entitlementId");
        return Decision.Accept(new EntitlementSuspended(on));
    }

    /// <summary>A caseworker lifts a suspension from <paramref name="on"/>, which has happened by <paramref name="today"/>.</summary>
    public static Decision Reinstate(Entitlement e, string? reason, DateOnly on, DateOnly today)
    {
        if (on > today) return FutureDate();
        if (string.IsNullOrWhiteSpace(reason)) return Decision.Reject(ErrorCodes.ReasonRequired, "A reinstatement needs a reason.", "reason");
        if (e.Status != EntitlementStatus.Suspended)
            return Decision.Reject(ErrorCodes.InvalidStatus, $"Only a suspended entitlement can be reinstated; this one is {e.Status.ToString().ToUpperInvariant()}.", "entitlementId");
        return Decision.Accept(new EntitlementReinstated(on));
    }

    private static Decision FutureDate() =>
        Decision.Reject(ErrorCodes.InvalidDate, "The effective date cannot be in the future.", "effectiveDate");
}
