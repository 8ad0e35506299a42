using GraphQL.DataLoader;

namespace Registry.Api.GraphQL;

/// <summary>
/// Answers a field for every object of a list with one load instead of one per object (the N+1 of
/// Citizen.household on a page of citizens). Resolvers hand back a deferred result; GraphQL's execution
/// strategy completes those only after the whole level has asked, so the first completion loads every
/// key collected so far. One instance lives for one request, and queries execute serially, so no locking.
/// </summary>
public sealed class BatchLoader<TKey, TValue>(Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> load)
    where TKey : notnull
{
    private readonly HashSet<TKey> _pending = [];
    private readonly Dictionary<TKey, TValue?> _loaded = [];

    public IDataLoaderResult<TValue?> Load(TKey key)
    {
        if (!_loaded.ContainsKey(key)) _pending.Add(key);
        return new Deferred(this, key);
    }

    /// <summary>The loaded value, turned into what the field answers.</summary>
    public IDataLoaderResult<TResult> Load<TResult>(TKey key, Func<TValue?, TResult> map) => new Mapped<TResult>(Load(key), map);

    private async Task<TValue?> GetAsync(TKey key, CancellationToken ct)
    {
        if (_pending.Count > 0)
        {
            var keys = _pending.ToArray();
            _pending.Clear();
            var found = await load(keys, ct);
            foreach (var k in keys) _loaded[k] = found.GetValueOrDefault(k);
        }
        return _loaded.GetValueOrDefault(key);
    }

    private sealed class Deferred(BatchLoader<TKey, TValue> loader, TKey key) : IDataLoaderResult<TValue?>
    {
        public Task<TValue?> GetResultAsync(CancellationToken cancellationToken = default) => loader.GetAsync(key, cancellationToken);

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }

    private sealed class Mapped<TResult>(IDataLoaderResult<TValue?> inner, Func<TValue?, TResult> map) : IDataLoaderResult<TResult>
    {
        public async Task<TResult> GetResultAsync(CancellationToken cancellationToken = default) => map(await inner.GetResultAsync(cancellationToken));

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}
