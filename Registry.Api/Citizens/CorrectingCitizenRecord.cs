using GraphQL.Types;
using Marten;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Api.Reassessment;
using Wolverine;
using Registry.Domain.Citizens;

namespace Registry.Api.Citizens;

public sealed record CorrectCitizenRecord(string IdNumber, string Field, string Value, CommandContext Context) : RegistryCommand;

public static class CorrectCitizenRecordHandler
{
    public static async Task<(CommandResult, OutgoingMessages)> Handle(CorrectCitizenRecord cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Reassessments.AfterCitizenChange(await session.DecideAsync(cmd, cmd.IdNumber, clock, ct,
            (citizen, today) => CitizenDecisions.Correct(citizen, cmd.Field, cmd.Value, cmd.Context.Reason, today)), cmd, "record corrected");
}

public sealed class CorrectCitizenRecordInput : ChangeInput
{
    public string IdNumber { get; init; } = "";
    public string Field { get; init; } = "";
    public string Value { get; init; } = "";
}

public sealed class CorrectCitizenRecordInputType : InputObjectGraphType<CorrectCitizenRecordInput>
{
    public CorrectCitizenRecordInputType()
    {
        Name = "CorrectCitizenRecordInput";
        Field(x => x.IdNumber).Description("The number as currently recorded (for an idNumber correction, the wrong one).");
        Field(x => x.Field).Description("One of firstNames, surname, dateOfBirth, sex, citizenship, idNumber.");
        Field(x => x.Value).Description("The corrected value: text, an ISO date, or an enum value such as FEMALE.");
        this.AddChangeFields(reasonRequired: true);
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.AddCitizenMutation<CorrectCitizenRecordInputType, CorrectCitizenRecordInput>("correctCitizenRecord",
            (input, context) => new CorrectCitizenRecord(input.IdNumber, input.Field, input.Value, context));
}
