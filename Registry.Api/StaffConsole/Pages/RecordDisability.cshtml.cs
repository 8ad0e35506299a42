using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.StaffConsole.Forms;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>Record the outcome of a disability assessment: disabled or not, permanently or until a review.</summary>
public sealed class RecordDisabilityModel(ConsoleQuery query, PersonLinks links) : RecordFormPage(query, links)
{
    [BindProperty] public string? Disabled { get; set; }
    [BindProperty] public string? Permanent { get; set; }
    [BindProperty] public DateInput ReviewDate { get; set; } = new();

    protected override string Mutation => "recordDisabilityAssessment";
    protected override string Selection => "disability { disabled permanent reviewDate }";
    protected override string Changed => "disability";
    protected override IReadOnlyCollection<string> FieldIds => ["disabled", "permanent", "reviewDate"];

    protected override Dictionary<string, object?> Input(List<FieldError> errors)
    {
        var disabled = YesOrNo(Disabled, "disabled", "Select whether the assessment found a disability", errors);
        // Whether a disability is permanent is asked only of a disability; "not disabled" is never permanent.
        var permanent = disabled == true ? YesOrNo(Permanent, "permanent", "Select whether the disability is permanent", errors) : Permanent == "yes";
        var review = ReviewDate.Read("reviewDate", "the review date", errors, required: false);
        return new() { ["disabled"] = disabled, ["permanent"] = permanent, ["reviewDate"] = review };
    }

    protected override IReadOnlyList<RecordValue> Holds(JsonElement citizen) => [new("current-disability", "Disability", Describe(citizen.GetProperty("disability")))];

    public static string Describe(JsonElement disability) => disability.ValueKind == JsonValueKind.Null ? "No assessment recorded"
        : !disability.GetProperty("disabled").GetBoolean() ? "Not disabled"
        : disability.GetProperty("permanent").GetBoolean() ? "Disabled, permanently"
        : $"Disabled, to be reviewed on {Labels.Date(Text(disability, "reviewDate"))}";

    protected override FieldError InFormWords(FieldError error) => error switch
    {
        { Field: "reviewDate", Code: Domain.Common.ErrorCodes.InvalidDate } => error with { Message = "The review date must be after today" },
        { Field: "reviewDate" } => error with { Message = "Enter the review date: a temporary disability is assessed again" },
        { Field: "permanent" } => error with { Message = "Only a disability can be permanent: answer no, or say the assessment found a disability" },
        _ => base.InFormWords(error),
    };
}
