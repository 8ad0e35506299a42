using GraphQL;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Marten;
using Registry.Api.Auth;
using Registry.Api.Citizens;
using Registry.Api.Commands;
using Registry.Api.Households;
using Registry.Api.Programmes;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Programmes;

namespace Registry.Api.ChangeRequests;

/// <summary>What a held change is to: the record, the person it is about, and a summary that names neither.</summary>
public sealed record ChangeSubject(Guid StreamId, Guid? PersonId, long Version, string Summary);

/// <summary>
/// Which mutations need a second person (FourEyes:Commands, names separated by spaces or commas;
/// correctCitizenRecord per field, as correctCitizenRecord.idNumber). Unset, it is the register's own list;
/// "none" turns four eyes off (the tests of the commands themselves run so). The one place that knows how a
/// held command is named, summarised, stored and rebuilt.
/// </summary>
public sealed class FourEyesPolicy
{
    public static readonly IReadOnlyList<string> DefaultCommands =
    [
        "recordDeath", "correctCitizenRecord.idNumber", "correctCitizenRecord.dateOfBirth", "correctCitizenRecord.citizenship",
        "removeHouseholdMember", "publishProgrammeParameters", "eraseCitizen", "mergeCitizens", "unmergeCitizens",
    ];

    /// <summary>The commands that can be held, by operation: the policy may name only these.</summary>
    private static readonly IReadOnlyDictionary<string, Type> Holdable = new Dictionary<string, Type>
    {
        ["recordDeath"] = typeof(RecordDeath),
        ["correctCitizenRecord"] = typeof(CorrectCitizenRecord),
        ["removeHouseholdMember"] = typeof(RemoveHouseholdMember),
        ["publishProgrammeParameters"] = typeof(PublishProgrammeParameters),
        ["eraseCitizen"] = typeof(EraseCitizen),
        ["mergeCitizens"] = typeof(MergeCitizens),
        ["unmergeCitizens"] = typeof(UnmergeCitizens),
    };

    /// <summary>Facts as a supervisor reads them and as they are rebuilt: camelCase, enums by name.</summary>
    private static readonly JsonSerializerOptions FactsJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly HashSet<string> _held;

    private FourEyesPolicy(IEnumerable<string> held) => _held = new HashSet<string>(held, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Commands => _held;

    public static FourEyesPolicy From(IConfiguration configuration)
    {
        var text = configuration["FourEyes:Commands"];
        if (string.IsNullOrWhiteSpace(text)) return new FourEyesPolicy(DefaultCommands);
        if (text.Trim() == "none") return new FourEyesPolicy([]);
        var names = text.Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // A name the register cannot hold would silently let the change through: refuse to start instead.
        if (names.FirstOrDefault(n => !Holdable.ContainsKey(n.Split('.')[0])
                                      || n.StartsWith("correctCitizenRecord.", StringComparison.Ordinal) && !CorrectableFields.Names.Contains(n.Split('.')[1])) is { } unknown)
            throw new InvalidOperationException($"FourEyes:Commands names '{unknown}', which is not a change the register can hold for approval.");
        return new FourEyesPolicy(names);
    }

    /// <summary>Whether this command waits for a second person; one already approved never does.</summary>
    public bool Holds(RegistryCommand command) =>
        command.Context.ApprovedBy is null
        && (_held.Contains(command.Context.Operation)
            || command is CorrectCitizenRecord c && _held.Contains($"{command.Context.Operation}.{c.Field.Trim()}"));

    /// <summary>The role the second person needs: an administrator's change needs another administrator.</summary>
    public static string ApproverRole(string operation) =>
        operation is "publishProgrammeParameters" or "eraseCitizen" ? Roles.Admin : Roles.Supervisor;

    /// <summary>The record a held command changes, read now; a refusal when there is none to change.</summary>
    public static async Task<(ChangeSubject? Subject, DomainError? Error)> SubjectAsync(RegistryCommand command, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        switch (command)
        {
            case RecordDeath c:
                return await CitizenAsync(c.IdNumber, "Record a death");
            case CorrectCitizenRecord c:
                return await CitizenAsync(c.IdNumber, $"Correct the record's {c.Field.Trim()}");
            case EraseCitizen c:
                return await CitizenAsync(c.IdNumber, "Erase a person from the register");
            case RemoveHouseholdMember c:
                if (!Guid.TryParse(c.HouseholdId, out var householdId)) return (null, HouseholdWriting.NotFound());
                var household = await session.Events.FetchStreamStateAsync(householdId, ct);
                if (household is null) return (null, HouseholdWriting.NotFound());
                var (member, error) = await CitizenAsync(c.IdNumber, "");
                return error is not null ? (null, error) : (new ChangeSubject(householdId, member!.PersonId, household.Version, "Remove a member from a household"), null);
            case PublishProgrammeParameters c:
                var stream = ProgrammeInfo.StreamIdFor(c.Programme);
                var state = await session.Events.FetchStreamStateAsync(stream, ct);
                return (new ChangeSubject(stream, null, state?.Version ?? 0, $"Publish {c.Programme.ToString().ToConstantCase()} parameters from {c.EffectiveFrom:yyyy-MM-dd}"), null);
            case MergeCitizens c:
                // Pinned to the duplicate's version, as the merge itself is; the survivor must be a record too.
                var (_, survivorError) = await CitizenAsync(c.SurvivorIdNumber, "", "survivor");
                return survivorError is not null ? (null, survivorError) : await CitizenAsync(c.DuplicateIdNumber, "Merge a duplicate record into another", "duplicate");
            case UnmergeCitizens c:
                if (!Guid.TryParse(c.MergeId, out var mergeId) || await session.LoadAsync<CitizenMerge>(mergeId, ct) is not { } merge)
                    return (null, new DomainError(ErrorCodes.NotFound, "No merge with this id exists.", "mergeId"));
                if (merge.IsUndone) return (null, new DomainError(ErrorCodes.AlreadyUnmerged, "This merge was already undone.", "mergeId"));
                var mergeStream = await session.Events.FetchStreamStateAsync(mergeId, ct);
                return (new ChangeSubject(mergeId, merge.DuplicateId, mergeStream!.Version, "Undo a merge of two records"), null);
            default:
                throw new InvalidOperationException($"{command.GetType().Name} cannot be held for approval.");
        }

        async Task<(ChangeSubject?, DomainError?)> CitizenAsync(string idNumber, string summary, string field = "idNumber")
        {
            if (!SaIdNumber.TryParse(idNumber, Hosting.RegistryClock.Today(clock), out _, out var invalid)) return (null, invalid! with { Field = field });
            return await CitizenLookup.FindAsync(session, idNumber, ct) is { } citizen
                ? (new ChangeSubject(citizen.Id, citizen.Id, citizen.Version, summary), null)
                : (null, CitizenLookup.NotFound(field));
        }
    }

    /// <summary>The command's facts without its context: what is stored, shown to the second person, and fingerprinted.</summary>
    public static string FactsOf(RegistryCommand command)
    {
        var node = JsonSerializer.SerializeToNode(command, command.GetType(), FactsJson)!.AsObject();
        node.Remove("context");
        return node.ToJsonString(FactsJson);
    }

    /// <summary>The command as it was asked, to run now in <paramref name="context"/>; null for a type the register does not hold.</summary>
    public static RegistryCommand? Rebuild(string commandType, string facts, CommandContext context)
    {
        if (Holdable.Values.FirstOrDefault(t => t.FullName == commandType) is not { } type) return null;
        var node = JsonNode.Parse(facts)!.AsObject();
        node["context"] = JsonSerializer.SerializeToNode(context, FactsJson);
        return (RegistryCommand?)node.Deserialize(type, FactsJson);
    }
}
