using GraphQL.Types;
using Marten;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Api.Reassessment;
using Wolverine;
using Registry.Domain.Common;
using Registry.Domain.Households;

namespace Registry.Api.Households;

public sealed record AddHouseholdMember(string HouseholdId, string IdNumber, Relationship Relationship, CommandContext Context) : RegistryCommand;

public static class AddHouseholdMemberHandler
{
    public static async Task<(CommandResult, OutgoingMessages)> Handle(AddHouseholdMember cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Reassessments.AfterHouseholdChange(await session.DecideAsync(cmd, cmd.HouseholdId, cmd.IdNumber, clock, ct, (household, citizen, currentHousehold, today) =>
            HouseholdDecisions.AddMember(household, citizen, currentHousehold, cmd.Relationship, cmd.Context.EffectiveDate, today)), cmd, "member joined");
}

public sealed class AddHouseholdMemberInput : ChangeInput
{
    public string HouseholdId { get; init; } = "";
    public string IdNumber { get; init; } = "";
    public Relationship Relationship { get; init; }
}

public sealed class AddHouseholdMemberInputType : InputObjectGraphType<AddHouseholdMemberInput>
{
    public AddHouseholdMemberInputType()
    {
        Name = "AddHouseholdMemberInput";
        Field<NonNullGraphType<IdGraphType>>("householdId");
        Field(x => x.IdNumber);
        Field(x => x.Relationship).Description("The member's relationship to the head.");
        this.AddChangeFields();
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.AddHouseholdMutation<AddHouseholdMemberInputType, AddHouseholdMemberInput>("addHouseholdMember",
            (input, context) => new AddHouseholdMember(input.HouseholdId, input.IdNumber, input.Relationship, context));
}
