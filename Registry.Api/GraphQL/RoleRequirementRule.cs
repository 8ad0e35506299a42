using GraphQL;
using GraphQL.Validation;
using GraphQLParser.AST;
using Registry.Api.Auth;
using Registry.Domain.Common;

namespace Registry.Api.GraphQL;

/// <summary>
/// Checks every selected field's required roles before anything executes, so a refused request
/// reads nothing and writes nothing. Messages name the field, never data.
/// </summary>
public sealed class RoleRequirementRule : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
        new(new MatchingNodeVisitor<GraphQLField>((field, ctx) =>
        {
            var definition = ctx.TypeInfo.GetFieldDef();
            if (definition is null) return;
            var required = definition.GetRoles();
            if (required is null || required.Count == 0) return;
            if (Roles.Satisfies(ctx.User, required)) return;
            ctx.ReportError(new ValidationError(ctx.Document.Source, "5.0", $"You are not allowed to use '{definition.Name}'.", field)
            {
                Code = ErrorCodes.Forbidden,
            });
        }));
}
