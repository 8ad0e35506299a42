using GraphQL.Types;
using Marten;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Api.Reassessment;
using Wolverine;
using Registry.Domain.Households;

namespace Registry.Api.Households;

public sealed record ChangeHouseholdHead(string HouseholdId, string IdNumber, CommandContext Context) : RegistryCommand;

public static class ChangeHouseholdHeadHandler
{
    public static async Task<(CommandResult, OutgoingMessages)> Handle(ChangeHouseholdHead cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Reassessments.AfterHouseholdChange(await session.DecideAsync(cmd, cmd.HouseholdId, cmd.IdNumber, clock, ct, (household, citizen, _, today) =>
            HouseholdDecisions.ChangeHead(household, citizen, cmd.Context.EffectiveDate, today)), cmd, "head changed");
}

public sealed class ChangeHouseholdHeadInput : ChangeInput
{
    public string HouseholdId { get; init; } = "";
    public string IdNumber { get; init; } = "";
}

public sealed class ChangeHouseholdHeadInputType : InputObjectGraphType<ChangeHouseholdHeadInput>
{
    public ChangeHouseholdHeadInputType()
    {
        Name = "ChangeHouseholdHeadInput";
        Field<NonNullGraphType<IdGraphType>>("householdId");
        Field(x => x.IdNumber).Description("The member who becomes head.");
        this.AddChangeFields();
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.AddHouseholdMutation<ChangeHouseholdHeadInputType, ChangeHouseholdHeadInput>("changeHouseholdHead",
            (input, context) => new ChangeHouseholdHead(input.HouseholdId, input.IdNumber, context));
}
