using GraphQL.Types;
using Marten;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Api.Reassessment;
using Wolverine;
using Registry.Domain.Citizens;

namespace Registry.Api.Citizens;

/// <summary>
/// The fees the learner's school charges for a school year: what the fee-exemption formula reads. A
/// caseworker records them from the school's fee schedule; the department that asks for the exemption may
/// not, since setting the fees and reading the band would let it search out the parents' income.
/// </summary>
public sealed record RecordSchoolFees(string IdNumber, int Year, decimal AnnualFees, decimal OtherAnnualCharges, CommandContext Context) : RegistryCommand;

public static class RecordSchoolFeesHandler
{
    public static async Task<(CommandResult, OutgoingMessages)> Handle(RecordSchoolFees cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Reassessments.AfterCitizenChange(await session.DecideAsync(cmd, cmd.IdNumber, clock, ct,
            (citizen, today) => CitizenDecisions.RecordSchoolFees(citizen, cmd.Year, cmd.AnnualFees, cmd.OtherAnnualCharges, cmd.Context.EffectiveDate, today)), cmd,
            "school fees recorded");
}

public sealed class RecordSchoolFeesInput : ChangeInput
{
    public string IdNumber { get; init; } = "";
    public int Year { get; init; }
    public decimal AnnualFees { get; init; }
    public decimal? OtherAnnualCharges { get; init; }
}

public sealed class RecordSchoolFeesInputType : InputObjectGraphType<RecordSchoolFeesInput>
{
    public RecordSchoolFeesInputType()
    {
        Name = "RecordSchoolFeesInput";
        Field(x => x.IdNumber).Description("The learner's ID number.");
        Field(x => x.Year).Description("The school year (the calendar year).");
        Field(x => x.AnnualFees).Description("The school's annual fees in rand (F).");
        Field(x => x.OtherAnnualCharges, nullable: true).Description("Other annual school charges in rand (A); 0 when not given.");
        this.AddChangeFields();
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.AddCitizenMutation<RecordSchoolFeesInputType, RecordSchoolFeesInput>("recordSchoolFees",
            (input, context) => new RecordSchoolFees(input.IdNumber, input.Year, input.AnnualFees, input.OtherAnnualCharges ?? 0m, context));
}
