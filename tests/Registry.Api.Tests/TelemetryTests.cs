using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace Registry.Api.Tests;

/// <summary>The spans exported by the host; keeps the newest 50,000 (a whole test run's worth).</summary>
public sealed class SpanLog : ICollection<Activity>
{
    private readonly LinkedList<Activity> _spans = new();

    public void Add(Activity item)
    {
        lock (_spans)
        {
            _spans.AddLast(item);
            if (_spans.Count > 50_000) _spans.RemoveFirst();
        }
    }

    public IReadOnlyList<Activity> Of(ActivityTraceId trace)
    {
        lock (_spans) return [.. _spans.Where(a => a.TraceId == trace)];
    }

    public void Clear() { lock (_spans) _spans.Clear(); }
    public bool Contains(Activity item) { lock (_spans) return _spans.Contains(item); }
    public void CopyTo(Activity[] array, int arrayIndex) { lock (_spans) _spans.CopyTo(array, arrayIndex); }
    public bool Remove(Activity item) { lock (_spans) return _spans.Remove(item); }
    public int Count { get { lock (_spans) return _spans.Count; } }
    public bool IsReadOnly => false;
    public IEnumerator<Activity> GetEnumerator() { lock (_spans) return _spans.ToList().GetEnumerator(); }
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

[Collection(ApiCollection.Name)]
public sealed class TelemetryTests(RegistryApiFactory api)
{
    [Fact]
    public async Task One_mutation_is_one_trace_from_the_request_through_the_handler_to_its_sql_without_personal_data()
    {
        var idNumber = RegistryApiFactory.NewIdNumber(new DateOnly(1983, 8, 8)).Value;
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = JsonContent.Create(new
            {
                query = "mutation($input: RegisterCitizenInput!) { registerCitizen(input: $input) { citizen { id } errors { code } } }",
                variables = new
                {
                    input = new
                    {
                        idNumber, firstNames = "Nokuthula", surname = "Tracewell", dateOfBirth = "1983-08-08", sex = "FEMALE", citizenship = "CITIZEN",
                        address = new { line1 = "17 Telemetry Lane", city = "Durban", municipalityCode = "ETH", province = "KWAZULU_NATAL", postalCode = "4001" },
                    },
                },
            }),
        };
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await api.ClientFor("caseworker").SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);

        var spans = api.Spans.Of(trace);
        spans.Should().Contain(s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server, "the HTTP request");
        spans.Should().Contain(s => s.Source.Name == "Wolverine", "the command's handler");
        spans.Should().Contain(s => s.Source.Name == "Npgsql", "its SQL");
        var handler = spans.First(s => s.Source.Name == "Wolverine");
        spans.Where(s => s.Source.Name == "Npgsql").Should().Contain(s => IsWithin(s, handler, spans), "the handler's own statements are its children");

        var everything = string.Join('\n', spans.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(s.DisplayName)));
        foreach (var personal in new[] { idNumber, "Nokuthula", "Tracewell", "Telemetry Lane" })
            everything.Should().NotContain(personal, "a trace carries ids and types, never a person's data");
    }

    private static bool IsWithin(Activity span, Activity ancestor, IReadOnlyList<Activity> all)
    {
        for (var parent = span.ParentSpanId; parent != default;)
        {
            if (parent == ancestor.SpanId) return true;
            parent = all.FirstOrDefault(a => a.SpanId == parent)?.ParentSpanId ?? default;
        }
        return false;
    }

    [Fact]
    public async Task A_started_service_is_live_and_ready()
    {
        var client = api.CreateClient();
        (await client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        var ready = await client.GetAsync("/health/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
    }
}
