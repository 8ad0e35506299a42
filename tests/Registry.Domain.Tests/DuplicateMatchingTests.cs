using Registry.Domain.Citizens;
using Registry.Domain.Common;

namespace Registry.Domain.Tests;

public class DuplicateMatchingTests
{
    private static readonly DateOnly Born = new(1980, 1, 1);

    private static bool IsValid(string idNumber) => SaIdNumber.TryParse(idNumber, TestData.Today, out _, out _);

    private static Citizen Person(string firstNames, string surname, DateOnly? born = null, Address? address = null, int sequence = 123) =>
        TestData.Citizen(born ?? Born, firstNames: firstNames, surname: surname, sequence: sequence) with { Address = address ?? TestData.CapeTown() };

    [Theory]
    [InlineData("Thandiwe", "Nkosi", "Thandiwe", "Nkozi")]
    [InlineData("Mohammed", "Patel", "Muhammad", "Patel")]
    [InlineData("Johannes", "Van der Merwe", "Johannes", "Vandermerwe")]
    [InlineData("Johannes", "van der Merwe", "JOHANNES", "Van-der-Merwe")]
    [InlineData("Zoë", "Müller", "Zoe", "Muller")]
    [InlineData("Thandiwe Grace", "Nkosi", "Grace Thandiwe", "Nkosi")]
    [InlineData("Thandiwe Grace", "Nkosi", "Thandiwe", "Nkosi")]
    [InlineData("Sean", "O'Reilly", "Sean", "OReilly")]
    public void Spelling_and_transliteration_variants_are_alike(string firstA, string surnameA, string firstB, string surnameB) =>
        DuplicateMatching.NameSimilarity(firstA, surnameA, firstB, surnameB).Should().BeGreaterThanOrEqualTo(DuplicateMatching.NamesAlike);

    [Theory]
    [InlineData("Thandiwe", "Nkosi", "Sipho", "Nkosi")]
    [InlineData("Thandiwe", "Nkosi", "Pieter", "Botha")]
    [InlineData("Mohammed", "Patel", "Naledi", "Mokoena")]
    public void Different_people_are_not_alike(string firstA, string surnameA, string firstB, string surnameB) =>
        DuplicateMatching.NameSimilarity(firstA, surnameA, firstB, surnameB).Should().BeLessThan(DuplicateMatching.NamesAlike);

    [Fact]
    public void Jaro_winkler_agrees_with_the_published_examples()
    {
        DuplicateMatching.JaroWinkler("martha", "marhta").Should().BeApproximately(0.9611, 0.0001);
        DuplicateMatching.JaroWinkler("dixon", "dicksonx").Should().BeApproximately(0.8133, 0.0001);
        DuplicateMatching.JaroWinkler("abc", "xyz").Should().Be(0);
        DuplicateMatching.JaroWinkler("same", "same").Should().Be(1);
    }

    [Fact]
    public void A_variant_spelling_born_the_same_day_at_the_same_address_is_flagged_on_all_three()
    {
        var match = DuplicateMatching.Score(Person("Thandiwe", "Nkosi"), Person("Thandiwe", "Nkozi", address: TestData.CapeTown() with { Line1 = "1 MAIN ROAD" }), false);

        match.Score.Should().BeGreaterThanOrEqualTo(0.85);
        match.MatchedOn.Should().Equal(DuplicateMatching.Name, DuplicateMatching.DateOfBirth, DuplicateMatching.Address);
    }

    [Fact]
    public void A_namesake_born_the_same_day_elsewhere_is_not_enough()
    {
        var match = DuplicateMatching.Score(Person("Thandiwe", "Nkosi"), Person("Thandiwe", "Nkosi", address: TestData.Johannesburg()), false);

        match.Score.Should().BeLessThan(0.85);
        match.MatchedOn.Should().Equal(DuplicateMatching.Name, DuplicateMatching.DateOfBirth);
    }

    [Fact]
    public void A_namesake_at_the_same_address_born_another_day_scores_no_more_than_name_and_address_alone()
    {
        var match = DuplicateMatching.Score(Person("Thandiwe", "Nkosi"), Person("Thandiwe", "Nkosi", born: Born.AddYears(-20), sequence: 321), false);

        match.MatchedOn.Should().Equal(DuplicateMatching.Name, DuplicateMatching.Address);
        match.Score.Should().Be(DuplicateMatching.NameAndAddressAtMost, "the address block leans on it to leave such people unread")
            .And.BeLessThan(0.85, "under the default threshold");
    }

    [Fact]
    public void Twins_at_one_address_with_numbers_one_digit_apart_are_not_flagged()
    {
        var match = DuplicateMatching.Score(Person("Thandiwe", "Nkosi"), Person("Sipho", "Nkosi", sequence: 124), idNumberNearMiss: true);

        match.Score.Should().BeLessThan(0.85);
        match.MatchedOn.Should().NotContain(DuplicateMatching.IdNumber, "a near-miss number counts only with a name alike");
    }

    [Fact]
    public void A_namesake_with_a_slipped_id_number_is_flagged_on_the_number()
    {
        var match = DuplicateMatching.Score(Person("Thandiwe", "Nkosi"), Person("Thandiwe", "Nkosi", address: TestData.Johannesburg(), sequence: 213), idNumberNearMiss: true);

        match.Score.Should().Be(1);
        match.MatchedOn.Should().Contain(DuplicateMatching.IdNumber);
    }

    [Fact]
    public void Near_misses_hold_the_adjacent_swap_and_single_digit_slips_all_valid_and_never_the_number_itself()
    {
        var id = SaIdNumber.Create(Born, Sex.Female, Citizenship.Citizen, 1234);
        var swapped = SaIdNumber.Create(Born, Sex.Female, Citizenship.Citizen, 2134);
        var oneDigit = SaIdNumber.Create(Born, Sex.Female, Citizenship.Citizen, 1235);

        var nearMisses = id.NearMisses(TestData.Today);

        nearMisses.Should().Contain([swapped, oneDigit]);
        nearMisses.Should().NotContain(id);
        nearMisses.Should().OnlyContain(n => IsValid(n.Value));
        nearMisses.Select(n => n.Value).Should().OnlyHaveUniqueItems().And.HaveCountLessThanOrEqualTo(12 * 9 + 11);
    }

    [Fact]
    public void The_check_digit_itself_refuses_a_single_slip_so_near_misses_carry_their_own()
    {
        var id = SaIdNumber.Create(Born, Sex.Female, Citizenship.Citizen, 1234).Value;
        var slipped = id[..9] + (id[9] == '9' ? '0' : (char)(id[9] + 1)) + id[10..];

        IsValid(slipped).Should().BeFalse();
    }

    [Fact]
    public void A_pair_told_apart_on_either_record_is_not_ranked()
    {
        var person = Person("Thandiwe", "Nkosi");
        var variant = Person("Thandiwe", "Nkozi", sequence: 456);
        DuplicateMatching.Rank(person, [variant], new HashSet<string>(), 0.85, 20).Should().ContainSingle();

        var apart = Citizen.Evolve(variant, new NotADuplicateRecorded(person.Id))!;
        DuplicateMatching.Rank(person, [apart], new HashSet<string>(), 0.85, 20).Should().BeEmpty();
        DuplicateMatching.Rank(apart, [person], new HashSet<string>(), 0.85, 20).Should().BeEmpty("either side's finding clears the pair");
        CitizenDecisions.RecordNotADuplicate(apart, person, "seen both").Error!.Code.Should().Be("NO_CHANGE");
        CitizenDecisions.RecordNotADuplicate(person, person, "seen").Error!.Code.Should().Be("INVALID_INPUT");
        CitizenDecisions.RecordNotADuplicate(person, variant, " ").Error!.Code.Should().Be("REASON_REQUIRED");
    }

    [Fact]
    public void Ranking_keeps_the_best_above_the_threshold_and_leaves_out_the_person()
    {
        var person = Person("Thandiwe", "Nkosi");
        var variant = Person("Thandiwe", "Nkozi", sequence: 500);
        var slipped = Person("Thandiwe", "Nkosi", address: TestData.Johannesburg(), sequence: 213);
        var stranger = Person("Pieter", "Botha", sequence: 600);

        var ranked = DuplicateMatching.Rank(person, [person, stranger, variant, slipped], new HashSet<string> { slipped.IdNumber }, 0.85, 20);

        ranked.Select(r => r.Citizen.IdNumber).Should().Equal(slipped.IdNumber, variant.IdNumber);
        DuplicateMatching.Rank(person, [variant, slipped], new HashSet<string> { slipped.IdNumber }, 0.85, 1).Should().ContainSingle();
    }

    [Fact]
    public void One_slip_apart_is_being_among_each_others_near_misses()
    {
        var random = new Random(5);
        for (var k = 0; k < 200; k++)
        {
            var born = new DateOnly(1940, 1, 1).AddDays(random.Next(0, 60 * 365));
            var sex = random.Next(2) == 0 ? Sex.Female : Sex.Male;
            var id = SaIdNumber.Create(born, sex, Citizenship.Citizen, random.Next(0, 5000));
            var nearMisses = id.NearMisses(TestData.Today).Select(n => n.Value).ToHashSet();
            nearMisses.Should().OnlyContain(n => SaIdNumber.AreOneSlipApart(id.Value, n) && SaIdNumber.AreOneSlipApart(n, id.Value));
            // Others born the same day, and the number itself, are one slip apart exactly when they are near misses.
            for (var o = 0; o < 50; o++)
            {
                var other = SaIdNumber.Create(born, random.Next(2) == 0 ? Sex.Female : Sex.Male, Citizenship.Citizen, random.Next(0, 5000)).Value;
                SaIdNumber.AreOneSlipApart(id.Value, other).Should().Be(nearMisses.Contains(other), $"{other} against {id.Value}");
            }
        }
        SaIdNumber.AreOneSlipApart("8001015009087", "8001015009087").Should().BeFalse("a number is not its own slip");
    }
}
