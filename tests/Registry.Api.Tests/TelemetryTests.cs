using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;

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

        var everything = string.Join('\n', spans.Select(Exported));
        foreach (var personal in new[] { idNumber, "Nokuthula", "Tracewell", "Telemetry Lane" })
            everything.Should().NotContain(personal, "a trace carries ids and types, never a person's data");
    }

    [Fact]
    public async Task Failures_leave_their_types_and_sqlstates_in_the_spans_never_the_values_their_messages_quote()
    {
        var started = DateTime.UtcNow;
        var born = new DateOnly(1979, 2, 14);
        var idNumber = RegistryApiFactory.NewIdNumber(born).Value;
        const string firstNames = "Thandekile";
        var surname = Caseworker.UniqueSurname("Faultwell");
        const string street = "23 Stacktrace Avenue";
        var registration = new { input = Caseworker.RegisterInput(idNumber, born, firstNames: firstNames, surname: surname,
            address: new { line1 = street, city = "Durban", municipalityCode = "ETH", province = "KWAZULU_NATAL", postalCode = "4001" }) };
        var caseworker = api.ClientFor("caseworker");

        (await caseworker.GraphQLAsync(Caseworker.RegisterMutation, registration)).Data("registerCitizen").ErrorCodes().Should().BeEmpty();
        // A duplicate ID number: the unique index refuses it inside the handler's transaction.
        (await caseworker.GraphQLAsync(Caseworker.RegisterMutation, registration)).Data("registerCitizen").ErrorCodes().Should().Equal("DUPLICATE_ID_NUMBER");
        // Commands PostgreSQL refuses with a message that quotes the value it was given, through the host's store as a
        // handler's session runs them.
        await using (var session = api.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession())
        {
            var uuid = () => session.AdvancedSql.QueryAsync<Guid>("SELECT ?::uuid", CancellationToken.None, idNumber);
            (await uuid.Should().ThrowAsync<Exception>()).Which.ToString().Should().Contain(idNumber, "PostgreSQL quotes the value: this is what must not leave");
            var integer = () => session.AdvancedSql.QueryAsync<int>("SELECT ?::int", CancellationToken.None, surname);
            (await integer.Should().ThrowAsync<Exception>()).Which.ToString().Should().Contain(surname);
        }

        var spans = api.Spans.Where(s => s.StartTimeUtc >= started).ToList();
        spans.Should().Contain(s => s.Status == ActivityStatusCode.Error, "a failing span must be among them, or this test proves nothing");
        spans.SelectMany(s => s.Events).Should().Contain(e => e.Name == "exception", "so must the recorded exceptions");
        string[] personal = [idNumber, firstNames, surname, "Stacktrace Avenue"];
        spans.Select(Exported).Where(text => personal.Any(text.Contains)).Should().BeEmpty("a span carries ids, types and codes, never a value an exception message quoted");
        var events = spans.SelectMany(s => s.Events).ToList();
        events.SelectMany(e => e.Tags).Should().Contain(t => t.Key == "exception.message" && (t.Value as string ?? "").Contains("PostgresException 22P02"),
            "a failure still shows what failed, by type and SQLSTATE");
        events.Should().Contain(e => e.Name == "registry.span_withheld" && e.Tags.Any(t => t.Key == "error.type" && Equals(t.Value, "22P02")),
            "Npgsql's failed command, not exported, is noted on its parent");
    }

    /// <summary>All of a span an exporter sends: names, status, tags, events with their tags, links with theirs, baggage.</summary>
    private static string Exported(Activity span) => string.Join('\n', new[] { span.Source.Name, span.OperationName, span.DisplayName, $"status={span.Status} {span.StatusDescription}" }
        .Concat(span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
        .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}: {t.Key}={t.Value}").Prepend(e.Name)))
        .Concat(span.Links.SelectMany(l => l.Tags?.Select(t => $"link: {t.Key}={t.Value}") ?? []))
        .Concat(span.Baggage.Select(b => $"baggage: {b.Key}={b.Value}")));

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

    [Fact]
    public async Task With_PostgreSQL_gone_the_service_is_live_but_not_ready_and_ready_again_when_it_is_back()
    {
        var server = new Npgsql.NpgsqlConnectionStringBuilder(api.ConnectionString);
        await using var link = PostgresLink.Open(server.Host!, server.Port);
        // A second host on the same register, reaching PostgreSQL only through the link; a mediator, so it claims no agents.
        await using var host = api.AnotherHost(
            ("ConnectionStrings:Registry", new Npgsql.NpgsqlConnectionStringBuilder(api.ConnectionString) { Host = "127.0.0.1", Port = link.Port }.ConnectionString),
            ("Wolverine:Durability", "MediatorOnly"));
        var client = host.CreateClient();
        (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);

        link.Cut();
        (await client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK, "the process still runs");
        var down = await client.GetAsync("/health/ready");
        down.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await down.Content.ReadAsStringAsync()).Should().Be("Unhealthy", "the answer carries the status only, never a connection string or a message");

        link.Restore();
        Npgsql.NpgsqlConnection.ClearAllPools();
        (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK, "PostgreSQL is back");
    }
}
