using GraphQL.Types;
using Marten;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Api.Reassessment;
using Wolverine;
using Registry.Domain.Citizens;
using Registry.Domain.Entitlements;

namespace Registry.Api.Citizens;

/// <summary>Attending school from the effective date, or no longer: a foster child's grant runs to 21 while in school.</summary>
public sealed record RecordSchoolAttendance(string IdNumber, bool Attending, CommandContext Context) : RegistryCommand;

public static class RecordSchoolAttendanceHandler
{
    public static async Task<(CommandResult, OutgoingMessages)> Handle(RecordSchoolAttendance cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Reassessments.AfterCitizenChange(await session.DecideAsync(cmd, cmd.IdNumber, clock, ct,
            (citizen, today) => CitizenDecisions.RecordSchoolAttendance(citizen, cmd.Attending, cmd.Context.EffectiveDate, today)), cmd,
            "school attendance", ReassessmentTrigger.SchoolAttendance);
}

public sealed class RecordSchoolAttendanceInput : ChangeInput
{
    public string IdNumber { get; init; } = "";
    public bool Attending { get; init; }
}

public sealed class RecordSchoolAttendanceInputType : InputObjectGraphType<RecordSchoolAttendanceInput>
{
    public RecordSchoolAttendanceInputType()
    {
        Name = "RecordSchoolAttendanceInput";
        Field(x => x.IdNumber);
        Field(x => x.Attending);
        this.AddChangeFields();
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.AddCitizenMutation<RecordSchoolAttendanceInputType, RecordSchoolAttendanceInput>("recordSchoolAttendance",
            (input, context) => new RecordSchoolAttendance(input.IdNumber, input.Attending, context));
}
