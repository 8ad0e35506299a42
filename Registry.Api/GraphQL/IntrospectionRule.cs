using GraphQL.Validation;
using GraphQLParser.AST;
using Registry.Domain.Common;

namespace Registry.Api.GraphQL;

/// <summary>
/// Refuses introspection (__schema, __type) where it is off: it maps every field and argument of the
/// register for whoever holds a token. __typename stays; clients add it to every selection.
/// </summary>
public sealed class IntrospectionRule : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
        new(new MatchingNodeVisitor<GraphQLField>((field, ctx) =>
        {
            if (!IsIntrospection(field)) return;
            ctx.ReportError(new ValidationError(ctx.Document.Source, "5.0", "Introspection is turned off on this server.", field)
            {
                Code = ErrorCodes.IntrospectionDisabled,
            });
        }));

    public static bool IsIntrospection(GraphQLField field) => field.Name.Value.Span is "__schema" or "__type";

    /// <summary>An operation that asks only about the schema: it gets introspection's own depth and complexity allowance.</summary>
    public static bool IsIntrospectionOnly(GraphQLOperationDefinition operation) =>
        operation.SelectionSet.Selections.All(s => s is GraphQLField f && (IsIntrospection(f) || f.Name.Value.Span is "__typename"));
}
