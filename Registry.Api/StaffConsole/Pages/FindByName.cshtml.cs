using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.StaffConsole.Forms;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>
/// Find people by surname and date of birth, saying why. The search is posted, never put in an address (a surname and a
/// birth date in browser history name a person); each person found is linked by a sealed reference, and the next
/// page is asked with the same post and the register's cursor.
/// </summary>
public sealed class FindByNameModel(ConsoleQuery query, PersonLinks links) : FormPage(query)
{
    public const int PageSize = 20;

    private const string Search = """
        query($filter: CitizenFilter, $after: String) {
          citizens(first: 20, after: $after, filter: $filter) {
            totalCount pageInfo { hasNextPage endCursor }
            edges { node { idNumber firstNames surname dateOfBirth dateOfDeath address { city } } }
          }
        }
        """;

    [BindProperty] public string? Surname { get; set; }
    [BindProperty] public DateInput DateOfBirth { get; set; } = new();
    [BindProperty] public string? Purpose { get; set; }
    [BindProperty] public string? After { get; set; }

    protected override IReadOnlyCollection<string> FieldIds => ["surname", "dateOfBirth", "purpose"];

    /// <summary>Null until a search was made.</summary>
    public IReadOnlyList<Found>? People { get; private set; }

    public int Total { get; private set; }
    public string? NextCursor { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var errors = new List<FieldError>();
        var surname = Required(Surname, "surname", "Enter the surname", errors);
        var born = DateOfBirth.Read("dateOfBirth", "the date of birth", errors);
        FindModel.Check(Purpose, errors);
        if ((Errors = errors).Count > 0) return Page();

        var purpose = Audit.PurposeRule.Parse(Purpose)!;
        var variables = new { filter = new { surname, bornAfter = born, bornBefore = born }, after = string.IsNullOrEmpty(After) ? null : After };
        if (await RunAsync(Search, variables, purpose, ErrorCodesHandled) is not { } answer) return Page();
        if (answer.ErrorCodes.Count > 0)
        {
            // Only a cursor the register did not give can fail here: start the search again from its first page.
            Errors = [new("surname", answer.ErrorCodes[0], "This list has expired. Search again")];
            return Page();
        }
        var citizens = answer.Data.GetProperty("citizens");
        Total = citizens.GetProperty("totalCount").GetInt32();
        NextCursor = citizens.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean() ? citizens.GetProperty("pageInfo").GetProperty("endCursor").GetString() : null;
        People =
        [
            .. citizens.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).Select(n => new Found(
                links.Seal(n.GetProperty("idNumber").GetString()!, purpose),
                $"{n.GetProperty("firstNames").GetString()} {n.GetProperty("surname").GetString()}",
                Labels.Date(n.GetProperty("dateOfBirth").GetString()),
                n.GetProperty("address").ValueKind == JsonValueKind.Object ? n.GetProperty("address").GetProperty("city").GetString() : null,
                n.GetProperty("dateOfDeath").ValueKind != JsonValueKind.Null)),
        ];
        return Page();
    }

    private static readonly string[] ErrorCodesHandled = [Domain.Common.ErrorCodes.InvalidCursor];

    /// <summary>A person found: their page's sealed reference and what tells them apart.</summary>
    public sealed record Found(string Reference, string Name, string BornOn, string? City, bool Deceased);
}
