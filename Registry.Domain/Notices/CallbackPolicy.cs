using System.Net;
using System.Net.Sockets;
using Registry.Domain.Common;

namespace Registry.Domain.Notices;

/// <summary>
/// Where the register may send a department's notices. The host must be on the allow-list (names or
/// addresses); plain http only to a listed host, and never where https is required (Production). An address
/// inside the register's own network (private, loopback, link-local, the cloud metadata service, unspecified,
/// multicast) is refused unless that address itself is listed: a listed name that resolves there is not
/// enough, so a name cannot be pointed at an internal service after it was allowed.
/// </summary>
public sealed class CallbackPolicy(IEnumerable<string> allowedHosts, bool requireHttps)
{
    public const int MaxUrlLength = 2_000;

    private readonly HashSet<string> _allowed = [.. allowedHosts.Select(h => h.Trim().TrimStart('[').TrimEnd(']').ToLowerInvariant()).Where(h => h.Length > 0)];

    public static CallbackPolicy FromList(string? commaSeparated, bool requireHttps) =>
        new((commaSeparated ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries), requireHttps);

    /// <summary>Why the address may not be a callback, or null when it may.</summary>
    public DomainError? Check(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxUrlLength
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0 || uri.IdnHost.Length == 0)
            return Refuse("The callback is not an absolute https address without credentials or fragment.");
        var host = uri.IdnHost.TrimStart('[').TrimEnd(']').ToLowerInvariant();
        if (!_allowed.Contains(host))
            return Refuse("The callback's host is not on the register's allow-list (Webhooks:AllowedHosts).");
        if (uri.Scheme == "http" && requireHttps)
            return Refuse("A callback must use https.");
        if (IPAddress.TryParse(host, out var address) && !MayConnectTo(address))
            return Refuse("The callback's address is inside the register's own network.");
        return null;
    }

    /// <summary>Whether a connection may go to this address: a public one, or one listed by itself.</summary>
    public bool MayConnectTo(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return !IsInternal(address) || _allowed.Contains(address.ToString().ToLowerInvariant());
    }

    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xfe) == 0xfc; // unique local fc00::/7, where fd00:ec2::254 (a metadata service) lives
        }
        var v4 = address.GetAddressBytes();
        return v4[0] switch
        {
            0 or 10 or 127 => true,
            100 => v4[1] is >= 64 and < 128,            // shared address space (carrier NAT)
            169 => v4[1] == 254,                         // link-local, the metadata service 169.254.169.254
            172 => v4[1] is >= 16 and < 32,
            192 => v4[1] == 168 || (v4[1] == 0 && v4[2] == 0),
            198 => v4[1] is 18 or 19,                    // benchmarking
            >= 224 => true,                              // multicast and reserved
            _ => false,
        };
    }

    private static DomainError Refuse(string message) => new(ErrorCodes.InvalidInput, message, "callbackUrl");
}
