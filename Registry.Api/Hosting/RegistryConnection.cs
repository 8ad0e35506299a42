using System.Data.Common;
using Npgsql;

namespace Registry.Api.Hosting;

/// <summary>
/// Npgsql settings the register runs best with, applied unless the operator's connection string says
/// otherwise. Measured with bench/run.sh (README, "Benchmark"): both cut PostgreSQL work per request.
/// </summary>
public static class RegistryConnection
{
    public static string Tuned(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Given(params string[] names) => names.Any(given.ContainsKey);
        var tuned = new NpgsqlConnectionStringBuilder(connectionString);
        // Every Marten query borrows a pooled connection; resetting it on return costs the server one more
        // statement each time. Nothing here leaves session state (SET, temp tables, LISTEN) on a pooled connection.
        if (!Given("No Reset On Close", "NoResetOnClose")) tuned.NoResetOnClose = true;
        // The same few statements run on every lookup and write: prepared once per connection, no planning after.
        if (!Given("Max Auto Prepare", "MaxAutoPrepare")) tuned.MaxAutoPrepare = 64;
        if (!Given("Auto Prepare Min Usages", "AutoPrepareMinUsages")) tuned.AutoPrepareMinUsages = 2;
        // Not the operator's choice: PostgreSQL's error detail quotes the row's values (a unique violation
        // names the ID number), and Npgsql puts it in exception messages that reach logs.
        tuned.IncludeErrorDetail = false;
        return tuned.ConnectionString;
    }
}
