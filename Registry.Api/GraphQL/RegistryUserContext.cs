using System.Security.Claims;
using GraphQL;

namespace Registry.Api.GraphQL;

/// <summary>Per-request facts resolvers need: who asks and the correlation id every resulting event carries.</summary>
public sealed class RegistryUserContext : Dictionary<string, object?>
{
    public required string Actor { get; init; }
    public required string CorrelationId { get; init; }
    public required ClaimsPrincipal User { get; init; }

    /// <summary>
    /// Households as they were on an auditor's chosen date, by citizen id: while set, Citizen.household
    /// answers from here instead of from today's membership.
    /// </summary>
    public Dictionary<Guid, Households.HouseholdView?> HouseholdsAsOf { get; } = [];

    /// <summary>Survivors this request reached through the ID number of a record merged into them, by survivor id.</summary>
    public Dictionary<Guid, Citizens.MergedRecord> ReachedThrough { get; } = [];

    /// <summary>One loader per field and request, made on first use (see BatchLoader).</summary>
    public BatchLoader<TKey, TValue> Loader<TKey, TValue>(string field, Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> load)
        where TKey : notnull
    {
        var key = "loader:" + field;
        if (TryGetValue(key, out var existing) && existing is BatchLoader<TKey, TValue> loader) return loader;
        loader = new BatchLoader<TKey, TValue>(load);
        this[key] = loader;
        return loader;
    }

    /// <summary>Why the caller reads (X-Purpose header), kept in the access log.</summary>
    public string? Purpose { get; init; }

    /// <summary>The people this request has shown so far; logged before it is answered.</summary>
    public Audit.RequestAccess Access { get; } = new();

    /// <summary>Eligibility evaluations this request may run in all (GraphQL:MaxEvaluationsPerRequest).</summary>
    public required int EvaluationBudget { get; init; }

    private int _evaluationsSpent;

    /// <summary>
    /// Takes evaluations from the request's budget before they run. The document was counted before
    /// execution (EvaluationBudgetRule); this is the cap that holds whatever that count could not see.
    /// </summary>
    public void SpendEvaluations(int count)
    {
        if (Interlocked.Add(ref _evaluationsSpent, count) > EvaluationBudget) throw EvaluationCost.OverBudget(EvaluationBudget);
    }
}

public static class ResolveContextExtensions
{
    public static RegistryUserContext Registry(this IResolveFieldContext context) => (RegistryUserContext)context.UserContext;
}
