using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Audit;
using Registry.Api.ChangeRequests;
using Registry.Api.Auth;
using GraphQL.MicrosoftDI;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Api.Households;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Projections.Households;

namespace Registry.Api.Citizens;

public sealed class CitizenType : ObjectGraphType<Citizen>
{
    public CitizenType()
    {
        Name = "Citizen";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field(x => x.IdNumber);
        Field(x => x.FirstNames);
        Field(x => x.Surname);
        Field(x => x.DateOfBirth);
        Field(x => x.Sex);
        Field(x => x.Citizenship);
        Field<NonNullGraphType<AddressType>>("address").Resolve(ctx => ctx.Source.Address);
        Field(x => x.MonthlyIncome, nullable: true).Description("Latest declared monthly income in rand; null when none was declared.");
        Field(x => x.IncomeSource, nullable: true);
        Field<BooleanGraphType>("disabled").Resolve(ctx => ctx.Source.Disability?.Disabled);
        Field<DisabilityType>("disability").Resolve(ctx => ctx.Source.Disability);
        Field(x => x.DateOfDeath, nullable: true);
        Field(x => x.Orphaned).Description("Recorded from the parents' death certificates; the CSG Top-Up and school-fee exemption read it.");
        Field<NonNullGraphType<BooleanGraphType>>("attendingSchool").Resolve(ctx => ctx.Source.School is { Attending: true });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SchoolFeesType>>>>("schoolFees")
            .Description("The school fees recorded for the learner, one entry per school year.").Resolve(ctx => ctx.Source.SchoolFees ?? []);
        Field<HouseholdType>("household").Resolve(object? (ctx) =>
        {
            if (ctx.Registry().HouseholdsAsOf.TryGetValue(ctx.Source.Id, out var asOf)) return asOf;
            var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
            // A page of citizens asks for all their households at once.
            return ctx.Registry().Loader<Guid, HouseholdView>("Citizen.household", (ids, ct) => HouseholdView.OfCitizensAsync(session, ids, ct)).Load(ctx.Source.Id);
        });
        Entitlements.EntitlementFields.AddToCitizen(this);
        MergedLookup.AddToCitizen(this);
        Field<NonNullGraphType<EventConnectionType>>("history")
            .Description("The changes to this person's own record, oldest first: what, who, when recorded, when true, why. Their household's and entitlements' histories are the auditor's (audit.history).")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .AuthorizeWithRoles(Roles.Caseworker, Roles.Auditor)
            .Resolve().WithService<AuditQueries>()
            .ResolveAsync(async (ctx, audit) => await audit.StreamHistoryAsync(ctx.Source.Id, Paging.PageSize(ctx.GetArgument<int?>("first"), 20),
                Paging.AfterSequence(ctx.GetArgument<string?>("after")), ctx.CancellationToken));
        ChangeRequests.ListingChangeRequests.AddToCitizen(this);
        Field<NonNullGraphType<IntGraphType>>("version").Resolve(ctx => (int)ctx.Source.Version);
        Field(x => x.LastChangedAt);
        this.ShowsPeople(c => [c.Id]);
    }
}

public sealed class DisabilityType : ObjectGraphType<Disability>
{
    public DisabilityType()
    {
        Name = "DisabilityAssessment";
        Field(x => x.Disabled);
        Field(x => x.Permanent);
        Field(x => x.ReviewDate, nullable: true);
    }
}

public sealed class SchoolFeesType : ObjectGraphType<SchoolFees>
{
    public SchoolFeesType()
    {
        Name = "SchoolFees";
        Field(x => x.Year);
        Field(x => x.AnnualFees);
        Field(x => x.OtherAnnualCharges);
    }
}

public sealed class AddressType : ObjectGraphType<Address>
{
    public AddressType()
    {
        Name = "Address";
        Field(x => x.Line1);
        Field(x => x.Line2, nullable: true);
        Field(x => x.Suburb, nullable: true);
        Field(x => x.City);
        Field(x => x.MunicipalityCode);
        Field(x => x.Province);
        Field(x => x.PostalCode);
    }
}

public sealed class AddressInput
{
    public string Line1 { get; init; } = "";
    public string? Line2 { get; init; }
    public string? Suburb { get; init; }
    public string City { get; init; } = "";
    public string MunicipalityCode { get; init; } = "";
    public Province Province { get; init; }
    public string PostalCode { get; init; } = "";

    public Address ToAddress() => new(Line1.Trim(), Blank(Line2), Blank(Suburb), City.Trim(), MunicipalityCode.Trim().ToUpperInvariant(), Province, PostalCode.Trim());

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

public sealed class AddressInputType : InputObjectGraphType<AddressInput>
{
    public AddressInputType()
    {
        Name = "AddressInput";
        Field(x => x.Line1);
        Field(x => x.Line2, nullable: true);
        Field(x => x.Suburb, nullable: true);
        Field(x => x.City);
        Field(x => x.MunicipalityCode);
        Field(x => x.Province);
        Field(x => x.PostalCode);
    }
}

/// <param name="ChangeRequestId">Set when the change is held for a second person: the citizen is then as they were.</param>
public sealed record CitizenPayload(Citizen? Citizen, int? Version, IReadOnlyList<DomainError> Errors, Guid? ChangeRequestId = null)
{
    public static async Task<CitizenPayload> From(IResolveFieldContext ctx, CommandResult result)
    {
        if (!result.Succeeded) return new CitizenPayload(null, null, result.Errors);
        var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
        var citizen = await session.LoadAsync<Citizen>(result.StreamId!.Value, ctx.CancellationToken);
        return new CitizenPayload(citizen, (int)result.Version!.Value, [], result.ChangeRequestId);
    }
}

public sealed class CitizenPayloadType : ObjectGraphType<CitizenPayload>
{
    public CitizenPayloadType()
    {
        Name = "CitizenPayload";
        Field<CitizenType>("citizen").Resolve(ctx => ctx.Source.Citizen);
        Field(x => x.Version, nullable: true).Description("The stream version after this change; send it back as expectedVersion.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
        this.AddChangeRequestField(p => p.ChangeRequestId);
        // Worked out only when asked for, after the change is stored: a registration is flagged, never refused.
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PossibleDuplicateType>>>>("possibleDuplicates")
            .Description("People who may be this person registered again (see possibleDuplicates); empty when the change was refused.")
            .ResolveAsync(async ctx => ctx.Source.Citizen is not { } citizen ? Array.Empty<PossibleDuplicate>() : await FindingDuplicates.OfAsync(
                ctx.RequestServices!.GetRequiredService<IQuerySession>(), citizen, ctx.RequestServices!, ctx.CancellationToken));
    }
}

/// <summary>Finds a citizen's stream by ID number, the only way callers name a citizen.</summary>
public static class CitizenLookup
{
    public static async Task<Citizen?> FindAsync(IQuerySession session, string idNumber, CancellationToken ct)
    {
        var normalised = idNumber.Trim();
        return await session.Query<Citizen>().Where(x => x.IdNumber == normalised).FirstOrDefaultAsync(ct);
    }

    public static DomainError NotFound(string field = "idNumber") =>
        new(ErrorCodes.NotFound, "No citizen with this ID number is registered.", field);

    /// <summary>A change named by the number of a record merged into another: the survivor's record is the one to change.</summary>
    public static DomainError Merged(string field = "idNumber") =>
        new(ErrorCodes.AlreadyMerged, "This ID number's record was merged into another; change the surviving record.", field);

    /// <summary>
    /// A change to an existing citizen, named by ID number: a malformed number is INVALID_ID_NUMBER, an unknown one
    /// NOT_FOUND; then the one write path of <see cref="StreamWriting"/>.
    /// </summary>
    public static async Task<CommandResult> DecideAsync(this IDocumentSession session, RegistryCommand cmd, string idNumber,
        TimeProvider clock, CancellationToken ct, Func<Citizen, DateOnly, Decision> decide)
    {
        if (!SaIdNumber.TryParse(idNumber, Hosting.RegistryClock.Today(clock), out _, out var invalid))
            return CommandResult.Rejected(invalid! with { Field = "idNumber" });
        var citizen = await FindAsync(session, idNumber, ct);
        if (citizen is null) return CommandResult.Rejected(NotFound());
        if (citizen.IsMerged) return CommandResult.Rejected(Merged());
        return await session.DecideAsync(citizen.Id, cmd, clock, NotFound(), decide, ct);
    }

    /// <summary>Declares a caseworker mutation that changes a citizen and answers with a CitizenPayload.</summary>
    public static void AddCitizenMutation<TInputType, TInput>(this ObjectGraphType mutation, string name, Func<TInput, CommandContext, RegistryCommand> command)
        where TInputType : InputObjectGraphType<TInput> where TInput : ChangeInput =>
        mutation.Field<NonNullGraphType<CitizenPayloadType>>(name)
            .Argument<NonNullGraphType<TInputType>>("input")
            .AuthorizeWithRoles(Auth.Roles.Caseworker)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<TInput>("input");
                return await CitizenPayload.From(ctx, await ctx.SendAsync(input, c => command(input, c)));
            });
}
