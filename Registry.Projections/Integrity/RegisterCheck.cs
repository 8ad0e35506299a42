namespace Registry.Projections.Integrity;

/// <summary>
/// An auditor's check of the whole register, worked off in the background one page of the event log at a
/// time: who asked, how far it has got (<see cref="Progress"/>, of <see cref="Total"/> events when it began),
/// and, once done, the signed checkpoints' finding. <see cref="Pages"/> names the page the next message must
/// be for, so a redelivered message checks nothing twice.
/// </summary>
public sealed record RegisterCheck(Guid Id, string RequestedBy, DateTimeOffset RequestedAt, long Total, ChainProgress Progress, int Pages = 0,
    CheckpointReport? Checkpoints = null, DateTimeOffset? FinishedAt = null)
{
    public bool Done => FinishedAt is not null;
}
