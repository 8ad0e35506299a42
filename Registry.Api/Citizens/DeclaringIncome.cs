using GraphQL.Types;
using Marten;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Api.Reassessment;
using Wolverine;
using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Api.Citizens;

public sealed record DeclareIncome(string IdNumber, decimal MonthlyIncome, IncomeSource Source, CommandContext Context) : RegistryCommand;

public static class DeclareIncomeHandler
{
    public static async Task<(CommandResult, OutgoingMessages)> Handle(DeclareIncome cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Reassessments.AfterCitizenChange(await session.DecideAsync(cmd, cmd.IdNumber, clock, ct,
            (citizen, today) => CitizenDecisions.DeclareIncome(citizen, cmd.MonthlyIncome, cmd.Source, cmd.Context.EffectiveDate, today)), cmd, "income declared");
}

public sealed class DeclareIncomeInput : ChangeInput
{
    public string IdNumber { get; init; } = "";
    public decimal MonthlyIncome { get; init; }
    public IncomeSource Source { get; init; }
}

public sealed class DeclareIncomeInputType : InputObjectGraphType<DeclareIncomeInput>
{
    public DeclareIncomeInputType()
    {
        Name = "DeclareIncomeInput";
        Field(x => x.IdNumber);
        Field(x => x.MonthlyIncome).Description("Gross monthly income in rand.");
        Field(x => x.Source);
        this.AddChangeFields();
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.AddCitizenMutation<DeclareIncomeInputType, DeclareIncomeInput>("declareIncome",
            (input, context) => new DeclareIncome(input.IdNumber, input.MonthlyIncome, input.Source, context));
}
