using GraphQL;
using GraphQL.Types;
using Registry.Api.Audit;
using Registry.Api.Eligibility;
using Registry.Api.GraphQL;
using Registry.Domain.Notices;
using Registry.Projections.Notices;

namespace Registry.Api.Notices;

public sealed class NoticeKindType : EnumerationGraphType<NoticeKind>;

public sealed class NoticeStateType : ObjectGraphType<NoticeState>
{
    public NoticeStateType()
    {
        Name = "NoticeState";
        Field(x => x.Eligible, nullable: true);
        Field(x => x.MonthlyAmount, nullable: true);
        Field(x => x.Status, nullable: true);
    }
}

/// <summary>A notice as its department may see it; reading one that names a person is a read of that person.</summary>
public sealed class ChangeNoticeType : ObjectGraphType<NoticeView>
{
    public ChangeNoticeType()
    {
        Name = "ChangeNotice";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Notice.Id);
        Field<NonNullGraphType<StringGraphType>>("position").Resolve(ctx => NoticeCursor.PositionText(ctx.Source.Notice.Position));
        Field<NonNullGraphType<NoticeKindType>>("kind").Resolve(ctx => ctx.Source.Notice.Kind);
        Field<NonNullGraphType<DateScalar>>("occurredAt").Resolve(ctx => ctx.Source.Notice.OccurredAt);
        Field<NonNullGraphType<DateTimeScalar>>("recordedAt").Resolve(ctx => ctx.Source.Notice.RecordedAt);
        Field<ProgrammeCodeType>("programme").Resolve(ctx => ctx.Source.Notice.Programme);
        Field<StringGraphType>("subjectIdNumber").Resolve(ctx => ctx.Source.SubjectIdNumber);
        Field<IdGraphType>("householdId").Resolve(ctx => ctx.Source.Notice.HouseholdId);
        Field<NoticeStateType>("before").Resolve(ctx => ctx.Source.Notice.Before);
        Field<NoticeStateType>("after").Resolve(ctx => ctx.Source.Notice.After);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("changedCriteria").Resolve(ctx => ctx.Source.Notice.ChangedCriteria);
        Field<StringGraphType>("correlationId").Resolve(ctx => ctx.Source.Notice.CorrelationId);
        this.ShowsPeople(v => v.CitizenId is { } id ? [id] : []);
    }
}

public sealed class NoticeEdgeType() : EdgeType<ChangeNoticeType, NoticeView>("Notice");

/// <summary>A feed has no total: counting it on every page would cost what a consumer catching up can least afford.</summary>
public sealed class NoticeConnectionType : ObjectGraphType<Connection<NoticeView>>
{
    public NoticeConnectionType()
    {
        Name = "NoticeConnection";
        // The page's size is counted once, on `changes`; not again here as on other connections.
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<NoticeEdgeType>>>>("edges").Resolve(ctx => ctx.Source.Edges).WithComplexityImpact(1, 1);
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Resolve(ctx => ctx.Source.PageInfo);
    }
}
