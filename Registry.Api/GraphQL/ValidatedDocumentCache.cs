using GraphQL;
using GraphQL.DI;
using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Caching.Memory;

namespace Registry.Api.GraphQL;

/// <summary>
/// Parsing and validating a request costs about as much as running it, and departments send the same
/// few documents all day. A document that validated once is kept (by its text and the operation chosen,
/// since some rules look only at the operation that runs) and later requests skip the rules that depend
/// on the document alone. The rules that depend on who asks, why, or the variables (role, purpose,
/// evaluation budget, introspection) are registered to run on every request, cached or not. Bounded by
/// the total length of the texts kept.
/// </summary>
public sealed class ValidatedDocumentCache(GraphQLLimits limits) : IConfigureExecution, IDisposable
{
    private readonly MemoryCache _documents = new(new MemoryCacheOptions { SizeLimit = limits.DocumentCacheBytes });

    /// <summary>After the options are configured, before anything parses.</summary>
    public float SortOrder => 200;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (options.Document is not null || options.Query is not { } query || query.Length > limits.DocumentCacheBytes / 100) return await next(options);
        var key = (options.OperationName, query);
        var cached = _documents.TryGetValue(key, out GraphQLDocument? document);
        if (cached)
        {
            options.Document = document;
            options.ValidationRules = options.CachedDocumentValidationRules ?? [];
        }
        var result = await next(options);
        if (!cached && result.Executed && result.Document is { } validated)
            _documents.Set(key, validated, new MemoryCacheEntryOptions { Size = query.Length });
        return result;
    }

    public void Dispose() => _documents.Dispose();
}
