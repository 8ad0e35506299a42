using GraphQL.Types;
using Registry.Domain.Common;

namespace Registry.Api.GraphQL;

/// <summary>A domain rejection in a mutation payload: a normal answer, not a transport error.</summary>
public sealed class UserErrorType : ObjectGraphType<DomainError>
{
    public UserErrorType()
    {
        Name = "UserError";
        Field(x => x.Code).Description("Stable machine-readable code, e.g. DUPLICATE_ID_NUMBER.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("field")
            .Description("Path to the input field at fault, e.g. [\"input\", \"address\", \"postalCode\"].")
            .Resolve(ctx => ctx.Source.Field is { } f ? new[] { "input" }.Concat(f.Split('.')).ToArray() : null);
        Field(x => x.Message);
    }
}
