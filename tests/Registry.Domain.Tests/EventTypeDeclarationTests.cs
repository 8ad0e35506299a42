using System.Runtime.CompilerServices;
using Registry.Domain.ChangeRequests;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Entitlements;
using Registry.Domain.Households;
using Registry.Domain.Programmes;
using Registry.Domain.Simulation;

namespace Registry.Domain.Tests;

/// <summary>
/// The projections read only the event types each fold declares. A fold that handles a type it does not
/// declare would silently stop seeing it; one that declares a type it ignores makes every such append
/// load a document for nothing. Every type of the domain is offered to each fold: the fold's last arm
/// hands back the same state for what it ignores, so anything else (a new state, or a throw on an empty
/// instance's missing values) means the type is handled.
/// </summary>
public sealed class EventTypeDeclarationTests
{
    private static readonly Type[] Candidates = [.. typeof(Citizen).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && !t.IsDefined(typeof(CompilerGeneratedAttribute), false)
                    && t.GetConstructors().Length > 0)];

    /// <summary>Where an empty instance says nothing (a correction of no field changes nothing), a real one.</summary>
    private static readonly Dictionary<Type, object> Samples = new()
    {
        [typeof(CitizenRecordCorrected)] = new CitizenRecordCorrected("surname", "Nkosi", "Dlamini"),
    };

    private static HashSet<Type> HandledBy<T>(T state, Func<T, object, T?> evolve) where T : class =>
        [.. Candidates.Where(type =>
        {
            var instance = Samples.GetValueOrDefault(type) ?? RuntimeHelpers.GetUninitializedObject(type);
            try
            {
                return !ReferenceEquals(evolve(state, instance), state);
            }
            catch (Exception ex) when (ex is NullReferenceException or ArgumentNullException or InvalidOperationException or ArgumentException)
            {
                return true;
            }
        })];

    [Fact]
    public void The_citizen_fold_handles_exactly_the_types_it_declares() =>
        HandledBy(TestData.Citizen(), Citizen.Evolve).Should().BeEquivalentTo(Citizen.EventTypes);

    [Fact]
    public void The_household_fold_handles_exactly_the_types_it_declares()
    {
        var head = Guid.NewGuid();
        var household = new Household(Guid.NewGuid(), head, TestData.CapeTown(), [new HouseholdMember(head, Relationship.Head, TestData.Today)]);
        HandledBy(household, (h, e) => Household.Evolve(h, e, TestData.Today)).Should().BeEquivalentTo(Household.EventTypes);
    }

    [Fact]
    public void The_entitlement_fold_handles_exactly_the_types_it_declares() =>
        HandledBy(new Entitlement(Guid.NewGuid(), ProgrammeCode.OlderPersonsGrant, Guid.NewGuid(), null, EntitlementStatus.Active), Entitlement.Evolve)
            .Should().BeEquivalentTo(Entitlement.EventTypes);

    [Fact]
    public void The_programme_fold_handles_exactly_the_types_it_declares() =>
        HandledBy(new Programme(Guid.NewGuid(), ProgrammeCode.OlderPersonsGrant, []), Programme.Evolve).Should().BeEquivalentTo(Programme.EventTypes);

    [Fact]
    public void The_simulation_fold_handles_exactly_the_types_it_declares() =>
        HandledBy(new SimulationRun(Guid.NewGuid(), "run", ProgrammeCode.OlderPersonsGrant, TestData.Today, null, null,
                new Dictionary<string, decimal>(), new Dictionary<string, string>(), "", "", "", "analyst", DateTimeOffset.UnixEpoch, null, SimulationStatus.Running),
            SimulationRun.Evolve).Should().BeEquivalentTo(SimulationRun.EventTypes);

    [Fact]
    public void The_change_request_fold_handles_exactly_the_types_it_declares() =>
        HandledBy(new ChangeRequest(Guid.NewGuid(), "recordDeath", "", Guid.NewGuid(), null, 1, "", "", TestData.Today, null, "maker", DateTimeOffset.UnixEpoch),
            ChangeRequest.Evolve).Should().BeEquivalentTo(ChangeRequest.EventTypes);
}
