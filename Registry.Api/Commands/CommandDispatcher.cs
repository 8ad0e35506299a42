using JasperFx;
using JasperFx.Events;
using Marten;
using Npgsql;
using Registry.Domain.Common;
using Registry.Projections;
using Registry.Projections.Households;
using Wolverine;

namespace Registry.Api.Commands;

/// <summary>
/// Sends caseworker commands through Wolverine and turns the store's refusals into stable user errors.
/// Handles idempotent replays: a key seen before answers with the first outcome and sends nothing.
/// </summary>
public sealed class CommandDispatcher(IMessageBus bus, ISessionFactory sessions, IDocumentStore store, ILogger<CommandDispatcher> logger)
{
    public async Task<CommandResult> SendAsync<TCommand>(TCommand command, CancellationToken ct) where TCommand : RegistryCommand
    {
        var context = command.Context;
        if (context.IdempotencyKey is { } key)
        {
            if (key.Length is 0 or > 200)
                return CommandResult.Rejected(ErrorCodes.InvalidInput, "An idempotency key has 1-200 characters.", "idempotencyKey");
            // Computed once here; the handler stores the same value with the first outcome.
            context = context with { Fingerprint = CommandFingerprint.Of(command, Projections.Privacy.EventSealing.Of(store).Keys.Master) };
            command = command with { Context = context };
            if (await FindFirstOutcome(context, ct) is { } first) return first;
        }

        try
        {
            return await bus.InvokeAsync<CommandResult>(command, ct);
        }
        catch (Exception ex) when (IsIdempotencyRace(ex) || StoreRefusal(ex) is not null)
        {
            // Retries of one request raced and another won (by key or by stream version): its outcome is the answer.
            if (context.IdempotencyKey is not null && await FindFirstOutcome(context, ct) is { } first)
                return first;
            var error = StoreRefusal(ex)
                        ?? new DomainError(ErrorCodes.StaleVersion, "A concurrent retry of this request is still being written; try again.");
            logger.LogInformation("{Operation} refused by the store: {Code}", context.Operation, error.Code);
            return CommandResult.Rejected(error);
        }
    }

    private async Task<CommandResult?> FindFirstOutcome(CommandContext context, CancellationToken ct)
    {
        // The configured factory's session: with read replicas it reads the primary, where the first outcome was written.
        await using var session = sessions.QuerySession();
        var record = await session.LoadAsync<IdempotencyRecord>(IdempotencyRecord.IdFor(context.Operation, context.IdempotencyKey!), ct);
        if (record is null) return null;
        return record.Fingerprint == context.Fingerprint
            ? CommandResult.Accepted(record.StreamId, record.Version)
            : CommandResult.Rejected(ErrorCodes.IdempotencyKeyReused, "This idempotency key was already used for a different request.", "idempotencyKey");
    }

    private static bool IsIdempotencyRace(Exception ex) =>
        ex is DocumentAlreadyExistsException { DocType: var t } && t == typeof(IdempotencyRecord)
        || UniqueViolation(ex) is { TableName: var table } && table?.Contains("idempotencyrecord", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The store-level guarantees (unique ID number, one household per citizen, stream versions) as user errors.</summary>
    private static DomainError? StoreRefusal(Exception ex)
    {
        if (ex is DocumentAlreadyExistsException { DocType: var docType } && docType == typeof(HouseholdMembership))
            return AlreadyInHousehold();
        if (UniqueViolation(ex) is { } pg)
        {
            if (pg.ConstraintName == RegistryDocuments.CitizenIdNumberIndex)
                return new DomainError(ErrorCodes.DuplicateIdNumber, "A citizen with this ID number is already registered.", "idNumber");
            if (pg.TableName?.Contains("householdmembership", StringComparison.OrdinalIgnoreCase) == true)
                return AlreadyInHousehold();
        }
        // Two writers of one stream: a version conflict, or both starting it at once.
        if (ex is ConcurrencyException or EventStreamUnexpectedMaxEventIdException || FindInner<ConcurrencyException>(ex) is not null
            || FindInner<ExistingStreamIdCollisionException>(ex) is not null || FindInner<Marten.Exceptions.ExistingStreamIdCollisionException>(ex) is not null
            || UniqueViolation(ex) is { TableName: "mt_streams" or "mt_events" })
            return new DomainError(ErrorCodes.StaleVersion, "The record was changed by someone else since you read it; reload it and try again.", "expectedVersion");
        return null;
    }

    private static DomainError AlreadyInHousehold() =>
        new(ErrorCodes.AlreadyInHousehold, "The citizen already belongs to a household; they must leave it first.", "idNumber");

    private static PostgresException? UniqueViolation(Exception ex) =>
        FindInner<PostgresException>(ex) is { SqlState: PostgresErrorCodes.UniqueViolation } pg ? pg : null;

    private static T? FindInner<T>(Exception? ex) where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is T match) return match;
        return null;
    }
}
