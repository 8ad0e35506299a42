using GraphQL.Types;
using Marten;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Domain.Citizens;

namespace Registry.Api.Citizens;

/// <summary>
/// A probable duplicate looked at and found to be two people: recorded on the first record, so neither
/// possibleDuplicates nor the duplicates report shows the pair again. Changes no facts, so nothing is re-assessed.
/// </summary>
public sealed record RecordNotADuplicate(string IdNumber, string OtherIdNumber, CommandContext Context) : RegistryCommand;

public static class RecordNotADuplicateHandler
{
    public static async Task<CommandResult> Handle(RecordNotADuplicate cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (!SaIdNumber.TryParse(cmd.OtherIdNumber, Hosting.RegistryClock.Today(clock), out _, out var invalid))
            return CommandResult.Rejected(invalid! with { Field = "otherIdNumber" });
        if (await CitizenLookup.FindAsync(session, cmd.OtherIdNumber, ct) is not { } other)
            return CommandResult.Rejected(CitizenLookup.NotFound("otherIdNumber"));
        return await session.DecideAsync(cmd, cmd.IdNumber, clock, ct, (citizen, _) => CitizenDecisions.RecordNotADuplicate(citizen, other, cmd.Context.Reason));
    }
}

public sealed class RecordNotADuplicateInput : ChangeInput
{
    public string IdNumber { get; init; } = "";
    public string OtherIdNumber { get; init; } = "";
}

public sealed class RecordNotADuplicateInputType : InputObjectGraphType<RecordNotADuplicateInput>
{
    public RecordNotADuplicateInputType()
    {
        Name = "RecordNotADuplicateInput";
        Field(x => x.IdNumber).Description("One of the two records; the finding is recorded on it.");
        Field(x => x.OtherIdNumber).Description("The record it was flagged as a probable duplicate of.");
        Field(x => x.ExpectedVersion, nullable: true)
            .Description("The version of the first record you last read; a different current version is rejected with STALE_VERSION.");
        Field(x => x.IdempotencyKey, nullable: true)
            .Description("Replaying a request with the same key returns the first result and writes nothing new.");
        Field(x => x.Reason, nullable: false).Description("What showed them to be two people (documents seen, fingerprints); sealed under the person's key.");
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.AddCitizenMutation<RecordNotADuplicateInputType, RecordNotADuplicateInput>("recordNotADuplicate",
            (input, context) => new RecordNotADuplicate(input.IdNumber, input.OtherIdNumber, context));
}
