using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
using Registry.Api.Commands;
using Registry.Api.Eligibility;
using Registry.Api.GraphQL;
using Registry.Api.Reassessment;
using Wolverine;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;

namespace Registry.Api.Entitlements;

public sealed record ApplyForEntitlement(ProgrammeCode Programme, string BeneficiaryIdNumber, string? ApplicantIdNumber, CommandContext Context) : RegistryCommand;

public static class ApplyForEntitlementHandler
{
    /// <summary>Assesses at once, on the effective date, with the facts and parameters of that date.</summary>
    public static async Task<(CommandResult, OutgoingMessages)> Handle(ApplyForEntitlement cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var on = cmd.Context.EffectiveDate;
        var loaded = (await new EligibilityFactsLoader(session, clock).LoadAsync([new FactsRequest(cmd.BeneficiaryIdNumber, on, cmd.ApplicantIdNumber)], ct))[0];
        if (loaded.Error is { } error)
            return (CommandResult.Rejected(error.Field == "idNumber" ? error with { Field = "beneficiaryIdNumber" } : error), []);
        var facts = loaded.Facts!;

        var entitlementId = Entitlement.StreamIdFor(facts.Person.CitizenId, cmd.Programme);
        var programme = await session.LoadAsync<Programme>(ProgrammeInfo.StreamIdFor(cmd.Programme), ct);
        var parameters = programme?.InForceOn(on);
        var granted = false;
        var result = await session.DecideAsync<Entitlement>(entitlementId, cmd, clock, (current, _) =>
        {
            var decision = EntitlementDecisions.Apply(current, entitlementId, cmd.Programme, facts.Person.CitizenId, facts.Applicant?.CitizenId,
                facts, parameters, on, Guid.CreateVersion7(clock.GetUtcNow()));
            granted = decision.Events.OfType<EntitlementGranted>().Any();
            return decision;
        }, ct);

        // A child grant lapses at 18 (an adult grant past its upper age): a durable message waits for that day.
        var messages = new OutgoingMessages();
        if (granted && parameters is not null
            && EntitlementDecisions.AgeLimitDate(cmd.Programme, parameters, facts.Person) is { } limit)
            messages.Add(ReassessEntitlement.AtAgeLimit(entitlementId, limit, cmd.Context.CorrelationId));
        return (result, messages);
    }
}

public sealed class ApplyForEntitlementInput : ChangeInput
{
    public ProgrammeCode Programme { get; init; }
    public string BeneficiaryIdNumber { get; init; } = "";
    public string? ApplicantIdNumber { get; init; }
}

public sealed class ApplyForEntitlementInputType : InputObjectGraphType<ApplyForEntitlementInput>
{
    public ApplyForEntitlementInputType()
    {
        Name = "ApplyForEntitlementInput";
        Field<NonNullGraphType<ProgrammeCodeType>>("programme");
        Field(x => x.BeneficiaryIdNumber);
        Field(x => x.ApplicantIdNumber, nullable: true).Description("The caregiver applying for a child; defaults to the child's household head.");
        Field(x => x.IdempotencyKey, nullable: true);
        Field(x => x.EffectiveDate, nullable: true).Description("The application date; the assessment uses facts and parameters of that date.");
    }

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<EntitlementPayloadType>>("applyForEntitlement")
            .Argument<NonNullGraphType<ApplyForEntitlementInputType>>("input")
            .AuthorizeWithRoles(Roles.Caseworker)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<ApplyForEntitlementInput>("input");
                var result = await ctx.SendAsync(input, c => new ApplyForEntitlement(input.Programme, input.BeneficiaryIdNumber.Trim(), input.ApplicantIdNumber?.Trim(), c));
                return await EntitlementFields.PayloadAsync(ctx, result);
            });
}
