using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Domain.Appeals;
using Registry.Domain.Common;

namespace Registry.Api.Appeals;

public sealed record RecordAppealEvidence(string AppealId, string Evidence, CommandContext Context) : RegistryCommand;

public static class RecordAppealEvidenceHandler
{
    public static Task<CommandResult> Handle(RecordAppealEvidence cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Guid.TryParse(cmd.AppealId, out var id)
            ? session.DecideAsync<Appeal>(id, cmd, clock, AppealFields.NotFound,
                (appeal, _) => AppealDecisions.RecordEvidence(appeal, cmd.Evidence, cmd.Context.Actor, clock.GetUtcNow()), ct)
            : Task.FromResult(CommandResult.Rejected(AppealFields.NotFound));
}

public sealed class RecordAppealEvidenceInput : ChangeInput
{
    public string AppealId { get; init; } = "";
    public string Evidence { get; init; } = "";
}

public sealed class RecordAppealEvidenceInputType : InputObjectGraphType<RecordAppealEvidenceInput>
{
    public RecordAppealEvidenceInputType()
    {
        Name = "RecordAppealEvidenceInput";
        Field<NonNullGraphType<IdGraphType>>("appealId");
        Field(x => x.Evidence).Description("What was received or found (a medical report, a payslip); sealed under the person's key.");
        Field(x => x.ExpectedVersion, nullable: true)
            .Description("The version you last read; a different current version is rejected with STALE_VERSION.");
        Field(x => x.IdempotencyKey, nullable: true)
            .Description("Replaying a request with the same key returns the first result and writes nothing new.");
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<AppealPayloadType>>("recordAppealEvidence")
            .Argument<NonNullGraphType<RecordAppealEvidenceInputType>>("input")
            .AuthorizeWithRoles(Roles.Caseworker)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<RecordAppealEvidenceInput>("input");
                return await AppealFields.PayloadAsync(ctx, await ctx.SendAsync(input, c => new RecordAppealEvidence(input.AppealId, input.Evidence, c)));
            });
}
