using System.Linq.Expressions;
using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Audit;
using Registry.Api.Auth;
using Registry.Api.Hosting;
using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Api.Citizens;

public sealed class PossibleDuplicateType : ObjectGraphType<PossibleDuplicate>
{
    public PossibleDuplicateType()
    {
        Name = "PossibleDuplicate";
        Description = "A registered person who may be the same person: flagged for a caseworker to look at, never refused.";
        Field<NonNullGraphType<StringGraphType>>("idNumber").Resolve(ctx => ctx.Source.Citizen.IdNumber);
        Field<NonNullGraphType<FloatGraphType>>("score").Description("How alike, from 0 to 1.").Resolve(ctx => ctx.Source.Match.Score);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("matchedOn")
            .Description("What matched: name, dateOfBirth, address, idNumber (one digit or an adjacent swap apart).").Resolve(ctx => ctx.Source.Match.MatchedOn);
        Field<CitizenType>("citizen").Resolve(ctx => ctx.Source.Citizen);
        this.ShowsPeople(d => [d.Citizen.Id]);
    }
}

/// <summary>
/// Probable duplicates of one registered person. The candidates come from the store's indexes only (the same date of
/// birth, the near-miss ID numbers, the same first address line in the municipality), each block capped, in one
/// round trip; the scoring is <see cref="DuplicateMatching"/>'s.
/// </summary>
public static class FindingDuplicates
{
    public const double DefaultThreshold = 0.85;
    public const int MaxResults = 20;

    /// <summary>How alike a pair must be to be flagged: Registry:DuplicateThreshold, or the default.</summary>
    public static double Threshold(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>().GetValue("Registry:DuplicateThreshold", DefaultThreshold);

    // 500 candidates at most: a date of birth shared by more people than this is read in part, never scanned.
    private const int BirthCap = 400, AddressCap = 100;

    public static void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PossibleDuplicateType>>>>("possibleDuplicates")
            .Description("People who may be this person registered again, best first, at most 20; Registry:DuplicateThreshold sets how alike.")
            .Argument<NonNullGraphType<StringGraphType>>("idNumber")
            .AuthorizeWithRoles(Roles.Caseworker)
            .ResolveAsync(async ctx =>
            {
                var idNumber = ctx.GetArgument<string>("idNumber");
                var services = ctx.RequestServices!;
                if (!SaIdNumber.TryParse(idNumber, RegistryClock.Today(services.GetRequiredService<TimeProvider>()), out _, out var invalid))
                    throw new ExecutionError(invalid!.Message) { Code = ErrorCodes.InvalidIdNumber };
                var session = services.GetRequiredService<IQuerySession>();
                var person = await CitizenLookup.FindAsync(session, idNumber, ctx.CancellationToken)
                             ?? throw new ExecutionError(CitizenLookup.NotFound().Message) { Code = ErrorCodes.NotFound };
                return (object)await OfAsync(session, person, services, ctx.CancellationToken);
            });

    // The three blocks, each served by an index of RegistryDocuments (no ordering: an ORDER BY beside a LIMIT may
    // tempt the planner into walking the primary key instead). DuplicateTests reads their plans.
    public static Expression<Func<Citizen, bool>> NumberedAnyOf(string[] idNumbers) => c => c.IdNumber.IsOneOf(idNumbers);

    public static Expression<Func<Citizen, bool>> BornOn(DateOnly dateOfBirth) => c => c.DateOfBirth == dateOfBirth;

    public static Expression<Func<Citizen, bool>> LivingAt(Address address)
    {
        // lower() = a lowered value, which the lowered index serves (an ignore-case Equals becomes ILIKE, which it does not).
        var (municipality, line1) = (address.MunicipalityCode, address.Line1.ToLowerInvariant());
        return c => c.Address.MunicipalityCode == municipality && c.Address.Line1.ToLower() == line1;
    }

    /// <summary>The probable duplicates of a registered person, best first.</summary>
    public static async Task<IReadOnlyList<PossibleDuplicate>> OfAsync(IQuerySession session, Citizen person, IServiceProvider services, CancellationToken ct)
    {
        var threshold = Threshold(services);
        var today = RegistryClock.Today(services.GetRequiredService<TimeProvider>());
        // A person's own number always parses: it was checked when they were registered.
        var nearMisses = SaIdNumber.TryParse(person.IdNumber, today, out var id, out _) ? id.NearMisses(today).Select(n => n.Value).ToArray() : [];

        var batch = session.CreateBatchQuery();
        var bySlippedNumber = batch.Query<Citizen>().Where(NumberedAnyOf(nearMisses)).ToList();
        var byBirth = batch.Query<Citizen>().Where(BornOn(person.DateOfBirth)).Take(BirthCap).ToList();
        // A crowded address (a hostel, a farm, a stand shared by many) costs nothing when it cannot raise anyone over the line.
        // Above what name and address alone can score, only those born the same day can be flagged: they are in the
        // birth block too, unless a crowded birthday cut them off.
        var atAddress = batch.Query<Citizen>().Where(LivingAt(person.Address));
        if (threshold > DuplicateMatching.NameAndAddressAtMost) atAddress = atAddress.Where(BornOn(person.DateOfBirth));
        var byAddress = atAddress.Take(AddressCap).ToList();
        await batch.Execute(ct);

        var candidates = (await bySlippedNumber).Concat(await byBirth).Concat(await byAddress).Where(c => !c.IsMerged);
        return DuplicateMatching.Rank(person, candidates, nearMisses.ToHashSet(), threshold, MaxResults);
    }
}
