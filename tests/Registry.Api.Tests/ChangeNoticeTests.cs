using System.Text.Json;

namespace Registry.Api.Tests;

/// <summary>Each department reads the changes its mandate allows from its own feed, and resumes where it left off.</summary>
[Collection(ApiCollection.Name)]
public sealed class ChangeNoticeTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");

    private const string NoticeFields =
        "id position kind occurredAt recordedAt programme subjectIdNumber householdId before { eligible monthlyAmount status } after { eligible monthlyAmount status } changedCriteria correlationId";

    private static async Task<JsonElement> ChangesAsync(HttpClient client, string? after, int first = 1000, string? kinds = null)
    {
        var kindArgument = kinds is null ? "" : $", kinds: [{kinds}]";
        return await client.GraphQLAsync($"query($after: String, $first: Int) {{ changes(after: $after, first: $first{kindArgument}) {{ edges {{ cursor node {{ {NoticeFields} }} }} pageInfo {{ hasNextPage endCursor }} }} }}",
            new { after, first });
    }

    /// <summary>Every notice after a cursor once the notice writer has seen every event so far, and the cursor to resume from.</summary>
    private async Task<(List<JsonElement> Notices, string? Cursor)> ReadToEndAsync(HttpClient client, string? after, string? kinds = null)
    {
        await api.AsyncProjectionsCaughtUpAsync();
        var notices = new List<JsonElement>();
        while (true)
        {
            var page = (await ChangesAsync(client, after, kinds: kinds)).Data("changes");
            notices.AddRange(page.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").Clone()));
            after = page.GetProperty("pageInfo").GetProperty("endCursor").GetString();
            if (!page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean()) return (notices, after);
        }
    }

    private async Task<string> GrantAsync(string programme, string beneficiary)
    {
        var payload = await _caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput", new { programme, beneficiaryIdNumber = beneficiary },
            "entitlement { id status } errors { code }");
        payload.GetProperty("entitlement").GetProperty("status").GetString().Should().Be("ACTIVE");
        return payload.GetProperty("entitlement").GetProperty("id").GetString()!;
    }

    private static IEnumerable<JsonElement> About(IEnumerable<JsonElement> notices, string idNumber) =>
        notices.Where(n => n.GetProperty("subjectIdNumber").GetString() == idNumber);

    [Fact]
    public async Task SASSA_is_told_its_beneficiary_died_and_the_grant_ended_and_resumes_from_its_cursor()
    {
        var sassa = api.ClientFor("department:SASSA");
        var (_, start) = await ReadToEndAsync(sassa, null);
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1950, 5, 5));
        await GrantAsync("OLDER_PERSONS_GRANT", pensioner);

        var (granted, afterGrant) = await ReadToEndAsync(sassa, start);
        var grant = About(granted, pensioner).Should().ContainSingle().Subject;
        grant.GetProperty("kind").GetString().Should().Be("ENTITLEMENT_STATUS_CHANGED");
        grant.GetProperty("programme").GetString().Should().Be("OLDER_PERSONS_GRANT");
        grant.GetProperty("before").GetProperty("status").GetString().Should().Be("APPLIED");
        grant.GetProperty("after").GetProperty("status").GetString().Should().Be("ACTIVE");
        grant.GetProperty("after").GetProperty("monthlyAmount").GetDecimal().Should().BePositive();
        grant.GetProperty("householdId").ValueKind.Should().Be(JsonValueKind.Null, "SASSA is not told about households");

        var correlation = $"death-{Guid.NewGuid():N}";
        var recording = api.ClientFor("caseworker");
        recording.DefaultRequestHeaders.Add("X-Correlation-Id", correlation);
        (await api.WithItsMessagesAsync(() => recording.MutateAsync("recordDeath", "RecordDeathInput",
            new { idNumber = pensioner, dateOfDeath = "2026-03-01", reason = "death certificate" }))).ErrorCodes().Should().BeEmpty();

        var (afterDeath, resumed) = await ReadToEndAsync(sassa, afterGrant);
        var mine = About(afterDeath, pensioner).ToList();
        // The death, the re-assessment it caused (no longer eligible), and the grant's end.
        mine.Select(n => n.GetProperty("kind").GetString()).Should().Equal("BENEFICIARY_DIED", "ELIGIBILITY_CHANGED", "ENTITLEMENT_STATUS_CHANGED");
        mine[0].GetProperty("occurredAt").GetString().Should().Be("2026-03-01");
        mine[0].GetProperty("programme").GetString().Should().Be("OLDER_PERSONS_GRANT");
        mine[0].GetProperty("correlationId").GetString().Should().Be(correlation);
        mine[1].GetProperty("after").GetProperty("eligible").GetBoolean().Should().BeFalse();
        mine[2].GetProperty("after").GetProperty("status").GetString().Should().Be("TERMINATED");
        mine[2].GetProperty("correlationId").GetString().Should().Be(correlation, "the termination was caused by the recorded death");

        // Resuming from the last cursor reads nothing again; an empty page keeps the cursor it was asked after.
        var again = (await ChangesAsync(sassa, resumed)).Data("changes");
        again.GetProperty("edges").GetArrayLength().Should().Be(0);
        again.GetProperty("pageInfo").GetProperty("endCursor").GetString().Should().Be(resumed);
        // Positions only grow, and the notice's id is its own: a consumer deduplicates on it.
        var positions = granted.Concat(afterDeath).Select(n => long.Parse(n.GetProperty("position").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        positions.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        granted.Concat(afterDeath).Select(n => n.GetProperty("id").GetString()).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task SASSA_is_told_when_a_beneficiary_stops_qualifying_and_which_criteria_changed()
    {
        var sassa = api.ClientFor("department:SASSA");
        var (_, start) = await ReadToEndAsync(sassa, null);
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1951, 6, 6));
        await GrantAsync("OLDER_PERSONS_GRANT", pensioner);
        (await api.WithItsMessagesAsync(() => _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput",
            new { idNumber = pensioner, monthlyIncome = 20000, source = "EMPLOYMENT" }))).ErrorCodes().Should().BeEmpty();

        var (notices, _) = await ReadToEndAsync(sassa, start, kinds: "ELIGIBILITY_CHANGED");
        var changed = About(notices, pensioner).Should().ContainSingle("only eligibility changes were asked for").Subject;
        changed.GetProperty("before").GetProperty("eligible").GetBoolean().Should().BeTrue();
        changed.GetProperty("after").GetProperty("eligible").GetBoolean().Should().BeFalse();
        changed.GetProperty("changedCriteria").EnumerateArray().Select(c => c.GetString()).Should().Contain("incomeTest");
        notices.Should().OnlyContain(n => n.GetProperty("kind").GetString() == "ELIGIBILITY_CHANGED");

        var (all, _) = await ReadToEndAsync(sassa, start);
        About(all, pensioner).Select(n => n.GetProperty("kind").GetString())
            .Should().Equal("ENTITLEMENT_STATUS_CHANGED", "ELIGIBILITY_CHANGED", "ENTITLEMENT_STATUS_CHANGED");
        About(all, pensioner).Last().GetProperty("after").GetProperty("status").GetString().Should().Be("SUSPENDED");
    }

    [Fact]
    public async Task Each_department_hears_only_its_mandate()
    {
        var dhs = api.ClientFor("department:DHS");
        var stats = api.ClientFor("department:STATSSA");
        var municipality = api.ClientFor("department:MUNICIPALITY:NW372");
        var (_, dhsStart) = await ReadToEndAsync(dhs, null);
        var (_, statsStart) = await ReadToEndAsync(stats, null);
        var (_, municipalStart) = await ReadToEndAsync(municipality, null);

        var address = Caseworker.Address("NW372", "Brits", "NORTH_WEST");
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1949, 4, 4), address: address);
        await GrantAsync("OLDER_PERSONS_GRANT", pensioner);
        var household = (await _caseworker.MutateAsync("formHousehold", "FormHouseholdInput", new { headIdNumber = pensioner, address }, Caseworker.HouseholdSelection))
            .GetProperty("household").GetProperty("id").GetString()!;

        (await ReadToEndAsync(dhs, dhsStart)).Notices.Should().NotContain(n => n.GetProperty("subjectIdNumber").GetString() == pensioner,
            "a social grant is SASSA's, not Human Settlements'");
        (await ReadToEndAsync(stats, statsStart)).Notices.Should().NotContain(n => n.GetProperty("subjectIdNumber").ValueKind != JsonValueKind.Null
            || n.GetProperty("householdId").ValueKind != JsonValueKind.Null, "Statistics SA is told nothing personal");

        var formed = (await ReadToEndAsync(municipality, municipalStart)).Notices
            .Should().ContainSingle(n => n.GetProperty("householdId").GetString() == household).Subject;
        formed.GetProperty("kind").GetString().Should().Be("HOUSEHOLD_CHANGED");
        formed.GetProperty("subjectIdNumber").ValueKind.Should().Be(JsonValueKind.Null, "a municipality is told of households, not people");
        formed.GetProperty("changedCriteria").EnumerateArray().Select(c => c.GetString()).Should().Equal("FORMED");
        (await ReadToEndAsync(api.ClientFor("department:MUNICIPALITY:CPT"), null)).Notices
            .Should().NotContain(n => n.GetProperty("householdId").GetString() == household, "another municipality's households are not Cape Town's");
    }

    [Fact]
    public async Task Published_parameters_reach_the_programmes_department_and_Statistics_SA()
    {
        var stats = api.ClientFor("department:STATSSA");
        var (all, _) = await ReadToEndAsync(stats, null, kinds: "PARAMETERS_PUBLISHED");
        all.Should().NotBeEmpty("the register's initial parameter sets are publications too");
        all.Should().OnlyContain(n => n.GetProperty("programme").ValueKind == JsonValueKind.String);
        var (dbe, _) = await ReadToEndAsync(api.ClientFor("department:DBE"), null, kinds: "PARAMETERS_PUBLISHED");
        dbe.Select(n => n.GetProperty("programme").GetString()).Distinct().Should().Equal("SCHOOL_FEE_EXEMPTION");
    }

    [Fact]
    public async Task A_notice_naming_a_person_is_access_logged_with_its_purpose()
    {
        var sassa = api.ClientFor("department:SASSA");
        var (_, start) = await ReadToEndAsync(sassa, null);
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1948, 8, 8));
        await GrantAsync("OLDER_PERSONS_GRANT", pensioner);
        await ReadToEndAsync(sassa, start);

        var log = (await api.ClientFor("auditor").GraphQLAsync("query($id: String!) { audit { accessLog(idNumber: $id, first: 100) { edges { node { department purpose operation } } } } }",
            new { id = pensioner })).Data("audit").GetProperty("accessLog").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToList();
        log.Should().Contain(n => n.GetProperty("operation").GetString() == "changes" && n.GetProperty("department").GetString() == "SASSA"
            && n.GetProperty("purpose").GetString() == RegistryApiFactory.Purpose);
    }

    [Fact]
    public async Task An_erased_persons_notices_stay_in_the_feed_without_their_number()
    {
        var sassa = api.ClientFor("department:SASSA");
        var (_, start) = await ReadToEndAsync(sassa, null);
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1947, 7, 7));
        await GrantAsync("OLDER_PERSONS_GRANT", pensioner);
        var (before, _) = await ReadToEndAsync(sassa, start);
        var granted = About(before, pensioner).Single().GetProperty("id").GetString();

        (await api.WithItsMessagesAsync(() => api.ClientFor("admin").GraphQLAsync("mutation($i: EraseCitizenInput!) { eraseCitizen(input: $i) { errors { code } } }",
            new { i = new { idNumber = pensioner, legalBasis = "SUBJECT_REQUEST", reason = "request 2026/91" } }))).Data("eraseCitizen").ErrorCodes().Should().BeEmpty();

        var (after, _) = await ReadToEndAsync(sassa, start);
        about(after).Should().BeEmpty("the number went with the record");
        var kept = after.Single(n => n.GetProperty("id").GetString() == granted);
        kept.GetProperty("subjectIdNumber").ValueKind.Should().Be(JsonValueKind.Null);
        kept.GetProperty("position").GetString().Should().Be(About(before, pensioner).Single().GetProperty("position").GetString(), "a consumer's positions stay valid");
        IEnumerable<JsonElement> about(IEnumerable<JsonElement> notices) => About(notices, pensioner);
    }

    [Fact]
    public async Task A_consumer_paging_while_changes_are_made_misses_none_and_reads_none_twice()
    {
        var sassa = api.ClientFor("department:SASSA");
        var (_, start) = await ReadToEndAsync(sassa, null);
        var writing = Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            var pensioner = await _caseworker.RegisterAsync(new DateOnly(1945, 1, 1).AddDays(i));
            await GrantAsync("OLDER_PERSONS_GRANT", pensioner);
        }));
        // Small pages, read while the writes land: the consumer keeps only its last cursor.
        var seen = new List<string>();
        var cursor = start;
        while (!writing.IsCompleted || seen.Count < 12)
        {
            var page = (await ChangesAsync(sassa, cursor, first: 2)).Data("changes");
            seen.AddRange(page.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("id").GetString()!));
            cursor = page.GetProperty("pageInfo").GetProperty("endCursor").GetString();
            if (seen.Count >= 12 && writing.IsCompleted) break;
            if (!page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean()) await Task.Delay(50);
        }
        await writing;
        var (rest, _) = await ReadToEndAsync(sassa, cursor);
        seen.AddRange(rest.Select(n => n.GetProperty("id").GetString()!));

        var (whole, _) = await ReadToEndAsync(sassa, start);
        seen.Should().Equal(whole.Select(n => n.GetProperty("id").GetString()), "paging as the feed grew gives the feed, in order, once");
        whole.Count.Should().BeGreaterThanOrEqualTo(12);
    }

    [Fact]
    public async Task Forged_cursors_other_departments_cursors_and_oversize_pages_are_refused()
    {
        var sassa = api.ClientFor("department:SASSA");
        await _caseworker.RegisterAsync(new DateOnly(1950, 1, 2));
        var (_, cursor) = await ReadToEndAsync(sassa, null);
        cursor.Should().NotBeNull();

        (await ChangesAsync(api.ClientFor("department:DHS"), cursor)).TransportErrorCodes().Should().Equal("INVALID_CURSOR");
        var forged = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("SASSA|0|" + new string('a', 64))).TrimEnd('=');
        (await ChangesAsync(sassa, forged)).TransportErrorCodes().Should().Equal("INVALID_CURSOR");
        (await ChangesAsync(sassa, "not a cursor")).TransportErrorCodes().Should().Equal("INVALID_CURSOR");
        (await ChangesAsync(sassa, OtherListsCursor())).TransportErrorCodes().Should().Equal("INVALID_CURSOR");
        (await ChangesAsync(sassa, null, first: 1001)).TransportErrorCodes().Should().Equal("PAGE_SIZE_TOO_LARGE");
        (await ChangesAsync(sassa, null, first: 0)).TransportErrorCodes().Should().Equal("INVALID_ARGUMENT");
        (await ChangesAsync(_caseworker, null)).TransportErrorCodes().Should().Equal("FORBIDDEN");
        (await ChangesAsync(api.ClientFor("department:SASSA", "department:DHS"), null)).TransportErrorCodes().Should().Equal("FORBIDDEN");
    }

    /// <summary>A cursor the register issues for other lists: it names no feed and must not open one.</summary>
    private static string OtherListsCursor() => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("s:1"));
}
