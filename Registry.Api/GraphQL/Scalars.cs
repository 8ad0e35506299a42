using GraphQL.Types;

namespace Registry.Api.GraphQL;

/// <summary>ISO date, "2025-04-01": the contract's <c>Date</c>.</summary>
public sealed class DateScalar : DateOnlyGraphType
{
    public DateScalar() => Name = "Date";
}

/// <summary>ISO instant with offset, "2025-04-01T09:30:00+02:00": the contract's <c>DateTime</c>.</summary>
public sealed class DateTimeScalar : DateTimeOffsetGraphType
{
    public DateTimeScalar() => Name = "DateTime";
}
