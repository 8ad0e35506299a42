using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Entitlements;
using Registry.Domain.Households;
using Registry.Domain.Programmes;

namespace Registry.Domain.Tests;

public sealed class MergingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = TestData.Today;
    private static readonly Guid MergeId = Guid.NewGuid();

    private static MergeParty Party(Citizen c, Household? h = null, params Entitlement[] entitlements) => new(c, h, entitlements, 3);

    private static Entitlement Grant(Citizen c, ProgrammeCode programme, EntitlementStatus status = EntitlementStatus.Active, decimal amount = 560m) =>
        new(Entitlement.StreamIdFor(c.Id, programme), programme, c.Id, null, status, amount, new DateOnly(2025, 1, 1), EverGranted: true, Version: 3);

    private static Household HouseholdOf(Citizen head, params (Citizen Member, Relationship Relationship)[] members) =>
        new(Guid.NewGuid(), head.Id, TestData.CapeTown(),
            [new HouseholdMember(head.Id, Relationship.Head, new DateOnly(2020, 1, 1)), .. members.Select(m => new HouseholdMember(m.Member.Id, m.Relationship, new DateOnly(2020, 1, 1)))],
            Version: 4);

    private static IReadOnlyList<object> On(MultiStreamDecision d, Guid stream) =>
        [.. d.Decisions.Where(x => x.StreamId == stream).SelectMany(x => x.Decision.Events)];

    private static Citizen Evolve(Citizen c, MultiStreamDecision d) => On(d, c.Id).Aggregate(c, (s, e) => Citizen.Evolve(s, e)!);

    private static Household Evolve(Household h, MultiStreamDecision d) => On(d, h.Id).Aggregate(h, (s, e) => Household.Evolve(s, e, Today)!);

    [Fact]
    public void A_merge_marks_the_duplicate_and_the_survivor_and_starts_the_merge_stream_first()
    {
        var survivor = TestData.Citizen(sequence: 100);
        var duplicate = TestData.Citizen(sequence: 200);

        var merged = Merging.Merge(MergeId, Party(survivor), Party(duplicate), "case 17", Now, Today);

        merged.Error.Should().BeNull();
        merged.Decisions[0].StreamId.Should().Be(MergeId);
        merged.Decisions[0].Version.Should().Be(0);
        On(merged, duplicate.Id).Should().Equal(new CitizenMergedInto(survivor.Id, MergeId));
        Evolve(duplicate, merged).MergedInto.Should().Be(survivor.Id);
        Evolve(survivor, merged).MergedRecords.Should().Equal(new MergedRecordRef(duplicate.Id, MergeId, Now));
    }

    [Fact]
    public void A_grant_the_survivor_lacks_is_transferred_and_one_it_holds_is_ended_so_no_one_holds_two()
    {
        var survivor = TestData.Citizen(sequence: 100);
        var duplicate = TestData.Citizen(sequence: 200);
        var survivorsCsg = Grant(survivor, ProgrammeCode.ChildSupportGrant);
        var duplicatesCsg = Grant(duplicate, ProgrammeCode.ChildSupportGrant);
        var duplicatesDg = Grant(duplicate, ProgrammeCode.DisabilityGrant, amount: 2320m);

        var merged = Merging.Merge(MergeId, Party(survivor, null, survivorsCsg), Party(duplicate, null, duplicatesCsg, duplicatesDg), "case 17", Now, Today);

        On(merged, duplicatesCsg.Id).Should().Equal(new EntitlementTerminated(Today, Merging.DuplicateGrantCause));
        On(merged, survivorsCsg.Id).Should().BeEmpty();
        On(merged, duplicatesDg.Id).Should().Equal(new EntitlementTerminated(Today, Merging.TransferCause));
        var transferred = Entitlement.StreamIdFor(survivor.Id, ProgrammeCode.DisabilityGrant);
        var state = On(merged, transferred).Aggregate((Entitlement?)null, Entitlement.Evolve)!;
        state.Should().Match<Entitlement>(e => e.BeneficiaryId == survivor.Id && e.Status == EntitlementStatus.Active && e.MonthlyAmount == 2320m);
        merged.Decisions.Single(x => x.StreamId == transferred).Version.Should().Be(0, "the survivor never had a stream for it");
    }

    [Fact]
    public void The_survivor_without_a_household_takes_the_duplicates_place_even_as_head()
    {
        var survivor = TestData.Citizen(sequence: 100);
        var duplicate = TestData.Citizen(sequence: 200);
        var child = TestData.Citizen(new DateOnly(2018, 1, 1), sequence: 300);
        var household = HouseholdOf(duplicate, (child, Relationship.Child));

        var merged = Merging.Merge(MergeId, Party(survivor), Party(duplicate, household), "case 17", Now, Today);

        var after = Evolve(household, merged);
        after.HeadCitizenId.Should().Be(survivor.Id);
        after.Members.Select(m => (m.CitizenId, m.Relationship)).Should().BeEquivalentTo([(survivor.Id, Relationship.Head), (child.Id, Relationship.Child)]);
        merged.Decisions.Single(x => x.StreamId == household.Id).Version.Should().Be(4);

        // Undone, the duplicate heads it again and the survivor, who had no household, has none.
        var merge = CitizenMerge.Evolve(null, On(merged, MergeId)[0])! with { Version = 1 };
        var unmerged = Merging.Unmerge(merge, Party(Evolve(survivor, merged), after), Party(Evolve(duplicate, merged)), after with { Version = 7 }, "two people", Now, Today);
        unmerged.Error.Should().BeNull();
        var restored = Evolve(after, unmerged);
        restored.HeadCitizenId.Should().Be(duplicate.Id);
        restored.Members.Select(m => m.CitizenId).Should().BeEquivalentTo([duplicate.Id, child.Id]);
        unmerged.Decisions.Single(x => x.StreamId == household.Id).Version.Should().Be(7);
    }

    [Fact]
    public void A_duplicate_in_the_survivors_own_household_leaves_it_and_a_head_hands_over_to_the_survivor()
    {
        var survivor = TestData.Citizen(sequence: 100);
        var duplicate = TestData.Citizen(sequence: 200);
        var household = HouseholdOf(duplicate, (survivor, Relationship.Spouse));

        var merged = Merging.Merge(MergeId, Party(survivor, household), Party(duplicate, household), "case 17", Now, Today);

        var after = Evolve(household, merged);
        after.HeadCitizenId.Should().Be(survivor.Id);
        after.Members.Should().ContainSingle();
    }

    [Fact]
    public void A_survivor_elsewhere_ends_the_duplicates_membership_and_a_head_with_others_is_refused()
    {
        var survivor = TestData.Citizen(sequence: 100);
        var duplicate = TestData.Citizen(sequence: 200);
        var child = TestData.Citizen(new DateOnly(2018, 1, 1), sequence: 300);
        var survivors = HouseholdOf(survivor);

        var asMember = Merging.Merge(MergeId, Party(survivor, survivors), Party(duplicate, HouseholdOf(child, (duplicate, Relationship.Parent))), "case 17", Now, Today);
        asMember.Decisions.SelectMany(x => x.Decision.Events).OfType<MemberLeft>().Should().ContainSingle().Which.CitizenId.Should().Be(duplicate.Id);
        asMember.Decisions.SelectMany(x => x.Decision.Events).OfType<MemberJoined>().Should().BeEmpty();

        var asHead = Merging.Merge(MergeId, Party(survivor, survivors), Party(duplicate, HouseholdOf(duplicate, (child, Relationship.Child))), "case 17", Now, Today);
        asHead.Error!.Code.Should().Be(ErrorCodes.HeadCannotLeave);
        asHead.Decisions.Should().BeEmpty();
    }

    [Fact]
    public void Refusals_name_a_stable_code_and_decide_nothing()
    {
        var survivor = TestData.Citizen(sequence: 100);
        var duplicate = TestData.Citizen(sequence: 200);
        var merged = duplicate with { MergedInto = Guid.NewGuid(), MergeId = Guid.NewGuid() };
        var absorbing = duplicate with { MergedRecords = [new MergedRecordRef(Guid.NewGuid(), Guid.NewGuid(), Now)] };
        var dead = duplicate with { DateOfDeath = new DateOnly(2026, 1, 1) };

        (MultiStreamDecision Decision, string Code, string Field)[] cases =
        [
            (Merging.Merge(MergeId, Party(survivor), Party(survivor), "r", Now, Today), ErrorCodes.InvalidInput, "duplicate"),
            (Merging.Merge(MergeId, Party(survivor), Party(duplicate), " ", Now, Today), ErrorCodes.ReasonRequired, "reason"),
            (Merging.Merge(MergeId, Party(survivor), Party(merged), "r", Now, Today), ErrorCodes.AlreadyMerged, "duplicate"),
            (Merging.Merge(MergeId, Party(merged), Party(survivor), "r", Now, Today), ErrorCodes.AlreadyMerged, "survivor"),
            (Merging.Merge(MergeId, Party(survivor), Party(absorbing), "r", Now, Today), ErrorCodes.AlreadyMerged, "duplicate"),
            (Merging.Merge(MergeId, Party(survivor), Party(dead), "r", Now, Today), ErrorCodes.CitizenDeceased, "duplicate"),
            (Merging.Merge(MergeId, Party(dead), Party(survivor), "r", Now, Today), ErrorCodes.CitizenDeceased, "survivor"),
        ];
        foreach (var (decision, code, field) in cases)
        {
            decision.Error.Should().Match<DomainError>(e => e.Code == code && e.Field == field);
            decision.Decisions.Should().BeEmpty();
        }
    }

    [Fact]
    public void An_unknown_or_undone_merge_is_refused()
    {
        var survivor = TestData.Citizen(sequence: 100);
        var duplicate = TestData.Citizen(sequence: 200);
        var merge = new CitizenMerge(MergeId, survivor.Id, duplicate.Id, Now, null, []);

        Merging.Unmerge(null, Party(survivor), Party(duplicate), null, "r", Now, Today).Error!.Code.Should().Be(ErrorCodes.NotFound);
        Merging.Unmerge(merge with { UndoneAt = Now }, Party(survivor), Party(duplicate), null, "r", Now, Today).Error!.Code.Should().Be(ErrorCodes.AlreadyUnmerged);
        Merging.Unmerge(merge, null, Party(duplicate), null, "r", Now, Today).Error!.Code.Should().Be(ErrorCodes.CitizenErased);
        Merging.Unmerge(merge, Party(survivor), Party(duplicate), null, "", Now, Today).Error!.Code.Should().Be(ErrorCodes.ReasonRequired);
    }

    [Fact]
    public void An_unmerge_gives_back_a_transferred_grant_and_restores_one_ended_beside_the_survivors()
    {
        var survivor = TestData.Citizen(sequence: 100);
        var duplicate = TestData.Citizen(sequence: 200);
        var survivorsCsg = Grant(survivor, ProgrammeCode.ChildSupportGrant);
        var duplicatesCsg = Grant(duplicate, ProgrammeCode.ChildSupportGrant);
        var duplicatesDg = Grant(duplicate, ProgrammeCode.DisabilityGrant, EntitlementStatus.Suspended, 2320m);
        var merged = Merging.Merge(MergeId, Party(survivor, null, survivorsCsg), Party(duplicate, null, duplicatesCsg, duplicatesDg), "case 17", Now, Today);
        var merge = CitizenMerge.Evolve(null, On(merged, MergeId)[0])! with { Version = 1 };
        Entitlement After(Entitlement e, MultiStreamDecision d) => On(d, e.Id).Aggregate(e, (s, x) => Entitlement.Evolve(s, x)!);
        var transferredId = Entitlement.StreamIdFor(survivor.Id, ProgrammeCode.DisabilityGrant);
        var transferred = On(merged, transferredId).Aggregate((Entitlement?)null, Entitlement.Evolve)! with { Version = 3 };
        transferred.Status.Should().Be(EntitlementStatus.Suspended, "a suspended grant moves as suspended");

        var unmerged = Merging.Unmerge(merge, Party(Evolve(survivor, merged), null, survivorsCsg, transferred),
            Party(Evolve(duplicate, merged), null, After(duplicatesCsg, merged), After(duplicatesDg, merged)), null, "two people", Now, Today);

        unmerged.Error.Should().BeNull();
        On(unmerged, transferredId).Should().Equal(new EntitlementTerminated(Today, Merging.UnmergeCause));
        On(unmerged, survivorsCsg.Id).Should().BeEmpty("the survivor's own grant was never the duplicate's");
        After(After(duplicatesCsg, merged), unmerged).Should().Match<Entitlement>(e => e.Status == EntitlementStatus.Active && e.MonthlyAmount == 560m);
        After(After(duplicatesDg, merged), unmerged).Status.Should().Be(EntitlementStatus.Suspended);
        Evolve(Evolve(duplicate, merged), unmerged).MergedInto.Should().BeNull();
        Evolve(Evolve(survivor, merged), unmerged).MergedRecords.Should().BeEmpty();
        unmerged.Decisions[0].Should().Match<StreamDecision>(x => x.StreamId == MergeId && x.Version == 1);
    }
}
