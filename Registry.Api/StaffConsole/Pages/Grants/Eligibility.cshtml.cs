using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Hosting;
using Registry.Api.StaffConsole.Forms;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages.Grants;

/// <summary>
/// "Is this person eligible for this programme on this date, and why?": a GET form, so the question is a bookmarkable
/// address (naming no ID number) and works without JavaScript. Nothing is recorded; the person's record is read for the purpose given.
/// </summary>
public sealed class EligibilityModel(ConsoleQuery query, PersonLinks links, TimeProvider clock) : ConsolePage(query)
{
    // The batch form of the question answers "no parameters in force" and the like as data, which the form shows next to its field;
    // the single question would answer them as request errors. One request is one evaluation either way.
    private const string Document = $$"""
        query($id: String!, $requests: [EligibilityRequest!]!, $ask: Boolean!) {
          citizen(idNumber: $id) { firstNames surname }
          eligibilityBatch(requests: $requests) @include(if: $ask) { {{GrantReading.Decision}} error { code field message } }
        }
        """;

    [FromRoute] public string Reference { get; set; } = "";
    [FromQuery(Name = "programme")] public string? Programme { get; set; }
    [FromQuery(Name = "on")] public string? On { get; set; }

    public string Name { get; private set; } = "";

    /// <summary>The register's answer, once a programme and a date were asked about.</summary>
    public JsonElement? Decision { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (links.Open(Reference) is not { } link) return LinkExpired();
        // Arriving from the record, nothing is asked yet: the form, with today's date. A form sent back empty is a question with no answers.
        var asked = Request.Query.ContainsKey("programme") || Request.Query.ContainsKey("on");
        var errors = new List<FieldError>();
        DateOnly? on = null;
        if (asked)
        {
            if (!ProgrammeChoices.IsKnown(Programme)) errors.Add(new("programme", ErrorCodes.InvalidInput, "Select the programme to check"));
            on = string.IsNullOrWhiteSpace(On) ? clock.Today() : ParseDate(On);
            if (on is null) errors.Add(new("on", ErrorCodes.InvalidDate, "Enter the date as year, month and day, like 2026-12-02"));
            else if (string.IsNullOrWhiteSpace(On)) On = Iso(on.Value);
        }
        else On = Iso(clock.Today());
        var ask = asked && errors.Count == 0;
        object[] requests = ask ? [new { idNumber = link.IdNumber, programme = Programme, on = Iso(on!.Value) }] : [];
        if (await RunAsync(Document, new { id = link.IdNumber, requests, ask }, link.Purpose) is not { } answer) return Page();
        var citizen = answer.Data.GetProperty("citizen");
        if (citizen.ValueKind == JsonValueKind.Null) return Refuse(StatusCodes.Status404NotFound, "This person is no longer in the register.");
        Name = GrantReading.Name(citizen);
        if (ask)
        {
            var decision = answer.Data.GetProperty("eligibilityBatch")[0];
            if (decision.GetProperty("error") is { ValueKind: JsonValueKind.Object } unanswered)
                errors.Add(Unanswered(unanswered.GetProperty("code").GetString(), on!.Value));
            else Decision = decision;
        }
        Errors = errors;
        return Page();
    }

    public SelectField ProgrammeField => new("programme", "programme", "Programme", ProgrammeChoices.All, Programme, ErrorFor("programme"));

    public TextField OnField => new("on", "on", "On which date?", On, ErrorFor("on"),
        "Year, month and day, for example 2026-12-02. A past date uses the record and the rules as they were then.", "input-10");

    /// <summary>Why the register could not answer, in the form's words and at the field to change.</summary>
    private FieldError Unanswered(string? code, DateOnly on) => code switch
    {
        ErrorCodes.NoParametersInForce => new("on", code, $"The register holds no rules of the {ProgrammeChoices.NameOf(Programme)} in force on {Labels.Date(Iso(on))}. Choose a later date"),
        ErrorCodes.NoSchoolFeesRecorded => new("programme", code, "No school fees are recorded for the learner's school year, so the exemption cannot be worked out yet"),
        _ => new(null, code ?? "", "The register could not answer this question for this person"),
    };

    /// <summary>
    /// The date of the question travels in the address as one value (?on=2026-12-02), so a question can be linked to;
    /// "2 December 2026" and "2/12/2026" are read too. Null when it is not a date.
    /// </summary>
    private static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact((text ?? "").Trim(), ["yyyy-MM-dd", "d MMMM yyyy", "d MMM yyyy", "d/M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
