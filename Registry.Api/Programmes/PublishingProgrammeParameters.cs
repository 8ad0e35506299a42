using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
using Registry.Api.Commands;
using Registry.Api.Eligibility;
using Registry.Api.GraphQL;
using Registry.Api.Reassessment;
using Wolverine;
using Registry.Domain.Common;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;

namespace Registry.Api.Programmes;

public sealed record PublishProgrammeParameters(
    ProgrammeCode Programme, DateOnly EffectiveFrom, IReadOnlyDictionary<string, decimal> Values,
    IReadOnlyDictionary<string, string> Notes, string LegalReference, CommandContext Context, Guid? FromSimulation = null) : RegistryCommand;

public static class PublishProgrammeParametersHandler
{
    public static async Task<(CommandResult, OutgoingMessages)> Handle(PublishProgrammeParameters cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var result = await Publish(cmd, session, clock, ct);
        var messages = new OutgoingMessages();
        if (result.Succeeded)
        {
            // Held entitlements are re-assessed when the new figures come into force: now, or on their date.
            var cause = new ReassessmentCause(ReassessmentTrigger.ParametersPublished, ReassessmentCause.EventSource(result.StreamId!.Value, result.Version!.Value),
                cmd.Context.CorrelationId, $"parameters {cmd.Programme} {cmd.EffectiveFrom:yyyy-MM-dd}");
            var changed = new ParametersChanged(cmd.Programme, cmd.EffectiveFrom, cause);
            if (cmd.EffectiveFrom > Hosting.RegistryClock.Today(clock))
                messages.Schedule(changed, new DateTimeOffset(cmd.EffectiveFrom.ToDateTime(TimeOnly.MinValue), Hosting.RegistryClock.SouthAfricanOffset));
            else
                messages.Add(changed);
        }
        return (result, messages);
    }

    /// <summary>The decision and append alone; the start-up seeding of initial parameters uses this.</summary>
    public static Task<CommandResult> Publish(PublishProgrammeParameters cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<Programme>(ProgrammeInfo.StreamIdFor(cmd.Programme), cmd, clock,
            (current, _) => Programme.Publish(current, cmd.Programme, cmd.EffectiveFrom, cmd.Values, cmd.Notes, cmd.LegalReference, cmd.FromSimulation), ct);
}

/// <summary>
/// Reads parametersJson: either {"values": {name: number}, "notes": {name: text}} or a flat {name: number}.
/// </summary>
public static class ParametersJson
{
    public static (Dictionary<string, decimal>? Values, Dictionary<string, string> Notes, DomainError? Error) Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return Fail("parametersJson must be a JSON object.");
            var root = doc.RootElement;
            var valuesElement = root.TryGetProperty("values", out var v) ? v : root;
            if (valuesElement.ValueKind != JsonValueKind.Object) return Fail("'values' must be an object of numbers.");
            var values = new Dictionary<string, decimal>();
            foreach (var p in valuesElement.EnumerateObject())
            {
                if (p.Name == "notes") continue;
                if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDecimal(out var number))
                    return Fail($"Parameter '{p.Name}' must be a number.");
                values[p.Name] = number;
            }
            var notes = new Dictionary<string, string>();
            if (root.TryGetProperty("notes", out var n) && n.ValueKind == JsonValueKind.Object)
                foreach (var p in n.EnumerateObject()) notes[p.Name] = p.Value.ToString();
            return (values, notes, null);
        }
        catch (JsonException)
        {
            return Fail("parametersJson is not valid JSON.");
        }

        static (Dictionary<string, decimal>?, Dictionary<string, string>, DomainError?) Fail(string message) =>
            (null, [], new DomainError(ErrorCodes.InvalidInput, message, "parametersJson"));
    }
}

public sealed class PublishProgrammeParametersInput : ChangeInput
{
    public ProgrammeCode Programme { get; init; }
    public DateOnly EffectiveFrom { get; init; }
    public string? ParametersJson { get; init; }
    public string? FromSimulation { get; init; }
    public string LegalReference { get; init; } = "";
}

public sealed class PublishProgrammeParametersInputType : InputObjectGraphType<PublishProgrammeParametersInput>
{
    public PublishProgrammeParametersInputType()
    {
        Name = "PublishProgrammeParametersInput";
        Field<NonNullGraphType<ProgrammeCodeType>>("programme");
        Field(x => x.EffectiveFrom);
        Field(x => x.ParametersJson, nullable: true).Description("{\"values\": {\"monthlyAmount\": 2400, …}, \"notes\": {…}} or a flat object of numbers; or give fromSimulation.");
        Field<IdGraphType>("fromSimulation").Description("Publishes exactly the figures of this finished simulation run over the whole register, and records the link.");
        Field(x => x.LegalReference);
        Field(x => x.IdempotencyKey, nullable: true);
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<ProgrammePayloadType>>("publishProgrammeParameters")
            .Argument<NonNullGraphType<PublishProgrammeParametersInputType>>("input")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<PublishProgrammeParametersInput>("input");
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                var (values, notes, simulation, error) = await FiguresAsync(input, session, ctx.CancellationToken);
                if (error is not null) return new ProgrammePayload(null, [error]);
                var result = await ctx.SendAsync(input, c => new PublishProgrammeParameters(
                    input.Programme, input.EffectiveFrom, values!, notes!, input.LegalReference, c with { EffectiveDate = input.EffectiveFrom }, simulation));
                if (!result.Succeeded) return new ProgrammePayload(null, result.Errors);
                var all = await ProgrammeView.LoadAllAsync(session, ctx.CancellationToken);
                return new ProgrammePayload(all.Single(p => p.Info.Code == input.Programme), [], result.ChangeRequestId);
            });

    /// <summary>
    /// The figures to publish: the JSON given, or those of a simulation run. Only a finished run of the same
    /// programme over the whole register can be enacted: a run of one province predicted nothing for the rest.
    /// </summary>
    private static async Task<(IReadOnlyDictionary<string, decimal>?, IReadOnlyDictionary<string, string>?, Guid?, DomainError?)> FiguresAsync(
        PublishProgrammeParametersInput input, IQuerySession session, CancellationToken ct)
    {
        static DomainError Invalid(string message, string field) => new(ErrorCodes.InvalidInput, message, field);
        if (input.FromSimulation is null)
        {
            if (input.ParametersJson is null) return (null, null, null, Invalid("Give the figures in parametersJson, or the simulation run to enact in fromSimulation.", "parametersJson"));
            var (values, notes, error) = ParametersJson.Parse(input.ParametersJson);
            return (values, notes, null, error);
        }
        if (input.ParametersJson is not null) return (null, null, null, Invalid("Give parametersJson or fromSimulation, not both.", "fromSimulation"));
        if (await Simulation.SimulationRuns.FindAsync(session, input.FromSimulation, ct) is not { } run)
            return (null, null, null, new DomainError(ErrorCodes.NotFound, "No simulation run has this id.", "fromSimulation"));
        if (run.Programme != input.Programme) return (null, null, null, Invalid($"The simulation run is of {run.Programme}, not {input.Programme}.", "fromSimulation"));
        if (run.Status != Registry.Domain.Simulation.SimulationStatus.Done) return (null, null, null, Invalid("Only a finished simulation run can be enacted.", "fromSimulation"));
        if (!run.CoversWholeRegister) return (null, null, null, Invalid("Only a run over the whole register can be enacted: a narrowed run predicted nothing for everyone else.", "fromSimulation"));
        return (run.Values, run.Notes, run.Id, null);
    }
}
