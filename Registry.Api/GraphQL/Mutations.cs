using GraphQL;
using GraphQL.Types;
using Registry.Api.Commands;
using Registry.Api.Hosting;

namespace Registry.Api.GraphQL;

/// <summary>The fields every caseworker input shares (schema.graphql: "Every caseworker input also has").</summary>
public abstract class ChangeInput
{
    public int? ExpectedVersion { get; init; }
    public string? IdempotencyKey { get; init; }
    public string? Reason { get; init; }
    public DateOnly? EffectiveDate { get; init; }
}

public static class Mutations
{
    public static void AddChangeFields<T>(this InputObjectGraphType<T> input, bool reasonRequired = false) where T : ChangeInput
    {
        input.Field(x => x.ExpectedVersion, nullable: true)
            .Description("The version you last read; a different current version is rejected with STALE_VERSION.");
        input.Field(x => x.IdempotencyKey, nullable: true)
            .Description("Replaying a request with the same key returns the first result and writes nothing new.");
        if (reasonRequired) input.Field(x => x.Reason, nullable: false);
        else input.Field(x => x.Reason, nullable: true);
        input.Field(x => x.EffectiveDate, nullable: true).Description("When it became true in the world; defaults to today (South African time).");
    }

    /// <summary>Builds the command's context from the caller and the input, and sends it, or holds it for four eyes.</summary>
    public static async Task<CommandResult> SendAsync(this IResolveFieldContext ctx, ChangeInput input, Func<CommandContext, RegistryCommand> command)
    {
        var caller = ctx.Registry();
        var services = ctx.RequestServices!;
        var context = new CommandContext(
            ctx.FieldDefinition.Name,
            caller.Actor,
            caller.CorrelationId,
            input.EffectiveDate ?? services.GetRequiredService<TimeProvider>().Today(),
            input.Reason,
            input.IdempotencyKey,
            input.ExpectedVersion);
        var change = command(context);
        // A sensitive change waits for a second person instead of applying (FourEyes:Commands).
        var requests = services.GetRequiredService<ChangeRequests.ChangeRequesting>();
        return requests.Holds(change)
            ? await requests.RequestAsync(change, ctx.CancellationToken)
            : await services.GetRequiredService<CommandDispatcher>().SendAsync(change, ctx.CancellationToken);
    }
}
