using System.Linq.Expressions;
using System.Text;
using Marten;
using Marten.Linq.MatchesSql;
using GraphQL;
using GraphQL.Types;
using Registry.Domain.Common;

namespace Registry.Api.GraphQL;

public sealed record Connection<T>(IReadOnlyList<Edge<T>> Edges, PageInfo PageInfo, int TotalCount);

public sealed record Edge<T>(string Cursor, T Node);

public sealed record PageInfo(bool HasNextPage, string? EndCursor);

/// <summary>Relay paging rules shared by every list: page size bounds and opaque cursors.</summary>
public static class Paging
{
    public const int MaxPageSize = 100;

    public static int PageSize(int? first, int defaultSize)
    {
        var size = first ?? defaultSize;
        if (size < 1) throw new ExecutionError("'first' must be at least 1.") { Code = ErrorCodes.InvalidArgument };
        if (size > MaxPageSize) throw new ExecutionError($"'first' may be at most {MaxPageSize}.") { Code = ErrorCodes.PageSizeTooLarge };
        return size;
    }

    /// <summary>
    /// Whether the caller selected totalCount: counting every match is a query of its own, and on a large list a
    /// large one, so a client paging through leaves it out after the first page. Unselected, it answers nothing.
    /// </summary>
    public static bool AsksForTotal(IResolveFieldContext ctx) =>
        ctx.SubFields is not { } fields || fields.Values.Any(f => f.FieldType.Name == "totalCount");

    /// <summary>Cursors are opaque to callers; inside they are the position key of the last row seen.</summary>
    public static string Cursor(Guid key) => Convert.ToBase64String(Encoding.UTF8.GetBytes("c:" + key.ToString("N")));

    public static Guid? After(string? cursor)
    {
        if (cursor is null) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (text.StartsWith("c:") && Guid.TryParseExact(text[2..], "N", out var key)) return key;
        }
        catch (FormatException) { }
        throw new ExecutionError("'after' is not a cursor this API issued.") { Code = ErrorCodes.InvalidCursor };
    }

    /// <summary>
    /// One page of documents after a cursor, plus the count of all that match. Keyset paging on the
    /// time-ordered (Guid v7) id: stable while rows are added, and no OFFSET scans on large tables.
    /// </summary>
    public static async Task<(IReadOnlyList<T> RowsPlusOne, int Total)> KeysetAsync<T>(IQueryable<T> query, int size, Guid? after,
        Expression<Func<T, Guid>> id, CancellationToken ct, bool countTotal = true) where T : notnull
    {
        var total = countTotal ? await query.CountAsync(ct) : 0;
        var page = after is { } key ? query.Where(x => x.MatchesSql("d.id > ?", key)) : query;
        return (await page.OrderBy(id).Take(size + 1).ToListAsync(ct), total);
    }

    public static Connection<T> Page<T>(IReadOnlyList<T> rowsPlusOne, int size, int totalCount, Func<T, Guid> key) =>
        PageBy(rowsPlusOne, size, totalCount, r => Cursor(key(r)));

    /// <summary>Cursors over the global event sequence (history, access log order).</summary>
    public static string Cursor(long sequence) => Convert.ToBase64String(Encoding.UTF8.GetBytes("s:" + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static long? AfterSequence(string? cursor)
    {
        if (cursor is null) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (text.StartsWith("s:") && long.TryParse(text[2..], System.Globalization.CultureInfo.InvariantCulture, out var sequence)) return sequence;
        }
        catch (FormatException) { }
        throw new ExecutionError("'after' is not a cursor this API issued.") { Code = ErrorCodes.InvalidCursor };
    }

    /// <summary>Cursors over a composite key (a report's position): opaque to callers, the key's text inside.</summary>
    public static string KeyCursor(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes("k:" + key));

    /// <summary>The key inside a <see cref="KeyCursor"/>, checked by <paramref name="parse"/>.</summary>
    public static T? AfterKey<T>(string? cursor, Func<string, T?> parse) where T : struct
    {
        if (cursor is null) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (text.StartsWith("k:") && parse(text[2..]) is { } key) return key;
        }
        catch (FormatException) { }
        throw new ExecutionError("'after' is not a cursor this API issued.") { Code = ErrorCodes.InvalidCursor };
    }

    public static Connection<T> PageBy<T>(IReadOnlyList<T> rowsPlusOne, int size, int totalCount, Func<T, string> cursor)
    {
        var page = rowsPlusOne.Take(size).Select(r => new Edge<T>(cursor(r), r)).ToList();
        return new Connection<T>(page, new PageInfo(rowsPlusOne.Count > size, page.LastOrDefault()?.Cursor), totalCount);
    }
}

public sealed class PageInfoType : ObjectGraphType<PageInfo>
{
    public PageInfoType()
    {
        Name = "PageInfo";
        Field(x => x.HasNextPage);
        Field(x => x.EndCursor, nullable: true);
    }
}

/// <summary>Base for the named connection types the contract declares (CitizenConnection, …).</summary>
public abstract class ConnectionType<TNodeType, TEdgeType, T> : ObjectGraphType<Connection<T>>
    where TNodeType : IGraphType where TEdgeType : IGraphType
{
    protected ConnectionType(string nodeName)
    {
        Name = nodeName + "Connection";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TEdgeType>>>>("edges").Resolve(ctx => ctx.Source.Edges);
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Resolve(ctx => ctx.Source.PageInfo);
        Field(x => x.TotalCount);
    }
}

public abstract class EdgeType<TNodeType, T> : ObjectGraphType<Edge<T>> where TNodeType : IGraphType
{
    protected EdgeType(string nodeName)
    {
        Name = nodeName + "Edge";
        Field(x => x.Cursor);
        Field<NonNullGraphType<TNodeType>>("node").Resolve(ctx => ctx.Source.Node);
    }
}
