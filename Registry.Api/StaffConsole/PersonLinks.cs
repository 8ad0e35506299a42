using Microsoft.AspNetCore.DataProtection;

namespace Registry.Api.StaffConsole;

/// <summary>
/// A person's pages are addressed by a sealed reference to their ID number and the purpose the caseworker
/// gave, not by the ID number itself: addresses end up in browser history, proxy logs and request
/// traces, where an ID number must not. The reference expires with the session.
/// </summary>
public sealed class PersonLinks(IDataProtectionProvider protection, TimeSpan lifetime)
{
    private readonly SealedReference<Link> _links = new(protection, "Registry.Console.PersonLink", lifetime);

    public string Seal(string idNumber, string purpose) => _links.Seal(new Link(idNumber, purpose));

    /// <summary>The ID number and purpose, or null for a reference that was altered, made elsewhere or has expired.</summary>
    public Link? Open(string? reference) => _links.Open(reference);

    public sealed record Link(string IdNumber, string Purpose);
}
