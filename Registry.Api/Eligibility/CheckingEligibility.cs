using GraphQL;
using GraphQL.Types;
using Registry.Api.Auth;
using Registry.Api.GraphQL;
using Registry.Api.Hosting;
using Registry.Domain.Programmes;
using Registry.Domain.Common;

namespace Registry.Api.Eligibility;

/// <summary>
/// "Is this person eligible for X on D, and why?" for caseworkers and department services. A department
/// asks only about its own programmes (purpose limitation); anything else is FORBIDDEN.
/// </summary>
public static class CheckingEligibility
{
    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<EligibilityDecisionType>>("eligibility")
            .Argument<NonNullGraphType<StringGraphType>>("idNumber")
            .Argument<NonNullGraphType<ProgrammeCodeType>>("programme")
            .Argument<DateScalar>("on", a => a.Description = "Defaults to today; a past date uses the facts and parameters as they were then.")
            .AuthorizeWithRoles(Roles.Caseworker, Roles.AnyDepartment)
            .Evaluates(1)
            .ResolveAsync(async ctx =>
            {
                var programme = ctx.GetArgument<ProgrammeCode>("programme");
                RequireMandate(ctx, programme);
                var answer = (await EvaluateAsync(ctx,
                    [new EligibilityQuestion(new FactsRequest(ctx.GetArgument<string>("idNumber"), On(ctx, ctx.GetArgument<DateOnly?>("on"))), programme, ResidentsOf(ctx, programme))]))[0];
                return ThrowIfUnanswered(answer);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<EligibilityDecisionType>>>>("eligibilityBatch")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<EligibilityRequestType>>>>("requests")
            .Description($"Up to {EligibilityService.MaxBatch} questions, answered in a fixed number of database round trips. A request that cannot be answered carries an error instead of failing the batch. Every item counts against the request's evaluation budget.")
            .AuthorizeWithRoles(Roles.Caseworker, Roles.AnyDepartment)
            .EvaluatesEachOf("requests")
            .ResolveAsync(async ctx =>
            {
                var requests = ctx.GetArgument<List<EligibilityRequest>>("requests");
                foreach (var programme in requests.Select(r => r.Programme).Distinct()) RequireMandate(ctx, programme);
                var answers = await EvaluateAsync(ctx,
                    [.. requests.Select(r => new EligibilityQuestion(new FactsRequest(r.IdNumber, On(ctx, r.On)), r.Programme, ResidentsOf(ctx, r.Programme)))]);
                return answers;
            });
    }

    /// <summary>The one way a resolver evaluates: spend from the request's budget first, then ask the service.</summary>
    public static Task<IReadOnlyList<EligibilityAnswer>> EvaluateAsync(IResolveFieldContext ctx, IReadOnlyList<EligibilityQuestion> questions)
    {
        ctx.Registry().SpendEvaluations(questions.Count);
        return ctx.RequestServices!.GetRequiredService<EligibilityService>().EvaluateAsync(questions, ctx.CancellationToken);
    }

    public static DateOnly On(IResolveFieldContext ctx, DateOnly? on) => on ?? ctx.RequestServices!.GetRequiredService<TimeProvider>().Today();

    /// <summary>Single questions answer NOT_FOUND and the like as GraphQL errors with a code.</summary>
    public static EligibilityAnswer ThrowIfUnanswered(EligibilityAnswer answer) =>
        answer.Error is { } error ? throw new ExecutionError(error.Message) { Code = error.Code } : answer;

    /// <summary>A municipality asks about its own residents only; caseworkers and national departments are not limited by place.</summary>
    public static IReadOnlyCollection<string>? ResidentsOf(IResolveFieldContext ctx, ProgrammeCode programme) =>
        Roles.Satisfies(ctx.User, [Roles.Caseworker]) || ProgrammeInfo.Of(programme).Department != Registry.Domain.Programmes.Departments.Municipality
            ? null
            : Roles.MunicipalitiesOf(ctx.User!);

    public static void RequireMandate(IResolveFieldContext ctx, ProgrammeCode programme)
    {
        var user = ctx.User!;
        if (Roles.Satisfies(user, [Roles.Caseworker])) return;
        if (Roles.DepartmentsOf(user).Contains(ProgrammeInfo.Of(programme).Department)) return;
        throw new ExecutionError($"Your department may not ask about {programme}.") { Code = ErrorCodes.Forbidden };
    }
}
