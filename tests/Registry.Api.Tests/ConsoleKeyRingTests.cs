using System.Net;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Registry.Projections.Privacy;

namespace Registry.Api.Tests;

/// <summary>
/// Two nodes of one register behind a balancer: what the console protects on one (the session cookie, a form's
/// anti-forgery token, a person's sealed reference) the other accepts, because both read the key ring from the database.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class ConsoleKeyRingTests(RegistryApiFactory api)
{
    [Fact]
    public async Task A_console_session_form_and_reference_from_one_node_are_good_on_the_other()
    {
        await using var first = await IsolatedRegistryFactory.StartAsync(api);
        var idNumber = await ApiClient(first).RegisterAsync(new DateOnly(1961, 4, 9));
        await using var second = first.SecondNode();
        using var one = first.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        using var other = second.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        var cookies = new Dictionary<string, string>();

        // The sign-in form from the first node, sent to the second: its anti-forgery token is good there.
        var (signedIn, _) = await PostAsync(one, other, "/console/sign-in", new() { ["Role"] = "caseworker" }, cookies);
        signedIn.Should().Be(HttpStatusCode.Redirect, "the role picker signs in and sends you on");

        // The session the second node began is a session on the first.
        using (var home = await SendAsync(one, HttpMethod.Get, "/console", cookies))
            home.StatusCode.Should().Be(HttpStatusCode.OK, "the first node accepts the second's session cookie instead of asking to sign in");

        // A person found on the first node: the sealed reference in the address opens their page on the second.
        var (found, page) = await PostAsync(other, one, "/console/find", new() { ["IdNumber"] = idNumber, ["Purpose"] = RegistryApiFactory.Purpose }, cookies);
        found.Should().Be(HttpStatusCode.Redirect);
        page.Should().StartWith("/console/person/");
        using (var person = await SendAsync(other, HttpMethod.Get, page!, cookies))
            person.StatusCode.Should().Be(HttpStatusCode.OK);

        // The ring is in the database, its secrets encrypted: read access to the database does not give the keys.
        await using var session = first.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var ring = await session.Query<KeyRingElement>().ToListAsync();
        ring.Should().NotBeEmpty();
        ring.Should().OnlyContain(e => e.Xml.Contains("encryptedKey") && !e.Xml.Contains("<masterKey"));
    }

    [Fact]
    public async Task Two_nodes_that_each_made_a_first_key_read_what_the_other_protected()
    {
        var database = $"registry_test_keyring_{Environment.ProcessId}_{DateTime.UtcNow:HHmmssfff}";
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(api.ServerConnectionString) { Database = database }.ConnectionString;
        await RegistryApiFactory.CreateDatabaseAsync(api.ServerConnectionString, database);
        try
        {
            var configuration = api.ConfigurationWith(("ConnectionStrings:Registry", connection));
            ServiceProvider Node()
            {
                var services = new ServiceCollection().AddLogging();
                services.AddMarten(opts => Registry.Api.Hosting.RegistryHost.ConfigureStore(opts, connection, configuration));
                Registry.Api.StaffConsole.ConsoleKeyRing.AddConsoleKeyRing(services, Registry.Api.Hosting.RegistryKeys.From(configuration));
                return services.BuildServiceProvider();
            }
            await using var one = Node();
            await using var other = Node();
            await one.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();

            string Protect(IServiceProvider node, string text) =>
                node.GetRequiredService<IDataProtectionProvider>().CreateProtector("key ring test").Protect(text);
            string Unprotect(IServiceProvider node, string payload) =>
                node.GetRequiredService<IDataProtectionProvider>().CreateProtector("key ring test").Unprotect(payload);

            // Two nodes that started together on an empty ring may each make a first key. Made here one after the
            // other, so that each node has loaded the ring without the other's key before it is made.
            var fromOne = Protect(one, "from one");
            var keys = other.GetRequiredService<Microsoft.AspNetCore.DataProtection.KeyManagement.IKeyManager>();
            var second = keys.CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
            var fromOther = other.GetRequiredService<IDataProtectionProvider>().CreateProtector("key ring test").Protect("from the other");
            await using (var session = one.GetRequiredService<IDocumentStore>().QuerySession())
                (await session.Query<KeyRingElement>().CountAsync()).Should().Be(2, "each node made a key");

            Unprotect(other, fromOne).Should().Be("from one");
            Unprotect(one, fromOther).Should().Be("from the other", "a node that meets a key it has not loaded reads the ring again");
            Unprotect(one, Protect(other, "later")).Should().Be("later");
            // The payload names its key after a four-byte header: the other node did protect under the key the first had not loaded.
            new Guid(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(fromOther).AsSpan(4, 16)).Should().Be(second.KeyId);
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await RegistryApiFactory.DropDatabaseAsync(api.ServerConnectionString, database);
        }
    }

    private HttpClient ApiClient(IsolatedRegistryFactory register)
    {
        var client = register.ClientFor(api.Token("caseworker"));
        client.DefaultRequestHeaders.Add("X-Purpose", RegistryApiFactory.Purpose);
        return client;
    }

    /// <summary>A form read from <paramref name="from"/> and posted, with its anti-forgery token, to <paramref name="to"/>: the answer's status and where it sends you.</summary>
    private static async Task<(HttpStatusCode Status, string? Location)> PostAsync(HttpClient from, HttpClient to, string path, Dictionary<string, string> fields,
        Dictionary<string, string> cookies)
    {
        using var form = await SendAsync(from, HttpMethod.Get, path, cookies);
        form.StatusCode.Should().Be(HttpStatusCode.OK);
        fields["__RequestVerificationToken"] = AntiForgeryToken().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        using var posted = await SendAsync(to, HttpMethod.Post, path, cookies, new FormUrlEncodedContent(fields));
        return (posted.StatusCode, posted.Headers.Location?.ToString());
    }

    /// <summary>A request with the cookies so far; the cookies it sets are kept, as a browser would (whichever node answers).</summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, Dictionary<string, string> cookies, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await client.SendAsync(request);
        foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var set) ? set : [])
        {
            var pair = header.Split(';')[0].Split('=', 2);
            cookies[pair[0]] = pair[1];
        }
        return response;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiForgeryToken();
}
