using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
using Registry.Api.GraphQL;
using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Api.Citizens;

public sealed class CitizenFilter
{
    public string? Surname { get; init; }
    public string? MunicipalityCode { get; init; }
    public Province? Province { get; init; }
    public DateOnly? BornAfter { get; init; }
    public DateOnly? BornBefore { get; init; }
    public bool? Alive { get; init; }
}

public sealed class CitizenFilterType : InputObjectGraphType<CitizenFilter>
{
    public CitizenFilterType()
    {
        Name = "CitizenFilter";
        Field(x => x.Surname, nullable: true).Description("Exact surname, ignoring case.");
        Field(x => x.MunicipalityCode, nullable: true);
        Field(x => x.Province, nullable: true);
        Field(x => x.BornAfter, nullable: true).Description("Born on or after this date.");
        Field(x => x.BornBefore, nullable: true).Description("Born on or before this date.");
        Field(x => x.Alive, nullable: true);
    }
}

public sealed class CitizenEdgeType() : EdgeType<CitizenType, Citizen>("Citizen");

public sealed class CitizenConnectionType() : ConnectionType<CitizenType, CitizenEdgeType, Citizen>("Citizen");

public static class FindingCitizens
{
    public static void AddTo(ObjectGraphType query)
    {
        query.Field<CitizenType>("citizen")
            .Argument<NonNullGraphType<StringGraphType>>("idNumber")
            .AuthorizeWithRoles(Roles.Caseworker)
            .Description("The citizen with this ID number. The number of a record merged into another answers with the surviving record, whose lookedUpThrough then names the merged record.")
            .Resolve().WithService<IQuerySession>()
            .ResolveAsync(async (ctx, session) => await MergedLookup.FollowAsync(ctx, session, await CitizenLookup.FindAsync(session, ctx.GetArgument<string>("idNumber"), ctx.CancellationToken)));

        query.Field<NonNullGraphType<CitizenConnectionType>>("citizens")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .Argument<CitizenFilterType>("filter")
            .AuthorizeWithRoles(Roles.Caseworker)
            .ResolveAsync(async ctx =>
            {
                var size = Paging.PageSize(ctx.GetArgument<int?>("first"), 20);
                var after = Paging.After(ctx.GetArgument<string?>("after"));
                var filter = ctx.GetArgument<CitizenFilter?>("filter") ?? new CitizenFilter();
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();

                var (rows, total) = await Paging.KeysetAsync(Filter(session.Query<Citizen>(), filter), size, after, x => x.Id, ctx.CancellationToken, Paging.AsksForTotal(ctx));
                return Paging.Page(rows, size, total, c => c.Id);
            });
    }

    private static IQueryable<Citizen> Filter(IQueryable<Citizen> citizens, CitizenFilter f)
    {
        if (!string.IsNullOrWhiteSpace(f.Surname))
        {
            var surname = f.Surname.Trim();
            citizens = citizens.Where(x => x.Surname.Equals(surname, StringComparison.OrdinalIgnoreCase));
        }
        if (!string.IsNullOrWhiteSpace(f.MunicipalityCode))
        {
            var code = f.MunicipalityCode.Trim().ToUpperInvariant();
            citizens = citizens.Where(x => x.Address.MunicipalityCode == code);
        }
        if (f.Province is { } province) citizens = citizens.Where(x => x.Address.Province == province);
        if (f.BornAfter is { } from) citizens = citizens.Where(x => x.DateOfBirth >= from);
        if (f.BornBefore is { } to) citizens = citizens.Where(x => x.DateOfBirth <= to);
        if (f.Alive is true) citizens = citizens.Where(x => x.DateOfDeath == null);
        if (f.Alive is false) citizens = citizens.Where(x => x.DateOfDeath != null);
        // A record merged into another is listed once, as the survivor.
        return citizens.Where(x => x.MergedInto == null);
    }
}
