using System.Text.Json;
using JasperFx.CommandLine;

namespace Registry.Api.Hosting.Verbs;

/// <summary>The input of a verb whose figures a script reads (the benchmark): `--json` asks for them as data.</summary>
public class FiguresInput : NetCoreInput
{
    [Description("Print the figures as one JSON object on standard output (the sentences go to standard error)")]
    public bool JsonFlag { get; set; }
}

/// <summary>
/// Where a verb says what it did: sentences for the operator, and with --json its figures as one JSON object,
/// the only thing on standard output, so a script reads numbers rather than scraping sentences.
/// </summary>
public sealed class Figures(FiguresInput input)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Say(string sentence) => (input.JsonFlag ? Console.Error : Console.Out).WriteLine(sentence);

    public void Report(object figures)
    {
        if (input.JsonFlag) Console.Out.WriteLine(JsonSerializer.Serialize(figures, figures.GetType(), Json));
    }
}
