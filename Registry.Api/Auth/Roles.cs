using System.Security.Claims;

namespace Registry.Api.Auth;

/// <summary>The roles a token can carry. Department services are "department:CODE", e.g. department:SASSA.</summary>
public static class Roles
{
    public const string Caseworker = "caseworker";
    public const string Auditor = "auditor";
    public const string Admin = "admin";
    public const string DepartmentPrefix = "department:";

    public const string ClaimType = "role";

    /// <summary>Required-role wildcard: any department service.</summary>
    public const string AnyDepartment = "department:*";

    public static string Department(string code) => DepartmentPrefix + code;

    /// <summary>The departments a caller speaks for (department:SASSA → SASSA).</summary>
    public static IReadOnlyList<string> DepartmentsOf(ClaimsPrincipal user) =>
        [.. user.FindAll(ClaimType).Select(c => c.Value).Where(v => v.StartsWith(DepartmentPrefix, StringComparison.Ordinal)).Select(v => v[DepartmentPrefix.Length..])];

    public static bool IsKnown(string role) =>
        role is Caseworker or Auditor or Admin
        || role.StartsWith(DepartmentPrefix, StringComparison.Ordinal) && role.Length > DepartmentPrefix.Length;

    /// <summary>An administrator may do what a caseworker may; auditors and departments get only what names them.</summary>
    public static bool Satisfies(ClaimsPrincipal? user, IEnumerable<string> anyOf)
    {
        if (user?.Identity?.IsAuthenticated != true) return false;
        var held = user.FindAll(ClaimType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return anyOf.Any(r => held.Contains(r)
                              || r == Caseworker && held.Contains(Admin)
                              || r == AnyDepartment && held.Any(h => h.StartsWith(DepartmentPrefix, StringComparison.Ordinal)));
    }
}
