using System.Security.Claims;
using GraphQL;
using GraphQL.Transport;
using Registry.Domain.Common;

namespace Registry.Api.GraphQL;

/// <summary>
/// The one way a request reaches the register's data: a GraphQL document executed as its caller (actor,
/// correlation id, purpose, evaluation budget), with the request's access records committed before any
/// answer is given. /graphql and the staff console both run through it, so both obey the same role
/// rules, minimisation, access log and error codes.
/// </summary>
public sealed class RegistryExecution(IDocumentExecuter<RegistrySchema> executer, GraphQLLimits limits, ILoggerFactory loggers,
    Audit.AccessLog accessLog, TimeProvider clock, IServiceProvider requestServices)
{
    /// <summary>
    /// Runs <paramref name="request"/> for <paramref name="user"/> (authenticated, with a name: bearer tokens
    /// without 'sub' are refused, console sessions always carry one). <paramref name="purpose"/> is what the
    /// caller said, checked as the X-Purpose header is. Throws <see cref="Audit.AccessLogUnavailableException"/>
    /// when the reads could not be logged: then nothing may be answered.
    /// </summary>
    public async Task<ExecutionResult> ExecuteAsync(ClaimsPrincipal user, string correlationId, string? purpose, GraphQLRequest request, CancellationToken cancellation)
    {
        var logger = loggers.CreateLogger("Registry.GraphQL");
        var caller = new RegistryUserContext
        {
            Actor = user.Identity!.Name!,
            CorrelationId = correlationId,
            User = user,
            Purpose = Audit.PurposeRule.Parse(purpose),
            EvaluationBudget = limits.MaxEvaluationsPerRequest,
        };

        var result = await executer.ExecuteAsync(o =>
        {
            o.Query = request.Query;
            o.Variables = request.Variables;
            o.Extensions = request.Extensions;
            o.OperationName = request.OperationName;
            o.RequestServices = requestServices;
            o.User = user;
            o.UserContext = caller;
            o.CancellationToken = cancellation;
            o.Timeout = TimeSpan.FromSeconds(limits.TimeoutSeconds);
            o.TimeoutAction = global::GraphQL.Execution.TimeoutAction.ReturnTimeoutError;
            o.UnhandledExceptionDelegate = ctx =>
            {
                // Log the fault for operators (types, SQLSTATE, frames; no message, it may quote the input);
                // callers get a stable code and no stack trace or SQL.
                logger.LogError("Unhandled error in {Field}, correlation {CorrelationId}: {Fault}", ctx.FieldContext?.FieldDefinition.Name,
                    correlationId, Hosting.Faults.Describe(ctx.OriginalException, withStackTrace: true));
                ctx.Exception = new ExecutionError("The register could not complete this request; it has been logged.") { Code = ErrorCodes.InternalError };
                return Task.CompletedTask;
            };
        });

        // An answered read is a logged read: the request's access records are committed before any of its answer leaves.
        await accessLog.WriteAsync(caller.Access.Records(caller, clock.GetUtcNow()));
        return result;
    }

    /// <summary>The caller's correlation id when it is usable, else a new one.</summary>
    public static string CorrelationId(string? given) => given is { Length: > 0 and <= 100 } ? given : Guid.CreateVersion7().ToString();
}
