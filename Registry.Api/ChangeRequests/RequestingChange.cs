using Marten;
using Registry.Api.Commands;
using Registry.Domain.ChangeRequests;
using Registry.Domain.Common;
using Registry.Projections.Privacy;

namespace Registry.Api.ChangeRequests;

/// <summary>
/// A sensitive command held for a second person. Its facts travel plain (so a retry with the same idempotency key
/// fingerprints alike) and are sealed under the person's key as the handler stores them.
/// </summary>
public sealed record RequestChange(string CommandType, string Facts, Guid SubjectStreamId, Guid? PersonId, string Summary, CommandContext Context) : RegistryCommand;

public static class RequestChangeHandler
{
    public static async Task<CommandResult> Handle(RequestChange cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        // Pinned to the record as it is now: approval applies the change at this version or not at all.
        var current = (await session.Events.FetchStreamStateAsync(cmd.SubjectStreamId, ct))?.Version ?? 0;
        if (cmd.Context.ExpectedVersion is { } expected && expected != current)
            return CommandResult.Rejected(ErrorCodes.StaleVersion, "The record was changed by someone else since you read it; reload it and try again.", "expectedVersion");
        var sealing = EventSealing.Of(session);
        string? Seal(string? text) => text is null || cmd.PersonId is not { } person ? text : sealing.SealText(person, text);
        var id = Guid.CreateVersion7();
        var requested = new ChangeRequested(id, cmd.Context.Operation, cmd.Summary, cmd.SubjectStreamId, cmd.PersonId, current,
            cmd.CommandType, Seal(cmd.Facts)!, cmd.Context.EffectiveDate, Seal(cmd.Context.Reason?.Trim()), cmd.Context.Actor, clock.GetUtcNow());
        // The reason is kept in the request itself, not again as the event's header.
        return session.StartStream<ChangeRequest>(id, Decision.Accept(requested), cmd with { Context = cmd.Context with { Reason = null } }, clock);
    }
}

/// <summary>Turns a command the policy holds into a change request, and answers as the mutation's payload expects.</summary>
public sealed class ChangeRequesting(FourEyesPolicy policy, CommandDispatcher dispatcher, ISessionFactory sessions, TimeProvider clock)
{
    public bool Holds(RegistryCommand command) => policy.Holds(command);

    public async Task<CommandResult> RequestAsync(RegistryCommand command, CancellationToken ct)
    {
        // The primary's session: a request just written is read back from where it was written.
        await using var session = sessions.QuerySession();
        var (subject, error) = await FourEyesPolicy.SubjectAsync(command, session, clock, ct);
        if (error is not null) return CommandResult.Rejected(error);
        var result = await dispatcher.SendAsync(new RequestChange(command.GetType().FullName!, FourEyesPolicy.FactsOf(command),
            subject!.StreamId, subject.PersonId, subject.Summary, command.Context), ct);
        if (!result.Succeeded) return result;
        // A retry with the same key answers with the request first made, whatever the record is now.
        var request = await session.LoadAsync<ChangeRequest>(result.StreamId!.Value, ct)
                      ?? throw new InvalidOperationException($"Change request {result.StreamId} was written but cannot be read.");
        return CommandResult.Held(request.SubjectStreamId, request.SubjectVersion, request.Id);
    }
}
