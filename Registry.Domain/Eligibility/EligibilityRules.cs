using System.Globalization;
using Registry.Domain.Common;
using Registry.Domain.Programmes;

namespace Registry.Domain.Eligibility;

/// <summary>
/// The rule sets of the ten programmes: pure functions of (facts on D, parameters in force on D).
/// A rule change means a new <see cref="RuleVersion"/>, so recorded decisions stay explainable.
/// </summary>
public static class EligibilityRules
{
    public const string RuleVersion = "2025.3";

    private static readonly CultureInfo Za = CultureInfo.InvariantCulture;

    public static EligibilityDecision Evaluate(ProgrammeCode programme, EligibilityFacts facts, ParameterSet p, DateOnly on)
    {
        // The same inputs must give the same text on every server: dates and numbers in reasons are culture-free.
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            return EvaluateInvariant(programme, facts, p, on);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    private static EligibilityDecision EvaluateInvariant(ProgrammeCode programme, EligibilityFacts facts, ParameterSet p, DateOnly on)
    {
        var check = new Checks(p.LegalReference);
        var person = facts.Person;
        check.Alive(person, on);
        decimal? amount = null;
        string? outcome = null;

        switch (programme)
        {
            case ProgrammeCode.OlderPersonsGrant:
                check.MinimumAge(person, on, p["minAge"]);
                check.MeansTest(person, facts.Household, p, on, "The applicant's");
                amount = person.AgeOn(on) >= p["higherAmountAge"] ? p["monthlyAmountHigherAge"] : p["monthlyAmount"];
                break;

            case ProgrammeCode.DisabilityGrant:
                check.AgeBetween(person, on, p["minAge"], p["maxAge"]);
                check.Disabled(person, on, permanentOnly: false);
                check.MeansTest(person, facts.Household, p, on, "The applicant's");
                amount = p["monthlyAmount"];
                break;

            case ProgrammeCode.ChildSupportGrant:
                check.UnderAge(person, on, p["ageLimit"]);
                check.CaregiverMeansTest(facts, p, on);
                check.NoOtherActive(facts, ProgrammeCode.ChildSupportGrant, "oneChildSupportGrant",
                    "A child can have only one Child Support Grant.");
                amount = p["monthlyAmount"] + check.OrphanTopUp(facts, p);
                break;

            case ProgrammeCode.FosterChildGrant:
                check.FosterChildAge(person, on, p);
                var fostered = facts.Household?.RelationshipOf(person.CitizenId) == Relationship.FosterChild;
                check.Add("courtPlacedFosterChild", fostered, facts.Household?.RelationshipOf(person.CitizenId)?.ToString() ?? "no household", "FosterChild",
                    fostered ? "The child is recorded as a foster child in the household." : "The child is not recorded as placed in foster care in a household.");
                amount = p["monthlyAmount"];
                break;

            case ProgrammeCode.CareDependencyGrant:
                check.UnderAge(person, on, p["ageLimit"]);
                check.Disabled(person, on, permanentOnly: true);
                check.CaregiverMeansTest(facts, p, on);
                amount = p["monthlyAmount"];
                break;

            case ProgrammeCode.SocialReliefOfDistress:
                check.AgeBetween(person, on, p["minAge"], p["maxAge"]);
                var income = person.IncomeMonthly;
                check.Add("incomeTest", income <= p["incomeCeilingMonthly"], Rand(income) + "/month", Rand(p["incomeCeilingMonthly"]) + "/month",
                    income <= p["incomeCeilingMonthly"] ? "The applicant's own income is within the SRD limit." : "The applicant's own income is above the SRD limit.");
                var grants = facts.Entitlements.Where(e => e.BeneficiaryId == person.CitizenId && e.ActiveOnDate
                    && e.EntitlementId != facts.AssessedEntitlementId && ProgrammeInfo.Of(e.Programme).IsSocialGrant).Select(e => e.Programme).ToList();
                // How many, not which: a Disability or Care Dependency Grant named here would carry a disability into an SRD answer.
                check.Add("noOtherSocialGrant", grants.Count == 0, grants.Count switch { 0 => "none", 1 => "1 other social grant", var n => $"{n} other social grants" }, "none",
                    grants.Count == 0 ? "The applicant receives no other social grant." : "A person who receives another social grant cannot get SRD.");
                amount = p["monthlyAmount"];
                break;

            case ProgrammeCode.HousingSubsidyBng:
            case ProgrammeCode.HousingSubsidyFlisp:
                check.MinimumAge(person, on, p["minAge"]);
                var householdIncome = facts.Household?.MonthlyIncomeOn(on) ?? person.IncomeMonthly;
                if (programme == ProgrammeCode.HousingSubsidyBng)
                {
                    var ceiling = p["householdIncomeCeilingMonthly"];
                    check.Add("householdIncome", householdIncome <= ceiling, Rand(householdIncome) + "/month", "≤ " + Rand(ceiling) + "/month",
                        householdIncome <= ceiling ? "Gross household income is within the BNG limit." : "Gross household income is above the BNG limit.");
                    var hasPartnerOrDependants = facts.Household is { } h
                        && (h.SpouseOf(person.CitizenId) is { } partner && partner.AliveOn(on)
                            || h.Members.Any(m => m.Person.CitizenId != person.CitizenId && m.Person.AliveOn(on) && m.Person.AgeOn(on) < 18));
                    check.Add("marriedOrWithDependants", hasPartnerOrDependants, hasPartnerOrDependants ? "yes" : "no", "married, cohabiting or with financial dependants",
                        hasPartnerOrDependants ? "The applicant lives with a spouse or dependants." : "A single applicant needs financial dependants for BNG.");
                }
                else
                {
                    var (floor, ceiling) = (p["householdIncomeFloorMonthly"], p["householdIncomeCeilingMonthly"]);
                    var inBand = householdIncome >= floor && householdIncome <= ceiling;
                    check.Add("householdIncome", inBand, Rand(householdIncome) + "/month", $"{Rand(floor)} – {Rand(ceiling)}/month",
                        inBand ? "Gross household income is within the FLISP band." : "Gross household income is outside the FLISP band.");
                }
                var previous = facts.Entitlements.Any(e => e.BeneficiaryId == person.CitizenId && e.EverGranted
                    && e.EntitlementId != facts.AssessedEntitlementId && e.Programme is ProgrammeCode.HousingSubsidyBng or ProgrammeCode.HousingSubsidyFlisp);
                check.Add("noPreviousHousingSubsidy", !previous, previous ? "received before" : "none recorded", "never received",
                    previous ? "A state housing subsidy was already granted to this person." : "No earlier state housing subsidy is recorded.");
                break;

            case ProgrammeCode.SchoolFeeExemption:
                outcome = check.FeeExemption(facts, p, on);
                break;

            case ProgrammeCode.MunicipalIndigent:
                var household = facts.Household;
                check.Add("inHousehold", household is not null, household is null ? "none" : "recorded", "a registered household",
                    household is null ? "Indigent support is for households; the person belongs to none." : "The person's household is registered.");
                if (household is not null)
                {
                    var limit = household.MunicipalityCode is { Length: > 0 } code ? p.ForMunicipality("householdIncomeCeilingMonthly", code) : p["householdIncomeCeilingMonthly"];
                    var hhIncome = household.MonthlyIncomeOn(on);
                    check.Add("householdIncome", hhIncome <= limit, Rand(hhIncome) + "/month", "≤ " + Rand(limit) + "/month",
                        hhIncome <= limit
                            ? string.Create(Za, $"The household qualifies for free basic services: {p["freeBasicWaterKl"]} kl water and {p["freeBasicElectricityKwh"]} kWh electricity a month.")
                            : "Household income is above the municipality's indigent limit.");
                }
                break;
        }

        var eligible = check.AllPassed;
        return new EligibilityDecision(person.IdNumber, programme, on, eligible, eligible ? amount : null, check.Reasons,
            RuleVersion, p.Version, outcome);
    }

    /// <summary>
    /// A question the register cannot answer yet, as opposed to a "no": the exemption formula without the
    /// fees recorded for the learner's school year (and no automatic exemption).
    /// </summary>
    public static DomainError? Unanswerable(ProgrammeCode programme, EligibilityFacts facts, DateOnly on) =>
        programme == ProgrammeCode.SchoolFeeExemption && facts.SchoolCharges is null && AutomaticFeeExemption(facts, on) is null
            ? new DomainError(ErrorCodes.NoSchoolFeesRecorded,
                $"No school fees are recorded for the learner's {on.Year} school year, and no automatic exemption applies; a caseworker records the fees.", "on")
            : null;

    /// <summary>Why the learner is exempt whatever the fees, or null: a child grant, an orphan in kinship care, a child-headed household.</summary>
    private static string? AutomaticFeeExemption(EligibilityFacts facts, DateOnly on)
    {
        var learner = facts.Person;
        if (facts.Entitlements.Any(e => e.BeneficiaryId == learner.CitizenId && e.ActiveOnDate
                && e.Programme is ProgrammeCode.ChildSupportGrant or ProgrammeCode.FosterChildGrant or ProgrammeCode.CareDependencyGrant))
            return "child grant beneficiary";
        if (learner.Orphaned && (facts.Household?.InKinshipCare(learner.CitizenId) ?? false)) return "orphan in kinship care";
        if (facts.Household?.Head is { } head && head.AgeOn(on) < 18) return "child-headed household";
        return null;
    }

    internal static string Rand(decimal amount) => "R" + amount.ToString("#,##0.##", Za);

    /// <summary>Collects one reason per criterion.</summary>
    private sealed class Checks(string legalReference)
    {
        private readonly List<Reason> _reasons = [];
        public IReadOnlyList<Reason> Reasons => _reasons;
        public bool AllPassed => _reasons.All(r => r.Passed);

        public void Add(string criterion, bool passed, string? observed, string? threshold, string message) =>
            _reasons.Add(new Reason(criterion, passed, observed, threshold, legalReference, message));

        public void Alive(PersonFacts person, DateOnly on)
        {
            if (on < person.DateOfBirth)
            {
                Add("alive", false, "not yet born", "alive on the date", "The person was not yet born on this date.");
                return;
            }
            Add("alive", person.AliveOn(on), person.AliveOn(on) ? "alive" : $"died {person.DateOfDeath:yyyy-MM-dd}", "alive on the date",
                person.AliveOn(on) ? "The person is alive on this date." : "The person had died by this date; entitlements end from the date of death.");
        }

        public void MinimumAge(PersonFacts person, DateOnly on, decimal minAge)
        {
            var age = person.AgeOn(on);
            Add("age", age >= minAge, $"{age}", $"≥ {minAge}", age >= minAge ? $"The person is {age}, at least {minAge}." : $"The person is {age}, younger than {minAge}.");
        }

        public void AgeBetween(PersonFacts person, DateOnly on, decimal minAge, decimal maxAge)
        {
            var age = person.AgeOn(on);
            var ok = age >= minAge && age <= maxAge;
            Add("age", ok, $"{age}", $"{minAge} – {maxAge}", ok ? $"The person is {age}, within {minAge} to {maxAge}." : $"The person is {age}, outside {minAge} to {maxAge}.");
        }

        public void UnderAge(PersonFacts person, DateOnly on, decimal ageLimit)
        {
            var age = person.AgeOn(on);
            Add("age", age < ageLimit, $"{age}", $"< {ageLimit}", age < ageLimit ? $"The child is {age}, under {ageLimit}." : $"The child is {age}; the grant ends at {ageLimit}.");
        }

        /// <summary>A foster child's grant runs to 18, or to 21 while the child is still in school.</summary>
        public void FosterChildAge(PersonFacts person, DateOnly on, ParameterSet p)
        {
            if (p.Optional("ageLimitInSchool") is not { } inSchoolLimit)
            {
                UnderAge(person, on, p["ageLimit"]);
                return;
            }
            var age = person.AgeOn(on);
            var inSchool = person.AttendingSchool;
            var limit = inSchool ? inSchoolLimit : p["ageLimit"];
            var ok = age < limit;
            Add("age", ok, inSchool ? $"{age}, attending school" : $"{age}", $"< {p["ageLimit"]}, or < {inSchoolLimit} while in school",
                ok ? $"The child is {age}, under {limit}{(inSchool ? " while in school" : "")}."
                   : inSchool ? $"The child is {age}; the grant ends at {limit} even while in school." : $"The child is {age} and not recorded as attending school; the grant ends at {limit}.");
        }

        /// <summary>
        /// The CSG Top-Up: an orphan in the care of a relative gets the extra amount. It adds to the grant and
        /// never decides eligibility, so its reason passes either way and the sentence says whether it applies.
        /// </summary>
        public decimal OrphanTopUp(EligibilityFacts facts, ParameterSet p)
        {
            if (p.Optional("topUpMonthlyAmount") is not { } topUp) return 0m;
            var child = facts.Person;
            var kinship = facts.Household?.InKinshipCare(child.CitizenId) ?? false;
            var applies = child.Orphaned && kinship;
            var observed = !child.Orphaned ? "not recorded as an orphan" : kinship ? $"orphan, {facts.Household!.RelationshipOf(child.CitizenId)} of the head" : "orphan, not in a relative's care";
            Add("orphanTopUp", true, observed, "orphan in the care of a relative",
                applies ? $"The CSG Top-Up of {Rand(topUp)} a month is added: the child is an orphan in the care of a relative."
                        : "No CSG Top-Up: it is paid for orphans in the care of a relative.");
            return applies ? topUp : 0m;
        }

        public void Disabled(PersonFacts person, DateOnly on, bool permanentOnly)
        {
            var d = person.Disability;
            var current = d is { Disabled: true } && (d.Permanent || !permanentOnly && d.ReviewDate is { } review && review >= on);
            var observed = d is null ? "not assessed" : !d.Disabled ? "not disabled" : d.Permanent ? "permanent"
                : d.ReviewDate is { } until ? $"temporary until {until:yyyy-MM-dd}" : "temporary, no review date";
            Add("disability", current, observed, permanentOnly ? "permanent, needing permanent care" : "assessed disability in force",
                current ? "A disability assessment in force is recorded." : "No disability assessment in force qualifies.");
        }

        /// <summary>Annual income of the person and their spouse against the single or married ceiling.</summary>
        public void MeansTest(PersonFacts person, HouseholdFacts? household, ParameterSet p, DateOnly on, string whose)
        {
            var spouse = household?.SpouseOf(person.CitizenId);
            var married = spouse is not null && spouse.AliveOn(on);
            var annual = (person.IncomeMonthly + (married ? spouse!.IncomeMonthly : 0m)) * 12m;
            var ceiling = married ? p["incomeCeilingMarriedAnnual"] : p["incomeCeilingSingleAnnual"];
            Add("incomeTest", annual <= ceiling, Rand(annual) + "/year" + (married ? " (with spouse)" : ""), "≤ " + Rand(ceiling) + "/year" + (married ? " married" : " single"),
                annual <= ceiling ? $"{whose} income is within the means-test ceiling." : $"{whose} income is above the means-test ceiling.");
        }

        /// <summary>Child grants test the primary caregiver: the applicant if named, else the adult head of the child's household.</summary>
        public void CaregiverMeansTest(EligibilityFacts facts, ParameterSet p, DateOnly on)
        {
            var caregiver = facts.Applicant
                ?? (facts.Household is { } h && h.HeadCitizenId != facts.Person.CitizenId ? h.Head : null);
            var adult = caregiver is not null && caregiver.AliveOn(on) && caregiver.AgeOn(on) >= 18;
            Add("primaryCaregiver", adult, adult ? "adult caregiver recorded" : "none", "a living adult caregiver",
                adult ? "An adult primary caregiver is recorded for the child." : "No adult primary caregiver is recorded for the child.");
            if (adult) MeansTest(caregiver!, facts.Household, p, on, "The caregiver's");
        }

        public void NoOtherActive(EligibilityFacts facts, ProgrammeCode programme, string criterion, string failure)
        {
            var other = facts.Entitlements.Any(e => e.Programme == programme && e.BeneficiaryId == facts.Person.CitizenId
                && e.ActiveOnDate && e.EntitlementId != facts.AssessedEntitlementId);
            Add(criterion, !other, other ? "already receiving" : "none", "none", other ? failure : "No other active entitlement of this kind is recorded.");
        }

        /// <summary>
        /// Returns FULL, PARTIAL or NONE. The department learns the band and why, never the parents' income,
        /// nor which child grant (a Care Dependency Grant would tell it of a disability, a Foster Child Grant of a placement).
        /// </summary>
        public string FeeExemption(EligibilityFacts facts, ParameterSet p, DateOnly on)
        {
            const string grounds = "child grant beneficiary, orphan in kinship care or child-headed household";
            if (AutomaticFeeExemption(facts, on) is { } why)
            {
                Add("automaticExemption", true, why, grounds, $"Automatic full exemption: {why}.");
                return "FULL";
            }
            Add("automaticExemption", true, "none", grounds, "No automatic exemption applies; the income formula decides.");
            if (facts.SchoolCharges is not { } charges)
            {
                Add("feeFormula", false, "no school fees recorded", "fees and other charges of the school", "No school fees are recorded for this school year; a caseworker records them.");
                return "NONE";
            }
            var parents = facts.Household?.Members.Where(m => m.Relationship is Relationship.Head or Relationship.Spouse && m.Person.AliveOn(on)).Sum(m => m.Person.IncomeMonthly) ?? 0m;
            var annualIncome = parents * 12m;
            var e = annualIncome == 0 ? decimal.MaxValue : 100m * (charges.AnnualFees + charges.OtherAnnualCharges) / annualIncome;
            var (full, floor) = (p["fullExemptionPercent"], p["partialExemptionFloorPercent"]);
            var band = e >= full ? "FULL" : e >= floor ? "PARTIAL" : "NONE";
            var observed = band switch { "FULL" => $"fees ≥ {full} % of parents' income", "PARTIAL" => $"fees {floor} – {full} % of parents' income", _ => $"fees < {floor} % of parents' income" };
            Add("feeFormula", band != "NONE", observed, $"E = 100 × (F + A) / C ≥ {floor} %", band switch
            {
                "FULL" => "The fees are a large share of the parents' income: full exemption.",
                "PARTIAL" => "The fees are a moderate share of the parents' income: partial exemption.",
                _ => "The fees are a small share of the parents' income: no exemption.",
            });
            return band;
        }
    }
}
