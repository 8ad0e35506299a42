using JasperFx;
using Registry.Api.Hosting;

// The verbs are found from any entry assembly (the test host's too), not only when this one is it.
[assembly: JasperFxAssembly]

// One binary, several verbs, each a JasperFx command (Hosting/Verbs); Marten's and Wolverine's own come too
// (db-apply, projections, codegen, resources, describe). `help` lists them. See docs/OPERATIONS.md.
// No verb serves, and then any arguments are ASP.NET Core's own `--key=value` configuration (how
// WebApplicationFactory configures the test host). Not JasperFx's default `run`: that one would answer
// a missing setting with a stack trace. `VERB --help` asks what JasperFx's `help VERB` answers.
var (host, commandLine) = args switch
{
    ["--help"] => (new RegistryHostBuilder { IsCommandLine = true }, ["help"]),
    [] or [['-', ..], ..] => (new RegistryHostBuilder(args), new[] { "serve" }),
    [var verb, "--help"] => (new RegistryHostBuilder { IsCommandLine = true }, ["help", verb]),
    _ => (new RegistryHostBuilder { IsCommandLine = true }, args),
};
// JasperFx prints a "Searching … for commands" banner per assembly until its extensions are applied once;
// the register has none to apply, and a verb's output (its --json above all) must be only the verb's.
new JasperFx.CommandLine.CommandFactory().ApplyExtensions(new ServiceCollection());
var exitCode = await host.RunJasperFxCommands(commandLine);
// JasperFx answers 0 or 1; a verb's own answer (2: bad input or a missing setting) is kept.
return host.ExitCode ?? exitCode;

/// <summary>Visible to the in-process test host.</summary>
public partial class Program;
