using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NSec.Cryptography;
using Registry.Api.Audit;
using Registry.Api.Dci;

namespace Registry.Api.Tests;

/// <summary>The DCI registry core sync search: department tokens, minimised records, the access log, signed envelopes both ways.</summary>
[Collection(ApiCollection.Name)]
public sealed class DciTests(RegistryApiFactory api)
{
    /// <summary>A sender whose key the test host configures (Dci:SenderKeys:sassa-mis): its messages must be signed.</summary>
    public const string SignedSender = "sassa-mis";

    /// <summary>A sender without a configured key: it may send unsigned messages only.</summary>
    private const string UnsignedSender = "sassa-test-client";

    private static readonly Key SenderKey = Key.Import(SignatureAlgorithm.Ed25519, SHA256.HashData("registry dci test sender"u8), KeyBlobFormat.RawPrivateKey);
    private static readonly Key OtherKey = Key.Import(SignatureAlgorithm.Ed25519, SHA256.HashData("someone else"u8), KeyBlobFormat.RawPrivateKey);

    public static string SenderPublicKey => Convert.ToBase64String(SenderKey.PublicKey.Export(KeyBlobFormat.RawPublicKey));

    private readonly HttpClient _caseworker = api.ClientFor("caseworker");

    private static object Criteria(string queryType, object query, object? pagination = null) =>
        new { version = "1.0.0", reg_type = DciEndpoint.RegType, query_type = queryType, query, pagination };

    private static object ByUin(string idNumber) => Criteria("idtype-value", new { type = "UIN", value = idNumber });

    private static object SearchRequest(object criteria, string reference = "ref-1") =>
        new { reference_id = reference, timestamp = DateTimeOffset.UtcNow.ToString("O"), search_criteria = criteria };

    private static byte[] Header(string sender = UnsignedSender, string version = "1.0.0", int count = 1) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        version, message_id = Guid.NewGuid().ToString(), message_ts = DateTimeOffset.UtcNow.ToString("O"), action = "search",
        sender_id = sender, receiver_id = "registry", total_count = count, is_msg_encrypted = false,
    });

    private static byte[] Message(params object[] requests) =>
        JsonSerializer.SerializeToUtf8Bytes(new { transaction_id = Guid.NewGuid().ToString("N"), search_request = requests });

    private static string Sign(Key key, string sender, byte[] header, byte[] message, TimeSpan? age = null)
    {
        var created = (DateTimeOffset.UtcNow - (age ?? TimeSpan.Zero)).ToUnixTimeSeconds();
        var value = SignatureAlgorithm.Ed25519.Sign(key, DciSignature.SigningString(created, created + 300, header, message));
        return new DciSignature(sender, "k1", created, created + 300, value).ToString();
    }

    private static byte[] Envelope(string? signature, byte[] header, byte[] message) =>
        [.. Encoding.UTF8.GetBytes($"{{\"signature\":{JsonSerializer.Serialize(signature)},\"header\":"), .. header, .. ",\"message\":"u8.ToArray(), .. message, .. "}"u8.ToArray()];

    private static async Task<(HttpStatusCode Status, JsonElement Body, string Text)> PostAsync(HttpClient client, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        var response = await client.PostAsync(DciEndpoint.SearchPath, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), text);
    }

    private static Task<(HttpStatusCode Status, JsonElement Body, string Text)> SearchAsync(HttpClient client, params object[] requests) =>
        PostAsync(client, Envelope(null, Header(count: requests.Length), Message(requests)));

    private static JsonElement Item(JsonElement body) => body.GetProperty("message").GetProperty("search_response")[0];

    private static JsonElement[] Records(JsonElement body)
    {
        var item = Item(body);
        item.GetProperty("status").GetString().Should().Be("succ", "the search should succeed, but got {0}", item);
        return [.. item.GetProperty("data").GetProperty("reg_records").EnumerateArray()];
    }

    private static string Uin(JsonElement record) => record.GetProperty("identifier")[0].GetProperty("identifier_value").GetString()!;

    private static string[] Programmes(JsonElement record) =>
        [.. record.GetProperty("entitlements").EnumerateArray().Select(e => e.GetProperty("programme").GetString()!)];

    private async Task<string> PensionerAsync(string? effectiveDate = null)
    {
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1950, 5, 5), surname: Caseworker.UniqueSurname("Dlamini"));
        var payload = await _caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput",
            new { programme = "OLDER_PERSONS_GRANT", beneficiaryIdNumber = pensioner, effectiveDate }, "entitlement { status } errors { code }");
        payload.GetProperty("entitlement").GetProperty("status").GetString().Should().Be("ACTIVE");
        return pensioner;
    }

    [Fact]
    public async Task A_beneficiary_is_found_by_UIN_with_only_what_each_department_may_see()
    {
        var pensioner = await PensionerAsync();
        (await _caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput",
            new { programme = "HOUSING_SUBSIDY_BNG", beneficiaryIdNumber = pensioner }, "entitlement { status } errors { code }")).ErrorCodes().Should().BeEmpty();

        var (status, sassaBody, sassaText) = await SearchAsync(api.ClientFor("department:SASSA"), SearchRequest(ByUin(pensioner)));
        status.Should().Be(HttpStatusCode.OK);
        sassaBody.GetProperty("header").GetProperty("status").GetString().Should().Be("succ");
        sassaBody.GetProperty("header").GetProperty("action").GetString().Should().Be("on-search");
        sassaBody.GetProperty("header").GetProperty("receiver_id").GetString().Should().Be(UnsignedSender);
        var sassa = Records(sassaBody).Should().ContainSingle().Subject;
        Uin(sassa).Should().Be(pensioner);
        sassa.GetProperty("identifier")[0].GetProperty("identifier_type").GetString().Should().Be("UIN");
        sassa.GetProperty("name").GetProperty("given_name").GetString().Should().Be("Naledi");
        Programmes(sassa).Should().Equal("OLDER_PERSONS_GRANT");
        var grant = sassa.GetProperty("entitlements")[0];
        grant.GetProperty("status").GetString().Should().Be("ACTIVE");
        grant.GetProperty("monthly_amount").GetDecimal().Should().BePositive();
        Item(sassaBody).GetProperty("pagination").GetProperty("total_count").GetInt32().Should().Be(1);
        sassaText.Should().NotContainAny("income", "Income", "address", "birth", "disab", "household");

        // Human Settlements: the ID number and its own programme only; no name, no social grant.
        var dhs = Records((await SearchAsync(api.ClientFor("department:DHS"), SearchRequest(ByUin(pensioner)))).Body).Should().ContainSingle().Subject;
        Uin(dhs).Should().Be(pensioner);
        dhs.TryGetProperty("name", out _).Should().BeFalse();
        Programmes(dhs).Should().Equal("HOUSING_SUBSIDY_BNG");

        // Basic Education has no programme of theirs: they are not found, as an unregistered number is not.
        Records((await SearchAsync(api.ClientFor("department:DBE"), SearchRequest(ByUin(pensioner)))).Body).Should().BeEmpty();
    }

    [Fact]
    public async Task An_unknown_person_and_a_registered_non_beneficiary_are_not_found()
    {
        var sassa = api.ClientFor("department:SASSA");
        var unregistered = RegistryApiFactory.NewIdNumber(new DateOnly(1977, 7, 7)).Value;
        var registered = await _caseworker.RegisterAsync(new DateOnly(1990, 2, 2));
        var (_, body, _) = await SearchAsync(sassa, SearchRequest(ByUin(unregistered), "unregistered"), SearchRequest(ByUin(registered), "registered"));
        foreach (var item in body.GetProperty("message").GetProperty("search_response").EnumerateArray())
        {
            item.GetProperty("status").GetString().Should().Be("succ");
            item.GetProperty("data").GetProperty("reg_records").GetArrayLength().Should().Be(0);
            item.GetProperty("pagination").GetProperty("total_count").GetInt32().Should().Be(0);
        }
        body.GetProperty("message").GetProperty("search_response").EnumerateArray().Select(i => i.GetProperty("reference_id").GetString())
            .Should().Equal("unregistered", "registered");
    }

    [Fact]
    public async Task A_predicate_finds_the_departments_beneficiaries_by_programme_status_and_start_page_by_page()
    {
        var start = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-37).ToString("yyyy-MM-dd");
        var first = await PensionerAsync(start);
        var second = await PensionerAsync(start);
        var later = await PensionerAsync();
        object Predicate(int page) => SearchRequest(Criteria("predicate", new object[]
        {
            new { seq_num = 1, expression1 = new { attribute_name = "programme", @operator = "eq", attribute_value = "OLDER_PERSONS_GRANT" },
                  condition = "and", expression2 = new { attribute_name = "since", @operator = "eq", attribute_value = start } },
            new { seq_num = 2, expression1 = new { attribute_name = "status", @operator = "in", attribute_value = new[] { "ACTIVE", "SUSPENDED" } } },
        }, new { page_size = 1, page_number = page }));

        var sassa = api.ClientFor("department:SASSA");
        var pageOne = (await SearchAsync(sassa, Predicate(1))).Body;
        var pageTwo = (await SearchAsync(sassa, Predicate(2))).Body;
        Item(pageOne).GetProperty("pagination").GetProperty("total_count").GetInt32().Should().Be(2);
        Records(pageOne).Concat(Records(pageTwo)).Select(Uin).Should().BeEquivalentTo([first, second]).And.NotContain(later);
        Records((await SearchAsync(sassa, Predicate(3))).Body).Should().BeEmpty();
        Records((await SearchAsync(sassa, Predicate(int.MaxValue))).Body).Should().BeEmpty();

        // DHS searching the same criteria sees none of SASSA's beneficiaries; an attribute no department is shown is refused.
        Records((await SearchAsync(api.ClientFor("department:DHS"), Predicate(1))).Body).Should().BeEmpty();
        var birth = SearchRequest(Criteria("predicate", new[] { new { expression1 = new { attribute_name = "birth_date", @operator = "lt", attribute_value = "1960-01-01" } } }));
        Item((await SearchAsync(sassa, birth)).Body).GetProperty("status_reason_code").GetString().Should().Be(DciReasonCodes.SearchCriteriaInvalid);
    }

    [Fact]
    public async Task Oversize_pages_and_unknown_versions_are_rejected_with_the_standards_codes()
    {
        var sassa = api.ClientFor("department:SASSA");
        var oversize = (await SearchAsync(sassa, SearchRequest(Criteria("idtype-value", new { type = "UIN", value = "8001015009087" }, new { page_size = 101, page_number = 1 })))).Body;
        Item(oversize).GetProperty("status").GetString().Should().Be("rjct");
        Item(oversize).GetProperty("status_reason_code").GetString().Should().Be("rjct.pagination.invalid");
        Item(oversize).TryGetProperty("data", out _).Should().BeFalse();

        var (status, version, _) = await PostAsync(sassa, Envelope(null, Header(version: "9.9.9"), Message(SearchRequest(ByUin("8001015009087")))));
        status.Should().Be(HttpStatusCode.OK);
        version.GetProperty("header").GetProperty("status").GetString().Should().Be("rjct");
        version.GetProperty("header").GetProperty("status_reason_code").GetString().Should().Be("rjct.version.invalid");
        version.GetProperty("message").GetProperty("search_response").GetArrayLength().Should().Be(0);

        var miscounted = (await PostAsync(sassa, Envelope(null, Header(count: 3), Message(SearchRequest(ByUin("8001015009087")))))).Body;
        miscounted.GetProperty("header").GetProperty("status_reason_code").GetString().Should().Be("rjct.total_count.invalid");
    }

    [Fact]
    public async Task Responses_are_signed_with_the_key_published_at_well_known()
    {
        var keys = JsonDocument.Parse(await api.CreateClient().GetStringAsync(DciEndpoint.KeysPath)).RootElement.GetProperty("keys");
        var published = keys.EnumerateArray().Should().ContainSingle().Subject;
        published.GetProperty("alg").GetString().Should().Be("Ed25519");
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromBase64String(published.GetProperty("public_key").GetString()!), KeyBlobFormat.RawPublicKey);

        var pensioner = await PensionerAsync();
        var (_, body, _) = await SearchAsync(api.ClientFor("department:SASSA"), SearchRequest(ByUin(pensioner)));
        var signature = DciSignature.TryParse(body.GetProperty("signature").GetString()!);
        signature.Should().NotBeNull();
        signature!.KeyId.Should().Be(published.GetProperty("key_id").GetString());
        signature.SenderId.Should().Be(body.GetProperty("header").GetProperty("sender_id").GetString());
        var header = JsonMarshal.GetRawUtf8Value(body.GetProperty("header")).ToArray();
        var message = JsonMarshal.GetRawUtf8Value(body.GetProperty("message")).ToArray();
        SignatureAlgorithm.Ed25519.Verify(publicKey, DciSignature.SigningString(signature.Created, signature.Expires, header, message), signature.Value)
            .Should().BeTrue();
        var altered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(message).Replace(pensioner, RegistryApiFactory.NewIdNumber(new DateOnly(1950, 5, 5)).Value));
        SignatureAlgorithm.Ed25519.Verify(publicKey, DciSignature.SigningString(signature.Created, signature.Expires, header, altered), signature.Value)
            .Should().BeFalse();

        // A header rejection is signed too.
        var rejected = (await PostAsync(api.ClientFor("department:SASSA"), Envelope(null, Header(version: "0.1"), Message(SearchRequest(ByUin(pensioner)))))).Body;
        var rejectedSignature = DciSignature.TryParse(rejected.GetProperty("signature").GetString()!)!;
        SignatureAlgorithm.Ed25519.Verify(publicKey, DciSignature.SigningString(rejectedSignature.Created, rejectedSignature.Expires,
            JsonMarshal.GetRawUtf8Value(rejected.GetProperty("header")), JsonMarshal.GetRawUtf8Value(rejected.GetProperty("message"))), rejectedSignature.Value).Should().BeTrue();
    }

    [Fact]
    public async Task A_sender_with_a_configured_key_must_sign_and_one_without_must_not()
    {
        var pensioner = await PensionerAsync();
        var sassa = api.ClientFor("department:SASSA");
        var header = Header(SignedSender);
        var message = Message(SearchRequest(ByUin(pensioner)));
        var accessBefore = await AccessCountAsync();

        var unsigned = await PostAsync(sassa, Envelope(null, header, message));
        unsigned.Status.Should().Be(HttpStatusCode.Unauthorized);
        unsigned.Body.GetProperty("errors")[0].GetProperty("code").GetString().Should().Be(DciReasonCodes.SignatureMissing);
        var wrongKey = await PostAsync(sassa, Envelope(Sign(OtherKey, SignedSender, header, message), header, message));
        wrongKey.Status.Should().Be(HttpStatusCode.Unauthorized);
        wrongKey.Body.GetProperty("errors")[0].GetProperty("code").GetString().Should().Be(DciReasonCodes.SignatureInvalid);
        var tampered = await PostAsync(sassa, Envelope(Sign(SenderKey, SignedSender, header, message), header, Message(SearchRequest(ByUin(pensioner), "ref-2"))));
        tampered.Body.GetProperty("errors")[0].GetProperty("code").GetString().Should().Be(DciReasonCodes.SignatureInvalid);
        var expired = await PostAsync(sassa, Envelope(Sign(SenderKey, SignedSender, header, message, TimeSpan.FromMinutes(10)), header, message));
        expired.Body.GetProperty("errors")[0].GetProperty("code").GetString().Should().Be(DciReasonCodes.SignatureInvalid, "it expired five minutes ago");
        var otherSender = await PostAsync(sassa, Envelope(Sign(SenderKey, "dhs-mis", header, message), header, message));
        otherSender.Body.GetProperty("errors")[0].GetProperty("code").GetString().Should().Be(DciReasonCodes.SignatureInvalid, "its kidId names another sender");
        var garbage = await PostAsync(sassa, Envelope("not a signature", header, message));
        garbage.Body.GetProperty("errors")[0].GetProperty("code").GetString().Should().Be(DciReasonCodes.SignatureInvalid);
        (await AccessCountAsync()).Should().Be(accessBefore, "a refused message reads no one");
        unsigned.Text.Should().NotContain(pensioner);

        var signed = await PostAsync(sassa, Envelope(Sign(SenderKey, SignedSender, header, message), header, message));
        signed.Status.Should().Be(HttpStatusCode.OK);
        Records(signed.Body).Select(Uin).Should().Equal(pensioner);

        // Unsigned from a sender without a key is accepted; a signature from it cannot be checked, so it is refused.
        Records((await PostAsync(sassa, Envelope("", Header(), message))).Body).Select(Uin).Should().Equal(pensioner);
        var unknownSigner = await PostAsync(sassa, Envelope(Sign(SenderKey, UnsignedSender, Header(), message), Header(), message));
        unknownSigner.Status.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Every_person_shown_is_access_logged_with_the_stated_purpose()
    {
        var pensioner = await PensionerAsync();
        var citizenId = Guid.Parse((await _caseworker.CitizenAsync(pensioner)).GetProperty("id").GetString()!);
        var sassa = api.ClientWithoutPurpose("department:SASSA");
        sassa.DefaultRequestHeaders.Add("X-Purpose", "dci grant review");
        Records((await SearchAsync(sassa, SearchRequest(ByUin(pensioner)))).Body).Should().ContainSingle();

        var logged = await api.ScalarAsync<string>(
            $"SELECT string_agg(data ->> 'Purpose' || '|' || (data ->> 'Operation') || '|' || (data ->> 'Department'), ',') FROM {api.Sql.Document<AccessRecord>()} WHERE data ->> 'CitizenId' = $1",
            citizenId.ToString());
        logged.Should().Contain("dci grant review|dci.search|SASSA");
    }

    [Fact]
    public async Task Only_a_department_token_is_served_and_bad_messages_are_refused_in_the_standards_shape_writing_nothing()
    {
        async Task<(HttpStatusCode, string?)> Code(HttpClient client, byte[] body)
        {
            var (status, json, _) = await PostAsync(client, body);
            return (status, json.GetProperty("errors")[0].GetProperty("code").GetString());
        }
        var valid = Envelope(null, Header(), Message(SearchRequest(ByUin("8001015009087"))));
        var before = await AccessCountAsync();
        var events = await api.EventCountAsync();

        (await Code(api.CreateClient(), valid)).Should().Be((HttpStatusCode.Unauthorized, DciReasonCodes.RequestUnauthorized));
        foreach (var role in new[] { "caseworker", "admin", "auditor", "department:STATSSA", "department:MUNICIPALITY:CPT" })
            (await Code(api.ClientFor(role), valid)).Should().Be((HttpStatusCode.Forbidden, DciReasonCodes.RequestForbidden), role);
        (await Code(api.ClientFor("department:SASSA", "caseworker"), valid)).Should().Be((HttpStatusCode.Forbidden, DciReasonCodes.RequestForbidden));

        var sassa = api.ClientFor("department:SASSA");
        (await Code(sassa, "{not json"u8.ToArray())).Should().Be((HttpStatusCode.BadRequest, DciReasonCodes.RequestBad));
        (await Code(sassa, "[]"u8.ToArray())).Should().Be((HttpStatusCode.BadRequest, DciReasonCodes.RequestBad));
        (await Code(sassa, """{"header": {"sender_id": "x"}, "message": {}}"""u8.ToArray())).Should().Be((HttpStatusCode.BadRequest, DciReasonCodes.RequestBad));
        (await Code(sassa, Envelope(null, Header(), """{"search_request": "no"}"""u8.ToArray()))).Should().Be((HttpStatusCode.BadRequest, DciReasonCodes.RequestBad));
        (await Code(api.ClientWithoutPurpose("department:SASSA"), valid)).Should().Be((HttpStatusCode.BadRequest, DciReasonCodes.RequestBad));
        // Text the register cannot store or read: a NUL character, and bytes that are not UTF-8.
        (await Code(sassa, Envelope(null, Header(sender: "sassa\0mis"), Message(SearchRequest(ByUin("8001015009087")))))).Should().Be((HttpStatusCode.BadRequest, DciReasonCodes.RequestBad));
        byte[] notUtf8 = [.. """{"header": {"sender_id": "x"""u8.ToArray(), 0xFF, .. "\", \"message_id\": \"1\"}, \"message\": {}}"u8.ToArray()];
        (await Code(sassa, notUtf8)).Should().Be((HttpStatusCode.BadRequest, DciReasonCodes.RequestBad));

        var item = Item((await PostAsync(sassa, Envelope(null, Header(), Message(new { timestamp = "yesterday", search_criteria = new { } })))).Body);
        item.GetProperty("status_reason_code").GetString().Should().Be(DciReasonCodes.ReferenceIdInvalid);
        (await AccessCountAsync()).Should().Be(before);
        (await api.EventCountAsync()).Should().Be(events);
    }

    [Fact]
    public async Task Too_many_matches_are_refused_and_no_log_line_names_the_person()
    {
        var logs = new CapturedLogs();
        await using var host = api.InProduction(logs, ("Dci:MaxRecordsFound", "1"));
        var first = await PensionerAsync();
        await PensionerAsync();
        var sassa = host.ClientFor(api, "department:SASSA");
        sassa.DefaultRequestHeaders.Add("X-Purpose", RegistryApiFactory.Purpose);

        var all = SearchRequest(Criteria("predicate", new[] { new { expression1 = new { attribute_name = "programme", @operator = "eq", attribute_value = "OLDER_PERSONS_GRANT" } } }));
        var item = Item((await SearchAsync(sassa, all)).Body);
        item.GetProperty("status").GetString().Should().Be("rjct");
        item.GetProperty("status_reason_code").GetString().Should().Be(DciReasonCodes.TooManyRecordsFound);
        Records((await SearchAsync(sassa, SearchRequest(ByUin(first)))).Body).Select(Uin).Should().Equal(first);
        await PostAsync(sassa, Envelope("bad", Header(SignedSender), Message(SearchRequest(ByUin(first)))));
        await PostAsync(sassa, "{\"header\": 1"u8.ToArray());

        logs.Lines.Should().NotBeEmpty();
        logs.Lines.Should().NotContain(l => l.Text.Contains(first), "the ID number searched is personal data");
    }

    private Task<long> AccessCountAsync() => api.ScalarAsync<long>($"SELECT count(*) FROM {api.Sql.Document<AccessRecord>()}");
}
