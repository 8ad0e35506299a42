using System.Text.Json;
using Marten;
using Registry.Api.Commands;
using Registry.Api.Hosting;
using Registry.Domain.Programmes;

namespace Registry.Api.Programmes;

/// <summary>
/// At start, publishes the parameter sets of programme-parameters.json that the register does not hold
/// yet, through the publish handler's own decision. Sets already published (same programme and date)
/// are left alone, so an administrator's later publications are never overwritten.
/// </summary>
public sealed class InitialParameters(IDocumentStore store, TimeProvider clock, ILogger<InitialParameters> logger) : IHostedService
{
    public const string FileName = "programme-parameters.json";

    private sealed record SetFile(List<SetEntry> Sets);
    private sealed record SetEntry(string Programme, DateOnly EffectiveFrom, string LegalReference, Dictionary<string, decimal> Values, Dictionary<string, string>? Notes);

    public async Task StartAsync(CancellationToken ct)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Programmes", FileName);
        var file = JsonSerializer.Deserialize<SetFile>(await File.ReadAllTextAsync(path, ct), new JsonSerializerOptions(JsonSerializerDefaults.Web))
                   ?? throw new InvalidOperationException($"{path} holds no parameter sets.");
        var published = 0;
        foreach (var entry in file.Sets)
        {
            var code = Enum.Parse<ProgrammeCode>(entry.Programme.Replace("_", ""), ignoreCase: true);
            await using var session = store.LightweightSession();
            var current = await session.LoadAsync<Programme>(ProgrammeInfo.StreamIdFor(code), ct);
            if (current?.Parameters.Any(p => p.EffectiveFrom == entry.EffectiveFrom) == true) continue;

            var command = new PublishProgrammeParameters(code, entry.EffectiveFrom, entry.Values, entry.Notes ?? [], entry.LegalReference,
                new CommandContext("publishProgrammeParameters", "system:initial-parameters", $"initial-parameters-{Guid.CreateVersion7()}",
                    entry.EffectiveFrom, $"initial parameters from {FileName}"));
            var result = await PublishProgrammeParametersHandler.Publish(command, session, clock, ct);
            if (!result.Succeeded)
            {
                // E.g. an administrator already published a later set: the register's history wins over the file.
                logger.LogWarning("{File}: {Programme} {EffectiveFrom} not published: {Message}", FileName, code, entry.EffectiveFrom, result.Errors[0].Message);
                continue;
            }
            try
            {
                await session.SaveChangesAsync(ct);
                published++;
            }
            catch (JasperFx.ConcurrencyException)
            {
                // Another node published it at the same moment: the set is there either way.
            }
        }
        if (published > 0) logger.LogInformation("Published {Count} initial programme parameter sets", published);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
