using GraphQL.Types;
using Marten;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Api.Reassessment;
using Wolverine;
using Registry.Domain.Households;

namespace Registry.Api.Households;

public sealed record RemoveHouseholdMember(string HouseholdId, string IdNumber, CommandContext Context) : RegistryCommand;

public static class RemoveHouseholdMemberHandler
{
    public static async Task<(CommandResult, OutgoingMessages)> Handle(RemoveHouseholdMember cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        // The one who left is no longer a member, so name them for re-assessment too.
        Guid? leaving = null;
        var result = await session.DecideAsync(cmd, cmd.HouseholdId, cmd.IdNumber, clock, ct, (household, citizen, _, today) =>
        {
            leaving = citizen.Id;
            return HouseholdDecisions.RemoveMember(household, citizen.Id, cmd.Context.EffectiveDate, today);
        });
        return Reassessments.AfterHouseholdChange(result, cmd, "member left", leaving);
    }
}

public sealed class RemoveHouseholdMemberInput : ChangeInput
{
    public string HouseholdId { get; init; } = "";
    public string IdNumber { get; init; } = "";
}

public sealed class RemoveHouseholdMemberInputType : InputObjectGraphType<RemoveHouseholdMemberInput>
{
    public RemoveHouseholdMemberInputType()
    {
        Name = "RemoveHouseholdMemberInput";
        Field<NonNullGraphType<IdGraphType>>("householdId");
        Field(x => x.IdNumber);
        this.AddChangeFields();
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.AddHouseholdMutation<RemoveHouseholdMemberInputType, RemoveHouseholdMemberInput>("removeHouseholdMember",
            (input, context) => new RemoveHouseholdMember(input.HouseholdId, input.IdNumber, context));
}
