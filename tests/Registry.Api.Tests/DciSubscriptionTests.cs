using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;
using Registry.Api.Dci;
using Registry.Domain.Notices;

namespace Registry.Api.Tests;

/// <summary>DCI registry/subscribe, registry/unsubscribe and the notify messages, on the register's own webhook subscriptions.</summary>
[Collection(ApiCollection.Name)]
public sealed class DciSubscriptionTests(RegistryApiFactory api) : IAsyncLifetime
{
    /// <summary>A sender without a configured key: its messages go unsigned.</summary>
    private const string Sender = "sassa-notify-client";

    private readonly HttpClient _caseworker = api.ClientFor("caseworker");
    private readonly HttpClient _sassa = api.ClientFor("department:SASSA");
    private readonly HttpClient _dhs = api.ClientFor("department:DHS");

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>The shared host lives on after the test and its receivers do not: every subscription made here ends.</summary>
    public async Task DisposeAsync()
    {
        foreach (var client in new[] { _sassa, _dhs })
        {
            var subscriptions = (await client.GraphQLAsync("{ webhookSubscriptions { id active } }")).Data("webhookSubscriptions").EnumerateArray();
            foreach (var id in subscriptions.Where(s => s.GetProperty("active").GetBoolean()).Select(s => s.GetProperty("id").GetString()).ToList())
                await client.GraphQLAsync("mutation($id: ID!) { unsubscribe(id: $id) { errors { code } } }", new { id });
        }
    }

    private static byte[] Header(string action, int count, string? senderUri, string sender = Sender) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        version = "1.0.0", message_id = Guid.NewGuid().ToString(), message_ts = DateTimeOffset.UtcNow.ToString("O"), action,
        sender_id = sender, sender_uri = senderUri, receiver_id = "registry", total_count = count, is_msg_encrypted = false,
    });

    private static byte[] Envelope(byte[] header, object message) =>
        [.. "{\"signature\":\"\",\"header\":"u8.ToArray(), .. header, .. ",\"message\":"u8.ToArray(), .. JsonSerializer.SerializeToUtf8Bytes(message), .. "}"u8.ToArray()];

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        var response = await client.PostAsync(path, content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static object Criteria(object? regEventType = null) =>
        new { version = "1.0.0", reg_type = DciEndpoint.RegType, reg_event_type = regEventType, notify_record_type = DciEndpoint.RecordType };

    private static Task<(HttpStatusCode Status, JsonElement Body)> SubscribeAsync(HttpClient client, string? senderUri, params object[] criteria) =>
        PostAsync(client, DciEndpoint.SubscribePath, Envelope(Header("subscribe", criteria.Length, senderUri), new
        {
            transaction_id = Guid.NewGuid().ToString("N"),
            subscribe_request = criteria.Select((c, i) => new { reference_id = $"s-{i + 1}", timestamp = DateTimeOffset.UtcNow.ToString("O"), subscribe_criteria = c }),
        }));

    private static async Task<string> SubscribedAsync(HttpClient client, string senderUri, object? regEventType = null)
    {
        var (status, body) = await SubscribeAsync(client, senderUri, Criteria(regEventType));
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        var item = body.GetProperty("message").GetProperty("subscribe_response")[0];
        item.GetProperty("status").GetString().Should().Be("succ", item.ToString());
        var subscription = item.GetProperty("subscriptions").EnumerateArray().Should().ContainSingle().Subject;
        subscription.GetProperty("status").GetString().Should().Be("subscribe");
        return subscription.GetProperty("code").GetString()!;
    }

    private static Task<(HttpStatusCode Status, JsonElement Body)> UnsubscribeAsync(HttpClient client, params string[] codes) =>
        PostAsync(client, DciEndpoint.UnsubscribePath, Envelope(Header("unsubscribe", codes.Length, null), new
        {
            transaction_id = Guid.NewGuid().ToString("N"), timestamp = DateTimeOffset.UtcNow.ToString("O"), subscription_codes = codes,
        }));

    private async Task<List<JsonElement>> SubscriptionsAsync(HttpClient client) =>
        [.. (await client.GraphQLAsync("{ webhookSubscriptions { id format active callbackUrl kinds } }")).Data("webhookSubscriptions").EnumerateArray().Select(s => s.Clone())];

    private async Task<(PublicKey Key, string KeyId, string RegistryId)> PublishedKeyAsync()
    {
        var published = JsonDocument.Parse(await api.CreateClient().GetStringAsync(DciEndpoint.KeysPath)).RootElement.GetProperty("keys")[0];
        return (PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromBase64String(published.GetProperty("public_key").GetString()!), KeyBlobFormat.RawPublicKey),
            published.GetProperty("key_id").GetString()!, published.GetProperty("registry_id").GetString()!);
    }

    /// <summary>The check a DCI receiver makes: the signature over the header's and message's bytes as they came, by the published key, now.</summary>
    private static bool SignatureHolds(JsonElement envelope, PublicKey key, string keyId)
    {
        if (DciSignature.TryParse(envelope.GetProperty("signature").GetString()!) is not { } signature || signature.KeyId != keyId) return false;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return signature.Created <= now + 60 && signature.Expires >= now - 60
            && SignatureAlgorithm.Ed25519.Verify(key, DciSignature.SigningString(signature.Created, signature.Expires,
                JsonMarshal.GetRawUtf8Value(envelope.GetProperty("header")), JsonMarshal.GetRawUtf8Value(envelope.GetProperty("message"))), signature.Value);
    }

    private static IEnumerable<JsonElement> Envelopes(WebhookReceiver receiver) =>
        receiver.Accepted.Select(d => JsonDocument.Parse(Encoding.UTF8.GetBytes(d.Body)).RootElement.Clone());

    private static IEnumerable<JsonElement> EventsAbout(WebhookReceiver receiver, string idNumber) =>
        Envelopes(receiver).SelectMany(e => e.GetProperty("message").GetProperty("notify_event").EnumerateArray())
            .Where(e => e.GetProperty("data").GetProperty("reg_records")[0].TryGetProperty("identifier", out var id) && id[0].GetProperty("identifier_value").GetString() == idNumber);

    private async Task<string> GrantedPensionerAsync()
    {
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1951, 8, 8));
        (await _caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput", new { programme = "OLDER_PERSONS_GRANT", beneficiaryIdNumber = pensioner },
            "entitlement { status } errors { code }")).GetProperty("entitlement").GetProperty("status").GetString().Should().Be("ACTIVE");
        return pensioner;
    }

    [Fact]
    public async Task A_DCI_subscriber_is_notified_of_a_grant_and_a_death_by_UIN_signed_with_the_registers_key_until_it_unsubscribes()
    {
        using var receiver = new WebhookReceiver();
        var (key, keyId, registryId) = await PublishedKeyAsync();
        var (status, answer) = await SubscribeAsync(_sassa, receiver.Url, Criteria());
        status.Should().Be(HttpStatusCode.OK);
        answer.GetProperty("header").GetProperty("action").GetString().Should().Be("on-subscribe");
        answer.GetProperty("header").GetProperty("receiver_id").GetString().Should().Be(Sender);
        SignatureHolds(answer, key, keyId).Should().BeTrue("the on-subscribe answer is signed as a search answer is");
        var code = answer.GetProperty("message").GetProperty("subscribe_response")[0].GetProperty("subscriptions")[0].GetProperty("code").GetString()!;

        // The subscription is the department's webhook subscription, in DCI format, hearing every kind a department's feed holds.
        var mine = (await SubscriptionsAsync(_sassa)).Should().ContainSingle(s => s.GetProperty("id").GetString() == code).Subject;
        mine.GetProperty("format").GetString().Should().Be("DCI");
        mine.GetProperty("active").GetBoolean().Should().BeTrue();
        mine.GetProperty("callbackUrl").GetString().Should().Be(receiver.Url);
        mine.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()).Should()
            .BeEquivalentTo("ELIGIBILITY_CHANGED", "ENTITLEMENT_STATUS_CHANGED", "BENEFICIARY_DIED", "PARAMETERS_PUBLISHED");

        var pensioner = await GrantedPensionerAsync();
        (await api.WithItsMessagesAsync(() => _caseworker.MutateAsync("recordDeath", "RecordDeathInput",
            new { idNumber = pensioner, dateOfDeath = "2026-03-02", reason = "death certificate" }))).ErrorCodes().Should().BeEmpty();
        await receiver.WaitUntilAsync(r => EventsAbout(r, pensioner).Any(e => e.GetProperty("data").GetProperty("reg_event_type").GetString() == "BENEFICIARY_DIED"),
            "the death's notify event");

        var events = EventsAbout(receiver, pensioner).ToList();
        events.Select(e => e.GetProperty("data").GetProperty("reg_event_type").GetString()).Should().StartWith(["ENTITLEMENT_STATUS_CHANGED", "BENEFICIARY_DIED"]);
        var died = events.First(e => e.GetProperty("data").GetProperty("reg_event_type").GetString() == "BENEFICIARY_DIED");
        var record = died.GetProperty("data").GetProperty("reg_records")[0];
        record.GetProperty("identifier")[0].GetProperty("identifier_type").GetString().Should().Be("UIN");
        record.GetProperty("notice").GetProperty("subjectIdNumber").GetString().Should().Be(pensioner);
        died.GetProperty("reference_id").GetString().Should().Be(record.GetProperty("notice").GetProperty("id").GetString());
        died.GetProperty("data").GetProperty("reg_type").GetString().Should().Be(DciEndpoint.RegType);

        receiver.Accepted.Should().OnlyContain(d => d.Signature == null, "a DCI subscriber checks the Ed25519 signature; it never saw a webhook secret");
        foreach (var envelope in Envelopes(receiver))
        {
            SignatureHolds(envelope, key, keyId).Should().BeTrue("every notify message is signed with the key at /.well-known/registry-keys");
            var header = envelope.GetProperty("header");
            header.GetProperty("action").GetString().Should().Be("notify");
            header.GetProperty("sender_id").GetString().Should().Be(registryId);
            header.GetProperty("receiver_id").GetString().Should().Be(Sender);
            header.GetProperty("is_msg_encrypted").GetBoolean().Should().BeFalse();
            header.GetProperty("total_count").GetInt32().Should().Be(envelope.GetProperty("message").GetProperty("notify_event").GetArrayLength());
            envelope.GetProperty("message").GetProperty("transaction_id").GetString().Should().Be(code);
        }
        var altered = Envelopes(receiver).First(e => e.GetRawText().Contains(pensioner)).GetRawText().Replace(pensioner, RegistryApiFactory.NewIdNumber(new DateOnly(1951, 8, 8)).Value);
        SignatureHolds(JsonDocument.Parse(altered).RootElement, key, keyId).Should().BeFalse("a changed message does not verify");

        // Unsubscribed, nothing more comes, and GraphQL shows the subscription ended.
        var (_, ended) = await UnsubscribeAsync(_sassa, code);
        ended.GetProperty("header").GetProperty("action").GetString().Should().Be("on-unsubscribe");
        SignatureHolds(ended, key, keyId).Should().BeTrue();
        ended.GetProperty("message").GetProperty("status").GetString().Should().Be("succ", ended.ToString());
        ended.GetProperty("message").GetProperty("subscription_status")[0].GetProperty("status").GetString().Should().Be("unsubscribe");
        (await SubscriptionsAsync(_sassa)).Single(s => s.GetProperty("id").GetString() == code).GetProperty("active").GetBoolean().Should().BeFalse();
        var count = receiver.Received.Count;
        var later = await api.WithItsMessagesAsync(GrantedPensionerAsync);
        await Task.Delay(1500);
        receiver.Received.Skip(count).Should().BeEmpty("an ended subscription is told nothing more");
        EventsAbout(receiver, later).Should().BeEmpty();
    }

    [Fact]
    public async Task A_callback_off_the_allow_list_or_criteria_the_register_cannot_honour_are_refused_and_nothing_is_stored()
    {
        var events = await api.EventCountAsync();
        var before = (await SubscriptionsAsync(_sassa)).Count;
        foreach (var uri in new[] { "https://hooks.example.com/dci/notify", "http://169.254.169.254/latest", "not a uri", null })
        {
            var (status, body) = await SubscribeAsync(_sassa, uri, Criteria());
            status.Should().Be(HttpStatusCode.BadRequest, uri);
            body.GetProperty("errors")[0].GetProperty("code").GetString().Should().Be(DciReasonCodes.SenderUriInvalid, uri);
        }

        using var receiver = new WebhookReceiver();
        var (_, answer) = await SubscribeAsync(_sassa, receiver.Url,
            Criteria("BIRTH_REGISTERED"), Criteria("HOUSEHOLD_CHANGED"),
            new { reg_event_type = "BENEFICIARY_DIED", frequency = new { start_time = "2026-01-01T00:00:00Z", end_time = "2027-01-01T00:00:00Z", frequency = "0 0 0 5 * ? *" } },
            new { reg_event_type = "BENEFICIARY_DIED", filter = new { type = "UIN", value = "x" } },
            new { reg_event_type = "BENEFICIARY_DIED", notify_record_type = "spdci-extensions-dci:Household" });
        answer.GetProperty("message").GetProperty("subscribe_response").EnumerateArray().Select(i => i.GetProperty("status_reason_code").GetString())
            .Should().Equal(DciReasonCodes.NotifyTypesInvalid, DciReasonCodes.NotifyTypesInvalid, DciReasonCodes.NotifyDetailsInvalid,
                DciReasonCodes.NotifyDetailsInvalid, DciReasonCodes.NotifyDetailsInvalid);

        // A subscriber's search token without a purpose subscribes no one.
        (await SubscribeAsync(api.ClientWithoutPurpose("department:SASSA"), receiver.Url, Criteria())).Status.Should().Be(HttpStatusCode.BadRequest);
        (await SubscribeAsync(api.ClientFor("caseworker"), receiver.Url, Criteria())).Status.Should().Be(HttpStatusCode.Forbidden);
        // A sender with a configured key must sign its subscribe message, as its searches.
        var unsigned = await PostAsync(_sassa, DciEndpoint.SubscribePath, Envelope(Header("subscribe", 1, receiver.Url, DciTests.SignedSender), new
        {
            transaction_id = "t-1", subscribe_request = new[] { new { reference_id = "s-1", timestamp = DateTimeOffset.UtcNow.ToString("O"), subscribe_criteria = Criteria() } },
        }));
        unsigned.Status.Should().Be(HttpStatusCode.Unauthorized);
        unsigned.Body.GetProperty("errors")[0].GetProperty("code").GetString().Should().Be(DciReasonCodes.SignatureMissing);

        (await api.EventCountAsync()).Should().Be(events);
        (await SubscriptionsAsync(_sassa)).Should().HaveCount(before);
    }

    [Fact]
    public async Task Another_department_cannot_unsubscribe_a_subscription_and_a_department_ends_only_its_own_once()
    {
        using var receiver = new WebhookReceiver();
        var code = await SubscribedAsync(_sassa, receiver.Url, "BENEFICIARY_DIED");
        var (_, again) = await SubscribeAsync(_sassa, receiver.Url, Criteria("BENEFICIARY_DIED"));
        again.GetProperty("message").GetProperty("subscribe_response")[0].GetProperty("status_reason_code").GetString().Should().Be(DciReasonCodes.EventAlreadySubscribed);
        var events = await api.EventCountAsync();

        foreach (var codes in new[] { new[] { code }, [Guid.NewGuid().ToString()], ["not-a-code"] })
        {
            var (status, refused) = await UnsubscribeAsync(_dhs, codes);
            status.Should().Be(HttpStatusCode.OK);
            refused.GetProperty("message").GetProperty("status").GetString().Should().Be("rjct");
            refused.GetProperty("message").GetProperty("status_reason_code").GetString().Should().Be(DciReasonCodes.SubscriptionCodeInvalid,
                "another department's code is answered as no code, so its existence is not told");
        }
        // One bad code among good ones: nothing is ended.
        (await UnsubscribeAsync(_sassa, code, Guid.NewGuid().ToString())).Body.GetProperty("message").GetProperty("status_reason_code").GetString()
            .Should().Be(DciReasonCodes.SubscriptionCodeInvalid);
        (await api.EventCountAsync()).Should().Be(events);
        (await SubscriptionsAsync(_sassa)).Single(s => s.GetProperty("id").GetString() == code).GetProperty("active").GetBoolean().Should().BeTrue();

        (await UnsubscribeAsync(_sassa, code)).Body.GetProperty("message").GetProperty("status").GetString().Should().Be("succ");
        (await UnsubscribeAsync(_sassa, code)).Body.GetProperty("message").GetProperty("status_reason_code").GetString().Should().Be(DciReasonCodes.EventAlreadyUnsubscribed);
        (await SubscriptionsAsync(_sassa)).Single(s => s.GetProperty("id").GetString() == code).GetProperty("active").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task A_failed_notify_is_retried_through_the_same_delivery_and_each_attempt_is_signed_afresh()
    {
        using var receiver = new WebhookReceiver(n => n <= 3 ? 503 : 200);
        var (key, keyId, _) = await PublishedKeyAsync();
        var code = await SubscribedAsync(_sassa, receiver.Url, new[] { "ENTITLEMENT_STATUS_CHANGED" });
        var pensioner = await GrantedPensionerAsync();
        await receiver.WaitUntilAsync(r => EventsAbout(r, pensioner).Any(), "the grant's notify event after three refusals");

        receiver.Received.Take(3).Should().OnlyContain(d => d.Answered == 503);
        var all = receiver.Received.Select(d => JsonDocument.Parse(Encoding.UTF8.GetBytes(d.Body)).RootElement.Clone()).ToList();
        all.Should().OnlyContain(e => SignatureHolds(e, key, keyId));
        all.Select(e => e.GetProperty("header").GetProperty("message_id").GetString()).Should().OnlyHaveUniqueItems("each attempt is a new message");
        all.Take(4).Select(e => e.GetProperty("message").GetProperty("notify_event")[0].GetProperty("reference_id").GetString()).Distinct()
            .Should().ContainSingle("the three refused attempts and the fourth carry the same first notice, by its id");
        var delivery = (await _sassa.GraphQLAsync("query($id: ID!) { webhookSubscription(id: $id) { deliveries { edges { node { status attempts } } } } }", new { id = code }))
            .Data("webhookSubscription").GetProperty("deliveries").GetProperty("edges")[0].GetProperty("node");
        delivery.GetProperty("status").GetString().Should().Be("DELIVERED");
        delivery.GetProperty("attempts").GetInt32().Should().Be(4);
    }

    [Fact]
    public void A_subscription_event_stored_before_the_format_marker_reads_as_the_registers_own_format()
    {
        var serializer = api.Services.GetRequiredService<IDocumentStore>().Options.Serializer();
        var dci = new WebhookSubscribed(Guid.NewGuid(), "SASSA", "http://127.0.0.1:1/hooks/registry", [NoticeKind.BeneficiaryDied], null, "sealed", "k", 0, "test",
            DateTimeOffset.UtcNow, NoticeFormat.Dci, Sender);
        var old = System.Text.Json.Nodes.JsonNode.Parse(serializer.ToJson(dci))!.AsObject();
        foreach (var name in old.Select(p => p.Key).Where(k => k.Equals("format", StringComparison.OrdinalIgnoreCase) || k.Equals("receiverId", StringComparison.OrdinalIgnoreCase)).ToList())
            old.Remove(name);
        old.Count.Should().Be(10, "only the two new fields are left out");

        var read = serializer.FromJson<WebhookSubscribed>(new MemoryStream(Encoding.UTF8.GetBytes(old.ToJsonString())));
        read.Format.Should().Be(NoticeFormat.Registry);
        read.ReceiverId.Should().BeNull();
        WebhookSubscription.Evolve(null, read)!.Format.Should().Be(NoticeFormat.Registry);
        serializer.FromJson<WebhookSubscribed>(new MemoryStream(Encoding.UTF8.GetBytes(serializer.ToJson(dci)))).Should().BeEquivalentTo(dci);
    }
}
