using System.Security.Claims;
using GraphQL;

namespace Registry.Api.GraphQL;

/// <summary>Per-request facts resolvers need: who asks and the correlation id every resulting event carries.</summary>
public sealed class RegistryUserContext : Dictionary<string, object?>
{
    public required string Actor { get; init; }
    public required string CorrelationId { get; init; }
    public required ClaimsPrincipal User { get; init; }

    /// <summary>
    /// Households as they were on an auditor's chosen date, by citizen id: while set, Citizen.household
    /// answers from here instead of from today's membership.
    /// </summary>
    public Dictionary<Guid, Households.HouseholdView?> HouseholdsAsOf { get; } = [];

    /// <summary>Why the caller reads (X-Purpose header), kept in the access log.</summary>
    public string? Purpose { get; init; }
}

public static class ResolveContextExtensions
{
    public static RegistryUserContext Registry(this IResolveFieldContext context) => (RegistryUserContext)context.UserContext;
}
