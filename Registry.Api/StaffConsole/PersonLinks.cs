using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Registry.Api.StaffConsole;

/// <summary>
/// A person's pages are addressed by a sealed reference to their ID number and the purpose the caseworker
/// gave, not by the ID number itself: addresses end up in browser history, proxy logs and request
/// traces, where an ID number must not. The reference expires with the session.
/// </summary>
public sealed class PersonLinks(IDataProtectionProvider protection, TimeSpan lifetime)
{
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Registry.Console.PersonLink").ToTimeLimitedDataProtector();

    public string Seal(string idNumber, string purpose) =>
        _protector.Protect(JsonSerializer.Serialize(new Link(idNumber, purpose)), lifetime);

    /// <summary>The ID number and purpose, or null for a reference that was altered, made elsewhere or has expired.</summary>
    public Link? Open(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return null;
        try
        {
            return JsonSerializer.Deserialize<Link>(_protector.Unprotect(reference));
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }

    public sealed record Link(string IdNumber, string Purpose);
}
