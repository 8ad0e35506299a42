using GraphQL;
using Registry.Domain.Programmes;

namespace Registry.Api.StaffConsole;

/// <summary>The programmes a caseworker can choose on a form, by the code the register's schema names them with.</summary>
public static class ProgrammeChoices
{
    /// <summary>CHILD_SUPPORT_GRANT and "Child Support Grant", in the register's order.</summary>
    public static readonly IReadOnlyList<(string Code, string Name)> All =
        [.. ProgrammeInfo.All.Select(p => (p.Code.ToString().ToConstantCase(), p.Name))];

    public static bool IsKnown(string? code) => All.Any(p => p.Code == code);

    /// <summary>The programme's own name (Older Person's Grant), or the code in plain words for one this console does not know.</summary>
    public static string NameOf(string? code) => All.FirstOrDefault(p => p.Code == code).Name ?? Labels.Of(code);
}
