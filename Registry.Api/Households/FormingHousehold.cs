using GraphQL.Types;
using Marten;
using Registry.Api.Citizens;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Api.Reassessment;
using Wolverine;
using Registry.Api.Hosting;
using Registry.Domain.Common;
using Registry.Domain.Households;
using Registry.Projections.Households;

namespace Registry.Api.Households;

public sealed record FormHousehold(string HeadIdNumber, Address Address, CommandContext Context) : RegistryCommand;

public static class FormHouseholdHandler
{
    public static async Task<(CommandResult, OutgoingMessages)> Handle(FormHousehold cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var head = await CitizenLookup.FindAsync(session, cmd.HeadIdNumber, ct);
        if (head is null) return (CommandResult.Rejected(CitizenLookup.NotFound("headIdNumber")), []);
        // A clear answer in the common case; the membership row's primary key settles a race.
        var membership = await session.LoadAsync<HouseholdMembership>(head.Id, ct);
        var householdId = Guid.CreateVersion7(clock.GetUtcNow());
        var decision = HouseholdDecisions.Form(householdId, head, membership?.HouseholdId, cmd.Address, cmd.Context.EffectiveDate, clock.Today());
        return Reassessments.AfterHouseholdChange(session.StartStream<Household>(householdId, decision, cmd, clock), cmd, "household formed");
    }
}

public sealed class FormHouseholdInput : ChangeInput
{
    public string HeadIdNumber { get; init; } = "";
    public AddressInput Address { get; init; } = new();
}

public sealed class FormHouseholdInputType : InputObjectGraphType<FormHouseholdInput>
{
    public FormHouseholdInputType()
    {
        Name = "FormHouseholdInput";
        Field(x => x.HeadIdNumber);
        Field<NonNullGraphType<AddressInputType>>("address");
        Field(x => x.IdempotencyKey, nullable: true);
        Field(x => x.EffectiveDate, nullable: true);
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.AddHouseholdMutation<FormHouseholdInputType, FormHouseholdInput>("formHousehold",
            (input, context) => new FormHousehold(input.HeadIdNumber, input.Address.ToAddress(), context));
}
