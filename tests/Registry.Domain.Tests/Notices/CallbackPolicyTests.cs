using System.Net;
using Registry.Domain.Notices;

namespace Registry.Domain.Tests.Notices;

/// <summary>Where a department's notices may be sent: listed hosts only, https where it is required, never into the register's own network by a name.</summary>
public sealed class CallbackPolicyTests
{
    private static readonly CallbackPolicy Production = CallbackPolicy.FromList("hooks.sassa.gov.za, 127.0.0.1", requireHttps: true);
    private static readonly CallbackPolicy Development = CallbackPolicy.FromList("hooks.sassa.gov.za,127.0.0.1,[::1]", requireHttps: false);

    [Theory]
    [InlineData("https://hooks.sassa.gov.za/registry")]
    [InlineData("https://HOOKS.sassa.gov.za:8443/registry?source=registry")]
    [InlineData("https://127.0.0.1:9443/hooks")]
    public void A_listed_https_callback_is_accepted_in_production(string url) => Production.Check(url).Should().BeNull();

    [Theory]
    [InlineData("http://hooks.sassa.gov.za/registry")]
    [InlineData("http://127.0.0.1:8080/hooks")]
    public void Plain_http_is_refused_where_https_is_required(string url) =>
        Production.Check(url).Should().BeEquivalentTo(new { Code = "INVALID_INPUT", Field = "callbackUrl" });

    [Theory]
    [InlineData("http://127.0.0.1:8080/hooks")]
    [InlineData("http://[::1]:8080/hooks")]
    [InlineData("http://hooks.sassa.gov.za/registry")]
    public void Plain_http_to_a_listed_host_is_accepted_outside_production(string url) => Development.Check(url).Should().BeNull();

    [Theory]
    [InlineData("https://hooks.example.org/registry")]
    [InlineData("https://evil.hooks.sassa.gov.za/registry")]
    [InlineData("https://hooks.sassa.gov.za.evil.org/registry")]
    [InlineData("https://10.0.0.5/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[fd00:ec2::254]/latest")]
    [InlineData("https://localhost/hooks")]
    [InlineData("https://user:secret@hooks.sassa.gov.za/registry")]
    [InlineData("https://hooks.sassa.gov.za/registry#fragment")]
    [InlineData("ftp://hooks.sassa.gov.za/registry")]
    [InlineData("file:///etc/passwd")]
    [InlineData("hooks.sassa.gov.za/registry")]
    [InlineData("")]
    [InlineData(null)]
    public void An_unlisted_or_malformed_callback_is_refused(string? url) => Development.Check(url).Should().NotBeNull();

    [Fact]
    public void A_callback_address_longer_than_allowed_is_refused() =>
        Development.Check("https://hooks.sassa.gov.za/" + new string('a', CallbackPolicy.MaxUrlLength)).Should().NotBeNull();

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.10.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::")]
    public void An_internal_address_is_not_connected_to_unless_it_is_listed_itself(string address)
    {
        var byName = CallbackPolicy.FromList("hooks.sassa.gov.za", requireHttps: true);
        byName.MayConnectTo(IPAddress.Parse(address)).Should().BeFalse("a listed name that resolves here does not make the address allowed");
        CallbackPolicy.FromList(IPAddress.Parse(address).IsIPv4MappedToIPv6 ? IPAddress.Parse(address).MapToIPv4().ToString() : address, requireHttps: true)
            .MayConnectTo(IPAddress.Parse(address)).Should().BeTrue("an address listed by itself is allowed");
    }

    [Theory]
    [InlineData("196.25.1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("2c0f:fb50::1")]
    public void A_public_address_of_a_listed_name_is_connected_to(string address) =>
        CallbackPolicy.FromList("hooks.sassa.gov.za", requireHttps: true).MayConnectTo(IPAddress.Parse(address)).Should().BeTrue();
}
