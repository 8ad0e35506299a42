using System.Security.Claims;

namespace Registry.Api.Auth;

/// <summary>The roles a token can carry (parsed by <see cref="Role"/>). Department services are "department:CODE", e.g. department:SASSA.</summary>
public static class Roles
{
    public const string Caseworker = "caseworker";
    public const string Auditor = "auditor";
    public const string Admin = "admin";
    /// <summary>A policy analyst: runs and reads policy simulations, sees people only under a pseudonym.</summary>
    public const string Analyst = "analyst";
    /// <summary>A senior caseworker: may do what a caseworker may, and is the second person a sensitive change needs.</summary>
    public const string Supervisor = "supervisor";
    public const string DepartmentPrefix = "department:";

    public const string ClaimType = "role";

    /// <summary>Required-role wildcard: any department service.</summary>
    public const string AnyDepartment = "department:*";

    public static string Department(string code) => DepartmentPrefix + code;

    /// <summary>The roles a caller holds that the register knows (authentication refuses a token with any other).</summary>
    public static IReadOnlyList<Role> Of(ClaimsPrincipal user) =>
        [.. user.FindAll(ClaimType).Select(c => Role.TryParse(c.Value, out var role) ? role : (Role?)null).OfType<Role>()];

    /// <summary>The departments a caller speaks for (department:SASSA → SASSA, department:MUNICIPALITY:CPT → MUNICIPALITY).</summary>
    public static IReadOnlyList<string> DepartmentsOf(ClaimsPrincipal user) =>
        [.. Of(user).Select(r => r.Department).OfType<string>()];

    /// <summary>The municipalities a caller speaks for (department:MUNICIPALITY:CPT → CPT).</summary>
    public static IReadOnlyList<string> MunicipalitiesOf(ClaimsPrincipal user) =>
        [.. Of(user).Select(r => r.Municipality).OfType<string>()];

    public static bool IsKnown(string role) => Role.TryParse(role, out _);

    /// <summary>An administrator or a supervisor may do what a caseworker may; auditors and departments get only what names them.</summary>
    public static bool Satisfies(ClaimsPrincipal? user, IEnumerable<string> anyOf)
    {
        if (user?.Identity?.IsAuthenticated != true) return false;
        var held = user.FindAll(ClaimType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return anyOf.Any(r => held.Contains(r)
                              || r == Caseworker && (held.Contains(Admin) || held.Contains(Supervisor))
                              || r == AnyDepartment && held.Any(h => h.StartsWith(DepartmentPrefix, StringComparison.Ordinal)));
    }
}
