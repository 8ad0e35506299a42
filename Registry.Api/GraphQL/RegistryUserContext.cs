using System.Security.Claims;
using GraphQL;

namespace Registry.Api.GraphQL;

/// <summary>Per-request facts resolvers need: who asks and the correlation id every resulting event carries.</summary>
public sealed class RegistryUserContext : Dictionary<string, object?>
{
    public required string Actor { get; init; }
    public required string CorrelationId { get; init; }
    public required ClaimsPrincipal User { get; init; }

    /// <summary>Why the caller reads (X-Purpose header), kept in the access log.</summary>
    public string? Purpose { get; init; }
}

public static class ResolveContextExtensions
{
    public static RegistryUserContext Registry(this IResolveFieldContext context) => (RegistryUserContext)context.UserContext;
}
