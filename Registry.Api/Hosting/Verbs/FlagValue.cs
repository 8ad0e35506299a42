using System.Globalization;
using JasperFx.CommandLine;

namespace Registry.Api.Hosting.Verbs;

/// <summary>
/// A typed flag value (a number, a GUID). JasperFx parses a plain int or Guid with T.Parse and shows a
/// FormatException's stack trace for `--hours twelve`; this type is built from the text (JasperFx uses a
/// constructor that takes a string) and refuses it as a usage error instead: one line, then the verb's usage.
/// </summary>
public sealed class FlagValue<T> where T : IParsable<T>
{
    public FlagValue(string text) =>
        Value = T.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : throw new InvalidUsageException($"'{text}' is not a {Kind}.");

    public FlagValue(T value) => Value = value;

    public T Value { get; }

    public static implicit operator FlagValue<T>(T value) => new(value);

    private static string Kind => typeof(T) == typeof(Guid) ? "GUID" : "number";

    public override string ToString() => Value?.ToString() ?? "";
}
