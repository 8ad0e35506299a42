namespace Registry.Api.Hosting;

/// <summary>
/// A setting the register cannot run without is missing or malformed. The verbs answer it with its
/// one-line message and exit code 2; the message names the setting, never a value.
/// </summary>
public sealed class ConfigurationMissingException(string message) : InvalidOperationException(message);
