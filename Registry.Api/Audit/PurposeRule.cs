using System.Text.RegularExpressions;
using GraphQL;
using GraphQL.Validation;
using GraphQLParser.AST;
using Registry.Api.GraphQL;
using Registry.Domain.Common;

namespace Registry.Api.Audit;

/// <summary>
/// A query whose answer would show a person's data (any field of a type marked with ShowsPeople) must
/// say why in X-Purpose, whatever the caller's role; checked before anything executes, so a refused read
/// reads nothing. A mutation's purpose is the change it makes, so it needs none.
/// </summary>
public sealed partial class PurposeRule : ValidationRuleBase
{
    public const string Header = "X-Purpose";
    public const int MaxLength = 200;

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        if (context.Operation.Operation == OperationType.Mutation || context.UserContext is RegistryUserContext { Purpose: not null })
            return default;
        var reported = false;
        return new(new MatchingNodeVisitor<GraphQLField>((field, ctx) =>
        {
            if (reported || (ctx.TypeInfo.GetParentType()?.GetNamedType().ShowsPeople() != true && ctx.TypeInfo.GetFieldDef()?.IsAboutAPerson() != true)) return;
            reported = true;
            ctx.ReportError(new ValidationError(ctx.Document.Source, "5.0",
                $"'{ctx.TypeInfo.GetParentType()?.GetNamedType().Name}.{field.Name.StringValue}' shows a person's data: say why in the {Header} header (1 to {MaxLength} characters, no ID numbers).", field)
            {
                Code = ErrorCodes.PurposeRequired,
            });
        }));
    }

    /// <summary>The stated purpose, or null when it is missing, too long or carries an ID number (personal data has no place in the log).</summary>
    public static string? Parse(string? header) =>
        header?.Trim() is { Length: > 0 and <= MaxLength } purpose && !IdNumberLike().IsMatch(purpose) ? purpose : null;

    [GeneratedRegex(@"\d{13}")]
    private static partial Regex IdNumberLike();
}
