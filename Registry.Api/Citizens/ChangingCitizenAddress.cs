using GraphQL.Types;
using Marten;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Api.Reassessment;
using Wolverine;
using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Api.Citizens;

public sealed record ChangeCitizenAddress(string IdNumber, Address Address, CommandContext Context) : RegistryCommand;

public static class ChangeCitizenAddressHandler
{
    public static async Task<(CommandResult, OutgoingMessages)> Handle(ChangeCitizenAddress cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Reassessments.AfterCitizenChange(await session.DecideAsync(cmd, cmd.IdNumber, clock, ct,
            (citizen, today) => CitizenDecisions.ChangeAddress(citizen, cmd.Address, cmd.Context.EffectiveDate, today)), cmd, "address changed");
}

public sealed class ChangeCitizenAddressInput : ChangeInput
{
    public string IdNumber { get; init; } = "";
    public AddressInput Address { get; init; } = new();
}

public sealed class ChangeCitizenAddressInputType : InputObjectGraphType<ChangeCitizenAddressInput>
{
    public ChangeCitizenAddressInputType()
    {
        Name = "ChangeCitizenAddressInput";
        Field(x => x.IdNumber);
        Field<NonNullGraphType<AddressInputType>>("address");
        this.AddChangeFields();
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.AddCitizenMutation<ChangeCitizenAddressInputType, ChangeCitizenAddressInput>("changeCitizenAddress",
            (input, context) => new ChangeCitizenAddress(input.IdNumber, input.Address.ToAddress(), context));
}
