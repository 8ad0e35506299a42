using JasperFx.Events.Projections;
using Marten;
using Marten.Schema;
using Registry.Domain.Citizens;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;
using Registry.Domain.Households;
using Registry.Projections.Citizens;
using Registry.Projections.Entitlements;
using Registry.Projections.Households;
using Registry.Projections.Municipalities;
using Registry.Projections.Programmes;
using Registry.Projections.SocialDevelopment;

namespace Registry.Projections;

public static class RegistryDocuments
{
    public const string CitizenIdNumberIndex = "uix_citizen_id_number";
    public const string HouseholdJoiningCitizenIndex = "ix_household_joining_citizen";
    public const string CitizenAddressLineIndex = "ix_citizen_address_line1";

    /// <summary>
    /// The order a rebuild must keep: the inline projections (each folds only its own events) together,
    /// then the async ones, which read the inline documents and would read them half-rebuilt otherwise
    /// (a municipal household computed while its members' documents are being refilled counts nobody).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> RebuildPhases(this StoreOptions opts)
    {
        var projections = ((IReadOnlyStoreOptions)opts).Events.Projections().DistinctBy(p => p.Name).ToList();
        return [.. new[] { ProjectionLifecycle.Inline, ProjectionLifecycle.Async }
            .Select(lifecycle => (IReadOnlyList<string>)[.. projections.Where(p => p.Lifecycle == lifecycle).Select(p => p.Name)])
            .Where(phase => phase.Count > 0)];
    }

    /// <summary>Every projection and document index of the register, registered in one place.</summary>
    public static StoreOptions AddRegistryProjections(this StoreOptions opts)
    {
        // Every appended event is sealed into its stream's hash chain before it is saved.
        opts.Listeners.Add(new Integrity.EventChainListener());
        opts.Projections.Add<CitizenProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<CitizenMergeProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<HouseholdProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<HouseholdMembershipProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<HouseholdJoiningProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<ProgrammeProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<Simulation.SimulationRunProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<Notices.WebhookSubscriptionProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<ChangeRequests.ChangeRequestProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<EntitlementProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<DecisionLocationProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<Appeals.AppealProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<SocialGrantProjection>(ProjectionLifecycle.Inline);
        // Department read models that need not be in the writer's transaction run in the async daemon.
        opts.Projections.Add<MunicipalHouseholdProjection>(ProjectionLifecycle.Async);
        // Each department's change notices, written in event order beside the daemon's progress.
        opts.Events.Subscribe(new Notices.NoticeWriter());
        // An enacted simulation's comparison with what its publication did, counted as the re-assessments come.
        opts.Events.Subscribe(new Simulation.EnactmentWriter());

        // "One ID number, one citizen", race-proof: the losing registration's transaction fails here.
        opts.Schema.For<Citizen>()
            .UniqueIndex(UniqueIndexType.Computed, CitizenIdNumberIndex, x => x.IdNumber)
            .Index(x => x.Surname, i => i.Casing = ComputedIndex.Casings.Lower)
            .Index(x => x.Address.MunicipalityCode)
            // The duplicate check's address block: a municipality holds tens of thousands, a first address line a handful.
            .Index(x => x.Address.Line1, i => (i.Casing, i.Name) = (ComputedIndex.Casings.Lower, CitizenAddressLineIndex))
            .Index(x => x.DateOfBirth);
        opts.Schema.For<HouseholdMembership>().Index(x => x.HouseholdId);
        // The approval queue (pending, oldest first) and a person's pending requests.
        opts.Schema.For<Domain.ChangeRequests.ChangeRequest>().Index(x => x.Status).Index(x => x.PersonId);
        opts.Schema.For<HouseholdJoining>().Index(x => x.CitizenId, i => i.Name = HouseholdJoiningCitizenIndex);
        opts.Schema.For<Entitlement>().Index(x => x.BeneficiaryId).Index(x => x.Programme).Index(x => x.Status);
        opts.Schema.For<Domain.Appeals.Appeal>().Index(x => x.EntitlementId).Index(x => x.DecisionId);
        opts.Schema.For<Programme>();
        opts.Schema.For<Simulation.SimulatedPerson>().Index(x => x.RunId).Index(x => x.CitizenId);
        opts.Schema.For<Simulation.EnactmentTally>();
        opts.Schema.For<Simulation.EnactmentDifference>().Index(x => x.RunId).Index(x => x.CitizenId);
        opts.Schema.For<Integrity.IntegrityCheckpoint>().Identity(x => x.Id);
        opts.Schema.For<Integrity.RegisterCheck>();
        opts.Schema.For<SocialGrantRecord>().Index(x => x.Programme).Index(x => x.Status);
        // Each feed is read in position order after a consumer's position: the pair is the feed's key.
        opts.Schema.For<Notices.ChangeNotice>()
            .UniqueIndex(UniqueIndexType.DuplicatedField, "uix_change_notice_audience_position", x => x.Audience, x => x.Position);
        opts.Schema.For<Notices.NoticedEntitlement>().Index(x => x.BeneficiaryId);
        opts.Schema.For<Notices.NoticedHousehold>();
        opts.Schema.For<Domain.Notices.WebhookSubscription>().Duplicate(x => x.Feed);
        // Two nodes queueing the same subscription's next batch: the second fails instead of sending it twice.
        opts.Schema.For<Notices.WebhookProgress>().UseOptimisticConcurrency(true);
        opts.Schema.For<Notices.WebhookDelivery>().Index(x => x.SubscriptionId).Index(x => x.Position);
        opts.Schema.For<MunicipalHousehold>().Index(x => x.MunicipalityCode).Index(x => x.MonthlyIncome);
        // Not a projection, so no rebuild touches it. No timestamp or version columns: the row says nothing of when.
        opts.Schema.For<Privacy.ErasedResidue>().Metadata(m => m.DisableInformationalFields());
        // The console's Data Protection key ring, shared by every node.
        opts.Schema.For<Privacy.KeyRingElement>();
        return opts;
    }
}
