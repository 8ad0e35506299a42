using Registry.Api.ChangeRequests;
using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Audit;
using Registry.Api.Auth;
using Registry.Api.Citizens;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Households;
using Registry.Projections.Households;

namespace Registry.Api.Households;

/// <summary>A household with its members' citizen records.</summary>
public sealed record HouseholdView(Household Household, IReadOnlyDictionary<Guid, Citizen> Citizens)
{
    /// <summary>Sum of the living members' latest declared monthly incomes; undeclared counts as zero.</summary>
    public decimal MonthlyIncome => Household.MonthlyIncome(Citizens.Values);

    public static async Task<HouseholdView?> LoadAsync(IQuerySession session, Guid householdId, CancellationToken ct) =>
        (await LoadManyAsync(session, [householdId], ct)).GetValueOrDefault(householdId);

    /// <summary>Any number of households with their members in two round trips.</summary>
    public static async Task<IReadOnlyDictionary<Guid, HouseholdView>> LoadManyAsync(IQuerySession session, IReadOnlyCollection<Guid> householdIds, CancellationToken ct)
    {
        var households = await session.LoadManyAsync<Household>(ct, householdIds);
        var citizens = (await session.LoadManyAsync<Citizen>(ct, households.SelectMany(h => h.Members.Select(m => m.CitizenId).Append(h.HeadCitizenId)).Distinct()))
            .ToDictionary(c => c.Id);
        return households.ToDictionary(h => h.Id, h => new HouseholdView(h, citizens));
    }

    /// <summary>The households the given citizens belong to today, by citizen id, in three round trips.</summary>
    public static async Task<IReadOnlyDictionary<Guid, HouseholdView>> OfCitizensAsync(IQuerySession session, IReadOnlyCollection<Guid> citizenIds, CancellationToken ct)
    {
        var memberships = await session.LoadManyAsync<HouseholdMembership>(ct, citizenIds);
        var views = await LoadManyAsync(session, [.. memberships.Select(m => m.HouseholdId).Distinct()], ct);
        return memberships.Where(m => views.ContainsKey(m.HouseholdId)).ToDictionary(m => m.Id, m => views[m.HouseholdId]);
    }
}

public sealed class HouseholdType : ObjectGraphType<HouseholdView>
{
    public HouseholdType()
    {
        Name = "Household";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Household.Id);
        Field<NonNullGraphType<CitizenType>>("head").Resolve(ctx => ctx.Source.Citizens[ctx.Source.Household.HeadCitizenId]);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<HouseholdMemberType>>>>("members")
            .Resolve(ctx => ctx.Source.Household.Members.Select(m => new HouseholdMemberView(ctx.Source.Citizens[m.CitizenId], m)));
        Field<NonNullGraphType<AddressType>>("address").Resolve(ctx => ctx.Source.Household.Address);
        Field<NonNullGraphType<DecimalGraphType>>("monthlyIncome")
            .Description("Sum of the living members' declared monthly incomes.")
            .Resolve(ctx => ctx.Source.MonthlyIncome);
        Field<NonNullGraphType<BooleanGraphType>>("dissolved").Resolve(ctx => ctx.Source.Household.Dissolved);
        Field<NonNullGraphType<IntGraphType>>("version").Resolve(ctx => (int)ctx.Source.Household.Version);
        // The address and the summed income are every member's.
        this.ShowsPeople(h => h.Household.Members.Select(m => m.CitizenId).Append(h.Household.HeadCitizenId));
    }
}

public sealed record HouseholdMemberView(Citizen Citizen, HouseholdMember Member);

public sealed class HouseholdMemberType : ObjectGraphType<HouseholdMemberView>
{
    public HouseholdMemberType()
    {
        Name = "HouseholdMember";
        Field<NonNullGraphType<CitizenType>>("citizen").Resolve(ctx => ctx.Source.Citizen);
        Field<NonNullGraphType<RelationshipType>>("relationship").Resolve(ctx => ctx.Source.Member.Relationship);
        Field<NonNullGraphType<DateScalar>>("joinedOn").Resolve(ctx => ctx.Source.Member.JoinedOn);
        this.ShowsPeople(m => [m.Citizen.Id]);
    }
}

public sealed record HouseholdPayload(HouseholdView? Household, int? Version, IReadOnlyList<DomainError> Errors, Guid? ChangeRequestId = null);

public sealed class HouseholdPayloadType : ObjectGraphType<HouseholdPayload>
{
    public HouseholdPayloadType()
    {
        Name = "HouseholdPayload";
        Field<HouseholdType>("household").Resolve(ctx => ctx.Source.Household);
        Field(x => x.Version, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
        this.AddChangeRequestField(p => p.ChangeRequestId);
    }
}

public static class HouseholdWriting
{
    public static DomainError NotFound() => new(ErrorCodes.NotFound, "No household with this id exists.", "householdId");

    /// <summary>
    /// A change to an existing household that names a citizen: the citizen and their current household are read first,
    /// so the decision stays pure; an unknown household is NOT_FOUND before an unknown citizen is.
    /// </summary>
    public static async Task<CommandResult> DecideAsync(this IDocumentSession session, RegistryCommand cmd, string householdId, string idNumber,
        TimeProvider clock, CancellationToken ct, Func<Household, Citizen, Guid?, DateOnly, Decision> decide)
    {
        if (!Guid.TryParse(householdId, out var id)) return CommandResult.Rejected(NotFound());
        var citizen = await CitizenLookup.FindAsync(session, idNumber, ct);
        var membership = citizen is null ? null : await session.LoadAsync<HouseholdMembership>(citizen.Id, ct);
        return await session.DecideAsync<Household>(id, cmd, clock, NotFound(), (household, today) =>
            citizen is null ? Decision.Reject(CitizenLookup.NotFound()) : decide(household, citizen, membership?.HouseholdId, today), ct);
    }

    /// <summary>Declares a caseworker mutation on a household that answers with a HouseholdPayload.</summary>
    public static void AddHouseholdMutation<TInputType, TInput>(this ObjectGraphType mutation, string name, Func<TInput, CommandContext, RegistryCommand> command)
        where TInputType : InputObjectGraphType<TInput> where TInput : ChangeInput =>
        mutation.Field<NonNullGraphType<HouseholdPayloadType>>(name)
            .Argument<NonNullGraphType<TInputType>>("input")
            .AuthorizeWithRoles(Roles.Caseworker)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<TInput>("input");
                var result = await ctx.SendAsync(input, c => command(input, c));
                if (!result.Succeeded) return new HouseholdPayload(null, null, result.Errors);
                var view = await HouseholdView.LoadAsync(ctx.RequestServices!.GetRequiredService<IQuerySession>(), result.StreamId!.Value, ctx.CancellationToken);
                return new HouseholdPayload(view, (int)result.Version!.Value, [], result.ChangeRequestId);
            });
}
