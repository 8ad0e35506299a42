using GraphQL.Types;
using Marten;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Api.Reassessment;
using Wolverine;
using Registry.Domain.Citizens;

namespace Registry.Api.Citizens;

/// <summary>The effective date of a death is the date of death itself.</summary>
public sealed record RecordDeath(string IdNumber, DateOnly DateOfDeath, CommandContext Context) : RegistryCommand;

public static class RecordDeathHandler
{
    public static async Task<(CommandResult, OutgoingMessages)> Handle(RecordDeath cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Reassessments.AfterCitizenChange(await session.DecideAsync(cmd, cmd.IdNumber, clock, ct,
            (citizen, today) => CitizenDecisions.RecordDeath(citizen, cmd.DateOfDeath, cmd.Context.Reason, today)), cmd, "death recorded");
}

public sealed class RecordDeathInput : ChangeInput
{
    public string IdNumber { get; init; } = "";
    public DateOnly DateOfDeath { get; init; }
}

public sealed class RecordDeathInputType : InputObjectGraphType<RecordDeathInput>
{
    public RecordDeathInputType()
    {
        Name = "RecordDeathInput";
        Field(x => x.IdNumber);
        Field(x => x.DateOfDeath);
        Field(x => x.ExpectedVersion, nullable: true);
        Field(x => x.IdempotencyKey, nullable: true);
        Field(x => x.Reason, nullable: false).Description("E.g. the death notice (DHA-1663) number.");
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.AddCitizenMutation<RecordDeathInputType, RecordDeathInput>("recordDeath",
            (input, context) => new RecordDeath(input.IdNumber, input.DateOfDeath, context with { EffectiveDate = input.DateOfDeath }));
}
