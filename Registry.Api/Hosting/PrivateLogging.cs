using Marten;
using Marten.Services;
using Npgsql;

namespace Registry.Api.Hosting;

/// <summary>
/// How an exception may appear in a log line: the types of its chain, PostgreSQL's SQLSTATE and
/// constraint, and the stack frames, never a message. Messages quote values: PostgreSQL's
/// "invalid input syntax for type ...: "<value>"", a library's argument errors, a record's ToString.
/// </summary>
public static class Faults
{
    public static string Describe(Exception exception, bool withStackTrace = false)
    {
        var chain = new List<string>();
        for (var ex = exception; ex is not null; ex = ex.InnerException)
            chain.Add(ex is PostgresException pg ? $"{pg.GetType().Name} {pg.SqlState}{(pg.ConstraintName is { } c ? $" ({c})" : "")}" : ex.GetType().FullName!);
        var described = string.Join(" <- ", chain);
        return withStackTrace && exception.StackTrace is { } frames ? described + Environment.NewLine + frames : described;
    }
}

/// <summary>
/// Marten's default logger writes each command's SQL with its parameter values (ID numbers, names,
/// incomes) at Debug and again with a failure at Error. The register's writes schema changes (DDL only)
/// and a failed command as its fault description; the caller that catches the failure decides what it means.
/// </summary>
public sealed class PrivateMartenLogger(ILogger logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => logger.LogInformation("Applied a schema change:{NewLine}{Sql}", Environment.NewLine, sql);

    public void LogSuccess(NpgsqlCommand command) { }

    public void LogSuccess(NpgsqlBatch batch) { }

    public void LogFailure(NpgsqlCommand command, Exception ex) => Failed(ex);

    public void LogFailure(NpgsqlBatch batch, Exception ex) => Failed(ex);

    public void LogFailure(Exception ex, string message) => Failed(ex);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) { }

    public void OnBeforeExecute(NpgsqlCommand command) { }

    public void OnBeforeExecute(NpgsqlBatch batch) { }

    private void Failed(Exception ex) => logger.LogDebug("A database command failed: {Fault}", Faults.Describe(ex));
}
