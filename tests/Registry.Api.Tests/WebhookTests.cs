using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Registry.Api.Notices;
using Registry.Domain.Notices;
using Registry.Projections.Privacy;

namespace Registry.Api.Tests;

/// <summary>A department subscribes to its notices and is told of them at its callback, signed, in order, without loss.</summary>
[Collection(ApiCollection.Name)]
public sealed class WebhookTests(RegistryApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");
    private readonly HttpClient _sassa = api.ClientFor("department:SASSA");

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>A test's receivers are gone when it ends: its subscriptions end too, so no later test's notices are retried at them.</summary>
    public async Task DisposeAsync()
    {
        var subscriptions = (await _sassa.GraphQLAsync("{ webhookSubscriptions { id active } }")).Data("webhookSubscriptions").EnumerateArray();
        foreach (var id in subscriptions.Where(s => s.GetProperty("active").GetBoolean()).Select(s => s.GetProperty("id").GetString()).ToList())
            await _sassa.GraphQLAsync("mutation($id: ID!) { unsubscribe(id: $id) { errors { code } } }", new { id });
    }

    private const string NoticeFields =
        "id position kind occurredAt recordedAt programme subjectIdNumber householdId before { eligible monthlyAmount status } after { eligible monthlyAmount status } changedCriteria correlationId";

    private const string AllKinds = "[\"ELIGIBILITY_CHANGED\", \"ENTITLEMENT_STATUS_CHANGED\", \"BENEFICIARY_DIED\"]";

    private static async Task<JsonElement> SubscribeAsync(HttpClient client, string callbackUrl, string[]? kinds = null, string? description = null) =>
        (await client.GraphQLAsync("mutation($input: SubscribeInput!) { subscribe(input: $input) { subscription { id callbackUrl kinds active } secret errors { code field message } } }",
            new { input = new { callbackUrl, kinds = kinds ?? ["ELIGIBILITY_CHANGED", "ENTITLEMENT_STATUS_CHANGED", "BENEFICIARY_DIED"], description } })).Data("subscribe");

    private static async Task<(string Id, string Secret)> SubscribedAsync(HttpClient client, string callbackUrl)
    {
        var payload = await SubscribeAsync(client, callbackUrl);
        payload.ErrorCodes().Should().BeEmpty();
        return (payload.GetProperty("subscription").GetProperty("id").GetString()!, payload.GetProperty("secret").GetString()!);
    }

    private async Task<string> GrantedPensionerAsync()
    {
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1950, 7, 7));
        (await _caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput", new { programme = "OLDER_PERSONS_GRANT", beneficiaryIdNumber = pensioner },
            "entitlement { status } errors { code }")).GetProperty("entitlement").GetProperty("status").GetString().Should().Be("ACTIVE");
        return pensioner;
    }

    private static IEnumerable<JsonElement> NoticesOf(ReceivedDelivery delivery) =>
        JsonDocument.Parse(delivery.Body).RootElement.GetProperty("notices").EnumerateArray().Select(n => n.Clone());

    private static IEnumerable<JsonElement> NoticesAbout(IEnumerable<ReceivedDelivery> deliveries, string idNumber) =>
        deliveries.SelectMany(NoticesOf).Where(n => n.GetProperty("subjectIdNumber").GetString() == idNumber);

    /// <summary>The check a receiver makes: the HMAC of "t.body" under the secret, and a timestamp of the last five minutes.</summary>
    private static bool SignatureHolds(ReceivedDelivery delivery, string secret)
    {
        var parts = delivery.Signature!.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var t = long.Parse(parts["t"], System.Globalization.CultureInfo.InvariantCulture);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{delivery.Body}")));
        return Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - t) < 300
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts["v1"]));
    }

    private async Task<List<JsonElement>> DeliveriesAsync(string subscriptionId) =>
        [.. (await _sassa.GraphQLAsync($"query($id: ID!) {{ webhookSubscription(id: $id) {{ deliveries(first: 100) {{ edges {{ node {{ status attempts lastError notice {{ id subjectIdNumber }} }} }} }} }} }}",
            new { id = subscriptionId })).Data("webhookSubscription").GetProperty("deliveries").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").Clone())];

    [Fact]
    public async Task SASSA_is_told_at_its_callback_when_a_beneficiary_dies_signed_and_as_changes_shows_it()
    {
        using var receiver = new WebhookReceiver();
        var (id, secret) = await SubscribedAsync(_sassa, receiver.Url);
        secret.Should().StartWith("whsec_");
        var pensioner = await GrantedPensionerAsync();
        (await api.WithItsMessagesAsync(() => _caseworker.MutateAsync("recordDeath", "RecordDeathInput",
            new { idNumber = pensioner, dateOfDeath = "2026-03-01", reason = "death certificate" }))).ErrorCodes().Should().BeEmpty();

        await receiver.WaitUntilAsync(r => NoticesAbout(r.Accepted, pensioner).Count() >= 4, "the grant, the death, the re-assessment and the grant's end");
        var pushed = NoticesAbout(receiver.Accepted, pensioner).ToList();
        pushed.Select(n => n.GetProperty("kind").GetString())
            .Should().Equal("ENTITLEMENT_STATUS_CHANGED", "BENEFICIARY_DIED", "ELIGIBILITY_CHANGED", "ENTITLEMENT_STATUS_CHANGED");
        receiver.Accepted.Should().OnlyContain(d => SignatureHolds(d, secret), "every batch is signed with the subscription's secret");
        receiver.Received.Should().NotContain(d => SignatureHolds(d, "whsec_another"), "a signature under another secret does not hold");

        // Each notice as `changes` shows it to SASSA, and the batch's cursor resumes `changes` after it.
        var lastBatch = receiver.Accepted.Last(d => NoticesAbout([d], pensioner).Any());
        var cursor = JsonDocument.Parse(lastBatch.Body).RootElement.GetProperty("cursor").GetString();
        var fromFeed = (await _sassa.GraphQLAsync($"{{ changes(first: 1000) {{ edges {{ node {{ {NoticeFields} }} }} }} }}"))
            .Data("changes").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToDictionary(n => n.GetProperty("id").GetString()!, n => n.GetRawText());
        pushed.Should().OnlyContain(n => fromFeed[n.GetProperty("id").GetString()!] == n.GetRawText());
        var after = (await _sassa.GraphQLAsync("query($after: String) { changes(after: $after) { edges { node { subjectIdNumber } } } }", new { after = cursor }))
            .Data("changes").GetProperty("edges").EnumerateArray();
        after.Should().NotContain(e => e.GetProperty("node").GetProperty("subjectIdNumber").GetString() == pensioner, "the cursor is after every pushed notice");

        var deliveries = (await DeliveriesAsync(id)).Where(d => d.GetProperty("notice").GetProperty("subjectIdNumber").GetString() == pensioner).ToList();
        deliveries.Should().HaveCount(4).And.OnlyContain(d => d.GetProperty("status").GetString() == "DELIVERED" && d.GetProperty("attempts").GetInt32() == 1);

        // Pushing a notice that names a person is a read of that person, logged with its purpose.
        var log = (await api.ClientFor("auditor").GraphQLAsync("query($id: String!) { audit { accessLog(idNumber: $id, first: 100) { edges { node { department purpose operation } } } } }",
            new { id = pensioner })).Data("audit").GetProperty("accessLog").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToList();
        log.Should().Contain(n => n.GetProperty("purpose").GetString() == WebhookPoster.Purpose && n.GetProperty("department").GetString() == "SASSA"
            && n.GetProperty("operation").GetString() == "changes");

        var unsubscribed = (await _sassa.GraphQLAsync("mutation($id: ID!) { unsubscribe(id: $id) { subscription { active } errors { code } } }", new { id })).Data("unsubscribe");
        unsubscribed.GetProperty("subscription").GetProperty("active").GetBoolean().Should().BeFalse();
        (await _sassa.GraphQLAsync("mutation($id: ID!) { unsubscribe(id: $id) { errors { code } } }", new { id })).Data("unsubscribe").ErrorCodes().Should().Equal("NO_CHANGE");
    }

    [Fact]
    public async Task A_receiver_that_fails_ten_times_then_answers_gets_every_notice_once_after_deduplication()
    {
        using var receiver = new WebhookReceiver(n => n <= 10 ? 500 : 200);
        var (id, _) = await SubscribedAsync(_sassa, receiver.Url);
        var pensioners = new List<string>();
        for (var i = 0; i < 3; i++) pensioners.Add(await GrantedPensionerAsync());

        await receiver.WaitUntilAsync(r => pensioners.All(p => NoticesAbout(r.Accepted, p).Any()), "every grant, after the failures");
        receiver.Received.Count(r => r.Answered == 500).Should().Be(10);
        var accepted = receiver.Accepted.SelectMany(NoticesOf).ToList();
        foreach (var pensioner in pensioners)
            accepted.Where(n => n.GetProperty("subjectIdNumber").GetString() == pensioner).Select(n => n.GetProperty("id").GetString()).Distinct()
                .Should().ContainSingle("one grant, one notice, however often it was tried");
        // Retried batches hold the same notices under the same ids: the receiver keeps the first copy of each.
        var failedIds = receiver.Received.Where(r => r.Answered == 500).SelectMany(NoticesOf).Select(n => n.GetProperty("id").GetString()).ToHashSet();
        failedIds.Should().BeSubsetOf(accepted.Select(n => n.GetProperty("id").GetString()!));

        var deliveries = await DeliveriesAsync(id);
        deliveries.Should().OnlyContain(d => d.GetProperty("status").GetString() == "DELIVERED");
        deliveries.Max(d => d.GetProperty("attempts").GetInt32()).Should().Be(11, "the first batch took ten failures and one success");
    }

    [Fact]
    public async Task A_receiver_that_never_answers_ends_dead_lettered_while_another_subscriber_is_served()
    {
        using var silent = new WebhookReceiver(_ => null);
        using var healthy = new WebhookReceiver();
        var (silentId, _) = await SubscribedAsync(_sassa, silent.Url);
        await SubscribedAsync(_sassa, healthy.Url);
        var pensioner = await GrantedPensionerAsync();

        await healthy.WaitUntilAsync(r => NoticesAbout(r.Accepted, pensioner).Any(), "the grant, while the silent receiver is still being retried");
        (await DeliveriesAsync(silentId)).Should().NotContain(d => d.GetProperty("status").GetString() == "DEAD_LETTERED",
            "the healthy subscriber was told before the silent one ran out of attempts");

        var until = DateTime.UtcNow.AddSeconds(60);
        List<JsonElement> deliveries;
        while ((deliveries = await DeliveriesAsync(silentId)).Count == 0 || deliveries.Any(d => d.GetProperty("status").GetString() != "DEAD_LETTERED"))
        {
            DateTime.UtcNow.Should().BeBefore(until, "twelve attempts of half a second and their pauses take seconds");
            await Task.Delay(200);
        }
        deliveries.Should().OnlyContain(d => d.GetProperty("attempts").GetInt32() == 12 && d.GetProperty("lastError").GetString() == "no answer within 0.5 s");

        // After the dead letter, the next notice is tried again: the subscription is not given up.
        var next = await GrantedPensionerAsync();
        var later = DateTime.UtcNow.AddSeconds(30);
        while (!(await DeliveriesAsync(silentId)).Any(d => d.GetProperty("notice").GetProperty("subjectIdNumber").GetString() == next))
        {
            DateTime.UtcNow.Should().BeBefore(later);
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_callback_off_the_allow_list_or_malformed_is_refused_and_nothing_is_stored()
    {
        var before = await api.ScalarAsync<long>($"select count(*) from {api.Sql.Schema}.mt_doc_webhooksubscription");
        var events = await api.EventCountAsync();
        foreach (var url in new[] { "https://hooks.example.org/registry", "not a url", "ftp://127.0.0.1/hooks", "http://user:pw@127.0.0.1/hooks",
                     "http://10.0.0.1/hooks", "http://169.254.169.254/latest/meta-data", "/hooks/relative" })
        {
            var refused = await SubscribeAsync(_sassa, url);
            refused.ErrorCodes().Should().Equal(["INVALID_INPUT"], url);
            refused.GetProperty("secret").ValueKind.Should().Be(JsonValueKind.Null, "no secret for a subscription that was not made");
            refused.GetProperty("subscription").ValueKind.Should().Be(JsonValueKind.Null);
        }
        (await SubscribeAsync(_sassa, "http://127.0.0.1:9/hooks", kinds: [])).ErrorCodes().Should().Equal("INVALID_INPUT");
        (await SubscribeAsync(_sassa, "http://127.0.0.1:9/hooks", description: new string('x', 201))).ErrorCodes().Should().Equal("INVALID_INPUT");
        (await api.ScalarAsync<long>($"select count(*) from {api.Sql.Schema}.mt_doc_webhooksubscription")).Should().Be(before);
        (await api.EventCountAsync()).Should().Be(events);

        var caseworker = await _caseworker.GraphQLAsync("mutation { subscribe(input: { callbackUrl: \"http://127.0.0.1:9/hooks\", kinds: [BENEFICIARY_DIED] }) { secret } }");
        caseworker.TransportErrorCodes().Should().Contain("FORBIDDEN");
        var twoDepartments = api.ClientFor("department:SASSA", "department:DHS");
        (await twoDepartments.GraphQLAsync("mutation { subscribe(input: { callbackUrl: \"http://127.0.0.1:9/hooks\", kinds: [BENEFICIARY_DIED] }) { secret } }"))
            .TransportErrorCodes().Should().Contain("FORBIDDEN");
    }

    [Fact]
    public async Task In_production_a_callback_must_be_https_even_to_a_listed_host()
    {
        await using var production = api.InProduction();
        var sassa = production.ClientFor(api, "department:SASSA");
        var plain = await SubscribeAsync(sassa, "http://127.0.0.1:9/hooks/production");
        plain.ErrorCodes().Should().Equal("INVALID_INPUT");
        plain.GetProperty("errors")[0].GetProperty("message").GetString().Should().Contain("https");
        (await SubscribeAsync(sassa, "https://127.0.0.1:9/hooks/production")).ErrorCodes().Should().BeEmpty();
    }

    [Fact]
    public async Task Another_department_cannot_see_or_end_a_subscription_and_the_secret_is_stored_only_sealed()
    {
        var (id, secret) = await SubscribedAsync(_sassa, "http://127.0.0.1:9/hooks/sealed");
        var dhs = api.ClientFor("department:DHS");
        (await dhs.GraphQLAsync("query($id: ID!) { webhookSubscription(id: $id) { id } }", new { id })).Data("webhookSubscription").ValueKind.Should().Be(JsonValueKind.Null);
        (await dhs.GraphQLAsync("{ webhookSubscriptions { id } }")).Data("webhookSubscriptions").EnumerateArray().Should().NotContain(s => s.GetProperty("id").GetString() == id);
        (await dhs.GraphQLAsync("mutation($id: ID!) { unsubscribe(id: $id) { errors { code } } }", new { id })).Data("unsubscribe").ErrorCodes().Should().Equal("NOT_FOUND");
        (await _sassa.GraphQLAsync("{ webhookSubscriptions { id active } }")).Data("webhookSubscriptions").EnumerateArray()
            .Should().Contain(s => s.GetProperty("id").GetString() == id && s.GetProperty("active").GetBoolean());

        (await api.ScalarAsync<long>($"select count(*) from {api.Sql.Events} where data::text like '%' || $1 || '%'", secret)).Should().Be(0);
        (await api.ScalarAsync<long>($"select count(*) from {api.Sql.Schema}.mt_doc_webhooksubscription where data::text like '%' || $1 || '%'", secret)).Should().Be(0);
    }

    [Fact]
    public async Task A_listed_name_that_resolves_inside_the_network_is_not_connected_to()
    {
        using var receiver = new WebhookReceiver();
        // "localhost" is listed as a name, but the loopback address it resolves to is not.
        var settings = new WebhookSettings { Policy = new CallbackPolicy(["localhost"], requireHttps: false), Timeout = TimeSpan.FromSeconds(2) };
        var keys = api.Services.GetRequiredService<MasterKeys>();
        var subscriptionId = Guid.NewGuid();
        var (sealedSecret, keyId) = WebhookSecret.SealFor(keys, subscriptionId, WebhookSecret.Create());
        var subscription = new WebhookSubscription(subscriptionId, "SASSA", $"http://localhost:{receiver.Port}/hooks/registry", [NoticeKind.BeneficiaryDied], null,
            sealedSecret, keyId, 0, "test", DateTimeOffset.UtcNow);
        settings.Policy.Check(subscription.CallbackUrl).Should().BeNull("the name is on the list");
        using var poster = new WebhookPoster(settings, api.Services.GetRequiredService<IServiceScopeFactory>(), keys,
            api.Services.GetRequiredService<global::GraphQL.IGraphQLTextSerializer>(), TimeProvider.System, api.Services.GetRequiredService<Registry.Api.Dci.RegisterSigningKey>());

        var failure = await poster.PostAsync(subscription, new NoticeBatch([], null), CancellationToken.None);
        failure.Should().Be("the callback's address is not allowed");
        receiver.Received.Should().BeEmpty();
    }
}
