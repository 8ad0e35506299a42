using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Auth;
using Registry.Domain.Common;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>
/// A municipality's view (municipality(code) { indigentHouseholds }): how many households are at or under its indigent
/// ceiling, which needs no purpose; the households themselves name people, so listing them asks why first (a GET form:
/// the purpose goes to the access log with the read, as on Find).
/// </summary>
public sealed class MunicipalityModel(ConsoleQuery query) : ConsolePage(query)
{
    private const string CountDocument = """
        query($code: String!) { municipality(code: $code) { indigentHouseholds(first: 1) { totalCount } freshness { eventsBehind } } }
        """;
    private const string ListDocument = """
        query($code: String!, $after: String) {
          municipality(code: $code) {
            freshness { eventsBehind }
            indigentHouseholds(first: 20, after: $after) {
              totalCount pageInfo { hasNextPage endCursor }
              edges { node { headIdNumber members monthlyIncome address { line1 line2 suburb city postalCode } } }
            }
          }
        }
        """;

    protected override string RefusalMessage => "Your role does not allow you to see this municipality's households.";

    [FromRoute] public string? Code { get; set; }
    [FromQuery(Name = "purpose")] public string? Purpose { get; set; }
    [FromQuery(Name = "after")] public string? After { get; set; }

    public Municipality? Municipality { get; private set; }
    public int TotalCount { get; private set; }
    public int EventsBehind { get; private set; }

    /// <summary>The page of households, once a purpose was given; otherwise empty.</summary>
    public IReadOnlyList<JsonElement> Households { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public bool Listed { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "code")] string? chosen)
    {
        if (string.IsNullOrEmpty(Code))
        {
            // A municipal service speaks for its own municipality: its page is the only one to go to.
            var own = Roles.MunicipalitiesOf(User);
            var code = chosen ?? (own.Count == 1 ? own[0] : null);
            return code is null ? Page() : Redirect($"{ConsoleHost.PathBase}/municipality/{Uri.EscapeDataString(code.Trim().ToUpperInvariant())}");
        }
        Municipality = Municipalities.Find(Code.ToUpperInvariant());
        if (Municipality is null) return Refuse(StatusCodes.Status404NotFound, "The register knows no municipality with this code.");

        var purpose = Audit.PurposeRule.Parse(Purpose);
        if (Purpose is not null && (purpose is null || Purpose.Any(char.IsControl)))
        {
            Errors = [new FieldError("purpose", ErrorCodes.PurposeRequired, string.IsNullOrWhiteSpace(Purpose)
                ? "Enter why you need the list of households"
                : $"Say why in plain words, in {Audit.PurposeRule.MaxLength} characters or fewer, without an ID number")];
            purpose = null;
        }
        Listed = purpose is not null;
        var variables = new { code = Municipality.Code, after = After };
        if (await RunAsync(Listed ? ListDocument : CountDocument, variables, purpose) is not { } answer) return Page();
        var view = answer.Data.GetProperty("municipality");
        var households = view.GetProperty("indigentHouseholds");
        TotalCount = households.GetProperty("totalCount").GetInt32();
        EventsBehind = view.GetProperty("freshness").GetProperty("eventsBehind").GetInt32();
        if (Listed)
        {
            Households = [.. households.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))];
            var pageInfo = households.GetProperty("pageInfo");
            NextCursor = pageInfo.GetProperty("hasNextPage").GetBoolean() ? pageInfo.GetProperty("endCursor").GetString() : null;
        }
        return Page();
    }
}
