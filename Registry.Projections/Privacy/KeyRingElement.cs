namespace Registry.Projections.Privacy;

/// <summary>
/// One element of the key ring that protects the console's cookies, anti-forgery tokens and sealed references
/// (ASP.NET Core Data Protection), kept in the register's own database so that every node reads the same ring.
/// <see cref="Xml"/> is the element as Data Protection wrote it, its secret encrypted under the register's master key.
/// </summary>
public sealed record KeyRingElement(string Id, string Xml);
