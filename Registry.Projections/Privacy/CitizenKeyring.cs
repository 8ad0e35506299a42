using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Registry.Projections.Sql;

namespace Registry.Projections.Privacy;

/// <summary>A person's unwrapped data key: one sub-key encrypts, the other derives the deterministic nonces.</summary>
public sealed class DataKey
{
    public DataKey(byte[] key)
    {
        Encryption = HMACSHA256.HashData(key, "encrypt"u8);
        Nonces = HMACSHA256.HashData(key, "nonce"u8);
    }

    public byte[] Encryption { get; }
    public byte[] Nonces { get; }
}

/// <summary>
/// Creates, wraps, unwraps and caches the data keys. The serializer's converters are synchronous, so a key the
/// cache misses is loaded synchronously, together with the next keys in id order (time-ordered ids: a replay
/// or a rebuild reading events in sequence finds the following people's keys already there). The cache is
/// bounded (two generations); keys read from the database expire after a while, so an erasure made on another
/// node is honoured here within that time, and an erasure on this process evicts at once.
/// </summary>
public sealed class CitizenKeyring
{
    private const int PrefetchPage = 256;

    private static readonly ConditionalWeakTable<CitizenKeyring, object> Live = new();

    private readonly MasterKeys _master;
    private readonly Lazy<NpgsqlDataSource> _database;
    private readonly string _prefetch;
    private readonly int _generationSize;
    private readonly long _ttlMilliseconds;
    private ConcurrentDictionary<Guid, Entry> _current = new();
    private ConcurrentDictionary<Guid, Entry> _previous = new();
    private readonly object _rotation = new();

    /// <summary>A cached key (null: erased or never created); keys created here stay until evicted, loaded ones expire.</summary>
    private sealed record Entry(DataKey? Key, long LoadedAt, bool Created);

    /// <param name="keys">The schema whose key table is read: the live register's, also for a scratch store's keyring.</param>
    public CitizenKeyring(MasterKeys master, string connectionString, RegistrySql keys, int cacheSize = 100_000, TimeSpan? timeToLive = null)
    {
        _master = master;
        _prefetch = keys.CitizenKeysFrom(PrefetchPage);
        _database = new Lazy<NpgsqlDataSource>(() => NpgsqlDataSource.Create(connectionString));
        _generationSize = Math.Max(1_000, cacheSize / 2);
        _ttlMilliseconds = (long)(timeToLive ?? TimeSpan.FromMinutes(5)).TotalMilliseconds;
        Live.Add(this, new object());
    }

    public MasterKeys Master => _master;

    /// <summary>Forgets the key in every keyring of this process (the live store's and any scratch store's).</summary>
    public static void EvictEverywhere(Guid citizenId)
    {
        foreach (var (keyring, _) in Live) keyring.Evict(citizenId);
    }

    public void Evict(Guid citizenId)
    {
        _current.TryRemove(citizenId, out _);
        _previous.TryRemove(citizenId, out _);
    }

    /// <summary>The person's key; null when it was erased (or never existed).</summary>
    public DataKey? Find(Guid citizenId)
    {
        if (Cached(citizenId) is { } entry) return entry.Key;
        LoadFrom(citizenId);
        return Cached(citizenId)?.Key;
    }

    /// <summary>A new person's key and its wrapped record, which the caller saves with their first events.</summary>
    public (DataKey Key, CitizenKey Record) Create(Guid citizenId, DateTimeOffset now)
    {
        var raw = RandomNumberGenerator.GetBytes(MasterKeys.KeyBytes);
        var record = new CitizenKey(citizenId, Wrap(citizenId, raw, _master.Current, _master.CurrentId), _master.CurrentId, now);
        var key = new DataKey(raw);
        Put(citizenId, new Entry(key, Environment.TickCount64, true));
        return (key, record);
    }

    /// <summary>The same key wrapped under the current master key: what a rotation stores for every record still under an old one.</summary>
    public CitizenKey? Rewrap(CitizenKey record)
    {
        if (record.WrappedKey is null || record.MasterKeyId == _master.CurrentId) return null;
        var raw = Unwrap(record) ?? throw new CryptographicException($"The data key of citizen {record.Id} is under an unknown master key {record.MasterKeyId}.");
        return record with { WrappedKey = Wrap(record.Id, raw, _master.Current, _master.CurrentId), MasterKeyId = _master.CurrentId };
    }

    private Entry? Cached(Guid citizenId)
    {
        if (!_current.TryGetValue(citizenId, out var entry))
        {
            if (!_previous.TryGetValue(citizenId, out entry)) return null;
            Put(citizenId, entry);
        }
        if (!entry.Created && Environment.TickCount64 - entry.LoadedAt > _ttlMilliseconds) return null;
        return entry;
    }

    private void Put(Guid citizenId, Entry entry)
    {
        if (_current.Count >= _generationSize)
            lock (_rotation)
                if (_current.Count >= _generationSize) (_previous, _current) = (_current, new ConcurrentDictionary<Guid, Entry>());
        _current[citizenId] = entry;
    }

    private void LoadFrom(Guid citizenId)
    {
        using var connection = _database.Value.OpenConnection();
        using var command = new NpgsqlCommand(_prefetch, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = citizenId });
        using var reader = command.ExecuteReader();
        var now = Environment.TickCount64;
        var found = false;
        while (reader.Read())
        {
            var id = reader.GetGuid(0);
            found |= id == citizenId;
            // A key created here and not yet committed is newer than anything read: keep it.
            if (_current.TryGetValue(id, out var mine) && mine.Created) continue;
            var wrapped = reader.IsDBNull(1) ? null : reader.GetString(1);
            var raw = wrapped is null ? null : Unwrap(new CitizenKey(id, wrapped, reader.GetString(2), default));
            Put(id, new Entry(raw is null ? null : new DataKey(raw), now, false));
        }
        if (!found) Put(citizenId, new Entry(null, now, false));
    }

    private byte[]? Unwrap(CitizenKey record)
    {
        if (record.WrappedKey is null) return null;
        var master = _master.Find(record.MasterKeyId)
                     ?? throw new CryptographicException($"The data key of citizen {record.Id} is wrapped under master key {record.MasterKeyId}, which is not configured.");
        var bytes = Convert.FromBase64String(record.WrappedKey);
        var raw = new byte[MasterKeys.KeyBytes];
        using var aes = new AesGcm(master, Seal.TagBytes);
        aes.Decrypt(bytes.AsSpan(0, Seal.NonceBytes), bytes.AsSpan(Seal.NonceBytes, raw.Length), bytes.AsSpan(Seal.NonceBytes + raw.Length), raw,
            WrapContext(record.Id, record.MasterKeyId));
        return raw;
    }

    private static string Wrap(Guid citizenId, byte[] raw, byte[] master, string masterId)
    {
        var output = new byte[Seal.NonceBytes + raw.Length + Seal.TagBytes];
        RandomNumberGenerator.Fill(output.AsSpan(0, Seal.NonceBytes));
        using var aes = new AesGcm(master, Seal.TagBytes);
        aes.Encrypt(output.AsSpan(0, Seal.NonceBytes), raw, output.AsSpan(Seal.NonceBytes, raw.Length), output.AsSpan(Seal.NonceBytes + raw.Length),
            WrapContext(citizenId, masterId));
        return Convert.ToBase64String(output);
    }

    /// <summary>A wrapped key opens only as the key of its own citizen under its own master key.</summary>
    private static byte[] WrapContext(Guid citizenId, string masterId) => Encoding.UTF8.GetBytes($"citizen-key|{citizenId:N}|{masterId}");
}
