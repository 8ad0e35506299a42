using GraphQL;
using JasperFx;
using JasperFx.CodeGeneration;
using Weasel.Core;
using Marten;
using Registry.Api.Auth;
using Registry.Api.Commands;
using Registry.Api.GraphQL;
using Registry.Api.StaffConsole;
using Registry.Projections;
using Registry.Projections.Sql;
using Wolverine;
using Wolverine.Marten;

namespace Registry.Api.Hosting;

/// <summary>Composition of the service: Marten event store, Wolverine command handling, JWT auth, GraphQL, the staff console.</summary>
public static class RegistryHost
{
    public const string ConnectionStringName = "Registry";

    /// <summary>The service from command-line configuration (the in-process tests' way in).</summary>
    public static WebApplication Build(string[] args) => Build(WebApplication.CreateBuilder(args));

    /// <summary>The service on a builder whose configuration and environment are already set (see RegistryHostBuilder).</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ConfigurationMissingException("Set ConnectionStrings__Registry to a PostgreSQL connection string (./start.sh does this for you).");

        // Outside Development the register refuses to start without its keys, before anything is served or written.
        RegistryKeys.From(configuration);

        var limits = configuration.GetSection(GraphQLLimits.Section).Get<GraphQLLimits>() ?? new GraphQLLimits();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = limits.MaxRequestBytes);

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(RegistrySql.For(SchemaOf(configuration)));
        services.AddSingleton(limits);
        services.AddScoped<CommandDispatcher>();
        services.AddSingleton(ChangeRequests.FourEyesPolicy.From(configuration));
        services.AddScoped<ChangeRequests.ChangeRequesting>();
        services.AddScoped<ChangeRequests.ChangeDecisions>();
        services.AddScoped<RegistryExecution>();
        services.AddScoped<Eligibility.EligibilityFactsLoader>();
        services.AddScoped<Eligibility.EligibilityService>();
        services.AddScoped<Audit.AuditQueries>();
        services.AddScoped<Audit.DecisionReplays>();
        services.AddScoped<Receipts.DecisionReceipts>();
        services.AddScoped<Departments.MunicipalQueries>();
        services.AddScoped<Departments.StatisticsQueries>();
        services.AddSingleton<Audit.AccessLog>();
        // Made now, not on first use: without a separate checkpoint key the service must not start at all.
        services.AddSingleton(Audit.CheckpointKey.From(configuration, builder.Environment));
        services.AddRegistryAuthentication(AuthSettings.From(configuration));
        services.AddRegistryConsole(AuthSettings.From(configuration), StateSignInSettings.From(configuration));
        services.AddConsoleKeyRing(RegistryKeys.From(configuration));
        services.AddRegistryTelemetry(configuration);
        services.AddRegistryHealth(connectionString);
        // The message handlers' code is generated ahead of time (`codegen write`, into Internal/Generated) and
        // compiled in: no Roslyn at start, no slow first seconds, and a handler without its code fails the start.
        services.CritterStackDefaults(x =>
        {
            x.Development.GeneratedCodeMode = TypeLoadMode.Static;
            x.Production.GeneratedCodeMode = TypeLoadMode.Static;
            x.Development.AssertAllPreGeneratedTypesExist = true;
            x.Production.AssertAllPreGeneratedTypesExist = true;
            // Where `codegen write` puts the code; the test that proves it current writes a copy elsewhere.
            if (configuration["Registry:GeneratedCodePath"] is { Length: > 0 } path) x.GeneratedCodeOutputPath = path;
        });

        var marten = services.AddMarten(opts => ConfigureStore(opts, connectionString, configuration))
            // Async projections run in Wolverine's managed distribution: spread over the nodes, taken over when one dies.
            .IntegrateWithWolverine(w => w.UseWolverineManagedEventSubscriptionDistribution = true)
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup();
        // Not Marten's default logger: it writes SQL parameter values, i.e. citizens' data.
        services.ConfigureMarten((sp, opts) => opts.Logger(new PrivateMartenLogger(sp.GetRequiredService<ILogger<IDocumentStore>>())));
        var readReplicas = ReadRouting.IsMultiHost(connectionString);
        if (readReplicas)
        {
            marten.BuildSessionsWith<ReadRouting.PrimarySessions>();
            ReadRouting.AddTo(services);
        }

        builder.Host.UseWolverine(opts =>
        {
            opts.ApplicationAssembly = typeof(RegistryHost).Assembly;
            opts.UseRuntimeCompilation();
            // Without this Wolverine does not commit the handler's session: the write would be lost silently.
            opts.Policies.AutoApplyTransactions();
            opts.AutoBuildMessageStorageOnStartup = AutoCreate.CreateOrUpdate;
            opts.Durability.Mode = configuration.GetValue("Wolverine:Durability", DurabilityMode.Balanced);
            // How long a silent node keeps its agents (the async projections) before another node takes
            // them over; Wolverine's default (one minute) unless set.
            if (configuration.GetValue<int?>("Wolverine:StaleNodeTimeoutSeconds") is { } staleAfter)
                opts.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(staleAfter);
            // How often scheduled messages (a webhook's next retry) are looked for; Wolverine's default (five seconds) unless set.
            if (configuration.GetValue<int?>("Wolverine:ScheduledJobPollingMilliseconds") is { } scheduledPolling)
                opts.Durability.ScheduledJobPollingTime = TimeSpan.FromMilliseconds(scheduledPolling);
            // Re-evaluation messages are stored with the change that caused them and survive restarts.
            opts.Policies.UseDurableLocalQueues();
            // A policy simulation works one page at a time on its own queue, beside the service's other work, not instead of it.
            opts.PublishMessage<Simulation.SimulateNextPage>().ToLocalQueue(Simulation.SimulateNextPage.Queue);
            opts.LocalQueue(Simulation.SimulateNextPage.Queue).Sequential();
            opts.PublishMessage<Audit.CheckRegisterPage>().ToLocalQueue(Audit.CheckRegisterPage.Queue);
            opts.LocalQueue(Audit.CheckRegisterPage.Queue).Sequential();
            // Webhook deliveries: one batch per subscription at a time, several subscriptions at once, so one
            // receiver that does not answer holds a single slot for the timeout and the others go on.
            opts.PublishMessage<Notices.DeliverNotices>().ToLocalQueue(Notices.DeliverNotices.Queue);
            opts.LocalQueue(Notices.DeliverNotices.Queue).MaximumParallelMessages(8);
        });

        // After Marten's schema step: the initial parameter sets need the tables.
        services.AddHostedService<Programmes.InitialParameters>();
        services.AddHostedService<Audit.AccessLogWriter>();
        services.AddHostedService<Audit.CheckpointWriter>();
        services.AddSingleton(Notices.WebhookSettings.From(configuration, requireHttps: builder.Environment.IsProduction()));
        // The register's signing key (DCI messages, webhook notify, decision receipts) and the DCI settings.
        Dci.DciEndpoint.AddRegistryDci(services, configuration);
        services.AddSingleton<Notices.WebhookPoster>();
        services.AddHostedService<Notices.WebhookDispatcher>();

        var introspection = limits.Introspection ?? builder.Environment.IsDevelopment();
        services.AddGraphQL(b =>
        {
            b.AddSchema<RegistrySchema>()
                .AddSystemTextJson()
                .AddGraphTypes(typeof(RegistrySchema).Assembly)
                // These depend on the caller, the purpose or the variables: they run on every request, cached document or not.
                .AddValidationRule<RoleRequirementRule>(useForCachedDocuments: true)
                .AddValidationRule<Audit.PurposeRule>(useForCachedDocuments: true)
                .AddValidationRule<EvaluationBudgetRule>(useForCachedDocuments: true)
                .ConfigureExecution<ValidatedDocumentCache>()
                .UseMiddleware<Audit.AccessLogMiddleware>()
                .AddComplexityAnalyzer(c =>
                {
                    c.MaxDepth = limits.MaxDepth;
                    c.MaxComplexity = limits.MaxComplexity;
                    // A schema-only question (GraphiQL's fetch is 15 deep) is measured against introspection's allowance instead.
                    c.ValidateComplexityDelegate = ctx =>
                    {
                        if (IntrospectionRule.IsIntrospectionOnly(ctx.ValidationContext.Operation))
                            ctx.Error = ctx.MaxDepth > limits.MaxIntrospectionDepth || ctx.TotalImpact > limits.MaxIntrospectionComplexity
                                ? new global::GraphQL.Validation.Errors.Custom.ComplexityError(
                                    $"Introspection is limited to depth {limits.MaxIntrospectionDepth} and complexity {limits.MaxIntrospectionComplexity}; this query has depth {ctx.MaxDepth} and complexity {ctx.TotalImpact:F0}.")
                                : null;
                        return Task.CompletedTask;
                    };
                })
                // One Marten session per request is not thread-safe: resolve query fields one at a time.
                .AddExecutionStrategy<global::GraphQL.Execution.SerialExecutionStrategy>(GraphQLParser.AST.OperationType.Query);
            // Read replicas: a query's sessions read the standby (see ReadRouting).
            if (readReplicas) b.AddDocumentListener<ReadRouting.StandbyForQueries>();
            if (!introspection) b.AddValidationRule<IntrospectionRule>(useForCachedDocuments: true);
        });

        var app = builder.Build();
        app.UseRegistryConsole();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRegistryHealth();
        app.MapRegistryGraphQL();
        app.MapRegistryConsole();
        Dci.DciEndpoint.MapRegistryDci(app);
        return app;
    }

    /// <summary>The schema the register's store lives in (Registry:Schema); every raw SQL text follows it (see RegistrySql).</summary>
    public static string SchemaOf(IConfiguration configuration) => configuration.GetValue("Registry:Schema", RegistrySql.DefaultSchema)!;

    /// <summary>
    /// The one Marten configuration of the register, in the configured schema; verify-projections builds a
    /// scratch copy in <paramref name="scratchSchema"/>, which still reads the live register's keys.
    /// </summary>
    public static void ConfigureStore(StoreOptions opts, string connectionString, IConfiguration configuration, string? scratchSchema = null)
    {
        var live = RegistrySql.For(SchemaOf(configuration));
        var schema = scratchSchema ?? live.Schema;
        // One tuned connection string for the store and the keyring's own key lookups (auto-prepare off for both).
        var tuned = RegistryConnection.Tuned(connectionString);
        opts.Connection(tuned);
        if (ReadRouting.IsMultiHost(connectionString)) ReadRouting.Configure(opts);
        opts.DatabaseSchemaName = schema;
        // Each person's data in the events sealed under their own key (before the chain listener hashes them).
        var sealing = Projections.Privacy.EventSealing.Configure(opts, RegistryKeys.From(configuration), tuned, live,
            TimeSpan.FromSeconds(configuration.GetValue("Registry:KeyCacheSeconds", 300)));
        // Enums as their names: events stay readable to auditors and other tools.
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, configure: sealing.AddConvertersTo);
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        // Who, why, which request: recorded on every event by the session, not in each event's data.
        opts.Events.MetadataConfig.HeadersEnabled = true;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.UserNameEnabled = true;
        // Projections declare their event types; a rebuild or the daemon then reads only those, by this index.
        opts.Events.EnableEventTypeIndex = true;
        opts.AddRegistryProjections();
        // A span per session connection (Marten) beside each command's (Npgsql), and the events-appended
        // counter: ids and types only.
        opts.OpenTelemetry.TrackConnections = JasperFx.OpenTelemetry.TrackLevel.Normal;
        opts.OpenTelemetry.TrackEventCounters();
        // A sequence gap left by a rolled-back append is skipped after 3 s; if Marten suspects a live
        // transaction could still fill it, it waits longer, but not forever: a department view must
        // not freeze behind one stuck session. (verify-projections catches any loss.)
        opts.Projections.SkipStaleGapsDespiteLiveTransactionsAfter =
            TimeSpan.FromSeconds(configuration.GetValue("Registry:SkipStaleGapsAfterSeconds", 10));
        opts.Schema.For<IdempotencyRecord>();
        opts.Schema.For<Audit.AccessRecord>().Index(x => x.CitizenId);
    }
}
