using GraphQL.Execution;
using GraphQLParser.AST;
using Marten;
using Npgsql;

namespace Registry.Api.Hosting;

/// <summary>
/// Read replicas. When the connection string lists several hosts (Npgsql multi-host syntax), read-only
/// GraphQL queries read from a standby and everything else reads and writes the primary: mutations
/// must see their own writes, and Wolverine handlers decide from the current state, which a replica
/// only shows after replay. With one host nothing here is registered.
/// </summary>
public static class ReadRouting
{
    public static bool IsMultiHost(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString).Host?.Contains(',') == true;

    public static void Configure(StoreOptions opts)
    {
        // Marten opens query sessions with the read preference and everything else (sessions that can
        // save, the async daemon, schema changes) with the write preference.
        opts.Advanced.MultiHostSettings.ReadSessionPreference = TargetSessionAttributes.PreferStandby;
        opts.Advanced.MultiHostSettings.WriteSessionPreference = TargetSessionAttributes.Primary;
    }

    public static void AddTo(IServiceCollection services)
    {
        services.AddScoped<QueryRoute>();
        // Registered after AddMarten, so it wins over Marten's own IQuerySession registration.
        services.AddScoped<IQuerySession>(sp => sp.GetRequiredService<QueryRoute>().FromStandby
            ? sp.GetRequiredService<IDocumentStore>().QuerySession()
            : sp.GetRequiredService<ISessionFactory>().QuerySession());
    }

    /// <summary>Set once per request, before any resolver asks for a session.</summary>
    public sealed class QueryRoute
    {
        public bool FromStandby { get; set; }
    }

    /// <summary>Sends the request's reads to the standby when the operation is a query.</summary>
    public sealed class StandbyForQueries : DocumentExecutionListenerBase
    {
        public override Task BeforeExecutionAsync(IExecutionContext context)
        {
            if (context.Operation.Operation == OperationType.Query)
                context.RequestServices!.GetRequiredService<QueryRoute>().FromStandby = true;
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Sessions for everything but GraphQL queries (Wolverine handlers, mutations, the command
    /// dispatcher): the IQuerySession it hands out is an unsaved lightweight session, which Marten
    /// opens on the primary.
    /// </summary>
    public sealed class PrimarySessions : SessionFactoryBase
    {
        private readonly IDocumentStore _store;

        public PrimarySessions(IDocumentStore store) : base(store) => _store = store;

        public override Marten.Services.SessionOptions BuildOptions() => new() { Tracking = DocumentTracking.None };

        public override IQuerySession QuerySession() => _store.LightweightSession();
    }
}
