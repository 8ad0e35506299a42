using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Auth;
using Registry.Api.GraphQL;
using Registry.Domain.Common;
using Registry.Domain.Notices;
using Registry.Projections.Notices;
using Registry.Projections.Privacy;

namespace Registry.Api.Notices;

/// <summary>
/// A consumer's place in its department's feed: the feed and the position, signed, so a cursor made up or
/// carried over from another department's feed is refused rather than read.
/// </summary>
public static class NoticeCursor
{
    public static string PositionText(long position) => position.ToString(CultureInfo.InvariantCulture);

    public static string For(MasterKeys keys, string feed, long position)
    {
        var body = $"{feed}|{PositionText(position)}";
        return Base64Url($"{body}|{Convert.ToHexStringLower(Mac(keys, body))}");
    }

    /// <summary>The position after which to read; 0 (the start of the feed) without a cursor.</summary>
    public static long After(MasterKeys keys, string feed, string? cursor)
    {
        if (cursor is null) return 0;
        var parts = Decode(cursor)?.Split('|');
        if (parts is [var f, var p, var mac]
            && long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            && Convert.FromHexString(mac.Length == 64 && mac.All(Uri.IsHexDigit) ? mac : new string('0', 64)) is var given
            && CryptographicOperations.FixedTimeEquals(given, Mac(keys, $"{f}|{p}"))
            && f == feed)
            return position;
        throw new ExecutionError("'after' is not a cursor this register issued for your department's feed.") { Code = ErrorCodes.InvalidCursor };
    }

    private static byte[] Mac(MasterKeys keys, string body) =>
        HMACSHA256.HashData(HMACSHA256.HashData(keys.BlindIndexKey, "change notice cursor"u8), Encoding.UTF8.GetBytes(body));

    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? Decode(string cursor)
    {
        var b64 = cursor.Replace('-', '+').Replace('_', '/');
        b64 += new string('=', (4 - b64.Length % 4) % 4);
        var bytes = new byte[b64.Length];
        return Convert.TryFromBase64String(b64, bytes, out var length) ? Encoding.UTF8.GetString(bytes, 0, length) : null;
    }
}

/// <summary>`changes`: a department reads its own feed, from where it left off.</summary>
public static class ReadingChanges
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1_000;

    /// <summary>The feed a department service reads: its department, a municipality its own code. One per caller.</summary>
    public static string FeedOf(ClaimsPrincipal user)
    {
        var departments = Roles.Of(user).Where(r => r.Department is not null).ToList();
        if (departments is not [var role])
            throw new ExecutionError("Read changes with a token that speaks for exactly one department.") { Code = ErrorCodes.Forbidden };
        return role.Municipality is { } code ? ChangeNotice.MunicipalityAudience(code) : role.Department!;
    }

    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<NoticeConnectionType>>("changes")
            .Description("The caller's department's change notices after a cursor, oldest first. A page with no notices gives back the cursor it was asked after, so a consumer keeps its place.")
            .Argument<StringGraphType>("after")
            .Argument<IntGraphType>("first", a => a.DefaultValue = DefaultPageSize)
            .Argument<ListGraphType<NonNullGraphType<NoticeKindType>>>("kinds")
            .AuthorizeWithRoles(Roles.AnyDepartment)
            // A page is one indexed read of stored rows, with no evaluation behind a notice: a full page of 1,000
            // counts as a hundred rows of another list would, so a consumer catching up is not held to pages of 25.
            .WithComplexityImpact(c => new global::GraphQL.Validation.Complexity.FieldComplexityResult(1,
                Math.Max(1, c.GetArgument("first", DefaultPageSize) / 10.0)))
            .ResolveAsync(async ctx =>
            {
                var size = ctx.GetArgument<int?>("first") ?? DefaultPageSize;
                if (size < 1) throw new ExecutionError("'first' must be at least 1.") { Code = ErrorCodes.InvalidArgument };
                if (size > MaxPageSize) throw new ExecutionError($"'first' may be at most {MaxPageSize}.") { Code = ErrorCodes.PageSizeTooLarge };
                var keys = ctx.RequestServices!.GetRequiredService<MasterKeys>();
                var feed = FeedOf(ctx.Registry().User);
                var cursor = ctx.GetArgument<string?>("after");
                var after = NoticeCursor.After(keys, feed, cursor);
                var kinds = ctx.GetArgument<List<NoticeKind>?>("kinds");
                var rows = await NoticeFeed.ReadAsync(ctx.RequestServices!.GetRequiredService<IQuerySession>(), feed, after, kinds, size + 1, ctx.CancellationToken);
                var page = Paging.PageBy(rows, size, 0, v => NoticeCursor.For(keys, feed, v.Notice.Position));
                return page.Edges.Count > 0 ? page : page with { PageInfo = new PageInfo(false, cursor) };
            });
    }
}
