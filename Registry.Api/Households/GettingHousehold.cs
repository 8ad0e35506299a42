using GraphQL;
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
            .ResolveAsync(async ctx => Guid.TryParse(ctx.GetArgument<string>("id"), out var id)
                ? await HouseholdView.LoadAsync(ctx.RequestServices!.GetRequiredService<IQuerySession>(), id, ctx.CancellationToken)
                : null);
}
