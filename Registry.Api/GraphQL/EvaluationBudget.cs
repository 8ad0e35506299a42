using System.Collections;
using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using Registry.Api.Eligibility;
using Registry.Domain.Common;

namespace Registry.Api.GraphQL;

/// <summary>
/// How many eligibility evaluations a field asks for: a fixed number, or one per item of a list argument.
/// Read by <see cref="EvaluationBudgetRule"/> to count a whole request before it runs.
/// </summary>
public static class EvaluationCost
{
    private const string Key = "registry:evaluations";

    public static FieldBuilder<TSource, TReturn> Evaluates<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, int evaluations) =>
        field.WithMetadata(Key, evaluations);

    public static FieldBuilder<TSource, TReturn> EvaluatesEachOf<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, string listArgument) =>
        field.WithMetadata(Key, listArgument);

    internal static object? Of(FieldType field) => field.GetMetadata<object?>(Key);

    public static ExecutionError OverBudget(int budget) =>
        new($"A request may ask for at most {budget} eligibility evaluations (aliases and batch items all count); split it.") { Code = ErrorCodes.TooManyEvaluations };
}

/// <summary>
/// Counts the evaluations a request asks for across its whole document before anything executes, as
/// execution will run them: every alias of a single question counts one, every batch its size (from
/// the literal list or the variable's value), fragments wherever they add fields. Over the budget the
/// request is refused whole; a batch over <see cref="EligibilityService.MaxBatch"/> is refused by name.
/// </summary>
public sealed class EvaluationBudgetRule(GraphQLLimits limits) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
        new(new MatchingNodeVisitor<GraphQLOperationDefinition>((operation, ctx) =>
        {
            if (operation != ctx.Operation) return;
            var root = operation.Operation switch
            {
                OperationType.Mutation => ctx.Schema.Mutation,
                OperationType.Subscription => ctx.Schema.Subscription,
                _ => (IComplexGraphType?)ctx.Schema.Query,
            };
            var total = new Counter(ctx).Count(operation.SelectionSet, root);
            if (total > limits.MaxEvaluationsPerRequest)
                ctx.ReportError(new ValidationError(ctx.Document.Source, "5.0", EvaluationCost.OverBudget(limits.MaxEvaluationsPerRequest).Message, operation)
                {
                    Code = ErrorCodes.TooManyEvaluations,
                });
        }));

    private sealed class Counter(ValidationContext ctx)
    {
        // Deeper than any query the depth limits admit: a fragment cycle (refused by its own rule) must not loop here.
        private const int MaxLevels = 32;
        // The same fields under the same type count the same wherever they recur: counted once, so aliased
        // fragments nested in each other cannot make this walk exponential.
        private readonly Dictionary<string, long> _counted = [];
        private readonly HashSet<GraphQLField> _reportedBatches = [];
        private readonly Dictionary<GraphQLSelectionSet, int> _ids = new(ReferenceEqualityComparer.Instance);

        private int Id(GraphQLSelectionSet set) => _ids.TryGetValue(set, out var id) ? id : _ids[set] = _ids.Count;

        public long Count(GraphQLSelectionSet selections, IComplexGraphType? parent) => Count([selections], parent, 0);

        /// <summary>
        /// As execution collects fields: by response name, fragments expanded, fields of one name merged
        /// (they run once), each alias on its own.
        /// </summary>
        private long Count(IReadOnlyList<GraphQLSelectionSet> selections, IComplexGraphType? parent, int level)
        {
            if (parent is null || level > MaxLevels) return 0;
            var key = parent.Name + ":" + string.Join(",", selections.Select(Id));
            if (_counted.TryGetValue(key, out var known)) return known;

            var fields = new Dictionary<string, List<(GraphQLField Field, IComplexGraphType Owner)>>();
            var fragments = new HashSet<string>();
            foreach (var set in selections) Collect(set, parent, fields, fragments);
            long total = 0;
            foreach (var group in fields.Values)
            {
                var (field, owner) = group[0];
                if (owner.GetField(field.Name.StringValue) is not { } definition) continue;
                total = Add(total, Cost(field, definition));
                total = Add(total, Count([.. group.Select(g => g.Field.SelectionSet).OfType<GraphQLSelectionSet>()],
                    definition.ResolvedType?.GetNamedType() as IComplexGraphType, level + 1));
            }
            return _counted[key] = total;
        }

        private void Collect(GraphQLSelectionSet set, IComplexGraphType parent, Dictionary<string, List<(GraphQLField, IComplexGraphType)>> fields, HashSet<string> fragments)
        {
            foreach (var selection in set.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        var name = (field.Alias?.Name ?? field.Name).StringValue;
                        if (!fields.TryGetValue(name, out var group)) fields[name] = group = [];
                        group.Add((field, parent));
                        break;
                    case GraphQLInlineFragment inline:
                        Collect(inline.SelectionSet, TypeOf(inline.TypeCondition) ?? parent, fields, fragments);
                        break;
                    // Spread twice in one selection, a fragment runs once.
                    case GraphQLFragmentSpread spread when fragments.Add(spread.FragmentName.Name.StringValue):
                        if (ctx.Document.Definitions.OfType<GraphQLFragmentDefinition>().FirstOrDefault(f => f.FragmentName.Name.StringValue == spread.FragmentName.Name.StringValue) is { } fragment
                            && TypeOf(fragment.TypeCondition) is { } type)
                            Collect(fragment.SelectionSet, type, fields, fragments);
                        break;
                }
            }
        }

        private IComplexGraphType? TypeOf(GraphQLTypeCondition? condition) =>
            condition is null ? null : ctx.Schema.AllTypes[condition.Type.Name.StringValue] as IComplexGraphType;

        private long Cost(GraphQLField field, FieldType definition)
        {
            switch (EvaluationCost.Of(definition))
            {
                case int fixedCost:
                    return fixedCost;
                case string listArgument:
                    var items = Items(field.Arguments?.FirstOrDefault(a => a.Name.StringValue == listArgument)?.Value);
                    if (items <= EligibilityService.MaxBatch) return items;
                    if (_reportedBatches.Add(field))
                        ctx.ReportError(new ValidationError(ctx.Document.Source, "5.0", $"A batch holds at most {EligibilityService.MaxBatch} requests; split it.", field)
                        {
                            Code = ErrorCodes.BatchTooLarge,
                        });
                    return 0;
                default:
                    return 0;
            }
        }

        /// <summary>The items a list argument holds; a single value is a list of one (input coercion).</summary>
        private long Items(GraphQLValue? value) => value switch
        {
            null or GraphQLNullValue => 0,
            GraphQLListValue list => list.Values?.Count ?? 0,
            GraphQLVariable variable => Items(ctx.Variables?.TryGetValue(variable.Name.StringValue, out var given) == true
                ? given
                : ctx.Operation.Variables?.FirstOrDefault(v => v.Variable.Name.StringValue == variable.Name.StringValue)?.DefaultValue),
            _ => 1,
        };

        private long Items(object? given) => given switch
        {
            null => 0,
            GraphQLValue literal => Items(literal),
            string => 1,
            ICollection collection => collection.Count,
            IEnumerable sequence => sequence.Cast<object?>().LongCount(),
            _ => 1,
        };

        private static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
    }
}
