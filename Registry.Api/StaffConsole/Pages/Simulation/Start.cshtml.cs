using System.Globalization;
using System.Text.Json;
using GraphQL;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Auth;
using Registry.Api.StaffConsole.Forms;
using Registry.Domain.Common;
using Registry.Domain.Simulation;

namespace Registry.Api.StaffConsole.Pages.Simulation;

/// <summary>
/// Start a policy simulation, in two steps that need no script: pick the programme (a GET form, ?programme=X), then
/// the run's name, date and place, and the proposed figures, one number each, filled in with the figures in force
/// today. The page builds the parametersJson the register takes from them, so nobody types JSON.
/// </summary>
public sealed class StartModel(ConsoleQuery query) : FormPage(query)
{
    private const string ProgrammesDocument = "{ programmes { code parameters } }";

    public static readonly IReadOnlyList<Choice> Provinces =
        [.. Enum.GetValues<Province>().Select(p => p.ToString().ToConstantCase()).Select(p => new Choice(p, Labels.Name(p)))];

    /// <summary>A figure of the programme: its parameter's name, the value in force today, and the value proposed as typed.</summary>
    public sealed record Figure(string Key, decimal InForce, string? Proposed)
    {
        public string Id => $"figure-{Key}";

        /// <summary>incomeCeilingMonthly → "Income ceiling monthly"; a municipality's own figure (….CPT) names it.</summary>
        public string Label => Key.Split('.') is [var name, var place]
            ? $"{GrantReading.Criterion(name)}, {StatisticsModel.MunicipalityName(place)}"
            : GrantReading.Criterion(Key);
    }

    [BindProperty(SupportsGet = true)] public string? Programme { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public DateInput On { get; set; } = new();
    [BindProperty] public string? Province { get; set; }
    [BindProperty] public string? MunicipalityCode { get; set; }

    /// <summary>Step 2 once the programme is known: the form with its figures.</summary>
    public bool Chosen { get; private set; }

    public IReadOnlyList<Figure> Figures { get; private set; } = [];

    /// <summary>The notes of the set in force, kept with the proposal so it reads as a set the register could publish.</summary>
    private JsonElement _notes;

    protected override string RefusalMessage => "Your role does not allow you to start a policy simulation.";

    protected override IReadOnlyCollection<string> FieldIds => ["programme", "name", "on", "province", "municipalityCode", "figures", .. Figures.Select(f => f.Id)];

    public async Task<IActionResult> OnGetAsync()
    {
        if (!MayStart()) return Refuse(StatusCodes.Status403Forbidden, RefusalMessage);
        if (Programme is null) return Page();
        if (!ProgrammeChoices.IsKnown(Programme))
        {
            Errors = [new("programme", ErrorCodes.InvalidInput, "Select the programme to simulate")];
            return Page();
        }
        await ReadFiguresAsync(proposed: null);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!MayStart()) return Refuse(StatusCodes.Status403Forbidden, RefusalMessage);
        if (!ProgrammeChoices.IsKnown(Programme))
        {
            Errors = [new("programme", ErrorCodes.InvalidInput, "Select the programme to simulate")];
            Programme = null;
            return Page();
        }
        if (!await ReadFiguresAsync(key => Request.Form[$"figure-{key}"].ToString())) return Page();

        var errors = new List<FieldError>();
        var name = Required(Name, "name", "Enter a name for the simulation", errors);
        var on = On.Read("on", "the date", errors, required: false);
        var province = string.IsNullOrEmpty(Province) ? null : OneOf(Provinces, Province, "province", "Select a province, or leave it blank", errors);
        var municipality = string.IsNullOrEmpty(MunicipalityCode) ? null
            : OneOf(AddressForm.MunicipalityChoices, MunicipalityCode, "municipalityCode", "Select a municipality, or leave it blank", errors);
        var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var figure in Figures)
        {
            // Only that it is a number, which JSON needs; what a figure may be is the register's rule, said next to it below.
            if (Number(figure.Proposed) is { } value) values[figure.Key] = value;
            else errors.Add(new(figure.Id, ErrorCodes.InvalidInput, string.IsNullOrWhiteSpace(figure.Proposed)
                ? $"Enter the proposed {figure.Label.ToLowerInvariant()}"
                : $"Enter the proposed {figure.Label.ToLowerInvariant()} as a number, like {Plain(figure.InForce)}"));
        }
        if ((Errors = errors).Count > 0) return Page();

        var input = new Dictionary<string, object?>
        {
            ["name"] = name, ["programme"] = Programme,
            ["parametersJson"] = JsonSerializer.Serialize(new { values, notes = _notes.ValueKind == JsonValueKind.Object ? (object)_notes : new { } }),
            ["on"] = on?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["population"] = province is null && municipality is null ? null : new { province, municipalityCode = municipality },
        };
        if (await SendAsync("simulatePolicy", input, null, null, "run { id }") is not { } sent) return Page();
        if ((Errors = sent.Rejected).Count > 0) return Page();
        return Redirect($"{ConsoleHost.PathBase}/simulations/{sent.Payload.GetProperty("run").GetProperty("id").GetString()}");
    }

    private bool MayStart() => Roles.Satisfies(User, Api.Simulation.SimulatingPolicy.Runners);

    /// <summary>The programme's figures in force today, with the proposed values (the ones in force when none is posted yet).</summary>
    private async Task<bool> ReadFiguresAsync(Func<string, string?>? proposed)
    {
        if (await RunAsync(ProgrammesDocument, new { }, null, [ErrorCodes.NoParametersInForce]) is not { } answer) return false;
        var programme = answer.Data.ValueKind == JsonValueKind.Object && answer.Data.GetProperty("programmes") is { ValueKind: JsonValueKind.Array } all
            ? all.EnumerateArray().FirstOrDefault(p => p.GetProperty("code").GetString() == Programme)
            : default;
        if (programme.ValueKind != JsonValueKind.Object)
        {
            Errors = [new("programme", ErrorCodes.NoParametersInForce, "The register holds no parameters of this programme in force today, so there is nothing to compare with")];
            return false;
        }
        using var set = JsonDocument.Parse(programme.GetProperty("parameters").GetString()!);
        _notes = set.RootElement.TryGetProperty("notes", out var notes) ? notes.Clone() : default;
        Figures = [.. set.RootElement.GetProperty("values").EnumerateObject().Select(v =>
            new Figure(v.Name, v.Value.GetDecimal(), proposed is null ? Plain(v.Value.GetDecimal()) : proposed(v.Name)))];
        Chosen = true;
        return true;
    }

    /// <summary>"624", "3.5": a figure as the analyst types it.</summary>
    public static string Plain(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);

    /// <summary>A number as typed ("2 500", "R370", "3.5"); null when it is none.</summary>
    private static decimal? Number(string? text)
    {
        var plain = (text ?? "").Trim().TrimStart('R', 'r').Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal);
        return decimal.TryParse(plain, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>The register refuses the set as a whole (parametersJson) and names the parameter at fault ('monthlyAmount'): the error goes next to it.</summary>
    private FieldError OnFigure(FieldError error) =>
        Figures.FirstOrDefault(f => error.Message.Contains($"'{f.Key}'", StringComparison.Ordinal)) is { } figure
            ? error with { Field = figure.Id, Message = $"The proposed {figure.Label.ToLowerInvariant()} was refused: {error.Message}" }
            : error with { Field = "figures", Message = $"Check the proposed figures: {error.Message}" };

    protected override FieldError InFormWords(FieldError error) => (error.Code, error.Field) switch
    {
        (ErrorCodes.InvalidInput, "name") => error with { Message = $"Enter a name for the simulation in {SimulationRun.MaxNameLength} characters or fewer" },
        (ErrorCodes.InvalidDate, "on") => error with
        {
            Message = $"Enter a date on which this programme had parameters in force, at most {SimulationRun.MaxYearsAhead} years from today",
        },
        (ErrorCodes.InvalidInput, "parametersJson") => OnFigure(error),
        (ErrorCodes.InvalidInput, "municipalityCode") => error with { Message = "Select a municipality the register knows" },
        (ErrorCodes.InvalidInput, "province") => error with { Message = "Select the province the municipality is in, or leave the province blank" },
        _ => base.InFormWords(error),
    };
}
