using System.Reflection;
using Registry.Domain.Common;

namespace Registry.Domain.Tests;

/// <summary>Callers branch on error codes: each is listed where they read, and none is said twice.</summary>
public sealed class ErrorVocabularyTests
{
    private static readonly string[] Codes = [.. typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    [Fact]
    public void Every_error_code_is_listed_in_the_readme()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        Codes.Where(code => !readme.Contains($"`{code}`")).Should().BeEmpty();
    }

    [Fact]
    public void No_two_constants_name_the_same_code()
    {
        Codes.Should().OnlyHaveUniqueItems();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Registry.sln"))) return dir.FullName;
        throw new InvalidOperationException("Registry.sln not found above the test binaries.");
    }
}
