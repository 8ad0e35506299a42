using Marten;
using Registry.Api.Commands;
using Registry.Api.Eligibility;
using Registry.Api.Hosting;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;
using Registry.Projections.Households;
using Registry.Projections.Sql;
using Wolverine;

namespace Registry.Api.Reassessment;

// Re-evaluation runs on Wolverine's durable local queues: the messages are stored in the same
// transaction as the change that caused them (outbox), so a restart loses none, and a parameter
// publish over many entitlements is worked off in the background instead of in the request.

/// <summary>A citizen's or household's circumstances changed: re-assess what they and their housemates hold.</summary>
public sealed record CircumstancesChanged(Guid? CitizenId, Guid? HouseholdId, DateOnly EffectiveDate, ReassessmentCause Cause);

/// <summary>
/// New parameters of a programme came into force: re-assess every entitlement held under it. A national
/// programme holds millions, so each handling takes one page of them (after <see cref="After"/>) and
/// sends the next page as a new message.
/// </summary>
public sealed record ParametersChanged(ProgrammeCode Programme, DateOnly EffectiveFrom, ReassessmentCause Cause, Guid? After = null);

/// <summary>Re-assess a batch of entitlements for one cause, in one transaction: one load of facts, one commit.</summary>
public sealed record ReassessEntitlements(IReadOnlyList<Guid> EntitlementIds, DateOnly On, ReassessmentCause Cause, CommandContext Context) : RegistryCommand
{
    public static ReassessEntitlements For(IReadOnlyList<Guid> ids, DateOnly on, ReassessmentCause cause) =>
        new(ids, on, cause, Reassessing.ContextFor("reassessEntitlements", on, cause));
}

/// <summary>Re-assess one entitlement as of a date. The cause names the trigger, so a redelivery records nothing twice.</summary>
public sealed record ReassessEntitlement(Guid EntitlementId, DateOnly On, ReassessmentCause Cause, CommandContext Context) : RegistryCommand
{
    public static ReassessEntitlement For(Guid entitlementId, DateOnly on, ReassessmentCause cause) =>
        new(entitlementId, on, cause, Reassessing.ContextFor("reassessEntitlement", on, cause));

    /// <summary>
    /// A durable message that waits for the day the beneficiary ages out (midnight, South African time);
    /// it carries the correlation id of the request that scheduled it.
    /// </summary>
    public static DeliveryMessage<ReassessEntitlement> AtAgeLimit(Guid entitlementId, DateOnly limit, string correlationId) =>
        For(entitlementId, limit, ReassessmentCause.AgeLimit(limit, correlationId))
            .ScheduledAt(new DateTimeOffset(limit.ToDateTime(TimeOnly.MinValue), Hosting.RegistryClock.SouthAfricanOffset));
}

public static class Reassessments
{
    public static (CommandResult, OutgoingMessages) AfterCitizenChange(CommandResult result, RegistryCommand cmd, string what,
        ReassessmentTrigger trigger = ReassessmentTrigger.CircumstancesChanged) =>
        After(result, cmd, result.StreamId, null, what, trigger);

    public static (CommandResult, OutgoingMessages) AfterHouseholdChange(CommandResult result, RegistryCommand cmd, string what, Guid? citizenId = null) =>
        After(result, cmd, citizenId, result.StreamId, what, ReassessmentTrigger.CircumstancesChanged);

    /// <summary>The command's result, plus a CircumstancesChanged message when it succeeded (sent through the outbox).</summary>
    private static (CommandResult, OutgoingMessages) After(CommandResult result, RegistryCommand cmd, Guid? citizenId, Guid? householdId, string what,
        ReassessmentTrigger trigger)
    {
        var messages = new OutgoingMessages();
        if (result is { Succeeded: true, StreamId: { } stream, Version: { } version })
            messages.Add(new CircumstancesChanged(citizenId, householdId, cmd.Context.EffectiveDate,
                new ReassessmentCause(trigger, ReassessmentCause.EventSource(stream, version), cmd.Context.CorrelationId, what)));
        return (result, messages);
    }
}

public static class CircumstancesChangedHandler
{
    public static async Task<OutgoingMessages> Handle(CircumstancesChanged message, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var affected = new HashSet<Guid>();
        if (message.CitizenId is { } citizenId)
        {
            affected.Add(citizenId);
            if (await session.LoadAsync<HouseholdMembership>(citizenId, ct) is { } membership) await AddMembers(membership.HouseholdId);
        }
        if (message.HouseholdId is { } householdId) await AddMembers(householdId);

        var held = await session.Query<Entitlement>()
            .Where(e => e.BeneficiaryId.IsOneOf(affected.ToArray()) && (e.Status == EntitlementStatus.Active || e.Status == EntitlementStatus.Suspended))
            .Select(e => e.Id).ToListAsync(ct);
        var on = new[] { message.EffectiveDate, clock.Today() }.Max();
        var messages = new OutgoingMessages();
        if (held.Count > 0) messages.Add(ReassessEntitlements.For(held, on, message.Cause));
        return messages;

        async Task AddMembers(Guid householdId)
        {
            if (await session.LoadAsync<Domain.Households.Household>(householdId, ct) is { } household)
                affected.UnionWith(household.Members.Select(m => m.CitizenId));
        }
    }
}

public static class ParametersChangedHandler
{
    public static async Task<OutgoingMessages> Handle(ParametersChanged message, IQuerySession session, RegistrySql sql, TimeProvider clock, IConfiguration configuration, CancellationToken ct)
    {
        var on = new[] { message.EffectiveFrom, clock.Today() }.Max();
        var pageSize = configuration.GetValue("Registry:ReassessmentPageSize", 5_000);
        var page = await session.AdvancedSql.QueryAsync<Guid>(sql.HeldEntitlementsPage, ct, message.Programme.ToString(), message.After ?? Guid.Empty, pageSize);
        var batch = configuration.GetValue("Registry:ReassessmentBatchSize", 100);
        var messages = new OutgoingMessages();
        messages.AddRange(page.Chunk(batch).Select(ids => ReassessEntitlements.For(ids, on, message.Cause)));
        if (page.Count == pageSize) messages.Add(message with { After = page[^1] });
        return messages;
    }
}

public static class ReassessEntitlementsHandler
{
    // Another writer changed one of the batch meanwhile: the retry reloads the batch, and what that
    // writer already re-assessed for this causing change is skipped.
    [Wolverine.Attributes.RetryNow(typeof(JasperFx.ConcurrencyException), 50, 200, 1000, 2000)]
    public static Task<OutgoingMessages> Handle(ReassessEntitlements batch, IDocumentSession session, TimeProvider clock, RegistryMetrics metrics, CancellationToken ct) =>
        Reassessing.RunAsync(session, batch, batch.EntitlementIds, batch.On, batch.Cause, clock, metrics, ct);
}

public static class ReassessEntitlementHandler
{
    // Two re-assessments of one entitlement can race (a household change and a parameter publish): retry the loser.
    [Wolverine.Attributes.RetryNow(typeof(JasperFx.ConcurrencyException), 50, 200, 1000)]
    public static Task<OutgoingMessages> Handle(ReassessEntitlement cmd, IDocumentSession session, TimeProvider clock, RegistryMetrics metrics, CancellationToken ct) =>
        Reassessing.RunAsync(session, cmd, [cmd.EntitlementId], cmd.On, cmd.Cause, clock, metrics, ct);
}

/// <summary>The one way entitlements are re-assessed, one or a batch: one facts load, one transaction.</summary>
public static class Reassessing
{
    /// <summary>
    /// A re-assessment's events carry the correlation id of the request whose change caused it, and the
    /// causing event as their causation id.
    /// </summary>
    public static CommandContext ContextFor(string operation, DateOnly on, ReassessmentCause cause) =>
        new(operation, "system:reassessment", cause.CorrelationId ?? cause.Source, on, cause.Description, CausationId: cause.Source);

    public static async Task<OutgoingMessages> RunAsync(IDocumentSession session, RegistryCommand command, IReadOnlyList<Guid> entitlementIds,
        DateOnly on, ReassessmentCause cause, TimeProvider clock, RegistryMetrics metrics, CancellationToken ct)
    {
        var messages = new OutgoingMessages();
        var held = (await session.LoadManyAsync<Entitlement>(ct, entitlementIds)).Where(e => e.IsHeld && e.LastCause != cause.Source).ToList();
        if (held.Count == 0) return messages;
        var people = (await session.LoadManyAsync<Citizen>(ct, held.SelectMany(e => new[] { e.BeneficiaryId, e.ApplicantId }).OfType<Guid>().Distinct()))
            .ToDictionary(c => c.Id);
        var asked = held.Where(e => people.ContainsKey(e.BeneficiaryId)).ToList();
        var loaded = await new EligibilityFactsLoader(session, clock).LoadAsync(
            [.. asked.Select(e => new FactsRequest(people[e.BeneficiaryId].IdNumber, on, e.ApplicantId is { } a ? people.GetValueOrDefault(a)?.IdNumber : null))],
            [.. asked.Select(e => e.Programme).Distinct()], ct);

        var decisions = new List<(Guid, long, Decision)>();
        foreach (var (entitlement, facts) in asked.Zip(loaded.Facts))
        {
            if (facts.Facts is null) continue;
            var parameters = loaded.Programmes.GetValueOrDefault(entitlement.Programme)?.InForceOn(on);
            var decision = EntitlementDecisions.Reassess(entitlement, facts.Facts, parameters, on, Guid.CreateVersion7(clock.GetUtcNow()), cause);
            decisions.Add((entitlement.Id, entitlement.Version, decision));

            // School can move a foster child's age limit (to 21, or back to the day they left): wait for the new day.
            // The same limit scheduled twice records once, by its cause.
            if (cause.Trigger == ReassessmentTrigger.SchoolAttendance && parameters is not null
                && decision.Events.Count > 0 && !decision.Events.Any(e => e is EntitlementLapsed or EntitlementTerminated)
                && EntitlementDecisions.AgeLimitDate(entitlement.Programme, parameters, facts.Facts.Person) is { } limit && limit > on)
                messages.Add(ReassessEntitlement.AtAgeLimit(entitlement.Id, limit, command.Context.CorrelationId));
        }
        session.AppendDecided(command, decisions, clock);
        metrics.Reassessed(decisions.Count(d => d.Item3.Events.Count > 0));
        return messages;
    }
}
