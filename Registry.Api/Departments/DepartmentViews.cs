using GraphQL;
using GraphQL.Types;
using Marten;
using Registry.Api.Audit;
using Registry.Api.Auth;
using Registry.Api.Eligibility;
using Registry.Api.Entitlements;
using Registry.Api.GraphQL;
using Registry.Domain.Citizens;
using Registry.Domain.Eligibility;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;
using Registry.Projections.SocialDevelopment;
using Registry.Domain.Common;

namespace Registry.Api.Departments;

/// <summary>Marker roots of the department views: each reachable by its department (and caseworkers) only.</summary>
public sealed record DepartmentView;

/// <summary>What SASSA sees of a beneficiary: who, which grant, its state and amount — no income, no household.</summary>
public sealed record Beneficiary(Guid EntitlementId, Guid CitizenId, string IdNumber, string FullName, ProgrammeCode Programme, EntitlementStatus Status, decimal? MonthlyAmount, DateOnly? Since);

public sealed class BeneficiaryType : ObjectGraphType<Beneficiary>
{
    public BeneficiaryType()
    {
        Name = "Beneficiary";
        Field<NonNullGraphType<IdGraphType>>("entitlementId").Resolve(ctx => ctx.Source.EntitlementId);
        Field(x => x.IdNumber);
        Field(x => x.FullName);
        Field<NonNullGraphType<ProgrammeCodeType>>("programme").Resolve(ctx => ctx.Source.Programme);
        Field<NonNullGraphType<EntitlementStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field(x => x.MonthlyAmount, nullable: true);
        Field(x => x.Since, nullable: true);
        this.ShowsPeople(b => [b.CitizenId]);
    }
}

public sealed class BeneficiaryEdgeType() : EdgeType<BeneficiaryType, Beneficiary>("Beneficiary");

public sealed class BeneficiaryConnectionType() : ConnectionType<BeneficiaryType, BeneficiaryEdgeType, Beneficiary>("Beneficiary");

public sealed class SocialDevelopmentViewType : ObjectGraphType<DepartmentView>
{
    public SocialDevelopmentViewType()
    {
        Name = "SocialDevelopmentView";
        this.IsNamespace();
        Field<NonNullGraphType<BeneficiaryConnectionType>>("beneficiaries")
            .Argument<ProgrammeCodeType>("programme")
            .Argument<EntitlementStatusType>("status")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx =>
            {
                var size = Paging.PageSize(ctx.GetArgument<int?>("first"), 50);
                var after = Paging.After(ctx.GetArgument<string?>("after"));
                var session = ctx.RequestServices!.GetRequiredService<IQuerySession>();
                IQueryable<SocialGrantRecord> query = session.Query<SocialGrantRecord>();
                if (ctx.GetArgument<ProgrammeCode?>("programme") is { } programme)
                {
                    if (ProgrammeInfo.Of(programme).Department != Registry.Domain.Programmes.Departments.SocialDevelopment)
                        throw new ExecutionError($"{programme} is not a social grant.") { Code = ErrorCodes.InvalidArgument };
                    query = query.Where(e => e.Programme == programme);
                }
                if (ctx.GetArgument<EntitlementStatus?>("status") is { } status) query = query.Where(e => e.Status == status);

                var (rows, total) = await Paging.KeysetAsync(query, size, after, e => e.Id, ctx.CancellationToken, Paging.AsksForTotal(ctx));
                var people = (await session.LoadManyAsync<Citizen>(ctx.CancellationToken, rows.Select(r => r.BeneficiaryId).Distinct())).ToDictionary(c => c.Id);
                var beneficiaries = rows.Where(r => people.ContainsKey(r.BeneficiaryId)).Select(r =>
                {
                    var c = people[r.BeneficiaryId];
                    return new Beneficiary(r.Id, c.Id, c.IdNumber, $"{c.FirstNames} {c.Surname}", r.Programme, r.Status, r.MonthlyAmount, r.Since);
                }).ToList();
                return Paging.Page(beneficiaries, size, total, b => b.EntitlementId);
            });
    }
}

public sealed class HumanSettlementsViewType : ObjectGraphType<DepartmentView>
{
    public HumanSettlementsViewType()
    {
        Name = "HumanSettlementsView";
        this.IsNamespace();
        Field<NonNullGraphType<EligibilityDecisionType>>("householdSubsidy")
            .Description("BNG where the household qualifies, else FLISP where it qualifies, else the BNG decision with its reasons.")
            .Argument<NonNullGraphType<StringGraphType>>("idNumber")
            .Argument<DateScalar>("on")
            .Evaluates(2)
            .ResolveAsync(async ctx =>
            {
                var facts = new FactsRequest(ctx.GetArgument<string>("idNumber"), CheckingEligibility.On(ctx, ctx.GetArgument<DateOnly?>("on")));
                var answers = await CheckingEligibility.EvaluateAsync(ctx,
                    [new EligibilityQuestion(facts, ProgrammeCode.HousingSubsidyBng), new EligibilityQuestion(facts, ProgrammeCode.HousingSubsidyFlisp)]);
                var (bng, flisp) = (CheckingEligibility.ThrowIfUnanswered(answers[0]), answers[1]);
                return bng.Decision!.Eligible || flisp.Decision is not { Eligible: true } ? bng : flisp;
            });
    }
}

public sealed class BasicEducationViewType : ObjectGraphType<DepartmentView>
{
    public BasicEducationViewType()
    {
        Name = "BasicEducationView";
        this.IsNamespace();
        Field<NonNullGraphType<EligibilityDecisionType>>("feeExemption")
            .Description("Exempt FULL, PARTIAL or NONE (in outcome) and why, from the school fees recorded for the learner's school year (the calendar year of on); NO_SCHOOL_FEES_RECORDED when none are and no automatic exemption applies. The fees are never a caller's figure, and the parents' income is never shown.")
            .Argument<NonNullGraphType<StringGraphType>>("learnerIdNumber")
            .Argument<DateScalar>("on")
            .Evaluates(1)
            .ResolveAsync(async ctx =>
            {
                var answer = (await CheckingEligibility.EvaluateAsync(ctx, [new EligibilityQuestion(
                    new FactsRequest(ctx.GetArgument<string>("learnerIdNumber"), CheckingEligibility.On(ctx, ctx.GetArgument<DateOnly?>("on"))),
                    ProgrammeCode.SchoolFeeExemption)]))[0];
                return CheckingEligibility.ThrowIfUnanswered(answer);
            });
    }
}

public static class DepartmentFields
{
    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<SocialDevelopmentViewType>>("socialDevelopment")
            .AuthorizeWithRoles(Roles.Caseworker, Roles.Department(Registry.Domain.Programmes.Departments.SocialDevelopment)).Resolve(_ => new DepartmentView());
        query.Field<NonNullGraphType<HumanSettlementsViewType>>("humanSettlements")
            .AuthorizeWithRoles(Roles.Caseworker, Roles.Department(Registry.Domain.Programmes.Departments.HumanSettlements)).Resolve(_ => new DepartmentView());
        query.Field<NonNullGraphType<BasicEducationViewType>>("basicEducation")
            .AuthorizeWithRoles(Roles.Caseworker, Roles.Department(Registry.Domain.Programmes.Departments.BasicEducation)).Resolve(_ => new DepartmentView());
    }
}
