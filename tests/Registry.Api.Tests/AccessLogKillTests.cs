using System.Collections.Concurrent;
using System.Net.Http.Json;
using Npgsql;
using Registry.Api.Audit;

namespace Registry.Api.Tests;

/// <summary>The access log is written before a read is answered, so dying the hard way loses no answered read's record.</summary>
[Collection(ApiCollection.Name)]
public sealed class AccessLogKillTests(RegistryApiFactory api)
{
    // The service these tests start as a process, on a database of its own, keeps the default schema.
    private static readonly RegistrySql Sql = RegistrySql.For(RegistrySql.DefaultSchema);

    [Fact]
    public async Task A_kill_9_under_load_loses_no_access_record_of_an_answered_read()
    {
        var database = $"registry_test_accesskill_{Environment.ProcessId}_{DateTime.UtcNow:HHmmss}";
        var connection = new NpgsqlConnectionStringBuilder(api.ServerConnectionString) { Database = database }.ConnectionString;
        await RegistryApiFactory.CreateDatabaseAsync(api.ServerConnectionString, database);
        try
        {
            using var service = await ApiProcess.StartAsync(connection);
            var caseworker = service.ClientFor(api.Token("caseworker"));
            var sassa = service.ClientFor(api.Token("department:SASSA"));
            var people = new List<string>();
            for (var i = 0; i < 12; i++) people.Add(await caseworker.RegisterAsync(new DateOnly(1945 + i, 1 + i, 1 + i)));

            // Concurrent readers, caseworkers and SASSA, each request with its own correlation id.
            var answered = new ConcurrentBag<(string CorrelationId, string IdNumber)>();
            async Task ReadUntilDeadAsync(int reader)
            {
                var client = reader % 2 == 0 ? caseworker : sassa;
                var query = reader % 2 == 0
                    ? "query($id: String!) { citizen(idNumber: $id) { idNumber surname } }"
                    : "query($id: String!) { eligibility(idNumber: $id, programme: OLDER_PERSONS_GRANT) { idNumber eligible } }";
                for (var n = 0; ; n++)
                {
                    var idNumber = people[(reader + n) % people.Count];
                    var correlation = $"kill-{reader}-{n}";
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables = new { id = idNumber } }) };
                    request.Headers.Add("X-Correlation-Id", correlation);
                    try
                    {
                        using var response = await client.SendAsync(request);
                        var text = await response.Content.ReadAsStringAsync();
                        if (response.IsSuccessStatusCode && text.Contains(idNumber)) answered.Add((correlation, idNumber));
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                    {
                        return; // the service is gone
                    }
                }
            }
            var readers = Enumerable.Range(0, 8).Select(r => Task.Run(() => ReadUntilDeadAsync(r))).ToArray();
            while (answered.Count < 300 && !readers.All(r => r.IsCompleted)) await Task.Delay(10);

            service.Kill();
            await Task.WhenAll(readers);

            answered.Count.Should().BeGreaterThanOrEqualTo(300);
            var citizens = new Dictionary<string, Guid>();
            var stored = new HashSet<(string, Guid)>();
            await using (var conn = new NpgsqlConnection(connection))
            {
                await conn.OpenAsync();
                await using (var reader = await new NpgsqlCommand($"SELECT data ->> 'IdNumber', id FROM {Sql.Citizens}", conn).ExecuteReaderAsync())
                    while (await reader.ReadAsync()) citizens[reader.GetString(0)] = reader.GetGuid(1);
                await using (var reader = await new NpgsqlCommand($"SELECT data ->> 'CorrelationId', (data ->> 'CitizenId')::uuid FROM {Sql.Document<AccessRecord>()} WHERE data ->> 'CorrelationId' LIKE 'kill-%'", conn).ExecuteReaderAsync())
                    while (await reader.ReadAsync()) stored.Add((reader.GetString(0), reader.GetGuid(1)));
            }
            answered.Where(a => !stored.Contains((a.CorrelationId, citizens[a.IdNumber]))).Should().BeEmpty("every answered read was logged before it was answered");
        }
        finally
        {
            await RegistryApiFactory.DropDatabaseAsync(api.ServerConnectionString, database);
        }
    }
}
