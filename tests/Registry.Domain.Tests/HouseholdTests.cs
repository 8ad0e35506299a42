using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Households;

namespace Registry.Domain.Tests;

public class HouseholdTests
{
    private static readonly DateOnly Today = TestData.Today;
    private static readonly DateOnly Formed = new(2020, 1, 1);
    private static readonly DateOnly Later = new(2024, 6, 1);

    private static readonly Guid HouseholdId = Guid.Parse("7a000000-0000-4000-8000-0000000000aa");

    private static readonly Citizen Head = TestData.Citizen(dateOfBirth: new DateOnly(1970, 2, 2), sex: Sex.Male, id: Guid.Parse("00000000-0000-4000-8000-000000000001"));
    private static readonly Citizen Spouse = TestData.Citizen(dateOfBirth: new DateOnly(1972, 3, 3), id: Guid.Parse("00000000-0000-4000-8000-000000000002"));
    private static readonly Citizen Child = TestData.Citizen(dateOfBirth: new DateOnly(2005, 4, 4), id: Guid.Parse("00000000-0000-4000-8000-000000000003"));

    /// <summary>A household folded from its events, as the store would do.</summary>
    private static Household Build(params (object Event, DateOnly Effective)[] stream)
    {
        Household? h = null;
        foreach (var (e, effective) in stream) h = Household.Evolve(h, e, effective);
        h.Should().NotBeNull();
        return h!;
    }

    private static Household HeadOnly() => Build((new HouseholdFormed(HouseholdId, Head.Id, TestData.CapeTown()), Formed));

    private static Household Family() => Build(
        (new HouseholdFormed(HouseholdId, Head.Id, TestData.CapeTown()), Formed),
        (new MemberJoined(Spouse.Id, Relationship.Spouse), Formed),
        (new MemberJoined(Child.Id, Relationship.Child), Later));

    // ===== Form ===================================================================================

    [Fact]
    public void Form_with_a_living_head_not_in_a_household_emits_HouseholdFormed()
    {
        var address = TestData.Johannesburg();

        HouseholdDecisions.Form(HouseholdId, Head, null, address, Formed, Today)
            .ShouldAcceptOne<HouseholdFormed>()
            .Should().Be(new HouseholdFormed(HouseholdId, Head.Id, address));
    }

    [Fact]
    public void Form_with_a_deceased_head_is_rejected()
    {
        var dead = Head with { DateOfDeath = new DateOnly(2019, 1, 1) };
        HouseholdDecisions.Form(HouseholdId, dead, null, TestData.CapeTown(), Formed, Today)
            .ShouldReject(ErrorCodes.CitizenDeceased, "headIdNumber");
    }

    [Fact]
    public void Form_with_a_head_already_in_a_household_is_rejected()
    {
        HouseholdDecisions.Form(HouseholdId, Head, Guid.NewGuid(), TestData.CapeTown(), Formed, Today)
            .ShouldReject(ErrorCodes.AlreadyInHousehold, "headIdNumber");
    }

    [Fact]
    public void Form_rejects_an_effective_date_in_the_future_or_before_the_heads_birth()
    {
        HouseholdDecisions.Form(HouseholdId, Head, null, TestData.CapeTown(), Today.AddDays(1), Today)
            .ShouldReject(ErrorCodes.InvalidDate, "effectiveDate");
        HouseholdDecisions.Form(HouseholdId, Head, null, TestData.CapeTown(), Head.DateOfBirth.AddDays(-1), Today)
            .ShouldReject(ErrorCodes.InvalidDate, "effectiveDate");
        HouseholdDecisions.Form(HouseholdId, Head, null, TestData.CapeTown(), Today, Today)
            .ShouldAcceptOne<HouseholdFormed>();
    }

    [Fact]
    public void Form_rejects_an_invalid_address()
    {
        HouseholdDecisions.Form(HouseholdId, Head, null, TestData.CapeTown() with { PostalCode = "12345" }, Formed, Today)
            .ShouldReject(ErrorCodes.InvalidInput, "address.postalCode");
    }

    // ===== AddMember ==============================================================================

    [Theory]
    [InlineData(Relationship.Spouse)]
    [InlineData(Relationship.Child)]
    [InlineData(Relationship.NonRelative)]
    public void AddMember_emits_MemberJoined_with_the_relationship(Relationship relationship)
    {
        HouseholdDecisions.AddMember(HeadOnly(), Spouse, null, relationship, Later, Today)
            .ShouldAcceptOne<MemberJoined>()
            .Should().Be(new MemberJoined(Spouse.Id, relationship));
    }

    [Fact]
    public void AddMember_as_head_is_rejected()
    {
        HouseholdDecisions.AddMember(HeadOnly(), Spouse, null, Relationship.Head, Later, Today)
            .ShouldReject(ErrorCodes.InvalidInput, "relationship");
    }

    [Fact]
    public void AddMember_to_a_dissolved_household_is_rejected()
    {
        var dissolved = Build(
            (new HouseholdFormed(HouseholdId, Head.Id, TestData.CapeTown()), Formed),
            (new MemberLeft(Head.Id), Later),
            (new HouseholdDissolved(), Later));

        HouseholdDecisions.AddMember(dissolved, Spouse, null, Relationship.Spouse, Later, Today)
            .ShouldReject(ErrorCodes.HouseholdDissolved, "householdId");
    }

    [Fact]
    public void AddMember_of_a_citizen_already_in_this_household_is_rejected()
    {
        HouseholdDecisions.AddMember(Family(), Child, HouseholdId, Relationship.Child, Later, Today)
            .ShouldReject(ErrorCodes.AlreadyInHousehold, "idNumber");
    }

    [Fact]
    public void AddMember_of_a_citizen_in_another_household_is_rejected()
    {
        HouseholdDecisions.AddMember(HeadOnly(), Spouse, Guid.NewGuid(), Relationship.Spouse, Later, Today)
            .ShouldReject(ErrorCodes.AlreadyInHousehold, "idNumber");
    }

    [Fact]
    public void AddMember_of_a_deceased_citizen_is_rejected()
    {
        var dead = Spouse with { DateOfDeath = new DateOnly(2023, 1, 1) };
        HouseholdDecisions.AddMember(HeadOnly(), dead, null, Relationship.Spouse, Later, Today)
            .ShouldReject(ErrorCodes.CitizenDeceased, "idNumber");
    }

    [Fact]
    public void AddMember_rejects_an_effective_date_in_the_future_or_before_the_members_birth()
    {
        HouseholdDecisions.AddMember(HeadOnly(), Child, null, Relationship.Child, Today.AddDays(1), Today)
            .ShouldReject(ErrorCodes.InvalidDate, "effectiveDate");
        HouseholdDecisions.AddMember(HeadOnly(), Child, null, Relationship.Child, Child.DateOfBirth.AddDays(-1), Today)
            .ShouldReject(ErrorCodes.InvalidDate, "effectiveDate");
    }

    // ===== RemoveMember ===========================================================================

    [Fact]
    public void RemoveMember_of_an_ordinary_member_emits_MemberLeft()
    {
        HouseholdDecisions.RemoveMember(Family(), Child.Id, Today, Today)
            .ShouldAcceptOne<MemberLeft>()
            .Should().Be(new MemberLeft(Child.Id));
    }

    [Fact]
    public void RemoveMember_of_a_non_member_is_rejected()
    {
        HouseholdDecisions.RemoveMember(Family(), Guid.NewGuid(), Today, Today)
            .ShouldReject(ErrorCodes.NotInHousehold, "idNumber");
    }

    [Fact]
    public void The_head_cannot_leave_while_others_remain()
    {
        HouseholdDecisions.RemoveMember(Family(), Head.Id, Today, Today)
            .ShouldReject(ErrorCodes.HeadCannotLeave, "idNumber");
    }

    [Fact]
    public void The_head_cannot_leave_while_even_one_other_member_remains()
    {
        var couple = Build(
            (new HouseholdFormed(HouseholdId, Head.Id, TestData.CapeTown()), Formed),
            (new MemberJoined(Spouse.Id, Relationship.Spouse), Formed));

        HouseholdDecisions.RemoveMember(couple, Head.Id, Today, Today)
            .ShouldReject(ErrorCodes.HeadCannotLeave, "idNumber");
    }

    [Fact]
    public void The_head_leaving_alone_dissolves_the_household()
    {
        var decision = HouseholdDecisions.RemoveMember(HeadOnly(), Head.Id, Today, Today);

        decision.IsAccepted.Should().BeTrue();
        decision.Events.Should().HaveCount(2);
        decision.Events[0].Should().Be(new MemberLeft(Head.Id));
        decision.Events[1].Should().BeOfType<HouseholdDissolved>();
    }

    [Fact]
    public void RemoveMember_rejects_a_future_date_and_a_dissolved_household()
    {
        HouseholdDecisions.RemoveMember(Family(), Child.Id, Today.AddDays(1), Today)
            .ShouldReject(ErrorCodes.InvalidDate, "effectiveDate");

        var dissolved = HeadOnly() with { Dissolved = true };
        HouseholdDecisions.RemoveMember(dissolved, Head.Id, Today, Today)
            .ShouldReject(ErrorCodes.HouseholdDissolved, "householdId");
    }

    // ===== ChangeHead =============================================================================

    [Fact]
    public void ChangeHead_to_a_non_member_is_rejected()
    {
        var stranger = TestData.Citizen(id: Guid.NewGuid());
        HouseholdDecisions.ChangeHead(Family(), stranger, Today, Today).ShouldReject(ErrorCodes.NotInHousehold, "idNumber");
    }

    [Fact]
    public void ChangeHead_to_the_current_head_is_rejected()
    {
        HouseholdDecisions.ChangeHead(Family(), Head, Today, Today).ShouldReject(ErrorCodes.AlreadyHead, "idNumber");
    }

    [Fact]
    public void ChangeHead_to_a_deceased_member_is_rejected()
    {
        var deadSpouse = Spouse with { DateOfDeath = new DateOnly(2025, 1, 1) };
        HouseholdDecisions.ChangeHead(Family(), deadSpouse, Today, Today).ShouldReject(ErrorCodes.CitizenDeceased, "idNumber");
    }

    [Fact]
    public void ChangeHead_rejects_a_future_date_and_a_dissolved_household()
    {
        HouseholdDecisions.ChangeHead(Family(), Spouse, Today.AddDays(1), Today).ShouldReject(ErrorCodes.InvalidDate, "effectiveDate");
        HouseholdDecisions.ChangeHead(Family() with { Dissolved = true }, Spouse, Today, Today)
            .ShouldReject(ErrorCodes.HouseholdDissolved, "householdId");
    }

    // What the new head was to the old head -> what the old head becomes to the new head.
    [Theory]
    [InlineData(Relationship.Child, Relationship.Parent)]
    [InlineData(Relationship.FosterChild, Relationship.Parent)]
    [InlineData(Relationship.Spouse, Relationship.Spouse)]
    [InlineData(Relationship.Parent, Relationship.Child)]
    [InlineData(Relationship.Grandchild, Relationship.Grandparent)]
    [InlineData(Relationship.Grandparent, Relationship.Grandchild)]
    [InlineData(Relationship.Sibling, Relationship.Sibling)]
    [InlineData(Relationship.NonRelative, Relationship.NonRelative)]
    [InlineData(Relationship.OtherRelative, Relationship.OtherRelative)]
    public void ChangeHead_gives_the_old_head_the_inverse_relationship(Relationship newHeadWas, Relationship oldHeadBecomes)
    {
        var member = TestData.Citizen(dateOfBirth: new DateOnly(1990, 1, 1), id: Guid.NewGuid());
        var h = Build(
            (new HouseholdFormed(HouseholdId, Head.Id, TestData.CapeTown()), Formed),
            (new MemberJoined(member.Id, newHeadWas), Formed));

        var e = HouseholdDecisions.ChangeHead(h, member, Today, Today).ShouldAcceptOne<HeadChanged>();

        e.Should().Be(new HeadChanged(member.Id, Head.Id, oldHeadBecomes));
    }

    // ===== Evolve =================================================================================

    [Fact]
    public void Formed_gives_a_household_whose_only_member_is_the_head_joined_on_the_effective_date()
    {
        var h = Household.Evolve(null, new HouseholdFormed(HouseholdId, Head.Id, TestData.CapeTown()), Formed);

        h.Should().NotBeNull();
        h!.Id.Should().Be(HouseholdId);
        h.HeadCitizenId.Should().Be(Head.Id);
        h.Address.Should().Be(TestData.CapeTown());
        h.Dissolved.Should().BeFalse();
        h.Members.Should().Equal(new HouseholdMember(Head.Id, Relationship.Head, Formed));
        h.HasMember(Head.Id).Should().BeTrue();
        h.HasMember(Spouse.Id).Should().BeFalse();
    }

    [Fact]
    public void Events_before_the_household_was_formed_give_no_household()
    {
        Household.Evolve(null, new MemberJoined(Spouse.Id, Relationship.Spouse), Formed).Should().BeNull();
        Household.Evolve(null, new MemberLeft(Spouse.Id), Formed).Should().BeNull();
        Household.Evolve(null, new HeadChanged(Spouse.Id, Head.Id, Relationship.Spouse), Formed).Should().BeNull();
        Household.Evolve(null, new HouseholdDissolved(), Formed).Should().BeNull();
    }

    [Fact]
    public void Joined_appends_the_member_with_its_relationship_and_join_date()
    {
        var h = Family();

        h.Members.Should().Equal(
            new HouseholdMember(Head.Id, Relationship.Head, Formed),
            new HouseholdMember(Spouse.Id, Relationship.Spouse, Formed),
            new HouseholdMember(Child.Id, Relationship.Child, Later));
    }

    [Fact]
    public void Left_removes_only_that_member()
    {
        var before = Family();
        var after = Household.Evolve(before, new MemberLeft(Spouse.Id), Today)!;

        after.Members.Should().Equal(
            new HouseholdMember(Head.Id, Relationship.Head, Formed),
            new HouseholdMember(Child.Id, Relationship.Child, Later));
        after.HeadCitizenId.Should().Be(Head.Id);
        after.Dissolved.Should().BeFalse();
        before.Members.Should().HaveCount(3, "Evolve must not mutate the previous state");
    }

    [Fact]
    public void HeadChanged_swaps_the_head_and_gives_the_old_head_its_new_relationship_keeping_join_dates()
    {
        var after = Household.Evolve(Family(), new HeadChanged(Child.Id, Head.Id, Relationship.Parent), Today)!;

        after.HeadCitizenId.Should().Be(Child.Id);
        after.Members.Should().Equal(
            new HouseholdMember(Head.Id, Relationship.Parent, Formed),
            new HouseholdMember(Spouse.Id, Relationship.Spouse, Formed),
            new HouseholdMember(Child.Id, Relationship.Head, Later));
    }

    [Fact]
    public void Dissolved_marks_the_household_dissolved_and_keeps_the_rest()
    {
        var before = HeadOnly();
        Household.Evolve(before, new HouseholdDissolved(), Today).Should().Be(before with { Dissolved = true });
    }

    [Fact]
    public void Unknown_events_leave_the_household_as_it_was()
    {
        var before = Family();
        Household.Evolve(before, new CitizenDied(Today), Today).Should().BeSameAs(before);
        Household.Evolve(before, "noise", Today).Should().BeSameAs(before);
    }

    [Fact]
    public void After_the_child_takes_over_the_former_head_may_leave()
    {
        var h = Family();
        var changed = HouseholdDecisions.ChangeHead(h, Child, Today, Today).ShouldAcceptOne<HeadChanged>();
        h = Household.Evolve(h, changed, Today)!;

        h.Members.Single(m => m.CitizenId == Head.Id).Relationship.Should().Be(Relationship.Parent);
        HouseholdDecisions.RemoveMember(h, Head.Id, Today, Today).ShouldAcceptOne<MemberLeft>().CitizenId.Should().Be(Head.Id);
        HouseholdDecisions.RemoveMember(h, Child.Id, Today, Today).ShouldReject(ErrorCodes.HeadCannotLeave, "idNumber");
    }

    [Fact]
    public void The_last_member_leaving_dissolves_the_household_when_folded()
    {
        var h = HeadOnly();
        var decision = HouseholdDecisions.RemoveMember(h, Head.Id, Today, Today);
        var after = decision.Events.Aggregate(h, (s, e) => Household.Evolve(s, e, Today)!);

        after.Members.Should().BeEmpty();
        after.Dissolved.Should().BeTrue();
        HouseholdDecisions.AddMember(after, Spouse, null, Relationship.Spouse, Today, Today)
            .ShouldReject(ErrorCodes.HouseholdDissolved, "householdId");
    }
}
