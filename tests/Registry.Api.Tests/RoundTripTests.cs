using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Registry.Api.Tests;

/// <summary>
/// A page of citizens with their households and entitlements costs a fixed number of database commands,
/// not one per citizen. Npgsql traces every command; the request's W3C trace id picks out this request's.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RoundTripTests(RegistryApiFactory api)
{
    [Fact]
    public async Task A_page_of_citizens_loads_households_and_entitlements_in_a_fixed_number_of_commands()
    {
        var client = api.ClientFor("caseworker");
        var surname = Caseworker.UniqueSurname("Batch");
        var heads = new List<string>();
        for (var h = 0; h < 4; h++)
        {
            var head = await client.RegisterAsync(new DateOnly(1970 + h, 2, 2), surname: surname);
            var household = (await client.FormHouseholdAsync(head)).GetProperty("household").GetProperty("id").GetString()!;
            await client.AddMemberAsync(household, await client.RegisterAsync(new DateOnly(2015 + h, 3, 3), surname: surname));
            heads.Add(head);
        }

        var (commands, page) = await CountCommandsAsync(client, """
            query($surname: String) {
              citizens(first: 20, filter: { surname: $surname }) {
                edges { node { idNumber household { head { idNumber } members { citizen { idNumber } } } entitlements { id } } }
              }
            }
            """, new { surname = surname.ToUpperInvariant() });

        var nodes = page.GetProperty("data").GetProperty("citizens").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToList();
        nodes.Should().HaveCount(8);
        nodes.Should().OnlyContain(n => n.GetProperty("household").GetProperty("members").GetArrayLength() == 2);
        nodes.Select(n => n.GetProperty("household").GetProperty("head").GetProperty("idNumber").GetString()).Distinct().Should().BeEquivalentTo(heads);
        // Page + count, memberships, households, their citizens, entitlements: N+1 would be 8 × 3 more.
        commands.Should().BeLessThanOrEqualTo(8, "the households and entitlements of a page are loaded together");
    }

    [Fact]
    public async Task A_persons_page_in_the_console_costs_as_many_commands_for_a_household_of_six_as_for_one_of_two()
    {
        var client = api.ClientFor("caseworker");
        async Task<string> HeadOfAsync(int others)
        {
            var head = await client.RegisterAsync(new DateOnly(1950, 2, 2));
            var household = (await client.FormHouseholdAsync(head)).GetProperty("household").GetProperty("id").GetString()!;
            for (var i = 0; i < others; i++) await client.AddMemberAsync(household, await client.RegisterAsync(new DateOnly(2010 + i, 3, 3)));
            await client.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput", new { programme = "OLDER_PERSONS_GRANT", beneficiaryIdNumber = head }, "version errors { code }");
            return head;
        }
        var small = await HeadOfAsync(1);
        var large = await HeadOfAsync(5);
        using var console = await ConsoleSession.SignInAsync(api, "caseworker");

        var (smallCommands, smallPage) = await CountCommandsAsync(traceparent => console.PersonPageAsync(small, traceparent));
        var (largeCommands, largePage) = await CountCommandsAsync(traceparent => console.PersonPageAsync(large, traceparent));

        smallPage.Should().Contain("<h1>");
        System.Text.RegularExpressions.Regex.Matches(largePage, "<tr").Count.Should().BeGreaterThan(System.Text.RegularExpressions.Regex.Matches(smallPage, "<tr").Count,
            "the larger household's members are on its page");
        smallCommands.Should().BeGreaterThan(0, "the page's commands are traced under its request");
        largeCommands.Should().Be(smallCommands, "a member's record is not loaded with a command of its own");
    }

    private static Task<(int Commands, JsonElement Body)> CountCommandsAsync(HttpClient client, string query, object variables) =>
        CountCommandsAsync(async traceparent =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
            request.Headers.Add("traceparent", traceparent);
            using var response = await client.SendAsync(request);
            return await response.Content.ReadAsStringAsync();
        }).ContinueWith(t =>
        {
            var body = JsonDocument.Parse(t.Result.Body).RootElement.Clone();
            body.TryGetProperty("errors", out var errors).Should().BeFalse($"the query should succeed, but got {errors}");
            return (t.Result.Commands, body);
        });

    /// <summary>The database commands one request caused: Npgsql's traces under the request's W3C trace id.</summary>
    private static async Task<(int Commands, string Body)> CountCommandsAsync(Func<string, Task<string>> send)
    {
        var trace = ActivityTraceId.CreateRandom();
        var seen = new ConcurrentBag<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { if (a.Source.Name == "Npgsql" && a.TraceId == trace) seen.Add(a.DisplayName); },
        };
        ActivitySource.AddActivityListener(listener);

        var body = await send($"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        return (seen.Count, body);
    }
}
