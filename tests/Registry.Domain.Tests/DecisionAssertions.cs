using Registry.Domain.Common;

namespace Registry.Domain.Tests;

internal static class DecisionAssertions
{
    /// <summary>Asserts the decision was accepted with exactly one event, of type <typeparamref name="T"/>, and returns it.</summary>
    public static T ShouldAcceptOne<T>(this Decision decision)
    {
        decision.Error.Should().BeNull();
        decision.IsAccepted.Should().BeTrue();
        return decision.Events.Should().ContainSingle().Which.Should().BeOfType<T>().Subject;
    }

    /// <summary>Asserts the decision was rejected with the code and field given, and that nothing would be appended.</summary>
    public static DomainError ShouldReject(this Decision decision, string code, string? field)
    {
        decision.IsAccepted.Should().BeFalse();
        decision.Events.Should().BeEmpty();
        decision.Error.Should().NotBeNull();
        decision.Error!.Code.Should().Be(code);
        decision.Error.Field.Should().Be(field);
        decision.Error.Message.Should().NotBeNullOrWhiteSpace();
        return decision.Error;
    }
}
