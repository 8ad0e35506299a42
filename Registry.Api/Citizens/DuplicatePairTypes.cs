using System.Globalization;
using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Audit;
using Registry.Api.Auth;
using Registry.Api.GraphQL;
using Registry.Api.Hosting;
using Registry.Domain.Common;

namespace Registry.Api.Citizens;

public sealed class DuplicatePairType : ObjectGraphType<DuplicatePair>
{
    public DuplicatePairType()
    {
        Name = "DuplicatePair";
        Description = "Two registered people born the same day who may be one person: for a caseworker to look at.";
        Field<NonNullGraphType<StringGraphType>>("firstIdNumber").Resolve(ctx => ctx.Source.First.IdNumber);
        Field<NonNullGraphType<StringGraphType>>("secondIdNumber").Resolve(ctx => ctx.Source.Second.IdNumber);
        Field<NonNullGraphType<FloatGraphType>>("score").Description("How alike, from 0 to 1.").Resolve(ctx => ctx.Source.Match.Score);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("matchedOn")
            .Description("What matched: name, dateOfBirth, address, idNumber.").Resolve(ctx => ctx.Source.Match.MatchedOn);
        Field<NonNullGraphType<CitizenType>>("first").Resolve(ctx => ctx.Source.First);
        Field<NonNullGraphType<CitizenType>>("second").Resolve(ctx => ctx.Source.Second);
        this.ShowsPeople(p => [p.First.Id, p.Second.Id]);
    }
}

public sealed class DuplicatePairEdgeType() : EdgeType<DuplicatePairType, DuplicatePair>("DuplicatePair");

/// <summary>No totalCount: counting the pairs would mean reading the whole register for every page.</summary>
public sealed class DuplicatePairConnectionType : ObjectGraphType<Connection<DuplicatePair>>
{
    public DuplicatePairConnectionType()
    {
        Name = "DuplicatePairConnection";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DuplicatePairEdgeType>>>>("edges").Resolve(ctx => ctx.Source.Edges);
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Resolve(ctx => ctx.Source.PageInfo);
    }
}

/// <summary>The register-wide report paged: pairs in order of date of birth, then the two people's ids.</summary>
public static class PagingDuplicates
{
    public static void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<DuplicatePairConnectionType>>("duplicates")
            .Description("Probable duplicates across the register, people born the same day, in order of date of birth; threshold defaults to Registry:DuplicateThreshold.")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after")
            .Argument<FloatGraphType>("threshold")
            .AuthorizeWithRoles(Roles.Caseworker)
            .ResolveAsync(async ctx =>
            {
                var size = Paging.PageSize(ctx.GetArgument<int?>("first"), 50);
                var after = Paging.AfterKey(ctx.GetArgument<string?>("after"), Parse);
                var services = ctx.RequestServices!;
                var threshold = ctx.GetArgument<double?>("threshold")
                                ?? FindingDuplicates.Threshold(services);
                if (threshold is <= 0 or > 1 || double.IsNaN(threshold))
                    throw new ExecutionError("'threshold' is between 0 (exclusive) and 1.") { Code = ErrorCodes.InvalidArgument };
                var session = services.GetRequiredService<IQuerySession>();
                var today = RegistryClock.Today(services.GetRequiredService<TimeProvider>());
                List<DuplicatePair> rows = [];
                await foreach (var block in DuplicatesReport.BlocksAsync(session, threshold, today, after, ctx.CancellationToken))
                {
                    rows.AddRange(block.Pairs);
                    if (rows.Count > size) break;
                }
                return (object)Paging.PageBy(rows.Take(size + 1).ToList(), size, 0, p => Paging.KeyCursor(Key(DuplicatesReport.PositionOf(p))));
            });

    private static string Key(DuplicatePosition p) =>
        $"{p.DateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}|{p.First:N}|{p.Second:N}";

    private static DuplicatePosition? Parse(string key)
    {
        var parts = key.Split('|');
        return parts.Length == 3 && DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
               && Guid.TryParseExact(parts[1], "N", out var first) && Guid.TryParseExact(parts[2], "N", out var second)
            ? new DuplicatePosition(day, first, second) : null;
    }
}
