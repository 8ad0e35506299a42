using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Audit;
using Registry.Api.Auth;
using Registry.Api.Citizens;
using Registry.Api.GraphQL;
using Registry.Domain.ChangeRequests;
using Registry.Domain.Citizens;
using Registry.Projections.Privacy;

namespace Registry.Api.ChangeRequests;

public sealed class ChangeRequestStatusType : EnumerationGraphType<ChangeRequestStatus>;

public sealed class ChangeRequestType : ObjectGraphType<ChangeRequest>
{
    public ChangeRequestType()
    {
        Name = "ChangeRequest";
        Description = "A sensitive change one person asked for, waiting for (or decided by) a second person.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("command").Description("The mutation asked for, e.g. recordDeath.").Resolve(ctx => ctx.Source.Operation);
        Field(x => x.Summary).Description("What is asked, without the person's details.");
        Field<NonNullGraphType<StringGraphType>>("facts")
            .Description("The mutation's input as asked, as JSON: what approval will apply (\"[erased]\" once the person is erased).")
            .Resolve(ctx => EventSealing.Of(ctx.RequestServices!.GetRequiredService<IDocumentStore>()).OpenText(ctx.Source.Facts));
        Field<CitizenType>("citizen").Description("The person the change is about, as recorded now; null when it is about no person or they are erased.")
            .Resolve(object? (ctx) =>
            {
                if (ctx.Source.PersonId is not { } person) return null;
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                // A page of the queue asks for all its people at once.
                return ctx.Registry().Loader<Guid, Citizen>("ChangeRequest.citizen", async (ids, ct) =>
                    (await session.LoadManyAsync<Citizen>(ct, ids)).ToDictionary(c => c.Id)).Load(person);
            });
        Field<NonNullGraphType<IdGraphType>>("subjectId").Description("The record the change is to: a citizen, household or programme stream.")
            .Resolve(ctx => ctx.Source.SubjectStreamId);
        Field<NonNullGraphType<IntGraphType>>("subjectVersion").Description("The record's version when asked: approval applies the change only at this version.")
            .Resolve(ctx => (int)ctx.Source.SubjectVersion);
        Field(x => x.EffectiveDate);
        Field(x => x.RequestedBy);
        Field(x => x.RequestedAt);
        Field<StringGraphType>("requestReason").Description("Why the change was asked for.").Resolve(ctx => Open(ctx, ctx.Source.Reason));
        Field<NonNullGraphType<ChangeRequestStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field(x => x.DecidedBy, nullable: true).Description("Who approved, rejected or superseded it, or withdrew it.");
        Field(x => x.DecidedAt, nullable: true);
        Field<StringGraphType>("reason").Description("Why it was approved or rejected.").Resolve(ctx => Open(ctx, ctx.Source.DecisionReason));
        Field<StringGraphType>("supersededBy").Description("For a superseded request: the error code the record answered at approval (e.g. STALE_VERSION).")
            .Resolve(ctx => ctx.Source.SupersededBy);
        Field<IntGraphType>("appliedVersion").Description("For an approved request: the record's version after the change.")
            .Resolve(ctx => (int?)ctx.Source.AppliedVersion);
        this.ShowsPeople(r => r.PersonId is { } person ? [person] : []);
    }

    private static string? Open(IResolveFieldContext<ChangeRequest> ctx, string? stored) =>
        EventSealing.Of(ctx.RequestServices!.GetRequiredService<IDocumentStore>()).OpenText(stored);
}

public sealed class ChangeRequestEdgeType() : EdgeType<ChangeRequestType, ChangeRequest>("ChangeRequest");

public sealed class ChangeRequestConnectionType() : ConnectionType<ChangeRequestType, ChangeRequestEdgeType, ChangeRequest>("ChangeRequest");

public static class ListingChangeRequests
{
    /// <summary>Who reads the requests: the people who make and decide them, and auditors.</summary>
    public static readonly string[] Readers = [Roles.Caseworker, Roles.Auditor];

    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ChangeRequestConnectionType>>("changeRequests")
            .Description("Change requests, oldest first: the approval queue with status PENDING.")
            .Argument<ChangeRequestStatusType>("status")
            .Argument<StringGraphType>("idNumber", a => a.Description = "Only the requests about this person.")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .AuthorizeWithRoles(Readers)
            .ResolveAsync(async ctx =>
            {
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                var size = Paging.PageSize(ctx.GetArgument<int?>("first"), 20);
                var after = Paging.After(ctx.GetArgument<string?>("after"));
                var query = session.Query<ChangeRequest>().AsQueryable();
                if (ctx.GetArgument<ChangeRequestStatus?>("status") is { } status) query = query.Where(r => r.Status == status);
                if (ctx.GetArgument<string?>("idNumber") is { } idNumber)
                {
                    // An unknown number has no requests: the answer does not say whether the person exists.
                    var person = (await CitizenLookup.FindAsync(session, idNumber, ctx.CancellationToken))?.Id ?? Guid.Empty;
                    query = query.Where(r => r.PersonId == person);
                }
                var (rows, total) = await Paging.KeysetAsync(query, size, after, r => r.Id, ctx.CancellationToken, Paging.AsksForTotal(ctx));
                return Paging.Page(rows, size, total, r => r.Id);
            });
        query.Field<ChangeRequestType>("changeRequest")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AuthorizeWithRoles(Readers)
            .ResolveAsync(async ctx => Guid.TryParse(ctx.GetArgument<string>("id"), out var id)
                ? await ctx.RequestServices!.GetRequiredService<IQuerySession>().LoadAsync<ChangeRequest>(id, ctx.CancellationToken)
                : null);
    }

    /// <summary>The changes waiting for a second person about this citizen, on their record.</summary>
    public static void AddToCitizen(ObjectGraphType<Citizen> citizen) =>
        citizen.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChangeRequestType>>>>("pendingChanges")
            .Description("Changes to this person asked for and waiting for a second person's approval, oldest first.")
            .AuthorizeWithRoles(Readers)
            .Resolve(object? (ctx) =>
            {
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                // A page of citizens asks for all their requests at once.
                return ctx.Registry().Loader<Guid, IReadOnlyList<ChangeRequest>>("Citizen.pendingChanges", async (ids, ct) =>
                {
                    var pending = await session.Query<ChangeRequest>()
                        .Where(r => r.Status == ChangeRequestStatus.Pending && r.PersonId != null && ids.Contains(r.PersonId.Value))
                        .OrderBy(r => r.Id).ToListAsync(ct);
                    return ids.ToDictionary(id => id, id => (IReadOnlyList<ChangeRequest>)[.. pending.Where(r => r.PersonId == id)]);
                }).Load(ctx.Source.Id, requests => requests ?? []);
            });

    /// <summary>The field every payload of a mutation that may be held has: the request that holds it.</summary>
    public static void AddChangeRequestField<TPayload>(this ObjectGraphType<TPayload> payload, Func<TPayload, Guid?> requestId) =>
        payload.Field<ChangeRequestType>("changeRequest")
            .Description("Set when the change needs a second person: it is held in this request and the record is unchanged.")
            .ResolveAsync(async ctx =>
            {
                if (requestId(ctx.Source) is not { } id) return null;
                // From the primary, where the request was just written.
                await using var session = ctx.RequestServices!.GetRequiredService<ISessionFactory>().QuerySession();
                return await session.LoadAsync<ChangeRequest>(id, ctx.CancellationToken);
            });
}
