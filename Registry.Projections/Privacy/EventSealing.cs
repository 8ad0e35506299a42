using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Registry.Domain.Appeals;
using Registry.Domain.Citizens;
using Registry.Domain.Eligibility;
using Registry.Domain.Entitlements;
using Registry.Domain.Households;
using Registry.Projections.Sql;

namespace Registry.Projections.Privacy;

/// <summary>
/// Crypto-shredding of the register's events: each person's personal values are sealed with their own data
/// key at the serializer, so what is stored (and hashed into the chain) is ciphertext, and destroying the key
/// erases them everywhere at once while the chain still verifies. Read models are not sealed: they are queried
/// by SQL, and an erasure deletes or rewrites them.
/// </summary>
public sealed class EventSealing
{
    private const string SealedTextPrefix = "sealed:";

    private static readonly ConditionalWeakTable<StoreOptions, EventSealing> ByStore = new();

    /// <summary>Events of a citizen's stream that do not name the person: their subject is the stream they are appended to.</summary>
    private static readonly HashSet<Type> CitizenStreamEvents =
    [
        typeof(CitizenNameChanged), typeof(CitizenAddressChanged), typeof(IncomeDeclared), typeof(DisabilityAssessed),
        typeof(CitizenDied), typeof(OrphanhoodRecorded), typeof(SchoolAttendanceRecorded), typeof(SchoolFeesRecorded), typeof(CitizenRecordCorrected),
    ];

    private readonly List<JsonConverter> _converters;
    private readonly TimeProvider _clock;
    private JsonSerializerOptions? _marten;
    private JsonSerializerOptions? _plain;

    private EventSealing(CitizenKeyring keys, TimeProvider clock)
    {
        Keys = keys;
        _clock = clock;
        _converters =
        [
            new SealingConverter<CitizenRegistered>(keys, e => e.CitizenId, p => p != nameof(CitizenRegistered.CitizenId)),
            new SealingConverter<CitizenNameChanged>(keys, Subjects.Of, _ => true),
            new SealingConverter<CitizenAddressChanged>(keys, Subjects.Of, _ => true),
            new SealingConverter<IncomeDeclared>(keys, Subjects.Of, _ => true),
            new SealingConverter<DisabilityAssessed>(keys, Subjects.Of, _ => true),
            new SealingConverter<CitizenDied>(keys, Subjects.Of, _ => true),
            new SealingConverter<OrphanhoodRecorded>(keys, Subjects.Of, _ => true),
            new SealingConverter<SchoolAttendanceRecorded>(keys, Subjects.Of, _ => true),
            new SealingConverter<SchoolFeesRecorded>(keys, Subjects.Of, _ => true),
            // Which field was corrected is not personal; the old and new values are.
            new SealingConverter<CitizenRecordCorrected>(keys, Subjects.Of, p => p != nameof(CitizenRecordCorrected.Field)),
            // A person as a decision saw them, wherever it appears (beneficiary, applicant, each household member): under their own key.
            new SealingConverter<PersonFacts>(keys, p => p.CitizenId, p => p != nameof(PersonFacts.CitizenId)),
            // The decision repeats the beneficiary's ID number and, in its reasons, their incomes: under the beneficiary's key.
            new SealingConverter<EntitlementAssessed>(keys, e => e.Inputs.Person.CitizenId, p => p == nameof(EntitlementAssessed.Decision)),
            new SealingConverter<EntitlementReassessed>(keys, e => e.Inputs.Person.CitizenId, p => p == nameof(EntitlementReassessed.Decision)),
            // An appeal's free text (grounds, evidence, a supervisor's reason) is about the beneficiary: under their key.
            new SealingConverter<AppealLodged>(keys, e => e.BeneficiaryId, p => p == nameof(AppealLodged.Grounds)),
            new SealingConverter<AppealEvidenceRecorded>(keys, e => e.BeneficiaryId, p => p == nameof(AppealEvidenceRecorded.Evidence)),
            new SealingConverter<AppealUpheld>(keys, e => e.BeneficiaryId, p => p == nameof(AppealUpheld.Reason)),
            new SealingConverter<AppealOverturned>(keys, e => e.BeneficiaryId, p => p == nameof(AppealOverturned.Reason)),
            // A household's address belongs to everyone who lives there, so it has the household's own key, destroyed
            // when a person erased was the last to live there.
            new SealingConverter<HouseholdFormed>(keys, e => e.HouseholdId, p => p == nameof(HouseholdFormed.Address)),
        ];
    }

    public CitizenKeyring Keys { get; }

    /// <summary>Seals the store's events: the converters in its serializer, the key table, and the listener that names subjects and creates keys.</summary>
    /// <param name="keys">Where the keyring reads the keys: the live register's schema, whatever the store's own.</param>
    public static EventSealing Configure(StoreOptions opts, MasterKeys master, string connectionString, RegistrySql keys, TimeSpan? keyCacheTimeToLive = null)
    {
        var sealing = new EventSealing(new CitizenKeyring(master, connectionString, keys, timeToLive: keyCacheTimeToLive), TimeProvider.System);
        ByStore.AddOrUpdate(opts, sealing);
        opts.Schema.For<CitizenKey>();
        opts.Schema.For<ErasedIdentity>();
        // Before the hash-chain listener, which serializes the events to hash them.
        opts.Listeners.Add(new SealingListener(sealing));
        return sealing;
    }

    public static EventSealing Of(IDocumentStore store) => Of((StoreOptions)store.Options);

    public static EventSealing Of(IQuerySession session) => Of(session.DocumentStore);

    public static EventSealing Of(StoreOptions opts) =>
        ByStore.TryGetValue(opts, out var sealing) ? sealing : throw new InvalidOperationException("This store does not seal its events.");

    /// <summary>Adds the converters to Marten's serializer options (UseSystemTextJsonForSerialization's configure step).</summary>
    public void AddConvertersTo(JsonSerializerOptions options)
    {
        _marten = options;
        foreach (var converter in _converters) options.Converters.Add(converter);
    }

    /// <summary>An event's facts as plain JSON, in the store's format: what an auditor reads (erased values as placeholders).</summary>
    public string PlainJson(object data)
    {
        if (_plain is null)
        {
            var plain = new JsonSerializerOptions(_marten ?? throw new InvalidOperationException("The store's serializer was not configured."));
            foreach (var converter in _converters) plain.Converters.Remove(converter);
            _plain = plain;
        }
        return JsonSerializer.Serialize(data, data.GetType(), _plain);
    }

    /// <summary>A caseworker's free text about one person (a reason), sealed under their key.</summary>
    public string SealText(Guid citizenId, string text) =>
        SealedTextPrefix + citizenId.ToString("N") + ":" + Seal.Encrypt(KeyOf(citizenId), citizenId, "text", text);

    /// <summary>The text as written, "[erased]" when its person's key is gone; unsealed text as it is.</summary>
    public string? OpenText(string? stored)
    {
        if (stored is null || !stored.StartsWith(SealedTextPrefix, StringComparison.Ordinal)) return stored;
        var citizenId = Guid.ParseExact(stored.AsSpan(SealedTextPrefix.Length, 32), "N");
        return Keys.Find(citizenId) is { } key ? Seal.Decrypt(key, citizenId, "text", stored[(SealedTextPrefix.Length + 33)..]) : Erasure.Placeholder;
    }

    /// <summary>
    /// The person's key, created in this session (and saved with it) when they are new: a person's first events
    /// and their key are committed together or not at all.
    /// </summary>
    public DataKey KeyFor(IDocumentSession session, Guid citizenId, bool newPerson)
    {
        if (!newPerson) return KeyOf(citizenId);
        if (session.PendingChanges.InsertsFor<CitizenKey>().Any(k => k.Id == citizenId) && Keys.Find(citizenId) is { } pending) return pending;
        var (key, record) = Keys.Create(citizenId, _clock.GetUtcNow());
        session.Insert(record);
        return key;
    }

    private DataKey KeyOf(Guid citizenId) =>
        Keys.Find(citizenId) ?? throw new InvalidOperationException($"Citizen {citizenId} has no data key: nothing of theirs is written unsealed.");

    private sealed class SealingListener(EventSealing sealing) : DocumentSessionListenerBase
    {
        public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
        {
            foreach (var stream in session.PendingChanges.Streams())
                foreach (var e in stream.Events)
                {
                    if (CitizenStreamEvents.Contains(e.Data.GetType())) Subjects.Register(e.Data, stream.Id);
                    else if (stream.ActionType == StreamActionType.Start && e.Data is CitizenRegistered or HouseholdFormed)
                        sealing.KeyFor(session, stream.Id, newPerson: true);
                }
            return Task.CompletedTask;
        }

        public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
        {
            // Once the key's destruction is committed, no cache of this process may serve it again.
            foreach (var e in commit.GetEvents().Where(e => e.Data is CitizenErased or HouseholdAddressErased)) CitizenKeyring.EvictEverywhere(e.StreamId);
            return Task.CompletedTask;
        }
    }
}
