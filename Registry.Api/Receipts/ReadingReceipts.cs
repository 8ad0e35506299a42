using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;
using Marten;
using Registry.Api.Audit;
using Registry.Api.Auth;
using Registry.Api.Dci;
using Registry.Api.Eligibility;
using Registry.Api.GraphQL;
using Registry.Domain.Citizens;
using Registry.Domain.Programmes;

namespace Registry.Api.Receipts;

/// <summary>A signed receipt and the people whose facts the decision was made from (showing it is a read of each).</summary>
public sealed record IssuedReceipt(string Document, IReadOnlyList<Guid> People);

/// <summary>
/// Issues the receipt of a recorded decision from the event that recorded it, signed with the register's key. Nothing
/// is stored: Ed25519 is deterministic, so the same decision under the same key gives the same receipt byte for byte.
/// </summary>
public sealed class DecisionReceipts(IQuerySession session, RegisterSigningKey key)
{
    public async Task<IssuedReceipt?> ForAsync(Guid decisionId, CancellationToken ct)
    {
        if (await DecisionRecord.FindAsync(session, decisionId, ct) is not { } recorded) return null;
        // The person was erased: what was decided now reads as placeholders, and the register signs nothing in its place.
        if (recorded.Decision.IdNumber == Erasure.Placeholder) return null;
        var programme = await session.LoadAsync<Programme>(ProgrammeInfo.StreamIdFor(recorded.Decision.Programme), ct);
        var legalReference = programme?.Version(recorded.Decision.ParameterVersion)?.LegalReference;
        var facts = new RecordedDecisionFacts(decisionId, recorded.EntitlementId, recorded.Decision, legalReference, recorded.RecordedAt, recorded.AppealId);
        return new IssuedReceipt(DecisionReceipt.Issue(facts, key.KeyId, body => key.SignBytes(body)), EligibilityAnswer.PeopleIn(recorded.Inputs));
    }

    /// <summary>Checks a receipt against the register's current key.</summary>
    public ReceiptCheck Check(string document) => DecisionReceipt.Verify(document, key.PublicKey);
}

public static class ReadingReceipts
{
    /// <summary>EligibilityDecision.receipt: a field of a type that shows people, so reading it is logged like the decision.</summary>
    public static void AddTo(EligibilityDecisionType decision) =>
        decision.Field<StringGraphType>("receipt")
            .Description("The decision's signed receipt (canonical JSON, see docs/receipts.md); null when the decision was not recorded.")
            .Resolve().WithService<DecisionReceipts>()
            .ResolveAsync(async (ctx, receipts) => ctx.Source.DecisionId is { } id && !ctx.Source.Replay
                ? (await receipts.ForAsync(id, ctx.CancellationToken))?.Document
                : null);

    /// <summary>The receipt by decision id, for those who see recorded decisions: caseworkers and auditors.</summary>
    public static void AddTo(ObjectGraphType query) =>
        query.Field<StringGraphType>("decisionReceipt")
            .Description("The signed receipt of a recorded decision; null when no decision with this id was recorded.")
            .Argument<NonNullGraphType<IdGraphType>>("decisionId")
            .AuthorizeWithRoles(Roles.Caseworker, Roles.Auditor)
            .AboutAPerson()
            .Resolve().WithService<DecisionReceipts>()
            .ResolveAsync(async (ctx, receipts) =>
            {
                if (!Guid.TryParse(ctx.GetArgument<string>("decisionId"), out var id) || await receipts.ForAsync(id, ctx.CancellationToken) is not { } issued) return null;
                // A string shows no person object: the people of the decision are noted here.
                ctx.Registry().Access.Note(ctx, issued.People);
                return issued.Document;
            });
}
