using GraphQL.Types;
using Marten;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Api.Reassessment;
using Wolverine;
using Registry.Domain.Citizens;

namespace Registry.Api.Citizens;

/// <summary>A child recorded as an orphan (or no longer): the CSG Top-Up and the school-fee exemption read it.</summary>
public sealed record RecordOrphanhood(string IdNumber, bool Orphaned, CommandContext Context) : RegistryCommand;

public static class RecordOrphanhoodHandler
{
    public static async Task<(CommandResult, OutgoingMessages)> Handle(RecordOrphanhood cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Reassessments.AfterCitizenChange(await session.DecideAsync(cmd, cmd.IdNumber, clock, ct,
            (citizen, today) => CitizenDecisions.RecordOrphanhood(citizen, cmd.Orphaned, cmd.Context.Reason, cmd.Context.EffectiveDate, today)), cmd, "orphanhood recorded");
}

public sealed class RecordOrphanhoodInput : ChangeInput
{
    public string IdNumber { get; init; } = "";
    public bool Orphaned { get; init; }
}

public sealed class RecordOrphanhoodInputType : InputObjectGraphType<RecordOrphanhoodInput>
{
    public RecordOrphanhoodInputType()
    {
        Name = "RecordOrphanhoodInput";
        Field(x => x.IdNumber);
        Field(x => x.Orphaned).Description("Both parents have died, or one has and the other is unknown or missing.");
        this.AddChangeFields(reasonRequired: true);
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.AddCitizenMutation<RecordOrphanhoodInputType, RecordOrphanhoodInput>("recordOrphanhood",
            (input, context) => new RecordOrphanhood(input.IdNumber, input.Orphaned, context));
}
