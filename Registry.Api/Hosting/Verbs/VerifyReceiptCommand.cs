using JasperFx.CommandLine;
using Registry.Api.Dci;
using Registry.Api.Receipts;

namespace Registry.Api.Hosting.Verbs;

public sealed class VerifyReceiptInput : NetCoreInput
{
    [Description("The decision receipt (a file holding the JSON of EligibilityDecision.receipt)")]
    public string File { get; set; } = "";

    [Description("The register's public key, base64 of the raw 32 bytes (public_key at /.well-known/registry-keys); default: derived from Registry:MasterKey")]
    public string? KeyFlag { get; set; }
}

/// <summary>
/// verify-receipt: checks a decision receipt offline, with no database. It prints one line naming the key and what
/// failed, never what the receipt says about the person.
/// </summary>
[Description("Check a decision receipt's signature offline; exit code 0 valid, 2 invalid or unreadable", Name = "verify-receipt")]
public sealed class VerifyReceiptCommand : RegistryVerb<VerifyReceiptInput>
{
    protected override Task<int> RunAsync(VerifyReceiptInput input)
    {
        if (!System.IO.File.Exists(input.File))
        {
            Console.Error.WriteLine("verify-receipt needs the path of a receipt file.");
            return Task.FromResult(2);
        }
        byte[] publicKey;
        if (input.KeyFlag is { } text)
        {
            var raw = new byte[33];
            if (!Convert.TryFromBase64String(text.Trim(), raw, out var length) || length != 32)
            {
                Console.Error.WriteLine("--key must be base64 of a raw 32-byte Ed25519 public key.");
                return Task.FromResult(2);
            }
            publicKey = raw[..32];
        }
        else
        {
            using var key = new RegisterSigningKey(RegistryKeys.From(ConfigurationOnly(input).Configuration), new DciSettings().RegistryId);
            publicKey = key.PublicKey;
        }
        var check = DecisionReceipt.Verify(System.IO.File.ReadAllText(input.File), publicKey);
        Console.WriteLine(check.Valid
            ? $"Valid: the receipt is signed by key {check.KeyId}."
            : $"INVALID: {check.Problem} (key {DecisionReceipt.KeyIdOf(publicKey)}).");
        return Task.FromResult(check.Valid ? 0 : 2);
    }
}
