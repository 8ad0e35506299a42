using GraphQL.Transport;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using GraphQLParser.Visitors;

namespace Registry.Api.GraphQL;

/// <summary>
/// Finds U+0000 anywhere a request carries text: the document (as a character, or as a string literal's \u0000 escape),
/// the operation name, the variables and the extensions. PostgreSQL text and jsonb cannot hold it, so such a request
/// could only fail, and it would fail in the database, after the register had begun to act on it.
/// </summary>
public static class NulCharacter
{
    public static async ValueTask<bool> InAsync(GraphQLRequest request, CancellationToken ct) =>
        Holds(request.Query) || Holds(request.OperationName) || Holds(request.Variables) || Holds(request.Extensions)
        || await InLiteralsAsync(request.Query, ct);

    private static bool Holds(object? value) => value switch
    {
        string text => text.Contains('\0'),
        IEnumerable<KeyValuePair<string, object?>> fields => fields.Any(f => f.Key.Contains('\0') || Holds(f.Value)),
        System.Collections.IEnumerable items => items.Cast<object?>().Any(Holds),
        _ => false,
    };

    /// <summary>Parsed only when an escape is there to decode: most documents have none.</summary>
    private static async ValueTask<bool> InLiteralsAsync(string? query, CancellationToken ct)
    {
        if (query is null || !query.Contains("\\u", StringComparison.Ordinal)) return false;
        GraphQLDocument document;
        try
        {
            document = Parser.Parse(query, new ParserOptions { Ignore = IgnoreOptions.All });
        }
        catch (GraphQLParserException)
        {
            return false; // the executer answers the syntax error in its own words
        }
        var literals = new Literals(ct);
        await new LiteralVisitor().VisitAsync(document, literals);
        return literals.HoldNul;
    }

    private sealed class Literals(CancellationToken ct) : IASTVisitorContext
    {
        public CancellationToken CancellationToken => ct;
        public bool HoldNul { get; set; }
    }

    private sealed class LiteralVisitor : ASTVisitor<Literals>
    {
        protected override ValueTask VisitStringValueAsync(GraphQLStringValue literal, Literals context)
        {
            if (literal.Value.Span.Contains('\0')) context.HoldNul = true;
            return ValueTask.CompletedTask;
        }
    }
}
