using System.Text.Json;
using Registry.Domain.Citizens;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;
using Registry.Projections.Households;

namespace Registry.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class MergeTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");
    private readonly HttpClient _auditor = api.ClientFor("auditor");

    private const string Selection =
        "mergeId survivor { id idNumber mergedRecords { idNumber citizenId mergeId mergedAt } } duplicate { id mergedInto { survivorId mergeId } } errors { code field message }";

    private Task<JsonElement> MergeAsync(string survivor, string duplicate, string? reason = "case DUP-17: one person registered twice", int? expectedVersion = null) =>
        _caseworker.MutateAsync("mergeCitizens", "MergeCitizensInput", new { survivor, duplicate, reason, expectedVersion }, Selection);

    private Task<JsonElement> UnmergeAsync(string mergeId, string reason = "case DUP-17 reopened: twins") =>
        _caseworker.MutateAsync("unmergeCitizens", "UnmergeCitizensInput", new { mergeId, reason }, Selection);

    private async Task<JsonElement> CitizenAsync(string idNumber) =>
        (await _caseworker.GraphQLAsync("""
            query($id: String!) { citizen(idNumber: $id) { id idNumber lookedUpThrough { idNumber mergeId } mergedRecords { idNumber } mergedInto { survivorId }
              household { id } entitlements { id programme status } } }
            """, new { id = idNumber })).Data("citizen");

    private async Task<string> StatusAsync(Guid entitlementId) =>
        (await _caseworker.GraphQLAsync("query($id: ID!) { entitlement(id: $id) { status } }", new { id = entitlementId })).Data("entitlement").GetProperty("status").GetString()!;

    private async Task<string[]> EventTypesAsync(Guid streamId) =>
        ((await api.ScalarAsync<string>($"SELECT string_agg(type, ',' ORDER BY version) FROM {api.Sql.Events} WHERE stream_id = $1::uuid", streamId)) ?? "").Split(',');

    private Task<JsonElement> ApplyAsync(string programme, string beneficiary) =>
        _caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput", new { programme, beneficiaryIdNumber = beneficiary },
            "entitlement { id status } errors { code }");

    private async Task<(long Events, long Merges, long Memberships)> StoreCountsAsync() =>
        (await api.EventCountAsync(),
         (await api.ScalarAsync<long>($"SELECT count(*) FROM {api.Sql.Document<CitizenMerge>()}")),
         (await api.ScalarAsync<long>($"SELECT count(*) FROM {api.Sql.Document<HouseholdMembership>()}")));

    private static Guid IdOf(JsonElement citizen) => Guid.Parse(citizen.GetProperty("id").GetString()!);

    [Fact]
    public async Task A_merge_moves_household_and_grant_to_the_survivor_answers_by_both_numbers_and_an_unmerge_puts_everything_back()
    {
        var survivorNumber = await _caseworker.RegisterAsync(new DateOnly(1955, 3, 3));
        var duplicateNumber = await _caseworker.RegisterAsync(new DateOnly(1955, 3, 3));
        var child = await _caseworker.RegisterAsync(new DateOnly(2015, 5, 5));
        var householdId = (await _caseworker.FormHouseholdAsync(duplicateNumber)).GetProperty("household").GetProperty("id").GetString()!;
        (await _caseworker.AddMemberAsync(householdId, child)).ErrorCodes().Should().BeEmpty();
        (await ApplyAsync("OLDER_PERSONS_GRANT", duplicateNumber)).GetProperty("entitlement").GetProperty("status").GetString().Should().Be("ACTIVE");
        var survivorId = IdOf(await CitizenAsync(survivorNumber));
        var duplicateId = IdOf(await CitizenAsync(duplicateNumber));
        var survivorsGrant = Entitlement.StreamIdFor(survivorId, ProgrammeCode.OlderPersonsGrant);
        var duplicatesGrant = Entitlement.StreamIdFor(duplicateId, ProgrammeCode.OlderPersonsGrant);
        var beforeMerge = DateTimeOffset.UtcNow;
        await Task.Delay(50);

        var merged = await MergeAsync(survivorNumber, duplicateNumber);

        merged.ErrorCodes().Should().BeEmpty();
        var mergeId = merged.GetProperty("mergeId").GetString()!;
        merged.GetProperty("duplicate").GetProperty("mergedInto").GetProperty("survivorId").GetString().Should().Be(survivorId.ToString());
        merged.GetProperty("survivor").GetProperty("mergedRecords")[0].GetProperty("idNumber").GetString().Should().Be(duplicateNumber);

        // The duplicate's number finds the survivor, and says it was reached through a merged record.
        var byDuplicate = await CitizenAsync(duplicateNumber);
        IdOf(byDuplicate).Should().Be(survivorId);
        byDuplicate.GetProperty("lookedUpThrough").GetProperty("idNumber").GetString().Should().Be(duplicateNumber);
        byDuplicate.GetProperty("lookedUpThrough").GetProperty("mergeId").GetString().Should().Be(mergeId);
        (await CitizenAsync(survivorNumber)).GetProperty("lookedUpThrough").ValueKind.Should().Be(JsonValueKind.Null);
        // The survivor, who had no household, took the duplicate's place as head; the grant moved, one of it only.
        byDuplicate.GetProperty("household").GetProperty("id").GetString().Should().Be(householdId);
        var household = (await _caseworker.GraphQLAsync("query($id: ID!) { household(id: $id) { head { idNumber } members { relationship citizen { idNumber } } } }",
            new { id = householdId })).Data("household");
        household.GetProperty("head").GetProperty("idNumber").GetString().Should().Be(survivorNumber);
        household.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("citizen").GetProperty("idNumber").GetString()).Should().BeEquivalentTo([survivorNumber, child]);
        (await StatusAsync(survivorsGrant)).Should().Be("ACTIVE");
        (await StatusAsync(duplicatesGrant)).Should().Be("TERMINATED");
        (await EventTypesAsync(duplicateId)).Should().Contain("citizen_merged_into");
        // A merged record is changed no more, and is not listed beside its survivor.
        (await _caseworker.MutateAsync("changeCitizenName", "ChangeCitizenNameInput", new { idNumber = duplicateNumber, firstNames = "Other", surname = "Name", reason = "r" }))
            .ErrorCodes().Should().Equal("ALREADY_MERGED");
        (await ApplyAsync("OLDER_PERSONS_GRANT", duplicateNumber)).ErrorCodes().Should().Equal("ALREADY_MERGED");

        // The history shows the merge on both records; an as-of question before it sees two people.
        var history = (await _caseworker.GraphQLAsync("query($id: String!) { citizen(idNumber: $id) { history(first: 50) { edges { node { type } } } } }", new { id = survivorNumber }))
            .Data("citizen").GetProperty("history").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("type").GetString()).ToList();
        history.Should().Contain("duplicate_merged_in");
        (await AsOfAsync(duplicateNumber, knownAt: beforeMerge)).GetProperty("mergedInto").ValueKind.Should().Be(JsonValueKind.Null);
        (await AsOfAsync(duplicateNumber, validAt: DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2))).GetProperty("mergedInto").ValueKind.Should().Be(JsonValueKind.Null);
        (await AsOfAsync(duplicateNumber)).GetProperty("mergedInto").GetProperty("survivorId").GetString().Should().Be(survivorId.ToString());
        (await AsOfAsync(survivorNumber, knownAt: beforeMerge)).GetProperty("mergedRecords").GetArrayLength().Should().Be(0);

        var unmerged = await UnmergeAsync(mergeId);

        unmerged.ErrorCodes().Should().BeEmpty();
        var restored = await CitizenAsync(duplicateNumber);
        IdOf(restored).Should().Be(duplicateId);
        restored.GetProperty("lookedUpThrough").ValueKind.Should().Be(JsonValueKind.Null);
        restored.GetProperty("mergedInto").ValueKind.Should().Be(JsonValueKind.Null);
        restored.GetProperty("household").GetProperty("id").GetString().Should().Be(householdId);
        (await CitizenAsync(survivorNumber)).GetProperty("household").ValueKind.Should().Be(JsonValueKind.Null);
        household = (await _caseworker.GraphQLAsync("query($id: ID!) { household(id: $id) { head { idNumber } members { citizen { idNumber } } } }",
            new { id = householdId })).Data("household");
        household.GetProperty("head").GetProperty("idNumber").GetString().Should().Be(duplicateNumber);
        household.GetProperty("members").GetArrayLength().Should().Be(2);
        (await StatusAsync(duplicatesGrant)).Should().Be("ACTIVE");
        (await StatusAsync(survivorsGrant)).Should().Be("TERMINATED");
        (await EventTypesAsync(duplicateId)).Should().ContainInOrder("citizen_merged_into", "citizen_unmerged");
        (await EventTypesAsync(Guid.Parse(mergeId))).Should().Equal("citizens_merged", "merge_undone");

        // Both are re-assessed after the unmerge (the durable queue works it off in the background).
        for (var attempt = 0; attempt < 100 && (await EventTypesAsync(duplicatesGrant)).Last() != "entitlement_reassessed"; attempt++) await Task.Delay(200);
        (await EventTypesAsync(duplicatesGrant)).Last().Should().Be("entitlement_reassessed");

        // Undone once, it cannot be undone again; nothing is written.
        var before = await StoreCountsAsync();
        (await UnmergeAsync(mergeId)).ErrorCodes().Should().Equal("ALREADY_UNMERGED");
        (await StoreCountsAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_survivor_holding_the_programme_keeps_its_grant_and_the_duplicates_ends_then_both_come_back()
    {
        var survivorNumber = await _caseworker.RegisterAsync(new DateOnly(1950, 1, 1));
        var duplicateNumber = await _caseworker.RegisterAsync(new DateOnly(1950, 1, 1));
        (await ApplyAsync("OLDER_PERSONS_GRANT", survivorNumber)).ErrorCodes().Should().BeEmpty();
        (await ApplyAsync("OLDER_PERSONS_GRANT", duplicateNumber)).ErrorCodes().Should().BeEmpty();
        var survivorsGrant = Entitlement.StreamIdFor(IdOf(await CitizenAsync(survivorNumber)), ProgrammeCode.OlderPersonsGrant);
        var duplicatesGrant = Entitlement.StreamIdFor(IdOf(await CitizenAsync(duplicateNumber)), ProgrammeCode.OlderPersonsGrant);

        var merged = await MergeAsync(survivorNumber, duplicateNumber);

        merged.ErrorCodes().Should().BeEmpty();
        (await StatusAsync(survivorsGrant)).Should().Be("ACTIVE");
        (await StatusAsync(duplicatesGrant)).Should().Be("TERMINATED", "no one holds two grants of one programme");
        (await CitizenAsync(duplicateNumber)).GetProperty("entitlements").EnumerateArray()
            .Count(e => e.GetProperty("status").GetString() == "ACTIVE").Should().Be(1);

        (await UnmergeAsync(merged.GetProperty("mergeId").GetString()!)).ErrorCodes().Should().BeEmpty();
        (await StatusAsync(survivorsGrant)).Should().Be("ACTIVE");
        (await StatusAsync(duplicatesGrant)).Should().Be("ACTIVE");
    }

    [Fact]
    public async Task Each_refusal_has_its_code_and_writes_nothing()
    {
        var survivor = await _caseworker.RegisterAsync(new DateOnly(1970, 7, 7));
        var duplicate = await _caseworker.RegisterAsync(new DateOnly(1970, 7, 7));
        var merged = await _caseworker.RegisterAsync(new DateOnly(1970, 7, 7));
        var dead = await _caseworker.RegisterAsync(new DateOnly(1970, 7, 7));
        (await MergeAsync(survivor, merged)).ErrorCodes().Should().BeEmpty();
        (await _caseworker.MutateAsync("recordDeath", "RecordDeathInput", new { idNumber = dead, dateOfDeath = "2026-01-02", reason = "DHA-1663 123" }))
            .ErrorCodes().Should().BeEmpty();
        var unregistered = RegistryApiFactory.NewIdNumber(new DateOnly(1970, 7, 7), Registry.Domain.Common.Sex.Female).Value;
        var before = await StoreCountsAsync();

        (await MergeAsync(duplicate, duplicate)).ErrorCodes().Should().Equal("INVALID_INPUT");
        (await MergeAsync(survivor, unregistered)).Errors().Should().Equal(("NOT_FOUND", "duplicate"));
        (await MergeAsync(unregistered, duplicate)).Errors().Should().Equal(("NOT_FOUND", "survivor"));
        (await MergeAsync("12345", duplicate)).Errors().Should().Equal(("INVALID_ID_NUMBER", "survivor"));
        (await MergeAsync(survivor, merged)).Errors().Should().Equal(("ALREADY_MERGED", "duplicate"));
        (await MergeAsync(merged, duplicate)).Errors().Should().Equal(("ALREADY_MERGED", "survivor"));
        (await MergeAsync(survivor, dead)).Errors().Should().Equal(("CITIZEN_DECEASED", "duplicate"));
        (await MergeAsync(survivor, duplicate, reason: " ")).ErrorCodes().Should().Equal("REASON_REQUIRED");
        (await MergeAsync(survivor, duplicate, expectedVersion: 9)).ErrorCodes().Should().Equal("STALE_VERSION");
        (await UnmergeAsync(Guid.NewGuid().ToString())).Errors().Should().Equal(("NOT_FOUND", "mergeId"));

        (await StoreCountsAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_merged_record_is_listed_once_and_a_retried_merge_answers_with_the_first()
    {
        var surname = Caseworker.UniqueSurname("Merge");
        var survivor = await _caseworker.RegisterAsync(new DateOnly(1981, 1, 1), surname: surname);
        var duplicate = await _caseworker.RegisterAsync(new DateOnly(1981, 1, 1), surname: surname);
        async Task<int> ListedAsync() => (await _caseworker.GraphQLAsync("query($s: String!) { citizens(filter: { surname: $s }) { totalCount edges { node { idNumber } } } }",
            new { s = surname })).Data("citizens").GetProperty("edges").GetArrayLength();
        (await ListedAsync()).Should().Be(2);
        var input = new { survivor, duplicate, reason = "case DUP-18", idempotencyKey = $"merge-{survivor}" };

        var first = await _caseworker.MutateAsync("mergeCitizens", "MergeCitizensInput", input, Selection);
        var events = await api.EventCountAsync();
        var again = await _caseworker.MutateAsync("mergeCitizens", "MergeCitizensInput", input, Selection);

        first.ErrorCodes().Should().BeEmpty();
        again.ErrorCodes().Should().BeEmpty();
        again.GetProperty("mergeId").GetString().Should().Be(first.GetProperty("mergeId").GetString());
        (await api.EventCountAsync()).Should().Be(events);
        (await ListedAsync()).Should().Be(1);
    }

    private async Task<JsonElement> AsOfAsync(string idNumber, DateOnly? validAt = null, DateTimeOffset? knownAt = null) =>
        (await _auditor.GraphQLAsync("query($id: String!, $v: Date, $k: DateTime) { audit { citizenAsOf(idNumber: $id, validAt: $v, knownAt: $k) { id mergedInto { survivorId } mergedRecords { idNumber } } } }",
            new { id = idNumber, v = validAt?.ToString("yyyy-MM-dd"), k = knownAt })).Data("audit").GetProperty("citizenAsOf");
}

internal static class MergePayloads
{
    public static (string Code, string? Field)[] Errors(this JsonElement payload) =>
        [.. payload.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("code").GetString()!,
            e.GetProperty("field").ValueKind == JsonValueKind.Array ? e.GetProperty("field").EnumerateArray().Last().GetString() : null))];
}
