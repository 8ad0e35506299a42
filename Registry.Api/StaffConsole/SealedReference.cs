using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Registry.Api.StaffConsole;

/// <summary>
/// A value the console puts in an address sealed (encrypted, signed, expiring) instead of in the clear: an ID number,
/// an audit subject, a trail of cursors. Each kind has its own protector purpose, so one kind cannot pass for another.
/// </summary>
public sealed class SealedReference<T>(IDataProtectionProvider protection, string purpose, TimeSpan lifetime) where T : class
{
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector(purpose).ToTimeLimitedDataProtector();

    public string Seal(T value) => _protector.Protect(JsonSerializer.Serialize(value), lifetime);

    /// <summary>The value, or null for a reference that was altered, made elsewhere or has expired.</summary>
    public T? Open(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(_protector.Unprotect(reference));
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }
}
