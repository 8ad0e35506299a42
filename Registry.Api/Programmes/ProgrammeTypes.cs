using Registry.Api.ChangeRequests;
using System.Globalization;
using System.Text.Json;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
using Registry.Api.Eligibility;
using Registry.Api.GraphQL;
using Registry.Api.Hosting;
using Registry.Domain.Common;
using Registry.Domain.Programmes;

namespace Registry.Api.Programmes;

/// <summary>A programme with its published parameter history (null before the first publication).</summary>
public sealed record ProgrammeView(ProgrammeInfo Info, Programme? State)
{
    public static async Task<IReadOnlyList<ProgrammeView>> LoadAllAsync(IQuerySession session, CancellationToken ct)
    {
        var states = (await session.LoadManyAsync<Programme>(ct, ProgrammeInfo.All.Select(p => ProgrammeInfo.StreamIdFor(p.Code)))).ToDictionary(p => p.Code);
        return [.. ProgrammeInfo.All.Select(i => new ProgrammeView(i, states.GetValueOrDefault(i.Code)))];
    }

    public static string ToJson(ParameterSet p) => JsonSerializer.Serialize(new
    {
        programme = p.Programme.ToString(),
        effectiveFrom = p.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        version = p.Version,
        legalReference = p.LegalReference,
        values = p.Values,
        notes = p.Notes,
    });
}

public sealed class ProgrammeType : ObjectGraphType<ProgrammeView>
{
    public ProgrammeType()
    {
        Name = "Programme";
        Field<NonNullGraphType<ProgrammeCodeType>>("code").Resolve(ctx => ctx.Source.Info.Code);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(ctx => ctx.Source.Info.Name);
        Field<NonNullGraphType<StringGraphType>>("department").Resolve(ctx => ctx.Source.Info.Department);
        Field<NonNullGraphType<StringGraphType>>("parameters")
            .Description("The parameter set in force on the date (default today) as JSON: values, notes, version, legal reference.")
            .Argument<DateScalar>("on")
            .Resolve(ctx =>
            {
                var on = CheckingEligibility.On(ctx, ctx.GetArgument<DateOnly?>("on"));
                var set = ctx.Source.State?.InForceOn(on)
                          ?? throw new ExecutionError($"No parameters of {ctx.Source.Info.Code} were in force on {on:yyyy-MM-dd}.") { Code = ErrorCodes.NoParametersInForce };
                return ProgrammeView.ToJson(set);
            });
        Field<NonNullGraphType<StringGraphType>>("legalReference")
            .Description("The legal reference of the parameters in force today.")
            .Resolve(ctx => ctx.Source.State?.InForceOn(ctx.RequestServices!.GetRequiredService<TimeProvider>().Today())?.LegalReference ?? "");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ParameterSetType>>>>("parameterHistory")
            .Description("Every published set, oldest effective date first.")
            .Resolve(ctx => ctx.Source.State?.Parameters.OrderBy(p => p.EffectiveFrom).ToList() ?? []);
    }
}

public sealed class ParameterSetType : ObjectGraphType<ParameterSet>
{
    public ParameterSetType()
    {
        Name = "ProgrammeParameterSet";
        Field(x => x.EffectiveFrom);
        Field(x => x.Version);
        Field(x => x.LegalReference);
        Field<NonNullGraphType<StringGraphType>>("parametersJson").Resolve(ctx => ProgrammeView.ToJson(ctx.Source));
        Field<IdGraphType>("fromSimulation").Description("The simulation run this set was enacted from, if any.").Resolve(ctx => ctx.Source.FromSimulation);
    }
}

public sealed record ProgrammePayload(ProgrammeView? Programme, IReadOnlyList<DomainError> Errors, Guid? ChangeRequestId = null);

public sealed class ProgrammePayloadType : ObjectGraphType<ProgrammePayload>
{
    public ProgrammePayloadType()
    {
        Name = "ProgrammePayload";
        Field<ProgrammeType>("programme").Resolve(ctx => ctx.Source.Programme);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
        this.AddChangeRequestField(p => p.ChangeRequestId);
    }
}

public static class ListingProgrammes
{
    public static void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProgrammeType>>>>("programmes")
            // An analyst proposes figures against the ones in force: the published parameters are law, not personal data.
            .AuthorizeWithRoles(Roles.Caseworker, Roles.Auditor, Roles.Analyst, Roles.AnyDepartment)
            .Resolve().WithService<IQuerySession>()
            .ResolveAsync(async (ctx, session) => await ProgrammeView.LoadAllAsync(session, ctx.CancellationToken));
}
