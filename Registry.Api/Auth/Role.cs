using Registry.Domain.Common;
using DepartmentCodes = Registry.Domain.Programmes.Departments;

namespace Registry.Api.Auth;

/// <summary>
/// A role a token may carry: caseworker, supervisor, auditor, admin, analyst, or a department service the register serves
/// (department:SASSA, department:DHS, department:DBE, department:STATSSA, and one municipality,
/// department:MUNICIPALITY:&lt;CODE&gt; with a code of <see cref="Municipalities"/>). The one place the
/// register parses a role string; anything else is not a role.
/// </summary>
public readonly record struct Role
{
    private Role(string value, string? department, string? municipality) => (Value, Department, Municipality) = (value, department, municipality);

    public string Value { get; }

    /// <summary>The department a department service speaks for (SASSA, …, MUNICIPALITY); null for people's roles.</summary>
    public string? Department { get; }

    /// <summary>The municipality's demarcation code for department:MUNICIPALITY:&lt;CODE&gt;.</summary>
    public string? Municipality { get; }

    public override string ToString() => Value;

    /// <summary>Departments that speak as one service; a municipality speaks only with its code.</summary>
    private static readonly string[] NationalDepartments =
        [DepartmentCodes.SocialDevelopment, DepartmentCodes.HumanSettlements, DepartmentCodes.BasicEducation, DepartmentCodes.Statistics];

    public static bool TryParse(string? text, out Role role)
    {
        role = default;
        switch (text)
        {
            case Roles.Caseworker or Roles.Supervisor or Roles.Auditor or Roles.Admin or Roles.Analyst:
                role = new Role(text, null, null);
                return true;
            case null:
                return false;
        }
        if (!text.StartsWith(Roles.DepartmentPrefix, StringComparison.Ordinal)) return false;
        var parts = text[Roles.DepartmentPrefix.Length..].Split(':');
        if (parts is [var national] && NationalDepartments.Contains(national, StringComparer.Ordinal))
        {
            role = new Role(text, national, null);
            return true;
        }
        if (parts is [DepartmentCodes.Municipality, var code] && Municipalities.Find(code) is not null)
        {
            role = new Role(text, DepartmentCodes.Municipality, code);
            return true;
        }
        return false;
    }
}
