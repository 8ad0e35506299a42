using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Registry.Projections.Privacy;

namespace Registry.Api.StaffConsole;

/// <summary>
/// The console's Data Protection key ring (session cookie, anti-forgery tokens, sealed references) kept in the
/// register's database, so a session begun on one node is good on every other. Each key's secret is encrypted
/// under the register's master key: database read access alone does not forge a session.
/// </summary>
public static class ConsoleKeyRing
{
    /// <summary>One name for every node: Data Protection otherwise isolates apps by their content root path.</summary>
    public const string ApplicationName = "registry-console";

    public static void AddConsoleKeyRing(this IServiceCollection services, MasterKeys keys)
    {
        services.AddSingleton(keys);
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((o, sp) =>
        {
            o.XmlRepository = new Repository(sp.GetRequiredService<IDocumentStore>());
            o.XmlEncryptor = new Encryptor(keys);
        });
    }

    /// <summary>
    /// The ring's elements as Marten documents. Data Protection calls it synchronously and rarely (when it loads the
    /// ring, about once a day, and on a new key), with no synchronisation context to deadlock: it waits on Marten's async calls.
    /// </summary>
    private sealed class Repository(IDocumentStore store) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            // A writing session: it reads the primary, never a standby that may not have the newest key yet.
            using var session = store.LightweightSession();
            return [.. session.Query<KeyRingElement>().ToListAsync().GetAwaiter().GetResult().Select(e => XElement.Parse(e.Xml))];
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using var session = store.LightweightSession();
            session.Store(new KeyRingElement(friendlyName, element.ToString(SaveOptions.DisableFormatting)));
            session.SaveChangesAsync().GetAwaiter().GetResult();
        }
    }

    /// <summary>AES-GCM under a key derived from the master key; the element names which master key (by id, for a rotation).</summary>
    private sealed class Encryptor(MasterKeys keys) : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement)
        {
            var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
            var sealedBytes = new byte[Nonce + Tag + plain.Length];
            RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, Nonce));
            using var aes = new AesGcm(KeyFrom(keys.Current), Tag);
            aes.Encrypt(sealedBytes.AsSpan(0, Nonce), plain, sealedBytes.AsSpan(Nonce + Tag), sealedBytes.AsSpan(Nonce, Tag));
            var encrypted = new XElement("encryptedKey", new XAttribute("masterKey", keys.CurrentId), Convert.ToBase64String(sealedBytes));
            return new EncryptedXmlInfo(encrypted, typeof(Decryptor));
        }
    }

    /// <summary>Made by Data Protection from its type name, with the services (it finds the master keys there).</summary>
    public sealed class Decryptor(IServiceProvider services) : IXmlDecryptor
    {
        public XElement Decrypt(XElement encryptedElement)
        {
            var keys = services.GetRequiredService<MasterKeys>();
            var master = keys.Find((string?)encryptedElement.Attribute("masterKey") ?? "")
                ?? throw new CryptographicException("The console key ring was encrypted under a master key this node does not have (see Registry:PreviousMasterKeys).");
            var sealedBytes = Convert.FromBase64String(encryptedElement.Value);
            var plain = new byte[sealedBytes.Length - Nonce - Tag];
            using var aes = new AesGcm(KeyFrom(master), Tag);
            aes.Decrypt(sealedBytes.AsSpan(0, Nonce), sealedBytes.AsSpan(Nonce + Tag), sealedBytes.AsSpan(Nonce, Tag), plain);
            return XElement.Parse(Encoding.UTF8.GetString(plain));
        }
    }

    private const int Nonce = 12, Tag = 16;

    /// <summary>Its own key, not the master key itself: the master key wraps people's data keys and nothing else.</summary>
    private static byte[] KeyFrom(byte[] master) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, info: Encoding.UTF8.GetBytes("registry console key ring"));
}
