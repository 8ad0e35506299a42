using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Registry.Api.Tests;

/// <summary>Webhooks from the service run as its own process: killed mid-delivery, and told to the README's own consumer.</summary>
[Collection(ApiCollection.Name)]
public sealed partial class WebhookProcessTests(RegistryApiFactory api)
{
    /// <summary>Outside Production (plain http to the listed 127.0.0.1), with quick retries.</summary>
    private static Dictionary<string, string> Settings(int batchSize = 100) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["Webhooks__AllowedHosts"] = "127.0.0.1",
        ["Webhooks__FirstRetryMilliseconds"] = "100",
        ["Webhooks__LongestRetryMilliseconds"] = "500",
        ["Webhooks__TimeoutMilliseconds"] = "3000",
        ["Webhooks__PollMilliseconds"] = "100",
        ["Webhooks__MaxAttempts"] = "100",
        ["Webhooks__BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Wolverine__ScheduledJobPollingMilliseconds"] = "100",
    };

    private async Task GrantAsync(HttpClient caseworker, string idNumber) =>
        (await caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput", new { programme = "OLDER_PERSONS_GRANT", beneficiaryIdNumber = idNumber },
            "entitlement { status } errors { code }")).GetProperty("entitlement").GetProperty("status").GetString().Should().Be("ACTIVE");

    private static HashSet<string> AcceptedIds(WebhookReceiver receiver) =>
        [.. receiver.Accepted.SelectMany(d => JsonDocument.Parse(d.Body).RootElement.GetProperty("notices").EnumerateArray()).Select(n => n.GetProperty("id").GetString()!)];

    [Fact]
    public async Task A_kill_9_during_delivery_loses_no_notice()
    {
        await api.OnOwnDatabaseAsync("webhook_kill", async connection =>
        {
            // Batches of two, each answered after a second: the delivery is still going when the service dies.
            using var receiver = new WebhookReceiver(answerAfter: TimeSpan.FromSeconds(1));
            var first = await ApiProcess.StartAsync(connection, Settings(batchSize: 2));
            var sassa = first.ClientFor(api.Token("department:SASSA"));
            var subscribed = (await sassa.GraphQLAsync("mutation($url: String!) { subscribe(input: { callbackUrl: $url, kinds: [ENTITLEMENT_STATUS_CHANGED] }) { subscription { id startCursor } errors { code } } }",
                new { url = receiver.Url })).Data("subscribe");
            subscribed.ErrorCodes().Should().BeEmpty();
            var caseworker = first.ClientFor(api.Token("caseworker"));
            for (var i = 0; i < 16; i++) await GrantAsync(caseworker, await caseworker.RegisterAsync(new DateOnly(1945 + i, 2, 2)));

            await receiver.WaitUntilAsync(r => AcceptedIds(r).Count >= 4, "two batches before the kill");
            first.Kill();
            AcceptedIds(receiver).Should().HaveCountLessThan(16, "the kill came in the middle of the delivery");

            using var second = await ApiProcess.StartAsync(connection, Settings(batchSize: 2));
            var feed = (await second.ClientFor(api.Token("department:SASSA")).GraphQLAsync("query($after: String) { changes(after: $after, first: 1000, kinds: [ENTITLEMENT_STATUS_CHANGED]) { edges { node { id } } } }",
                new { after = subscribed.GetProperty("subscription").GetProperty("startCursor").GetString() })).Data("changes").GetProperty("edges")
                .EnumerateArray().Select(e => e.GetProperty("node").GetProperty("id").GetString()!).ToHashSet();
            // Only the kind subscribed to: a fresh register's first parameter sets are in SASSA's feed too.
            feed.Should().HaveCount(16, "one notice per grant");
            await receiver.WaitUntilAsync(r => AcceptedIds(r).IsSupersetOf(feed), "every notice, after the restart", seconds: 120);
            AcceptedIds(receiver).Should().BeEquivalentTo(feed, "nothing lost, nothing that is not in the feed");
        });
    }

    /// <summary>A node process's lines, as they come.</summary>
    private sealed class NodeScript : IDisposable
    {
        private readonly Process _process;

        public NodeScript(string script, IReadOnlyDictionary<string, string> environment)
        {
            var start = new ProcessStartInfo("node", [script]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(script)! };
            foreach (var (key, value) in environment) start.Environment[key] = value;
            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, e) => { if (e.Data is { } line) Output.Enqueue(line); };
            _process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Errors.Enqueue(line); };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public ConcurrentQueue<string> Output { get; } = new();
        public ConcurrentQueue<string> Errors { get; } = new();

        public List<JsonElement> Notices => [.. Output.Select(l => JsonDocument.Parse(l).RootElement.Clone())];

        public async Task WaitForAsync(Func<NodeScript, bool> done, string because)
        {
            for (var waited = Stopwatch.StartNew(); !done(this); await Task.Delay(100))
                if (waited.Elapsed > TimeSpan.FromSeconds(60) || _process.HasExited)
                    throw new TimeoutException($"The consumer did not {because}; it wrote: {string.Join(" | ", Errors)}");
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            _process.Dispose();
        }
    }

    [GeneratedRegex(@"```js\n(// SASSA's consumer.*?)```", RegexOptions.Singleline)]
    private static partial Regex ConsumerInReadme();

    [Fact]
    public async Task The_README_consumer_is_told_of_a_death_verifies_the_signature_and_resumes_from_its_cursor()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(ApiProcess.Service().Project)!, "README.md"));
        var script = ConsumerInReadme().Match(readme);
        script.Success.Should().BeTrue("the README shows SASSA's consumer");
        var folder = Directory.CreateTempSubdirectory("sassa-consumer-").FullName;
        var file = Path.Combine(folder, "sassa-consumer.mjs");
        await File.WriteAllTextAsync(file, script.Groups[1].Value);

        await api.OnOwnDatabaseAsync("webhook_consumer", async connection =>
        {
            using var registry = await ApiProcess.StartAsync(connection, Settings());
            var environment = new Dictionary<string, string>
            {
                ["REGISTRY"] = registry.Address.ToString().TrimEnd('/'),
                ["TOKEN"] = api.Token("department:SASSA"),
                ["PORT"] = WebhookReceiver.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["STATE"] = Path.Combine(folder, "state.json"),
            };
            var caseworker = registry.ClientFor(api.Token("caseworker"));
            var pensioner = await caseworker.RegisterAsync(new DateOnly(1948, 8, 8));
            bool Told(NodeScript c, string kind) => c.Notices.Any(n => n.GetProperty("subjectIdNumber").GetString() == pensioner && n.GetProperty("kind").GetString() == kind);

            var firstRun = new NodeScript(file, environment);
            List<JsonElement> before;
            try
            {
                await firstRun.WaitForAsync(c => c.Errors.Any(l => l.StartsWith("listening", StringComparison.Ordinal)), "start and subscribe");
                await GrantAsync(caseworker, pensioner);
                await firstRun.WaitForAsync(c => Told(c, "ENTITLEMENT_STATUS_CHANGED"), "get the grant pushed and verified");
                // A batch not signed with its secret is refused and not taken.
                using var outsider = new HttpClient();
                var forged = new { subscriptionId = Guid.NewGuid(), cursor = "x", notices = new[] { new { id = "forged-notice", position = "999999999", kind = "BENEFICIARY_DIED", subjectIdNumber = pensioner } } };
                var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{environment["PORT"]}/registry") { Content = JsonContent.Create(forged) };
                request.Headers.Add("X-Registry-Signature", $"t={DateTimeOffset.UtcNow.ToUnixTimeSeconds()},v1={new string('0', 64)}");
                ((int)(await outsider.SendAsync(request)).StatusCode).Should().Be(401);
                before = firstRun.Notices;
                before.Should().NotContain(n => n.GetProperty("id").GetString() == "forged-notice");
            }
            finally
            {
                firstRun.Dispose();
            }

            // The death is recorded while the consumer is down: it reads it from its cursor when it comes back.
            (await caseworker.MutateAsync("recordDeath", "RecordDeathInput", new { idNumber = pensioner, dateOfDeath = "2026-02-01", reason = "death certificate" }))
                .ErrorCodes().Should().BeEmpty();
            using var secondRun = new NodeScript(file, environment);
            await secondRun.WaitForAsync(c => Told(c, "BENEFICIARY_DIED") && c.Notices.Count(n => n.GetProperty("subjectIdNumber").GetString() == pensioner) >= 3,
                "learn of the death, the lost eligibility and the grant's end after its restart");
            secondRun.Notices.Should().NotContain(n => before.Any(b => b.GetProperty("id").GetString() == n.GetProperty("id").GetString()),
                "what it was told before the restart is not told again");
            var lines = secondRun.Notices.Where(n => n.GetProperty("subjectIdNumber").GetString() == pensioner).Select(n => n.GetProperty("kind").GetString());
            lines.Should().Equal("BENEFICIARY_DIED", "ELIGIBILITY_CHANGED", "ENTITLEMENT_STATUS_CHANGED");
        });
        Directory.Delete(folder, recursive: true);
    }
}
