using GraphQL.Types;
using Marten;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Api.Reassessment;
using Wolverine;
using Registry.Domain.Citizens;

namespace Registry.Api.Citizens;

public sealed record RecordDisabilityAssessment(string IdNumber, bool Disabled, bool Permanent, DateOnly? ReviewDate, CommandContext Context) : RegistryCommand;

public static class RecordDisabilityAssessmentHandler
{
    public static async Task<(CommandResult, OutgoingMessages)> Handle(RecordDisabilityAssessment cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Reassessments.AfterCitizenChange(await session.DecideAsync(cmd, cmd.IdNumber, clock, ct,
            (citizen, today) => CitizenDecisions.RecordDisabilityAssessment(citizen, cmd.Disabled, cmd.Permanent, cmd.ReviewDate, cmd.Context.EffectiveDate, today)), cmd, "disability assessed");
}

public sealed class RecordDisabilityAssessmentInput : ChangeInput
{
    public string IdNumber { get; init; } = "";
    public bool Disabled { get; init; }
    public bool Permanent { get; init; }
    public DateOnly? ReviewDate { get; init; }
}

public sealed class RecordDisabilityAssessmentInputType : InputObjectGraphType<RecordDisabilityAssessmentInput>
{
    public RecordDisabilityAssessmentInputType()
    {
        Name = "RecordDisabilityAssessmentInput";
        Field(x => x.IdNumber);
        Field(x => x.Disabled);
        Field(x => x.Permanent);
        Field(x => x.ReviewDate, nullable: true).Description("Required for a temporary disability.");
        this.AddChangeFields();
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.AddCitizenMutation<RecordDisabilityAssessmentInputType, RecordDisabilityAssessmentInput>("recordDisabilityAssessment",
            (input, context) => new RecordDisabilityAssessment(input.IdNumber, input.Disabled, input.Permanent, input.ReviewDate, context));
}
