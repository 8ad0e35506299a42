using System.Text.Json;

namespace Registry.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class HouseholdTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");

    [Fact]
    public async Task A_household_is_formed_joined_led_and_left_and_its_income_is_the_members_sum()
    {
        var mother = await _caseworker.RegisterAsync(new DateOnly(1980, 1, 1));
        var son = await _caseworker.RegisterAsync(new DateOnly(2004, 4, 4), Registry.Domain.Common.Sex.Male);
        var daughter = await _caseworker.RegisterAsync(new DateOnly(2012, 12, 12));
        await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = mother, monthlyIncome = 3000.50m, source = "EMPLOYMENT" });
        await _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = son, monthlyIncome = 1200m, source = "OTHER" });

        var formed = await _caseworker.FormHouseholdAsync(mother);
        formed.ErrorCodes().Should().BeEmpty();
        var householdId = formed.GetProperty("household").GetProperty("id").GetString()!;
        (await _caseworker.AddMemberAsync(householdId, son, "CHILD", expectedVersion: 1)).ErrorCodes().Should().BeEmpty();
        var joined = await _caseworker.AddMemberAsync(householdId, daughter, "CHILD", expectedVersion: 2);
        joined.ErrorCodes().Should().BeEmpty();

        var household = joined.GetProperty("household");
        household.GetProperty("monthlyIncome").GetDecimal().Should().Be(4200.50m);
        household.GetProperty("head").GetProperty("idNumber").GetString().Should().Be(mother);
        Members(household).Should().BeEquivalentTo([(mother, "HEAD"), (son, "CHILD"), (daughter, "CHILD")]);

        var newHead = await _caseworker.MutateAsync("changeHouseholdHead", "ChangeHouseholdHeadInput",
            new { householdId, idNumber = son, expectedVersion = 3, reason = "mother moved for work" }, Caseworker.HouseholdSelection);
        newHead.ErrorCodes().Should().BeEmpty();
        Members(newHead.GetProperty("household")).Should().BeEquivalentTo([(mother, "PARENT"), (son, "HEAD"), (daughter, "CHILD")]);

        var left = await _caseworker.MutateAsync("removeHouseholdMember", "RemoveHouseholdMemberInput",
            new { householdId, idNumber = mother, reason = "moved to Johannesburg" }, Caseworker.HouseholdSelection);
        left.ErrorCodes().Should().BeEmpty();
        left.GetProperty("household").GetProperty("monthlyIncome").GetDecimal().Should().Be(1200m);

        // Having left, she may form or join another household.
        (await _caseworker.FormHouseholdAsync(mother)).ErrorCodes().Should().BeEmpty();
        var citizen = await _caseworker.CitizenAsync(daughter);
        citizen.GetProperty("household").GetProperty("id").GetString().Should().Be(householdId);
    }

    [Fact]
    public async Task A_citizen_in_a_household_cannot_join_or_form_another_and_the_store_is_unchanged()
    {
        var head = await _caseworker.RegisterAsync();
        var other = await _caseworker.RegisterAsync();
        var householdId = (await _caseworker.FormHouseholdAsync(head)).GetProperty("household").GetProperty("id").GetString()!;
        var otherHousehold = (await _caseworker.FormHouseholdAsync(other)).GetProperty("household").GetProperty("id").GetString()!;
        var before = await api.EventCountAsync();

        (await _caseworker.AddMemberAsync(otherHousehold, head)).ErrorCodes().Should().Equal("ALREADY_IN_HOUSEHOLD");
        (await _caseworker.FormHouseholdAsync(head)).ErrorCodes().Should().Equal("ALREADY_IN_HOUSEHOLD");
        (await _caseworker.AddMemberAsync(householdId, head)).ErrorCodes().Should().Equal("ALREADY_IN_HOUSEHOLD");
        (await _caseworker.AddMemberAsync(householdId, other, "HEAD")).ErrorCodes().Should().Equal("INVALID_INPUT");
        (await _caseworker.MutateAsync("removeHouseholdMember", "RemoveHouseholdMemberInput", new { householdId, idNumber = other }, Caseworker.HouseholdSelection))
            .ErrorCodes().Should().Equal("NOT_IN_HOUSEHOLD");
        (await api.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task The_head_leaves_last_and_that_dissolves_the_household()
    {
        var head = await _caseworker.RegisterAsync();
        var child = await _caseworker.RegisterAsync(new DateOnly(2016, 6, 16));
        var householdId = (await _caseworker.FormHouseholdAsync(head)).GetProperty("household").GetProperty("id").GetString()!;
        await _caseworker.AddMemberAsync(householdId, child);

        (await _caseworker.MutateAsync("removeHouseholdMember", "RemoveHouseholdMemberInput", new { householdId, idNumber = head }, Caseworker.HouseholdSelection))
            .ErrorCodes().Should().Equal("HEAD_CANNOT_LEAVE");
        (await _caseworker.MutateAsync("removeHouseholdMember", "RemoveHouseholdMemberInput", new { householdId, idNumber = child }, Caseworker.HouseholdSelection))
            .ErrorCodes().Should().BeEmpty();
        var last = await _caseworker.MutateAsync("removeHouseholdMember", "RemoveHouseholdMemberInput", new { householdId, idNumber = head }, Caseworker.HouseholdSelection);
        last.ErrorCodes().Should().BeEmpty();
        last.GetProperty("household").GetProperty("dissolved").GetBoolean().Should().BeTrue();
        (await _caseworker.AddMemberAsync(householdId, child)).ErrorCodes().Should().Equal("HOUSEHOLD_DISSOLVED");
    }

    [Fact]
    public async Task A_deceased_citizen_cannot_join_a_household()
    {
        var head = await _caseworker.RegisterAsync();
        var grandfather = await _caseworker.RegisterAsync(new DateOnly(1931, 3, 3), Registry.Domain.Common.Sex.Male);
        await _caseworker.MutateAsync("recordDeath", "RecordDeathInput", new { idNumber = grandfather, dateOfDeath = "2026-03-03", reason = "death notice" });
        var householdId = (await _caseworker.FormHouseholdAsync(head)).GetProperty("household").GetProperty("id").GetString()!;

        (await _caseworker.AddMemberAsync(householdId, grandfather, "PARENT")).ErrorCodes().Should().Equal("CITIZEN_DECEASED");
    }

    private static IEnumerable<(string, string)> Members(JsonElement household) =>
        household.GetProperty("members").EnumerateArray()
            .Select(m => (m.GetProperty("citizen").GetProperty("idNumber").GetString()!, m.GetProperty("relationship").GetString()!));
}
