using Microsoft.AspNetCore.Mvc;
using Registry.Api.StaffConsole.Forms;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>Register a person: who they are, as their ID number says, and where they live. Then their page.</summary>
public sealed class RegisterModel(ConsoleQuery query, PersonLinks links) : FormPage(query)
{
    /// <summary>The purpose the new person's page is read for: the access log shows the read came with the registration.</summary>
    public const string Purpose = "registering the person";

    public static readonly IReadOnlyList<Choice> Sexes = [new("FEMALE", "Female"), new("MALE", "Male")];
    public static readonly IReadOnlyList<Choice> Citizenships = [new("CITIZEN", "South African citizen"), new("PERMANENT_RESIDENT", "Permanent resident")];

    [BindProperty] public string? IdNumber { get; set; }
    [BindProperty] public string? FirstNames { get; set; }
    [BindProperty] public string? Surname { get; set; }
    [BindProperty] public DateInput DateOfBirth { get; set; } = new();
    [BindProperty] public string? Sex { get; set; }
    [BindProperty] public string? Citizenship { get; set; }
    [BindProperty] public AddressForm Address { get; set; } = new();

    protected override IReadOnlyCollection<string> FieldIds => ["idNumber", "firstNames", "surname", "dateOfBirth", "sex", "citizenship", .. AddressForm.FieldIds];

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var errors = new List<FieldError>();
        // People write an ID number in groups (850615 0001 089); the register reads 13 digits.
        var idNumber = Required(IdNumber?.Replace(" ", ""), "idNumber", "Enter the ID number", errors);
        var firstNames = Required(FirstNames, "firstNames", "Enter the first names", errors);
        var surname = Required(Surname, "surname", "Enter the surname", errors);
        var born = DateOfBirth.Read("dateOfBirth", "the date of birth", errors);
        var sex = OneOf(Sexes, Sex, "sex", "Select the person's sex", errors);
        var citizenship = OneOf(Citizenships, Citizenship, "citizenship", "Select whether the person is a citizen or a permanent resident", errors);
        var address = Address.Read(errors);
        if ((Errors = errors).Count > 0) return Page();

        var input = new Dictionary<string, object?>
        {
            ["idNumber"] = idNumber, ["firstNames"] = firstNames, ["surname"] = surname, ["dateOfBirth"] = born,
            ["sex"] = sex, ["citizenship"] = citizenship, ["address"] = address,
        };
        if (await SendAsync("registerCitizen", input, Purpose) is not { } rejected) return Page();
        if ((Errors = rejected).Count > 0) return Page();
        return Redirect($"{ConsoleHost.PathBase}/person/{links.Seal(idNumber!, Purpose)}?changed=registered");
    }
}
