using JasperFx.CommandLine;
using Marten;
using Registry.Projections.Privacy;

namespace Registry.Api.Hosting.Verbs;

/// <summary>
/// rewrap-keys: the second step of a master-key rotation. With the new key as Registry:MasterKey and the old one
/// in Registry:PreviousMasterKeys, every data key still wrapped under an old key is wrapped again under the new
/// one, a page per transaction (a re-run continues where a stopped one left off). The data itself is not touched.
/// </summary>
[Description("Wrap every data key still under a previous master key (Registry:PreviousMasterKeys) again under Registry:MasterKey; resumable", Name = "rewrap-keys")]
public sealed class RewrapKeysCommand : RegistryVerb<NetCoreInput>
{
    public const int PageSize = 1_000;

    protected override async Task<int> RunAsync(NetCoreInput input)
    {
        var app = BuildHost(input, MediatorOnly);
        await app.StartAsync();
        try
        {
            var store = app.Services.GetRequiredService<IDocumentStore>();
            var keyring = EventSealing.Of(store).Keys;
            var current = keyring.Master.CurrentId;
            var rewrapped = 0;
            while (true)
            {
                // What is rewrapped leaves the filter, so each page is the next one.
                await using var session = store.LightweightSession();
                var page = await session.Query<CitizenKey>().Where(k => k.MasterKeyId != current && k.WrappedKey != null).Take(PageSize).ToListAsync();
                if (page.Count == 0) break;
                foreach (var record in page) session.Store(keyring.Rewrap(record)!);
                await session.SaveChangesAsync();
                rewrapped += page.Count;
            }
            Console.WriteLine($"{rewrapped:N0} data keys wrapped again under master key {current}; the previous master keys can now be removed.");
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
