using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Domain.ChangeRequests;
using Registry.Domain.Common;
using Registry.Projections.Privacy;

namespace Registry.Api.ChangeRequests;

public enum ChangeOutcome { Approve, Reject, Supersede, Withdraw }

/// <summary>The decision on a change request, appended at the version the decider saw (two deciders at once: one wins).</summary>
public sealed record DecideChangeRequest(Guid RequestId, ChangeOutcome Outcome, string? Note, long? AppliedVersion, string? Code, CommandContext Context) : RegistryCommand;

public static class DecideChangeRequestHandler
{
    public static Task<CommandResult> Handle(DecideChangeRequest cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<ChangeRequest>(cmd.RequestId, cmd, clock, ChangeDecisions.NoSuchRequest, (request, _) =>
        {
            var now = clock.GetUtcNow();
            var by = cmd.Context.Actor;
            // The decider's words are about the person, as the request's are: sealed under their key.
            var note = string.IsNullOrWhiteSpace(cmd.Note) ? null
                : request.PersonId is { } person ? EventSealing.Of(session).SealText(person, cmd.Note.Trim()) : cmd.Note.Trim();
            return cmd.Outcome switch
            {
                ChangeOutcome.Approve => ChangeRequestDecisions.Approve(request, by, note, cmd.AppliedVersion!.Value, now),
                ChangeOutcome.Reject => ChangeRequestDecisions.Reject(request, by, note, now),
                ChangeOutcome.Supersede => ChangeRequestDecisions.Supersede(request, by, cmd.Code!, now),
                _ => ChangeRequestDecisions.Withdraw(request, by, now),
            };
        }, ct);
}

/// <summary>The answer to approving, rejecting or withdrawing: the request as it now stands, or why nothing changed.</summary>
public sealed record ChangeRequestPayload(ChangeRequest? ChangeRequest, IReadOnlyList<DomainError> Errors);

/// <summary>
/// Approval runs the held command as it was asked: by the person who asked (the events' user), with the approver
/// recorded beside them, at the record's version of the request. The command's own idempotency key is the
/// request's, so an approval retried after a crash applies it once. A record changed meanwhile, or a command the
/// record now refuses, closes the request as superseded, with the refusal as the answer.
/// </summary>
public sealed class ChangeDecisions(CommandDispatcher dispatcher, ISessionFactory sessions, TimeProvider clock)
{
    public static readonly DomainError NoSuchRequest = new(ErrorCodes.NotFound, "No change request has this id.", "id");

    public async Task<ChangeRequestPayload> DecideAsync(IResolveFieldContext ctx, ChangeOutcome outcome, CancellationToken ct)
    {
        var caller = ctx.Registry();
        await using var session = sessions.QuerySession();
        if (!Guid.TryParse(ctx.GetArgument<string>("id"), out var id) || await session.LoadAsync<ChangeRequest>(id, ct) is not { } request)
            return Refused(NoSuchRequest);
        var note = ctx.GetArgument<string?>("reason");
        if (outcome != ChangeOutcome.Withdraw)
        {
            if (!Roles.Satisfies(caller.User, [FourEyesPolicy.ApproverRole(request.Operation)]))
                return Refused(new DomainError(ErrorCodes.Forbidden, $"Deciding a {request.Operation} request needs the {FourEyesPolicy.ApproverRole(request.Operation)} role.", "id"));
            if (ChangeRequestDecisions.MayDecide(request, caller.Actor) is { } refused) return Refused(refused);
        }

        long? applied = null;
        string? code = null;
        DomainError? appliedError = null;
        if (outcome == ChangeOutcome.Approve)
        {
            var result = await ApplyAsync(session, request, caller, ct);
            if (result.Succeeded) applied = result.Version;
            else (outcome, code, appliedError) = (ChangeOutcome.Supersede, result.Errors[0].Code, result.Errors[0]);
        }
        var decided = await dispatcher.SendAsync(new DecideChangeRequest(id, outcome, note, applied, code,
            new CommandContext(ctx.FieldDefinition.Name, caller.Actor, caller.CorrelationId, Hosting.RegistryClock.Today(clock), ExpectedVersion: request.Version)), ct);
        if (!decided.Succeeded) return Refused(decided.Errors[0]);
        var now = await session.LoadAsync<ChangeRequest>(id, ct);
        return new ChangeRequestPayload(now, appliedError is null ? [] : [appliedError]);
    }

    private async Task<CommandResult> ApplyAsync(IQuerySession session, ChangeRequest request, RegistryUserContext caller, CancellationToken ct)
    {
        var sealing = EventSealing.Of(session);
        var facts = sealing.OpenText(request.Facts);
        var context = new CommandContext(request.Operation, request.RequestedBy, caller.CorrelationId, request.EffectiveDate,
            Reason: sealing.OpenText(request.Reason), IdempotencyKey: $"change-request:{request.Id:N}", ExpectedVersion: request.SubjectVersion,
            CausationId: Domain.Entitlements.ReassessmentCause.EventSource(request.Id, request.Version + 1), ApprovedBy: caller.Actor);
        // An erased person's request cannot be read any more, so it cannot be applied.
        return facts == Domain.Citizens.Erasure.Placeholder || FourEyesPolicy.Rebuild(request.CommandType, facts!, context) is not { } command
            ? CommandResult.Rejected(new DomainError(ErrorCodes.NotFound, "The record this change was asked for no longer exists.", "id"))
            : await dispatcher.SendAsync(command, ct);
    }

    private static ChangeRequestPayload Refused(DomainError error) => new(null, [error]);
}

public sealed class ChangeRequestPayloadType : ObjectGraphType<ChangeRequestPayload>
{
    public ChangeRequestPayloadType()
    {
        Name = "ChangeRequestPayload";
        Field<ChangeRequestType>("changeRequest").Resolve(ctx => ctx.Source.ChangeRequest);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}

public static class DecidingChange
{
    public static void AddTo(ObjectGraphType mutation)
    {
        Add(mutation, "approveChange", ChangeOutcome.Approve, "Applies a held change as it was asked, if the record has not changed since; never your own request.",
            Roles.Supervisor, Roles.Admin);
        Add(mutation, "rejectChange", ChangeOutcome.Reject, "Closes a held change without applying it, saying why; never your own request.",
            Roles.Supervisor, Roles.Admin);
        Add(mutation, "withdrawChange", ChangeOutcome.Withdraw, "Takes back a change you asked for, while it waits.", Roles.Caseworker);
    }

    private static void Add(ObjectGraphType mutation, string name, ChangeOutcome outcome, string description, params string[] roles)
    {
        var field = mutation.Field<NonNullGraphType<ChangeRequestPayloadType>>(name).Description(description)
            .Argument<NonNullGraphType<IdGraphType>>("id");
        if (outcome != ChangeOutcome.Withdraw)
            field.Argument<StringGraphType>("reason", a => a.Description = outcome == ChangeOutcome.Reject ? "Required: why it is rejected." : "Optional.");
        field.AuthorizeWithRoles(roles)
            .ResolveAsync(async ctx => await ctx.RequestServices!.GetRequiredService<ChangeDecisions>().DecideAsync(ctx, outcome, ctx.CancellationToken));
    }
}
