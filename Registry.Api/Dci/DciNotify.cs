using System.Text.Json;
using Registry.Api.Notices;
using Registry.Domain.Notices;

namespace Registry.Api.Dci;

internal sealed record NotifyMessage(string TransactionId, IReadOnlyList<NotifyEvent> NotifyEvent);

internal sealed record NotifyEvent(string ReferenceId, string Timestamp, NotifyData Data);

internal sealed record NotifyData(string Version, string RegType, string RegEventType, string ResponseEntity, IReadOnlyList<NotifyRecord> RegRecords);

/// <param name="Identifier">The person the notice is about, by UIN; absent for a notice about no one (PARAMETERS_PUBLISHED).</param>
/// <param name="Notice">The notice exactly as `changes` shows it to the department (a register extension).</param>
internal sealed record NotifyRecord(IReadOnlyList<DciIdentifier>? Identifier, JsonElement Notice);

/// <summary>
/// The DCI registry/notify message for a batch of a DCI subscription's notices: the standard's callback header
/// (action notify, sender_id the register, receiver_id the subscriber's sender_id) and a NotifyEventRequest with
/// one notify_event per notice, signed with the register's Ed25519 key as its search answers are.
/// transaction_id is the subscription_code; each reference_id is the notice's id, the same on a redelivery.
/// </summary>
public static class DciNotify
{
    public const string Action = "notify";

    public static byte[] Body(RegisterSigningKey signing, WebhookSubscription subscription, NoticeBatch batch, DateTimeOffset now)
    {
        var events = batch.Notices.Select(n => Event(n.Json)).ToList();
        var header = new ResponseHeader(DciEndpoint.Version, Guid.CreateVersion7(now).ToString(), now, Action, DciReasonCodes.Success, null, null,
            events.Count, events.Count, signing.RegistryId, subscription.ReceiverId, false);
        return DciEnvelope.Signed(signing, header, new NotifyMessage(subscription.Id.ToString(), events), now);
    }

    private static NotifyEvent Event(JsonElement notice)
    {
        var uin = notice.TryGetProperty("subjectIdNumber", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        var record = new NotifyRecord(uin is null ? null : [new DciIdentifier("UIN", uin)], notice);
        return new NotifyEvent(notice.GetProperty("id").GetString()!, notice.GetProperty("recordedAt").GetString()!,
            new NotifyData(DciEndpoint.Version, DciEndpoint.RegType, notice.GetProperty("kind").GetString()!, "Member", [record]));
    }
}
