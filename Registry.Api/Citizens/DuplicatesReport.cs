using System.Runtime.CompilerServices;
using Marten;
using Registry.Domain.Citizens;

namespace Registry.Api.Citizens;

/// <summary>Two registered people who may be one, the lesser citizen id first; their block is their date of birth.</summary>
public sealed record DuplicatePair(Citizen First, Citizen Second, DuplicateScore Match)
{
    public DateOnly DateOfBirth => First.DateOfBirth;
}

/// <summary>Where a walk of the register is: the day being read, and the last pair of it already answered.</summary>
public readonly record struct DuplicatePosition(DateOnly DateOfBirth, Guid First, Guid Second);

/// <summary>One day's block read: its pairs at or above the threshold, in order, and how many people it held.</summary>
public sealed record DuplicateBlock(DateOnly DateOfBirth, int People, bool ReadInPart, IReadOnlyList<DuplicatePair> Pairs);

/// <summary>
/// The register-wide duplicates report. It walks the register one date of birth at a time (keyset over the indexed date
/// of birth, never an OFFSET, never the whole table in memory), scores each unordered pair of a day once with
/// <see cref="DuplicateMatching"/>, and answers the pairs at or above the threshold. Memory is bounded by
/// <see cref="BlockCap"/> people. Near-miss ID numbers count within a day; a slip that changed the birth date's digits
/// puts the two people in different blocks, and only possibleDuplicates (per person) finds them.
/// </summary>
public static class DuplicatesReport
{
    /// <summary>People read at once, and of one date of birth at most: a day shared by more is read in part (and says so).</summary>
    public const int BlockCap = 5000;

    /// <summary>The blocks from the position on (its day included, pairs up to it left out), in order of date of birth.</summary>
    public static async IAsyncEnumerable<DuplicateBlock> BlocksAsync(IQuerySession session, double threshold, DateOnly today,
        DuplicatePosition? from = null, [EnumeratorCancellation] CancellationToken ct = default, int blockCap = BlockCap)
    {
        // Each round trip reads up to BlockCap people in order of date of birth, whole days only: the last day of a
        // full read may go on past it, so it is read again next time, unless it is the only day (then in part).
        DateOnly? after = null;
        var first = from?.DateOfBirth;
        while (true)
        {
            var rows = await Read(session, after, first, blockCap).ToListAsync(ct);
            if (rows.Count == 0) yield break;
            var full = rows.Count > blockCap;
            // The one row past the cap tells whether the last day goes on: a day that fills the cap exactly is whole.
            var last = rows[^1].DateOfBirth;
            var readInPart = full && rows[0].DateOfBirth == last;
            var days = (readInPart ? rows.Take(blockCap) : full ? rows.Where(c => c.DateOfBirth != last) : rows).GroupBy(c => c.DateOfBirth).ToList();
            foreach (var day in days)
            {
                var pairs = Score([.. day], threshold);
                if (from is { } position && position.DateOfBirth == day.Key)
                    pairs = [.. pairs.Where(p => Compare(p, position) > 0)];
                yield return new DuplicateBlock(day.Key, day.Count(), readInPart, pairs);
            }
            if (!full) yield break;
            (after, first) = (days[^1].Key, null);
        }
    }

    /// <summary>
    /// The pairs that involve the given people (by ID number), a day of birth at a time: what an import flags among the
    /// people it brought in and those already registered. Only their days are read, each whole up to BlockCap. ID numbers
    /// are held as numbers (8 bytes each), as the import tracks them.
    /// </summary>
    public static async IAsyncEnumerable<DuplicateBlock> InvolvingAsync(IQuerySession session, IReadOnlyDictionary<DateOnly, HashSet<long>> peopleByDay,
        double threshold, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var (day, idNumbers) in peopleByDay.OrderBy(d => d.Key))
        {
            var rows = await session.Query<Citizen>().Where(FindingDuplicates.BornOn(day)).Take(BlockCap + 1).ToListAsync(ct);
            bool Imported(string idNumber) => long.TryParse(idNumber, out var number) && idNumbers.Contains(number);
            var pairs = Score([.. rows.Take(BlockCap)], threshold).Where(p => Imported(p.First.IdNumber) || Imported(p.Second.IdNumber)).ToList();
            yield return new DuplicateBlock(day, Math.Min(rows.Count, BlockCap), rows.Count > BlockCap, pairs);
        }
    }

    /// <summary>
    /// The next people in order of date of birth, born after a day or on and after one: keyset over the date-of-birth
    /// index, never an OFFSET. BlockCap and one more, to tell a full read from the register's end.
    /// </summary>
    public static IQueryable<Citizen> Read(IQuerySession session, DateOnly? after, DateOnly? onOrAfter = null, int blockCap = BlockCap)
    {
        IQueryable<Citizen> query = session.Query<Citizen>();
        if (after is { } a) query = query.Where(c => c.DateOfBirth > a);
        if (onOrAfter is { } b) query = query.Where(c => c.DateOfBirth >= b);
        return query.OrderBy(c => c.DateOfBirth).Take(blockCap + 1);
    }

    /// <summary>Each unordered pair of the block once, the pairs at or above the threshold in order of their ids.</summary>
    public static IReadOnlyList<DuplicatePair> Score(IReadOnlyList<Citizen> block, double threshold)
    {
        // A record merged into another is that person already, and a pair told apart is two people: neither is shown
        // again. Each person's names and address are normalised once, not once a pair; a slipped number is compared
        // digit by digit.
        var people = block.Where(c => !c.IsMerged).DistinctBy(c => c.Id).OrderBy(c => c.Id).Select(DuplicateMatching.Prepare).ToArray();
        List<DuplicatePair> pairs = [];
        for (var i = 0; i < people.Length; i++)
        for (var j = i + 1; j < people.Length; j++)
        {
            var (a, b) = (people[i].Citizen, people[j].Citizen);
            if (a.IdNumber == b.IdNumber || DuplicateMatching.ToldApart(a, b)) continue;
            var match = DuplicateMatching.Score(people[i], people[j], SaIdNumber.AreOneSlipApart(a.IdNumber, b.IdNumber));
            if (match.Score >= threshold) pairs.Add(new DuplicatePair(a, b, match));
        }
        return pairs;
    }

    public static DuplicatePosition PositionOf(DuplicatePair pair) => new(pair.DateOfBirth, pair.First.Id, pair.Second.Id);

    private static int Compare(DuplicatePair pair, DuplicatePosition position)
    {
        var byFirst = pair.First.Id.CompareTo(position.First);
        return byFirst != 0 ? byFirst : pair.Second.Id.CompareTo(position.Second);
    }
}
