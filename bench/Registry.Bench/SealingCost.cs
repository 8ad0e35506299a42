using System.Buffers;
using System.Data.Common;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Serialization;
using JasperFx.Events.Projections;
using Marten;
using Marten.Services;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Registry.Api.Eligibility;
using Registry.Api.Hosting;
using Registry.Projections.Privacy;
using Registry.Projections.Sql;
using Weasel.Core;

/// <summary>
/// What sealing costs, beside the same serializer without it, on events stored in the benchmark register.
/// Both stores are configured by the service's own RegistryHost.ConfigureStore with the API process's keys;
/// the plain one has the sealing converters taken out of its serializer (nothing else differs), so it can
/// show what the same events would cost unsealed. The service itself has no such switch.
/// </summary>
sealed class SealingCost : IDisposable
{
    private const int WarmUpPasses = 2;
    private const int TimedPasses = 5;

    private readonly DocumentStore _sealed;
    private readonly DocumentStore _plain;
    private readonly RecordingSerializer _recorder;
    private readonly string _connection;
    private readonly RegistrySql _sql;

    private SealingCost(DocumentStore sealedStore, RecordingSerializer recorder, DocumentStore plain, string connection)
    {
        (_sealed, _recorder, _plain, _connection, _sql) = (sealedStore, recorder, plain, connection, RegistrySql.Of(sealedStore));
    }

    private Marten.ISerializer Sealed => _recorder.Inner;
    private Marten.ISerializer Plain => _plain.Options.Serializer();

    public static SealingCost Open(string connection, IConfiguration configuration)
    {
        // Marten warns on the console that no async daemon runs: these stores only (de)serialise.
        var console = Console.Out;
        Console.SetOut(TextWriter.Null);
        try
        {
            return Build(connection, configuration);
        }
        finally { Console.SetOut(console); }
    }

    private static SealingCost Build(string connection, IConfiguration configuration)
    {
        RecordingSerializer? recorder = null;
        var sealedStore = DocumentStore.For(opts =>
        {
            RegistryHost.ConfigureStore(opts, connection, configuration);
            // Passes every call through; it only notes which events a lookup opens.
            recorder = new RecordingSerializer(opts.Serializer());
            opts.Serializer(recorder);
        });
        var plain = DocumentStore.For(opts =>
        {
            RegistryHost.ConfigureStore(opts, connection, configuration);
            ((Marten.Services.SystemTextJsonSerializer)opts.Serializer()).Configure(o =>
            {
                foreach (var converter in o.Converters.Where(IsSealing).ToList()) o.Converters.Remove(converter);
            });
        });
        return new SealingCost(sealedStore, recorder!, plain, connection);
    }

    private static bool IsSealing(JsonConverter converter) =>
        converter.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(SealingConverter<>);

    /// <summary>Up to perType stored events of every event type, chosen at random, and how many of each type the register holds.</summary>
    public async Task<(List<(Type Type, string Json)> Rows, Dictionary<Type, long> Stored)> SampleAsync(int perType)
    {
        var rows = await RowsAsync($"""
            SELECT e.mt_dotnet_type, e.data::text FROM {_sql.Events} e
            WHERE e.seq_id IN (SELECT seq_id FROM (SELECT seq_id, row_number() OVER (PARTITION BY type ORDER BY random()) AS r FROM {_sql.Events}) s WHERE r <= {perType})
            """);
        await using var conn = new NpgsqlConnection(_connection);
        await conn.OpenAsync();
        await using var reader = await new NpgsqlCommand($"SELECT mt_dotnet_type, count(*) FROM {_sql.Events} WHERE mt_dotnet_type IS NOT NULL GROUP BY 1", conn).ExecuteReaderAsync();
        var stored = new Dictionary<Type, long>();
        while (await reader.ReadAsync())
            if (Type.GetType(reader.GetString(0)) is { } type) stored[type] = reader.GetInt64(1);
        return (rows, stored);
    }

    public async Task<long> HighWaterAsync() =>
        await ScalarAsync($"SELECT coalesce(max(seq_id), 0) FROM {_sql.Events}");

    /// <summary>The events appended between two high-water marks (at most max of them, at random), and how many there were.</summary>
    public async Task<(List<(Type Type, string Json)> Rows, long Total, long KeysCreated)> AppendedAsync(long after, long upTo, int max)
    {
        var rows = await RowsAsync($"SELECT mt_dotnet_type, data::text FROM {_sql.Events} WHERE seq_id > {after} AND seq_id <= {upTo} ORDER BY random() LIMIT {max}");
        var total = await ScalarAsync($"SELECT count(*) FROM {_sql.Events} WHERE seq_id > {after} AND seq_id <= {upTo}");
        // A person's key is created with their first event.
        var keys = await ScalarAsync($"""
            SELECT count(*) FROM {_sql.CitizenKeys}
            WHERE id IN (SELECT stream_id FROM {_sql.Events} WHERE seq_id > {after} AND seq_id <= {upTo} AND version = 1)
            """);
        return (rows, total, keys);
    }

    /// <summary>The events single eligibility lookups open, each looked up alone with the service's own loader.</summary>
    public async Task<List<(Type Type, string Json)>> OpenedByLookupsAsync(IEnumerable<string> idNumbers, DateOnly on)
    {
        var opened = new List<(Type, string)>();
        _recorder.Opened = opened;
        try
        {
            foreach (var idNumber in idNumbers)
            {
                await using var session = _sealed.QuerySession();
                await new EligibilityFactsLoader(session, TimeProvider.System).LoadAsync([new FactsRequest(idNumber, on)], CancellationToken.None);
            }
        }
        finally { _recorder.Opened = null; }
        return opened;
    }

    /// <summary>How many of the store's async projections read an event of this type: those that declare it, and any that declares none.</summary>
    public int AsyncReadersOf(Type type) =>
        ((IReadOnlyStoreOptions)_sealed.Options).Events.Projections()
            .Where(p => p.Lifecycle == ProjectionLifecycle.Async)
            .Count(p => p is not EventFilterable { IncludedEventTypes.Count: > 0 } filtered || filtered.IncludedEventTypes.Any(t => t.IsAssignableFrom(type)));

    /// <summary>
    /// Per event type, CPU µs per event for the write path (serialised twice: the hash chain's copy and the row, as
    /// Marten's append does) and the read path (deserialised from the stored JSON), sealed and plain, and the
    /// jsonb bytes of each. Only personal events (holding a sealed value) are timed; the others meet no converter.
    /// </summary>
    public async Task<SetCost> MeasureAsync(IReadOnlyList<(Type Type, string Json)> rows)
    {
        var items = new List<Item>();
        foreach (var (type, json) in rows)
        {
            if (!json.Contains($"\"{SealingConverter<object>.SealedField}\"", StringComparison.Ordinal)) continue;
            var data = await Sealed.FromJsonAsync(type, new MemoryStream(Encoding.UTF8.GetBytes(json)));
            // An erased person's event reads as placeholders and cannot be written again: not a write to time.
            try { Sealed.ToJson(data); }
            catch (InvalidOperationException) { continue; }
            var plain = Plain.ToJson(data);
            if (plain.Contains($"\"{SealingConverter<object>.SealedField}\"", StringComparison.Ordinal))
                throw new InvalidOperationException("The plain store's serializer still seals: the comparison would measure nothing.");
            items.Add(new Item(type, data, json, plain));
        }
        if (items.Count == 0) return new SetCost(rows.Count, []);

        // Both forms as PostgreSQL stores and returns them (jsonb, before any TOAST compression).
        var (sealedForms, plainForms) = (await JsonbAsync(items.Select(i => i.SealedJson)), await JsonbAsync(items.Select(i => i.PlainJson)));
        for (var i = 0; i < items.Count; i++)
            items[i] = items[i] with { SealedJson = sealedForms[i].Text, PlainJson = plainForms[i].Text, SealedBytes = sealedForms[i].Bytes, PlainBytes = plainForms[i].Bytes };

        var groups = items.GroupBy(i => i.Type).Select(g => g.ToList()).ToList();
        var timings = groups.Select(_ => new List<double>[] { [], [], [], [] }).ToList();
        var buffer = new ArrayBufferWriter<byte>();
        for (var pass = 0; pass < WarmUpPasses + TimedPasses; pass++)
        {
            for (var g = 0; g < groups.Count; g++)
            {
                // Alternate which goes first, so neither always runs on a warmer cache.
                foreach (var op in pass % 2 == 0 ? new[] { 0, 1, 2, 3 } : [1, 0, 3, 2])
                {
                    var started = CpuMicroseconds();
                    foreach (var item in groups[g])
                    {
                        switch (op)
                        {
                            case 0 or 1:
                                var serializer = op == 0 ? Sealed : Plain;
                                serializer.ToJson(item.Data);
                                buffer.ResetWrittenCount();
                                serializer.WriteTo(buffer, item.Data);
                                break;
                            case 2:
                                Read(Sealed, item.Type, item.SealedJson);
                                break;
                            default:
                                Read(Plain, item.Type, item.PlainJson);
                                break;
                        }
                    }
                    if (pass >= WarmUpPasses) timings[g][op].Add((CpuMicroseconds() - started) / groups[g].Count);
                }
            }
        }
        return new SetCost(rows.Count, [.. groups.Select((group, g) => new TypeCost(group[0].Type, group.Count,
            Median(timings[g][0]), Median(timings[g][1]), Median(timings[g][2]), Median(timings[g][3]),
            group.Average(i => i.SealedBytes), group.Average(i => i.PlainBytes)))]);
    }

    /// <summary>µs to create a new person's data key and serialise its document: what a registration adds besides its event.</summary>
    public double KeyCreationMicroseconds(int count)
    {
        var keyring = new CitizenKeyring(EventSealing.Of(_sealed).Keys.Master, _connection, _sql);
        var buffer = new ArrayBufferWriter<byte>();
        var samples = new List<double>();
        for (var pass = 0; pass < WarmUpPasses + TimedPasses; pass++)
        {
            var started = CpuMicroseconds();
            for (var i = 0; i < count; i++)
            {
                var (_, record) = keyring.Create(Guid.CreateVersion7(), DateTimeOffset.UtcNow);
                buffer.ResetWrittenCount();
                Sealed.WriteTo(buffer, record);
            }
            if (pass >= WarmUpPasses) samples.Add((CpuMicroseconds() - started) / count);
        }
        return Median(samples);
    }

    public void Dispose()
    {
        _sealed.Dispose();
        _plain.Dispose();
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>Marten's read of an event's data (the async overload it uses), here over a stream that is already in memory.</summary>
    private static void Read(Marten.ISerializer serializer, Type type, string json)
    {
        var read = serializer.FromJsonAsync(type, new MemoryStream(Encoding.UTF8.GetBytes(json)));
        if (!read.IsCompletedSuccessfully) read.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// The CPU time of the calling thread, in µs. Each timed block runs on one thread without awaiting. On a
    /// shared machine a wall clock would also count what other processes ran meanwhile, and the process's CPU
    /// time would count the JIT compiling in the background.
    /// </summary>
    private static double CpuMicroseconds()
    {
        if (clock_gettime(ThreadCpuTimeClock, out var now) != 0) throw new InvalidOperationException("clock_gettime failed.");
        return now.Seconds * 1e6 + now.Nanoseconds / 1e3;
    }

    // Linux: CLOCK_THREAD_CPUTIME_ID, exact to the nanosecond (getrusage for a thread counts in scheduler ticks).
    private const int ThreadCpuTimeClock = 3;

    [DllImport("libc", SetLastError = true)]
    private static extern int clock_gettime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds, Nanoseconds;
    }

    private async Task<List<(Type, string)>> RowsAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_connection);
        await conn.OpenAsync();
        await using var reader = await new NpgsqlCommand(sql, conn).ExecuteReaderAsync();
        var rows = new List<(Type, string)>();
        while (await reader.ReadAsync())
            if (!reader.IsDBNull(0) && Type.GetType(reader.GetString(0)) is { } type) rows.Add((type, reader.GetString(1)));
        return rows;
    }

    private async Task<List<(string Text, int Bytes)>> JsonbAsync(IEnumerable<string> json)
    {
        await using var conn = new NpgsqlConnection(_connection);
        await conn.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT j::text, pg_column_size(j) FROM unnest($1::text[]) WITH ORDINALITY AS t(x, n), LATERAL (SELECT x::jsonb AS j) v ORDER BY n", conn);
        command.Parameters.Add(new NpgsqlParameter { Value = json.ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        var forms = new List<(string, int)>();
        while (await reader.ReadAsync()) forms.Add((reader.GetString(0), reader.GetInt32(1)));
        return forms;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_connection);
        await conn.OpenAsync();
        return (long)(await new NpgsqlCommand(sql, conn).ExecuteScalarAsync())!;
    }

    private sealed record Item(Type Type, object Data, string SealedJson, string PlainJson, int SealedBytes = 0, int PlainBytes = 0);

    /// <summary>The store's serializer, unchanged; while Opened is set, it keeps a copy of every event read through it.</summary>
    private sealed class RecordingSerializer(Marten.ISerializer inner) : Marten.ISerializer
    {
        public Marten.ISerializer Inner => inner;
        public List<(Type, string)>? Opened { get; set; }

        // Marten reads event data through the untyped overloads (documents and headers through the typed ones).
        public async ValueTask<object> FromJsonAsync(Type type, DbDataReader reader, int index, CancellationToken cancellationToken = default)
        {
            if (Opened is not { } opened) return await inner.FromJsonAsync(type, reader, index, cancellationToken);
            await using var stream = await ((NpgsqlDataReader)reader).GetStreamAsync(index, cancellationToken);
            // A jsonb column's stream starts with its format version byte (Marten skips it too).
            var json = (await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync(cancellationToken)).TrimStart('\u0001');
            lock (opened) opened.Add((type, json));
            return await inner.FromJsonAsync(type, new MemoryStream(Encoding.UTF8.GetBytes(json)), cancellationToken);
        }

        public object FromJson(Type type, DbDataReader reader, int index)
        {
            if (Opened is not { } opened) return inner.FromJson(type, reader, index);
            var json = reader.GetString(index).TrimStart('\u0001');
            lock (opened) opened.Add((type, json));
            return inner.FromJson(type, new MemoryStream(Encoding.UTF8.GetBytes(json)));
        }

        public string ToJson(object? document) => inner.ToJson(document);
        public T FromJson<T>(Stream stream) => inner.FromJson<T>(stream);
        public T FromJson<T>(DbDataReader reader, int index) => inner.FromJson<T>(reader, index);
        public ValueTask<T> FromJsonAsync<T>(Stream stream, CancellationToken cancellationToken = default) => inner.FromJsonAsync<T>(stream, cancellationToken);
        public ValueTask<T> FromJsonAsync<T>(DbDataReader reader, int index, CancellationToken cancellationToken = default) => inner.FromJsonAsync<T>(reader, index, cancellationToken);
        public object FromJson(Type type, Stream stream) => inner.FromJson(type, stream);
        public ValueTask<object> FromJsonAsync(Type type, Stream stream, CancellationToken cancellationToken = default) => inner.FromJsonAsync(type, stream, cancellationToken);
        public string ToCleanJson(object? document) => inner.ToCleanJson(document);
        public string ToJsonWithTypes(object document) => inner.ToJsonWithTypes(document);
        public void WriteToParameter(NpgsqlParameter parameter, object? document) => inner.WriteToParameter(parameter, document);
        public void WriteToCleanJson(IBufferWriter<byte> writer, object? document) => inner.WriteToCleanJson(writer, document);
        public void WriteToJsonWithTypes(IBufferWriter<byte> writer, object document) => inner.WriteToJsonWithTypes(writer, document);
        public void WriteTo(IBufferWriter<byte> writer, object? document) => inner.WriteTo(writer, document);
        public EnumStorage EnumStorage => inner.EnumStorage;
        public Casing Casing => inner.Casing;
        public ValueCasting ValueCasting => inner.ValueCasting;
    }
}

/// <summary>Averages per personal event of one type (µs, bytes).</summary>
sealed record TypeCost([property: JsonIgnore] Type Type, int Events, double SealedWriteUs, double PlainWriteUs, double SealedReadUs, double PlainReadUs, double SealedBytes, double PlainBytes)
{
    public string Name => Type.Name;
}

/// <summary>A set of stored events: how many there were, and the costs of its personal ones by type.</summary>
sealed record SetCost(int Events, IReadOnlyList<TypeCost> Types)
{
    public int Personal => Types.Sum(t => t.Events);

    /// <summary>The average per personal event, weighted by how many of each type the set holds (or the given counts).</summary>
    public double PerEvent(Func<TypeCost, double> value, IReadOnlyDictionary<Type, long>? weights = null)
    {
        double Weight(TypeCost t) => weights?.GetValueOrDefault(t.Type) ?? t.Events;
        var total = Types.Sum(Weight);
        return total == 0 ? 0 : Types.Sum(t => Weight(t) * value(t)) / total;
    }

    /// <summary>What sealing adds to the whole set: each event written once and read by the given number of readers.</summary>
    public double AddedMicroseconds(Func<Type, int> readers, int writes = 1) =>
        Types.Sum(t => t.Events * (writes * (t.SealedWriteUs - t.PlainWriteUs) + readers(t.Type) * (t.SealedReadUs - t.PlainReadUs)));
}
