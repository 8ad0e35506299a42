using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Domain.Common;
using Registry.Domain.Entitlements;

namespace Registry.Api.Entitlements;

public sealed record SuspendEntitlement(string EntitlementId, CommandContext Context) : RegistryCommand;

public sealed record ReinstateEntitlement(string EntitlementId, CommandContext Context) : RegistryCommand;

public static class SuspendEntitlementHandler
{
    public static Task<CommandResult> Handle(SuspendEntitlement cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        EntitlementStatusChange.DecideAsync(session, cmd, cmd.EntitlementId, clock, ct,
            (e, today) => EntitlementDecisions.Suspend(e, cmd.Context.Reason, cmd.Context.EffectiveDate, today));
}

public static class ReinstateEntitlementHandler
{
    public static Task<CommandResult> Handle(ReinstateEntitlement cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        EntitlementStatusChange.DecideAsync(session, cmd, cmd.EntitlementId, clock, ct,
            (e, today) => EntitlementDecisions.Reinstate(e, cmd.Context.Reason, cmd.Context.EffectiveDate, today));
}

public sealed class EntitlementActionInput : ChangeInput
{
    public string EntitlementId { get; init; } = "";
}

public sealed class EntitlementActionInputType : InputObjectGraphType<EntitlementActionInput>
{
    public EntitlementActionInputType()
    {
        Name = "EntitlementActionInput";
        Field<NonNullGraphType<IdGraphType>>("entitlementId");
        this.AddChangeFields(reasonRequired: true);
    }
}

public static class EntitlementStatusChange
{
    /// <summary>A caseworker's change of an existing entitlement, named by its id.</summary>
    public static Task<CommandResult> DecideAsync(IDocumentSession session, RegistryCommand cmd, string entitlementId,
        TimeProvider clock, CancellationToken ct, Func<Entitlement, DateOnly, Decision> decide)
    {
        var notFound = new DomainError(ErrorCodes.NotFound, "No entitlement with this id exists.", "entitlementId");
        return Guid.TryParse(entitlementId, out var id)
            ? session.DecideAsync(id, cmd, clock, notFound, decide, ct)
            : Task.FromResult(CommandResult.Rejected(notFound));
    }

    public static void AddTo(ObjectGraphType mutation)
    {
        Add(mutation, "suspendEntitlement", (input, c) => new SuspendEntitlement(input.EntitlementId, c));
        Add(mutation, "reinstateEntitlement", (input, c) => new ReinstateEntitlement(input.EntitlementId, c));
    }

    private static void Add(ObjectGraphType mutation, string name, Func<EntitlementActionInput, CommandContext, RegistryCommand> command) =>
        mutation.Field<NonNullGraphType<EntitlementPayloadType>>(name)
            .Argument<NonNullGraphType<EntitlementActionInputType>>("input")
            .AuthorizeWithRoles(Roles.Caseworker)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<EntitlementActionInput>("input");
                return await EntitlementFields.PayloadAsync(ctx, await ctx.SendAsync(input, c => command(input, c)));
            });
}
