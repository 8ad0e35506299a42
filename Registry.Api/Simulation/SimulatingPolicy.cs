using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
using Registry.Api.Commands;
using Registry.Api.Eligibility;
using Registry.Api.GraphQL;
using Registry.Api.Hosting;
using Registry.Api.Programmes;
using Registry.Domain.Common;
using Registry.Domain.Programmes;
using Registry.Domain.Simulation;
using Wolverine;

namespace Registry.Api.Simulation;

/// <param name="BaselineVersion">The baseline a rerun keeps; null for a new run, whose baseline is the set in force on the date.</param>
public sealed record SimulatePolicy(
    string Name, ProgrammeCode Programme, DateOnly On, Province? Province, string? MunicipalityCode,
    IReadOnlyDictionary<string, decimal> Values, IReadOnlyDictionary<string, string> Notes, Guid? RerunOf, string? BaselineVersion,
    CommandContext Context) : RegistryCommand;

public static class SimulatePolicyHandler
{
    /// <summary>How many runs may be queued or running at once (Registry:SimulationRunLimit): each holds the queue for the whole register.</summary>
    public const int DefaultRunLimit = 4;

    public static async Task<(CommandResult, OutgoingMessages)> Handle(SimulatePolicy cmd, IDocumentSession session, TimeProvider clock, IConfiguration configuration,
        CancellationToken ct)
    {
        var limit = configuration.GetValue("Registry:SimulationRunLimit", DefaultRunLimit);
        if (await session.Query<SimulationRun>().CountAsync(r => r.Status == SimulationStatus.Queued || r.Status == SimulationStatus.Running, ct) >= limit)
            return (CommandResult.Rejected(ErrorCodes.TooManyRuns,
                $"{limit} simulations are already queued or running; start this one when one of them has finished."), new OutgoingMessages());
        var programme = await session.LoadAsync<Programme>(ProgrammeInfo.StreamIdFor(cmd.Programme), ct);
        var baseline = cmd.BaselineVersion is { } version ? programme?.Version(version) : programme?.InForceOn(cmd.On);
        var runId = Guid.CreateVersion7(clock.GetUtcNow());
        var decision = SimulationRun.Request(runId, cmd.Name, baseline, cmd.Programme, cmd.On, clock.Today(), cmd.Province, cmd.MunicipalityCode,
            cmd.Values, cmd.Notes, cmd.Context.Actor, clock.GetUtcNow(), cmd.RerunOf);
        var result = session.StartStream<SimulationRun>(runId, decision, cmd, clock);
        var messages = new OutgoingMessages();
        if (result.Succeeded) messages.Add(SimulateNextPage.First(runId, cmd.Context.CorrelationId, cmd.On));
        return (result, messages);
    }
}

public sealed class SimulationPopulationInput
{
    public Province? Province { get; init; }
    public string? MunicipalityCode { get; init; }
}

public sealed class SimulatePolicyInput : ChangeInput
{
    public string Name { get; init; } = "";
    public ProgrammeCode Programme { get; init; }
    public string ParametersJson { get; init; } = "";
    public DateOnly? On { get; init; }
    public SimulationPopulationInput? Population { get; init; }
}

public sealed class SimulationPopulationInputType : InputObjectGraphType<SimulationPopulationInput>
{
    public SimulationPopulationInputType()
    {
        Name = "SimulationPopulation";
        Field(x => x.Province, nullable: true);
        Field(x => x.MunicipalityCode, nullable: true);
    }
}

public sealed class SimulatePolicyInputType : InputObjectGraphType<SimulatePolicyInput>
{
    public SimulatePolicyInputType()
    {
        Name = "SimulatePolicyInput";
        Field(x => x.Name);
        Field<NonNullGraphType<ProgrammeCodeType>>("programme");
        Field(x => x.ParametersJson).Description("The proposed set, as publishProgrammeParameters takes it.");
        Field(x => x.On, nullable: true).Description("The date whose facts and baseline parameters are compared; defaults to today.");
        Field<SimulationPopulationInputType>("population").Description("Narrows the run to a province or a municipality.");
        Field(x => x.IdempotencyKey, nullable: true);
    }
}

public sealed record SimulatePolicyPayload(SimulationRun? Run, IReadOnlyList<DomainError> Errors);

public sealed class SimulatePolicyPayloadType : ObjectGraphType<SimulatePolicyPayload>
{
    public SimulatePolicyPayloadType()
    {
        Name = "SimulatePolicyPayload";
        Field<SimulationRunType>("run").Resolve(ctx => ctx.Source.Run);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}

public static class SimulatingPolicy
{
    public static readonly string[] Runners = [Roles.Analyst, Roles.Admin];

    public static void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<SimulatePolicyPayloadType>>("simulatePolicy")
            .Description("Starts a run of the proposed parameters against the register; the run works in the background (see simulationRun).")
            .Argument<NonNullGraphType<SimulatePolicyInputType>>("input")
            .AuthorizeWithRoles(Runners)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<SimulatePolicyInput>("input");
                var (values, notes, error) = ParametersJson.Parse(input.ParametersJson);
                if (error is not null) return new SimulatePolicyPayload(null, [error]);
                var on = CheckingEligibility.On(ctx, input.On);
                return await StartAsync(ctx, input, c => new SimulatePolicy(input.Name, input.Programme, on, input.Population?.Province,
                    input.Population?.MunicipalityCode, values!, notes, null, null, c with { EffectiveDate = on }));
            });

        mutation.Field<NonNullGraphType<SimulatePolicyPayloadType>>("rerunSimulation")
            .Description("Runs a simulation again with the same figures, date, place and baseline: the same summary while the facts of that date are unchanged.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<StringGraphType>("idempotencyKey")
            .AuthorizeWithRoles(Runners)
            .ResolveAsync(async ctx =>
            {
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                if (await SimulationRuns.FindAsync(session, ctx.GetArgument<string>("id"), ctx.CancellationToken) is not { } first)
                    return new SimulatePolicyPayload(null, [new DomainError(ErrorCodes.NotFound, "No simulation run has this id.", "id")]);
                var input = new SimulatePolicyInput { IdempotencyKey = ctx.GetArgument<string?>("idempotencyKey") };
                return await StartAsync(ctx, input, c => new SimulatePolicy(first.Name, first.Programme, first.On, first.Province, first.MunicipalityCode,
                    first.Values, first.Notes, first.Id, first.BaselineParameterVersion, c with { EffectiveDate = first.On }));
            });
    }

    private static async Task<SimulatePolicyPayload> StartAsync(IResolveFieldContext ctx, ChangeInput input, Func<CommandContext, RegistryCommand> command)
    {
        var result = await ctx.SendAsync(input, command);
        if (!result.Succeeded) return new SimulatePolicyPayload(null, result.Errors);
        var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
        return new SimulatePolicyPayload(await session.LoadAsync<SimulationRun>(result.StreamId!.Value, ctx.CancellationToken), []);
    }
}
