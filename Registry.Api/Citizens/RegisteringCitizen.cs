using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Api.Hosting;
using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Api.Citizens;

public sealed record RegisterCitizen(
    string IdNumber, string FirstNames, string Surname, DateOnly DateOfBirth, Sex Sex, Citizenship Citizenship,
    Address Address, CommandContext Context) : RegistryCommand;

public static class RegisterCitizenHandler
{
    public static CommandResult Handle(RegisterCitizen cmd, IDocumentSession session, TimeProvider clock)
    {
        // Guid v7: time-ordered, so new citizens append to the end of indexes and pages.
        var citizenId = Guid.CreateVersion7(clock.GetUtcNow());
        var decision = CitizenDecisions.Register(citizenId, cmd.IdNumber, cmd.FirstNames, cmd.Surname, cmd.DateOfBirth,
            cmd.Sex, cmd.Citizenship, cmd.Address, clock.Today());
        // Uniqueness of the ID number is the store's job (unique index), not a read here that could race.
        return session.StartStream<Citizen>(citizenId, decision, cmd, clock);
    }
}

public sealed class RegisterCitizenInput : ChangeInput
{
    public string IdNumber { get; init; } = "";
    public string FirstNames { get; init; } = "";
    public string Surname { get; init; } = "";
    public DateOnly DateOfBirth { get; init; }
    public Sex Sex { get; init; }
    public Citizenship Citizenship { get; init; }
    public AddressInput Address { get; init; } = new();
}

public sealed class RegisterCitizenInputType : InputObjectGraphType<RegisterCitizenInput>
{
    public RegisterCitizenInputType()
    {
        Name = "RegisterCitizenInput";
        Field(x => x.IdNumber).Description("13-digit SA ID number; date of birth, sex and citizenship must agree with it.");
        Field(x => x.FirstNames);
        Field(x => x.Surname);
        Field(x => x.DateOfBirth);
        Field(x => x.Sex);
        Field(x => x.Citizenship);
        Field<NonNullGraphType<AddressInputType>>("address");
        Field(x => x.IdempotencyKey, nullable: true);
        Field(x => x.EffectiveDate, nullable: true).Description("When the person entered the register's scope; defaults to today.");
    }
}

public static class RegisteringCitizen
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<CitizenPayloadType>>("registerCitizen")
            .Argument<NonNullGraphType<RegisterCitizenInputType>>("input")
            .AuthorizeWithRoles(Roles.Caseworker)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<RegisterCitizenInput>("input");
                var result = await ctx.SendAsync(input, c => new RegisterCitizen(input.IdNumber.Trim(), input.FirstNames, input.Surname,
                    input.DateOfBirth, input.Sex, input.Citizenship, input.Address.ToAddress(), c));
                return await CitizenPayload.From(ctx, result);
            });
}
