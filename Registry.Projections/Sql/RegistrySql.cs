using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Marten;
using Registry.Domain.Citizens;
using Registry.Domain.Entitlements;
using Registry.Domain.Households;
using Registry.Domain.Programmes;
using Registry.Projections.Households;
using Registry.Projections.Privacy;

namespace Registry.Projections.Sql;

/// <summary>A grouped count as (Key, Value) JSON rows; each of its <see cref="TodayParameters"/> positional parameters is the register's today.</summary>
public sealed record CountQuery(string Text, int TodayParameters);

/// <summary>
/// Every raw SQL text of the register, for the store's schema (a setting, not a constant): the tables by
/// name and the queries Marten's LINQ cannot say. Values are always Marten's positional <c>?</c> parameters
/// (Npgsql's <c>$1</c> for the keyring's own connection), never spliced into the text.
/// </summary>
public sealed partial class RegistrySql
{
    /// <summary>The schema when the configuration names none.</summary>
    public const string DefaultSchema = "registry";

    private static readonly ConcurrentDictionary<string, RegistrySql> BySchema = new();

    /// <summary>The texts for a schema; made once per schema, so a listener may ask on every save.</summary>
    public static RegistrySql For(string schema) => BySchema.GetOrAdd(schema, s => new RegistrySql(s));

    /// <summary>The texts of the store's own schema (a scratch store's too), where no service provider is at hand.</summary>
    public static RegistrySql Of(IDocumentStore store) => For(store.Options.DatabaseSchemaName);

    public static RegistrySql Of(IQuerySession session) => Of(session.DocumentStore);

    private RegistrySql(string schema)
    {
        // Spliced into every text as an unquoted name: only a plain lower-case identifier may be one.
        if (!Identifier().IsMatch(schema))
            throw new ArgumentException("A schema name is lower-case letters, digits and underscores, starting with a letter or an underscore.", nameof(schema));
        Schema = schema;
        Events = $"{schema}.mt_events";
        Streams = $"{schema}.mt_streams";
        EventSequence = $"{schema}.mt_events_sequence";
        EventProgression = $"{schema}.mt_event_progression";
        Citizens = Document<Citizen>();
        Households = Document<Household>();
        HouseholdMemberships = Document<HouseholdMembership>();
        Entitlements = Document<Entitlement>();
        Programmes = Document<Programme>();
        CitizenKeys = Document<CitizenKey>();
        ErasedResidues = Document<ErasedResidue>();

        // The event log.
        EventCount = $"SELECT count(*) FROM {Events} WHERE type <> 'tombstone'";
        EventRowCount = $"SELECT count(*) FROM {Events}";
        AnyEvents = $"SELECT EXISTS (SELECT 1 FROM {Events} WHERE type <> 'tombstone')";
        LatestSequence = $"SELECT coalesce(max(seq_id), 0) FROM {Events}";
        EventStoreExists = $"SELECT to_regclass('{EventProgression}') IS NOT NULL AND to_regclass('{Events}') IS NOT NULL";

        // The projections' progress.
        HighWaterMark = $"SELECT coalesce((SELECT last_seq_id FROM {EventProgression} WHERE name = 'HighWaterMark'), 0)";
        ProjectionPosition = $"SELECT coalesce((SELECT max(last_seq_id) FROM {EventProgression} WHERE name LIKE ?), 0)";
        // The slowest async projection: sequence numbers after its position (by the primary key, not a count over
        // millions of rows every few seconds), and how long the first of them has waited.
        ProjectionLag = $"""
            WITH done AS (SELECT coalesce(min(last_seq_id), 0) AS seq FROM {EventProgression} WHERE name <> 'HighWaterMark')
            SELECT jsonb_build_object(
                'Behind', greatest(0, coalesce((SELECT max(seq_id) FROM {Events}), 0) - (SELECT seq FROM done)),
                'OldestPending', (SELECT timestamp FROM {Events} WHERE seq_id > (SELECT seq FROM done) ORDER BY seq_id LIMIT 1))
            """;

        // Integrity: the chain's links and the checkpoints' digests.
        StoredHash = $"SELECT coalesce(headers ->> 'hash', '') FROM {Events} WHERE stream_id = ? AND version = ?";
        ChainPage = ChainRows("");
        ChainPageOfStreams = ChainRows("AND stream_id = ANY(?)");
        SequenceHashes = $"SELECT seq_id::text || ':' || coalesce(headers ->> 'hash', '') FROM {Events} " +
                         "WHERE seq_id BETWEEN ? AND ? AND type <> 'tombstone' ORDER BY seq_id";

        // History export: a stream's or a request's events, each with the hash before it in its stream.
        StreamHistory = History("stream_id = ?");
        RequestHistory = History("correlation_id = ?");
        RecordedDecisionPeople = $"""
            SELECT jsonb_build_object('EntitlementId', stream_id, 'DecisionId', data ->> 'DecisionId', 'People', jsonb_path_query_array(data -> 'Inputs', '$.**.CitizenId'))
            FROM {Events} WHERE stream_id = ANY(?) AND type IN ('entitlement_assessed', 'entitlement_reassessed')
            """;

        // Eligibility: today's facts in one round trip. The expressions match the documents' indexes
        // (unique ID number, membership key, beneficiary).
        CurrentFacts = $"""
            WITH person AS (SELECT id, data FROM {Citizens} WHERE data ->> 'IdNumber' = ANY(?)),
            memb AS (SELECT id, data FROM {HouseholdMemberships} WHERE id IN (SELECT id FROM person)),
            hh AS (SELECT id, data FROM {Households} WHERE id IN (SELECT (data ->> 'HouseholdId')::uuid FROM memb)),
            mem AS (SELECT id, data FROM {Citizens}
                    WHERE id IN (SELECT (jsonb_array_elements(data -> 'Members') ->> 'CitizenId')::uuid FROM hh) AND id NOT IN (SELECT id FROM person)),
            ent AS (SELECT data FROM {Entitlements}
                    WHERE CAST(data ->> 'BeneficiaryId' AS uuid) IN (SELECT id FROM person UNION ALL SELECT id FROM mem))
            SELECT jsonb_build_object('Citizen', data) FROM person
            UNION ALL SELECT jsonb_build_object('Citizen', data) FROM mem
            UNION ALL SELECT jsonb_build_object('Membership', data) FROM memb
            UNION ALL SELECT jsonb_build_object('Household', data) FROM hh
            UNION ALL SELECT jsonb_build_object('Entitlement', data) FROM ent
            UNION ALL SELECT jsonb_build_object('Programme', data) FROM {Programmes} WHERE id = ANY(?)
            """;

        // Re-assessment: a page of a programme's held entitlements, by id.
        HeldEntitlementsPage = $"SELECT id FROM {Entitlements} WHERE data ->> 'Programme' = ? AND data ->> 'Status' IN ('Active', 'Suspended') AND id > ? ORDER BY id LIMIT ?";

        // Policy simulation: a page of the register in citizen id order, with the entitlement of the programme each
        // holds and its applicant (a re-assessment decides a holder with that applicant, so the simulation does too).
        SimulationPopulationPage = $"""
            SELECT jsonb_build_object('CitizenId', c.id, 'IdNumber', c.data ->> 'IdNumber', 'EntitlementId', e.id, 'ApplicantIdNumber', a.data ->> 'IdNumber')
            FROM (SELECT id, data FROM {Citizens} WHERE id > ? AND data ->> 'MergedInto' IS NULL ORDER BY id LIMIT ?) c
            LEFT JOIN {Entitlements} e ON CAST(e.data ->> 'BeneficiaryId' AS uuid) = c.id AND e.data ->> 'Programme' = ? AND e.data ->> 'Status' IN ('Active', 'Suspended')
            LEFT JOIN {Citizens} a ON a.id = CAST(e.data ->> 'ApplicantId' AS uuid)
            ORDER BY c.id
            """;
        CitizenCount = $"SELECT count(*) FROM {Citizens} WHERE data ->> 'MergedInto' IS NULL";

        // Statistics: counts of the living and of the erased people's residue, merged per key.
        PopulationByProvince = Population("d.data -> 'Address' ->> 'Province'", "t.key", nameof(ErasedResidue.Province));
        PopulationByMunicipality = Population("d.data -> 'Address' ->> 'MunicipalityCode'", "t.key", nameof(ErasedResidue.Municipality));
        PopulationBySex = Population("d.data ->> 'Sex'", "t.key", nameof(ErasedResidue.Sex));
        // An erased person's age is the one they reach this year: the residue keeps the year of birth, not the date.
        PopulationByAgeBand = Population(AgeBand("age"), AgeBand("date_part('year', :today)::int - t.key::int"), nameof(ErasedResidue.BirthYear));
        BeneficiariesByProgramme = Counted($"SELECT e.data ->> 'Programme', count(*) FROM {Entitlements} e GROUP BY 1");
        BeneficiariesByStatus = Counted($"SELECT e.data ->> 'Status', count(*) FROM {Entitlements} e GROUP BY 1");
        // An erased beneficiary's entitlements no longer join to a citizen: the residue kept their province.
        BeneficiariesByProvince = Counted($"""
            SELECT k, sum(n) FROM (
              SELECT c.data -> 'Address' ->> 'Province', count(*) FROM {Entitlements} e
              JOIN {Citizens} c ON c.id = (e.data ->> 'BeneficiaryId')::uuid
              GROUP BY 1
              UNION ALL
              {ErasedTally("t.key", nameof(ErasedResidue.BeneficiaryProvince))}) counted(k, n)
            GROUP BY 1
            """);
        // Tally by tally, key by key, summed in the row: concurrent erasures queue on its lock rather than lose a count.
        AddToErasedResidue = $$"""
            INSERT INTO {{ErasedResidues}} AS r (id, data) VALUES (?, ?::jsonb)
            ON CONFLICT (id) DO UPDATE SET data = jsonb_build_object('Id', r.id) || (
              SELECT coalesce(jsonb_object_agg(tally, counts), '{}'::jsonb) FROM (
                SELECT tally, jsonb_object_agg(key, total) AS counts FROM (
                  SELECT g.key AS tally, c.key, sum(c.value::bigint) AS total
                  FROM (SELECT * FROM jsonb_each(r.data) UNION ALL SELECT * FROM jsonb_each(excluded.data)) g,
                       jsonb_each_text(CASE WHEN jsonb_typeof(g.value) = 'object' THEN g.value ELSE '{}'::jsonb END) c
                  GROUP BY 1, 2) sums
                GROUP BY 1) tallies)
            """;
    }

    public string Schema { get; }

    // Marten's event store tables.
    public string Events { get; }
    public string Streams { get; }
    public string EventSequence { get; }
    public string EventProgression { get; }

    // The document tables the raw SQL reads (Marten's naming: mt_doc_ and the type's name, lower case).
    public string Citizens { get; }
    public string Households { get; }
    public string HouseholdMemberships { get; }
    public string Entitlements { get; }
    public string Programmes { get; }
    public string CitizenKeys { get; }
    public string ErasedResidues { get; }

    /// <summary>A document type's table, as Marten names it for a top-level type.</summary>
    public string Document<T>() => Document(typeof(T));

    public string Document(Type documentType) => $"{Schema}.mt_doc_{documentType.Name.ToLowerInvariant()}";

    /// <summary>Events the register holds: Marten's "tombstone" placeholders for a failed transaction's sequence numbers are not events.</summary>
    public string EventCount { get; }
    /// <summary>Every row of the event table, placeholders too: what a copy of it copied.</summary>
    public string EventRowCount { get; }
    public string AnyEvents { get; }
    public string LatestSequence { get; }
    /// <summary>Whether Marten has made the event store's tables yet.</summary>
    public string EventStoreExists { get; }

    /// <summary>The daemon's high-water mark: no sequence gap below it can still fill in.</summary>
    public string HighWaterMark { get; }
    /// <summary>How far a projection's shards have got; the parameter is "name:%".</summary>
    public string ProjectionPosition { get; }
    public string ProjectionLag { get; }

    /// <summary>
    /// Where the slowest of the named projections stands, 0 until each has a row. The names are the store's
    /// own projection names, not input, and are quoted here.
    /// </summary>
    public string ProjectionFloor(IReadOnlyCollection<string> names) => string.Format(CultureInfo.InvariantCulture,
        "SELECT CASE WHEN count(*) < {0} THEN 0 ELSE coalesce(min(last_seq_id), 0) END FROM {1} WHERE {2}",
        names.Count, EventProgression, string.Join(" OR ", names.Select(n => $"name LIKE '{n.Replace("'", "''")}:%'")));

    /// <summary>The hash stored on a stream's event at a version.</summary>
    public string StoredHash { get; }
    /// <summary>Chain rows after (stream, version) in that order, <see cref="ChainPageSize"/> at a time; parameters: stream, version.</summary>
    public string ChainPage { get; }
    /// <summary>As <see cref="ChainPage"/>, only of the given streams (a third parameter).</summary>
    public string ChainPageOfStreams { get; }
    public const int ChainPageSize = 10_000;
    /// <summary>"sequence:hash" of each event between two sequence numbers, in order.</summary>
    public string SequenceHashes { get; }

    /// <summary>A stream's history; the parameter twice, the stream id.</summary>
    public string StreamHistory { get; }
    /// <summary>The histories of the streams a request wrote to, its own events only; the parameter twice, the correlation id.</summary>
    public string RequestHistory { get; }
    public string RecordedDecisionPeople { get; }

    /// <summary>Parameters: the ID numbers, the programmes' stream ids.</summary>
    public string CurrentFacts { get; }
    /// <summary>Parameters: programme, after id, page size.</summary>
    public string HeldEntitlementsPage { get; }

    /// <summary>Parameters: after citizen id, page size, programme. One JSON row per citizen.</summary>
    public string SimulationPopulationPage { get; }
    public string CitizenCount { get; }

    public CountQuery PopulationByProvince { get; }
    public CountQuery PopulationByMunicipality { get; }
    public CountQuery PopulationBySex { get; }
    public CountQuery PopulationByAgeBand { get; }
    public CountQuery BeneficiariesByProgramme { get; }
    public CountQuery BeneficiariesByStatus { get; }
    public CountQuery BeneficiariesByProvince { get; }

    /// <summary>Parameters: the document id, the JSON of the tallies to add.</summary>
    public string AddToErasedResidue { get; }

    /// <summary>
    /// The keyring's prefetch on its own connection: the keys from a citizen's id on, in id order (Npgsql's
    /// <c>$1</c>, the id).
    /// </summary>
    public string CitizenKeysFrom(int limit) =>
        $"SELECT id, data ->> 'WrappedKey', data ->> 'MasterKeyId' FROM {CitizenKeys} WHERE id >= $1 ORDER BY id LIMIT {limit}";

    /// <summary>
    /// Verify-projections: copies the live schema's events into <paramref name="scratch"/>'s, sequence included,
    /// and compares a read model's table with the scratch one's.
    /// </summary>
    public string CopyEventsInto(RegistrySql scratch) => $"""
        INSERT INTO {scratch.Streams} SELECT * FROM {Streams};
        INSERT INTO {scratch.Events} SELECT * FROM {Events};
        SELECT setval('{scratch.EventSequence}', (SELECT coalesce(max(seq_id), 1) FROM {scratch.Events}));
        """;

    public string ReadModelDifferences(RegistrySql scratch, Type documentType) => $"""
        SELECT coalesce(l.id::text, s.id::text) || ': ' || CASE WHEN l.id IS NULL THEN 'only in the rebuild'
               WHEN s.id IS NULL THEN 'only in the live read model' ELSE 'differs' END
        FROM {Document(documentType)} l FULL JOIN {scratch.Document(documentType)} s ON s.id = l.id
        WHERE l.id IS NULL OR s.id IS NULL OR l.data <> s.data
        ORDER BY 1 LIMIT 100
        """;

    public string DropSchema => $"DROP SCHEMA IF EXISTS {Schema} CASCADE";

    private string ChainRows(string filter) => $"""
        SELECT jsonb_build_object('StreamId', stream_id, 'Version', version, 'Sequence', seq_id, 'Type', type, 'Data', data::text,
          'Hash', headers ->> 'hash', 'EffectiveDate', headers ->> 'effectiveDate', 'Reason', headers ->> 'reason',
          'Actor', user_name, 'Correlation', correlation_id)
        FROM {Events}
        WHERE type <> 'tombstone' AND (stream_id, version) > (?, ?) {filter}
        ORDER BY stream_id, version LIMIT {ChainPageSize}
        """;

    private string History(string filter) => $"""
        SELECT jsonb_build_object('Sequence', seq_id, 'StreamId', stream_id, 'Version', version, 'Type', type, 'Data', data::text,
          'EffectiveDate', headers ->> 'effectiveDate', 'Reason', headers ->> 'reason', 'Actor', user_name, 'CorrelationId', correlation_id,
          'CausationId', causation_id, 'RecordedAt', timestamp, 'Hash', headers ->> 'hash', 'PreviousHash', previous_hash)
        FROM (SELECT e.*, lag(headers ->> 'hash') OVER (PARTITION BY stream_id ORDER BY version) AS previous_hash
              FROM {Events} e
              WHERE type <> 'tombstone' AND stream_id IN (SELECT stream_id FROM {Events} WHERE {filter})) x
        WHERE {filter}
        ORDER BY seq_id
        """;

    private CountQuery Population(string living, string erased, string tally) => Counted($"""
        SELECT k, sum(n) FROM (
          SELECT {living}, count(*) FROM (
            SELECT d.*, date_part('year', age(:today, (d.data ->> 'DateOfBirth')::date))::int AS age
            FROM {Citizens} d WHERE d.data ->> 'DateOfDeath' IS NULL AND d.data ->> 'MergedInto' IS NULL) d
          GROUP BY 1
          UNION ALL
          {ErasedTally(erased, tally)}) counted(k, n)
        GROUP BY 1
        """);

    private static string AgeBand(string age) =>
        $"CASE WHEN {age} < 18 THEN '0-17' WHEN {age} < 35 THEN '18-34' WHEN {age} < 60 THEN '35-59' ELSE '60+' END";

    /// <summary>One tally of the erased people's residue as (key, count) rows; <paramref name="key"/> is over its keys, <c>t.key</c>.</summary>
    private string ErasedTally(string key, string tally) =>
        $"SELECT {key}, sum(t.value::bigint) FROM {ErasedResidues} r, jsonb_each_text(r.data -> '{tally}') t GROUP BY 1";

    /// <summary>(key, count) rows as JSON in key order; <c>:today</c> in them becomes a date parameter.</summary>
    private static CountQuery Counted(string counts) => new(
        $"SELECT jsonb_build_object('Key', k, 'Value', c) FROM ({counts.Replace(":today", "CAST(? AS date)")}) AS grouped(k, c) ORDER BY k",
        Regex.Count(counts, ":today"));

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex Identifier();
}
