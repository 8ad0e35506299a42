using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;

namespace Registry.Api.Households;

public static class GettingHousehold
{
    public static void AddTo(ObjectGraphType query) =>
        query.Field<HouseholdType>("household")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AuthorizeWithRoles(Roles.Caseworker)
            .Resolve().WithService<IQuerySession>()
            .ResolveAsync(async (ctx, session) => Guid.TryParse(ctx.GetArgument<string>("id"), out var id)
                ? await HouseholdView.LoadAsync(session, id, ctx.CancellationToken)
                : null);
}
