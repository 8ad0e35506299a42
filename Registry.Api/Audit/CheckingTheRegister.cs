using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
using Registry.Api.GraphQL;
using Registry.Projections.Integrity;
using Registry.Projections.Sql;
using Wolverine;

namespace Registry.Api.Audit;

// The whole register's chains are recomputed in the background: one page of the event log per durable
// message on its own sequential queue, the progress stored with each page, so an auditor can follow a check
// of millions of events (and a restart goes on from the last page) instead of holding a request open.

/// <summary>An auditor asks for the whole register to be checked.</summary>
public sealed record StartRegisterCheck(string RequestedBy);

public static class StartRegisterCheckHandler
{
    /// <summary>The check and its first page's message are stored together: a check is never left without its work.</summary>
    public static async Task<(RegisterCheck, OutgoingMessages)> Handle(StartRegisterCheck command, IDocumentSession session, RegistrySql sql, TimeProvider clock, CancellationToken ct)
    {
        var total = (await session.AdvancedSql.QueryAsync<long>(sql.EventCount, ct))[0];
        var check = new RegisterCheck(Guid.CreateVersion7(clock.GetUtcNow()), command.RequestedBy, clock.GetUtcNow(), total, ChainProgress.Start);
        session.Store(check);
        return (check, [new CheckRegisterPage(check.Id, 0)]);
    }
}

/// <summary>Check the page of the event log that the check's <see cref="Page"/> names.</summary>
public sealed record CheckRegisterPage(Guid CheckId, int Page)
{
    public const string Queue = "register-check";
}

public static class CheckRegisterPageHandler
{
    public static async Task<OutgoingMessages> Handle(CheckRegisterPage message, IDocumentSession session, TimeProvider clock, CheckpointKey key, CancellationToken ct)
    {
        var messages = new OutgoingMessages();
        // A message already handled (redelivered after its commit) finds the check past its page.
        if (await session.LoadAsync<RegisterCheck>(message.CheckId, ct) is not { Done: false } check || check.Pages != message.Page) return messages;
        var (progress, more) = await EventChainVerifier.VerifyPageAsync(session, check.Progress, null, ct);
        check = check with { Progress = progress, Pages = check.Pages + 1 };
        if (more) messages.Add(new CheckRegisterPage(check.Id, check.Pages));
        else check = check with { Checkpoints = await IntegrityCheckpoints.VerifyAsync(session, key.Bytes, ct), FinishedAt = clock.GetUtcNow() };
        session.Store(check);
        return messages;
    }
}

public enum RegisterCheckStatus { Running, Done }

public sealed class RegisterCheckStatusType : EnumerationGraphType<RegisterCheckStatus>;

public sealed class RegisterCheckType : ObjectGraphType<RegisterCheck>
{
    public RegisterCheckType()
    {
        Name = "RegisterCheck";
        Description = "A check of the whole register's hash chains and signed checkpoints, worked off in the background.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field<NonNullGraphType<RegisterCheckStatusType>>("status").Resolve(ctx => ctx.Source.Done ? RegisterCheckStatus.Done : RegisterCheckStatus.Running);
        Field<NonNullGraphType<LongGraphType>>("eventsChecked").Resolve(ctx => ctx.Source.Progress.Events);
        Field<NonNullGraphType<LongGraphType>>("eventsTotal").Description("Events in the register when the check began; more may be written while it runs.")
            .Resolve(ctx => ctx.Source.Total);
        Field(x => x.RequestedBy);
        Field(x => x.RequestedAt);
        Field(x => x.FinishedAt, nullable: true);
        Field<IntegrityReportType>("report").Description("Null until the check is done.")
            .Resolve(ctx => ctx.Source.Done ? new IntegrityView(ctx.Source.Progress.Report, ctx.Source.Checkpoints) : null);
    }
}

public static class CheckingTheRegister
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<RegisterCheckType>>("startRegisterCheck")
            .Description("Starts a check of the whole register's hash chains and signed checkpoints; follow it with audit.registerCheck(id).")
            .AuthorizeWithRoles(Roles.Auditor)
            .ResolveAsync(async ctx => await ctx.RequestServices!.GetRequiredService<IMessageBus>()
                .InvokeAsync<RegisterCheck>(new StartRegisterCheck(ctx.Registry().Actor), ctx.CancellationToken));

    public static void AddToAudit(ObjectGraphType<AuditRoot> audit) =>
        audit.Field<RegisterCheckType>("registerCheck")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx => Guid.TryParse(ctx.GetArgument<string>("id"), out var id)
                ? await ctx.RequestServices!.GetRequiredService<IQuerySession>().LoadAsync<RegisterCheck>(id, ctx.CancellationToken)
                : null);
}
