using GraphQL.Types;
using Marten;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Domain.Citizens;

namespace Registry.Api.Citizens;

public sealed record ChangeCitizenName(string IdNumber, string FirstNames, string Surname, CommandContext Context) : RegistryCommand;

public static class ChangeCitizenNameHandler
{
    public static Task<CommandResult> Handle(ChangeCitizenName cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync(cmd, cmd.IdNumber, clock, ct,
            (citizen, today) => CitizenDecisions.ChangeName(citizen, cmd.FirstNames, cmd.Surname, cmd.Context.EffectiveDate, today));
}

public sealed class ChangeCitizenNameInput : ChangeInput
{
    public string IdNumber { get; init; } = "";
    public string FirstNames { get; init; } = "";
    public string Surname { get; init; } = "";
}

public sealed class ChangeCitizenNameInputType : InputObjectGraphType<ChangeCitizenNameInput>
{
    public ChangeCitizenNameInputType()
    {
        Name = "ChangeCitizenNameInput";
        Field(x => x.IdNumber);
        Field(x => x.FirstNames);
        Field(x => x.Surname);
        this.AddChangeFields();
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.AddCitizenMutation<ChangeCitizenNameInputType, ChangeCitizenNameInput>("changeCitizenName",
            (input, context) => new ChangeCitizenName(input.IdNumber, input.FirstNames, input.Surname, context));
}
