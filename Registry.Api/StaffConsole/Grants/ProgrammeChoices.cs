using GraphQL;
using Registry.Api.StaffConsole.Forms;
using Registry.Domain.Programmes;

namespace Registry.Api.StaffConsole;

/// <summary>The programmes a caseworker can choose on a form, by the code the register's schema names them with.</summary>
public static class ProgrammeChoices
{
    /// <summary>CHILD_SUPPORT_GRANT as "Child Support Grant", in the register's order.</summary>
    public static readonly IReadOnlyList<Choice> All =
        [.. ProgrammeInfo.All.Select(p => new Choice(p.Code.ToString().ToConstantCase(), p.Name))];

    public static bool IsKnown(string? code) => All.Any(p => p.Value == code);

    /// <summary>The programme's own name (Older Person's Grant), or the code in plain words for one this console does not know.</summary>
    public static string NameOf(string? code) => All.FirstOrDefault(p => p.Value == code)?.Label ?? Labels.Of(code);
}
