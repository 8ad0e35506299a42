using Registry.Api.Hosting;

// One binary, several verbs: `serve` (default), `seed`, `verify`, `rebuild`, `verify-projections`, `generate`, `import`, `export`, `verify-export`, `witness`, `token`, `rewrap-keys`. See README.
var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
var rest = verb == "serve" && (args.Length == 0 || args[0].StartsWith('-')) ? args : args[1..];

try
{
    return verb switch
    {
        "serve" => await Verbs.ServeAsync(rest),
        "seed" => await Verbs.SeedAsync(rest),
        "token" => Verbs.Token(rest),
        "verify" => await Verbs.VerifyAsync(rest),
        "witness" => await Verbs.WitnessAsync(rest),
        "rebuild" => await Verbs.RebuildAsync(rest),
        "verify-projections" => await Verbs.VerifyProjectionsAsync(rest),
        "export" => await Verbs.ExportAsync(rest),
        "generate" => Verbs.Generate(rest),
        "import" => await Verbs.ImportAsync(rest),
        "verify-export" => Verbs.VerifyExport(rest),
        "rewrap-keys" => await KeyRotation.RewrapAsync(rest),
        _ => Verbs.Usage(verb),
    };
}
catch (ConfigurationMissingException missing)
{
    // A missing setting is the operator's to fix: one line, no stack trace.
    Console.Error.WriteLine($"{verb}: {missing.Message}");
    return 2;
}

/// <summary>Visible to the in-process test host.</summary>
public partial class Program;
