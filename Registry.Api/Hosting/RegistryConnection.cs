using System.Data.Common;
using Npgsql;

namespace Registry.Api.Hosting;

/// <summary>
/// The Npgsql settings the register runs with: one tuning, applied unless the operator's connection string says
/// otherwise (measured with bench/run.sh, README "Benchmark"), and two that are not the operator's choice.
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
        // Not the operator's choice: PostgreSQL's error detail quotes the row's values (a unique violation
        // names the ID number), and Npgsql puts it in exception messages that reach logs.
        tuned.IncludeErrorDetail = false;
        // Nor is auto-prepare. A statement that fails at Bind on the execution that prepares it (a NUL in a parameter,
        // a value the planner folds into an error, a timeout or cancellation while it is planned) stays marked prepared
        // without its result's description: that pooled connection's next run of it fails, or reads the next
        // statement's rows as its own (Npgsql 9.0.4 to 10.0.3), which could answer one request with another's data.
        tuned.MaxAutoPrepare = 0;
        return tuned.ConnectionString;
    }
}
