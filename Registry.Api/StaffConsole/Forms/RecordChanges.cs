namespace Registry.Api.StaffConsole.Forms;

/// <summary>What the person's page confirms after a form changed the record (?changed=…).</summary>
public static class RecordChanges
{
    private static readonly Dictionary<string, string> Confirmations = new(StringComparer.Ordinal)
    {
        ["registered"] = "The person was registered.",
        ["name"] = "The name was changed.",
        ["address"] = "The address was changed.",
        ["disability"] = "The disability assessment was recorded.",
        ["death"] = "The death was recorded.",
        ["correction"] = "The record was corrected.",
        ["orphanhood"] = "The orphanhood was recorded.",
        ["school"] = "The school attendance was recorded.",
        [HeldChanges.HeldChange] = "Sent to a supervisor for approval. Nothing changes until a supervisor approves it.",
    };

    public static string? Confirmation(string? changed) => changed is not null && Confirmations.TryGetValue(changed, out var text) ? text : null;
}
