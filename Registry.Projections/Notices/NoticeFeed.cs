using Marten;
using Registry.Domain.Citizens;
using Registry.Domain.Notices;
using Registry.Domain.Programmes;

namespace Registry.Projections.Notices;

/// <summary>A notice as its audience may see it: the one shape `changes`, webhooks and DCI notify all send.</summary>
/// <param name="CitizenId">Whose record was read to show it (for the access log), when it names a person.</param>
public sealed record NoticeView(ChangeNotice Notice, string? SubjectIdNumber, Guid? CitizenId);

/// <summary>The one read of a department's notices: in position order, after a position, of the kinds asked for.</summary>
public static class NoticeFeed
{
    /// <summary>The departments whose notices name their own beneficiaries by ID number.</summary>
    private static readonly HashSet<string> NamingAudiences =
        [Departments.SocialDevelopment, Departments.HumanSettlements, Departments.BasicEducation];

    /// <summary>
    /// The audiences a feed reads: its own, and for a municipality also the notices every municipality shares. One
    /// event gives these at most one notice between them, so positions stay unique in the feed.
    /// </summary>
    public static string[] AudiencesOf(string feed) =>
        feed.StartsWith(ChangeNotice.AllMunicipalities + ":", StringComparison.Ordinal) ? [feed, ChangeNotice.AllMunicipalities] : [feed];

    public static async Task<IReadOnlyList<NoticeView>> ReadAsync(IQuerySession session, string feed, long afterPosition,
        IReadOnlyCollection<NoticeKind>? kinds, int limit, CancellationToken ct)
    {
        var audiences = AudiencesOf(feed);
        IQueryable<ChangeNotice> query = session.Query<ChangeNotice>().Where(n => audiences.Contains(n.Audience) && n.Position > afterPosition);
        if (kinds is { Count: > 0 }) query = query.Where(n => kinds.Contains(n.Kind));
        var notices = await query.OrderBy(n => n.Position).Take(limit).ToListAsync(ct);
        return await ShowAsync(session, feed, notices, ct);
    }

    /// <summary>Whether the feed has a notice of these kinds after the position.</summary>
    public static Task<bool> AnyAfterAsync(IQuerySession session, string feed, long afterPosition, IReadOnlyCollection<NoticeKind> kinds, CancellationToken ct)
    {
        var audiences = AudiencesOf(feed);
        return session.Query<ChangeNotice>().AnyAsync(n => audiences.Contains(n.Audience) && n.Position > afterPosition && kinds.Contains(n.Kind), ct);
    }

    /// <summary>The position of the newest notice in the feed; 0 while it has none.</summary>
    public static async Task<long> HeadAsync(IQuerySession session, string feed, CancellationToken ct)
    {
        var audiences = AudiencesOf(feed);
        var newest = await session.Query<ChangeNotice>().Where(n => audiences.Contains(n.Audience))
            .OrderByDescending(n => n.Position).Select(n => n.Position).Take(1).ToListAsync(ct);
        return newest.Count > 0 ? newest[0] : 0;
    }

    /// <summary>Minimised for the audience: ID numbers only for a programme department, from the record as it is now.</summary>
    public static async Task<IReadOnlyList<NoticeView>> ShowAsync(IQuerySession session, string feed, IReadOnlyList<ChangeNotice> notices, CancellationToken ct)
    {
        if (!NamingAudiences.Contains(feed))
            return [.. notices.Select(n => new NoticeView(n with { CitizenId = null }, null, null))];
        var ids = notices.Select(n => n.CitizenId).OfType<Guid>().Distinct().ToList();
        var people = ids.Count == 0 ? new Dictionary<Guid, Citizen>()
            : (await session.LoadManyAsync<Citizen>(ct, ids)).ToDictionary(c => c.Id);
        // An erased person's record is gone: the notice stays, without a number.
        return [.. notices.Select(n => n.CitizenId is { } id && people.TryGetValue(id, out var c)
            ? new NoticeView(n, c.IdNumber, id)
            : new NoticeView(n, null, null))];
    }
}
