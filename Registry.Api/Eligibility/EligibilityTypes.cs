using GraphQL.Types;
using Registry.Api.Audit;
using Registry.Api.GraphQL;
using Registry.Domain.Eligibility;
using Registry.Domain.Programmes;

namespace Registry.Api.Eligibility;

public sealed class ProgrammeCodeType : EnumerationGraphType<ProgrammeCode>;

public sealed class ReasonType : ObjectGraphType<Reason>
{
    public ReasonType()
    {
        Name = "Reason";
        Field(x => x.Criterion);
        Field(x => x.Passed);
        Field(x => x.Observed, nullable: true);
        Field(x => x.Threshold, nullable: true);
        Field(x => x.LegalReference, nullable: true);
        Field(x => x.Message).Description("A sentence a caseworker can read to the citizen.");
    }
}

public sealed class EligibilityDecisionType : ObjectGraphType<EligibilityAnswer>
{
    public EligibilityDecisionType()
    {
        Name = "EligibilityDecision";
        Field<IdGraphType>("id").Description("Set when the decision was recorded on an entitlement.").Resolve(ctx => ctx.Source.DecisionId);
        Field(x => x.IdNumber);
        Field(x => x.Programme);
        Field<NonNullGraphType<DateScalar>>("on").Resolve(ctx => ctx.Source.On);
        Field<NonNullGraphType<BooleanGraphType>>("eligible").Resolve(ctx => ctx.Source.Decision?.Eligible ?? false);
        Field<DecimalGraphType>("monthlyAmount").Resolve(ctx => ctx.Source.Decision?.MonthlyAmount);
        Field<StringGraphType>("outcome").Description("School fee exemption: FULL, PARTIAL or NONE.").Resolve(ctx => ctx.Source.Decision?.Outcome);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReasonType>>>>("reasons").Resolve(ctx => ctx.Source.Decision?.Reasons ?? []);
        Field<NonNullGraphType<StringGraphType>>("ruleVersion").Resolve(ctx => ctx.Source.Decision?.RuleVersion ?? EligibilityRules.RuleVersion);
        Field<NonNullGraphType<StringGraphType>>("parameterVersion").Resolve(ctx => ctx.Source.Decision?.ParameterVersion ?? "");
        Field<UserErrorType>("error")
            .Description("Why this request could not be evaluated (NOT_FOUND, INVALID_ID_NUMBER, NO_PARAMETERS_IN_FORCE, NO_SCHOOL_FEES_RECORDED); then eligible is false and reasons empty.")
            .Resolve(ctx => ctx.Source.Error);
        Receipts.ReadingReceipts.AddTo(this);
        Appeals.AppealFields.AddTo(this);
        this.ShowsPeople(a => a.Shown);
    }
}

public sealed class EligibilityRequest
{
    public string IdNumber { get; init; } = "";
    public ProgrammeCode Programme { get; init; }
    public DateOnly? On { get; init; }
}

public sealed class EligibilityRequestType : InputObjectGraphType<EligibilityRequest>
{
    public EligibilityRequestType()
    {
        Name = "EligibilityRequest";
        Field(x => x.IdNumber);
        Field(x => x.Programme);
        Field(x => x.On, nullable: true);
    }
}
