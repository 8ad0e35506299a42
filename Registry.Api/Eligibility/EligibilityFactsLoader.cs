using JasperFx.Events;
using Marten;
using Registry.Api.Hosting;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Eligibility;
using Registry.Domain.Entitlements;
using Registry.Domain.Households;
using Registry.Domain.Programmes;
using Registry.Projections;
using Registry.Projections.Households;
using Registry.Projections.Sql;

namespace Registry.Api.Eligibility;

public sealed record FactsRequest(string IdNumber, DateOnly On, string? ApplicantIdNumber = null);

/// <param name="Municipality">Where the person lived on the date: the household's municipality, else their own address's.</param>
/// <param name="Sex">Not a fact any rule reads; statistics of the decisions (a policy simulation's breakdown) group by it.</param>
public sealed record LoadedFacts(FactsRequest Request, EligibilityFacts? Facts, DomainError? Error, string? Municipality = null, Sex? Sex = null);

/// <summary>The facts of a batch and the programmes it asks about, read together.</summary>
public sealed record LoadedBatch(IReadOnlyList<LoadedFacts> Facts, IReadOnlyDictionary<ProgrammeCode, Programme> Programmes);

/// <summary>
/// Gathers what evaluations read, for many requests at once in a fixed number of round trips
/// (citizens, households, members, entitlements), whatever the batch size. Today's answers come from
/// the inline documents; a past date folds the events as they were true on that date.
/// </summary>
public sealed class EligibilityFactsLoader(IQuerySession session, TimeProvider clock)
{
    public async Task<IReadOnlyList<LoadedFacts>> LoadAsync(IReadOnlyList<FactsRequest> requests, CancellationToken ct) =>
        (await LoadAsync(requests, [], ct)).Facts;

    public async Task<LoadedBatch> LoadAsync(IReadOnlyList<FactsRequest> requests, IReadOnlyCollection<ProgrammeCode> programmes, CancellationToken ct)
    {
        var today = clock.Today();
        var numbers = requests.SelectMany(r => new[] { r.IdNumber, r.ApplicantIdNumber }).OfType<string>().Select(n => n.Trim()).Distinct().ToArray();
        var past = requests.Any(r => r.On < today);

        // Today's facts in one round trip: the people, their memberships, households, housemates and
        // entitlements, and the programmes asked about.
        var docs = await session.AdvancedSql.QueryAsync<FactsRow>(RegistrySql.Of(session).CurrentFacts, ct, [numbers, programmes.Select(ProgrammeInfo.StreamIdFor).Distinct().ToArray()]);
        var programmesAsked = docs.Select(d => d.Programme).OfType<Programme>().ToDictionary(p => p.Code);
        var citizens = docs.Select(d => d.Citizen).OfType<Citizen>().DistinctBy(c => c.Id).ToDictionary(c => c.Id);
        // A set, not the array: a page of a thousand people would otherwise search it a thousand times.
        var asked = numbers.ToHashSet(StringComparer.Ordinal);
        var current = citizens.Values.Where(c => asked.Contains(c.IdNumber)).ToDictionary(c => c.IdNumber);
        var memberships = docs.Select(d => d.Membership).OfType<HouseholdMembership>().ToDictionary(m => m.Id, m => m.HouseholdId);
        var households = docs.Select(d => d.Household).OfType<Household>().ToDictionary(h => h.Id);
        var entitlements = docs.Select(d => d.Entitlement).OfType<Entitlement>().ToLookup(e => e.BeneficiaryId);
        var householdIds = households.Keys.ToHashSet();
        var personIds = current.Values.Select(c => c.Id).ToArray();

        var householdEvents = NoEvents;
        var citizenEvents = NoEvents;
        if (past)
        {
            // For past dates, every household the person ever joined, folded as it was then.
            householdIds.UnionWith(await StateAsOf.HouseholdsEverJoinedAsync(session, personIds, ct));
            householdEvents = await StateAsOf.EventsAsync(session, householdIds, null, ct);
            var everyone = householdEvents.SelectMany(g => g.Select(e => e.Data)).OfType<MemberJoined>().Select(j => j.CitizenId)
                .Concat(householdEvents.SelectMany(g => g.Select(e => e.Data)).OfType<HouseholdFormed>().Select(f => f.HeadCitizenId))
                .Concat(citizens.Keys).ToHashSet();
            citizenEvents = await StateAsOf.EventsAsync(session, everyone, null, ct);
            entitlements = (await session.Query<Entitlement>().Where(e => e.BeneficiaryId.IsOneOf(everyone.ToArray())).ToListAsync(ct)).ToLookup(e => e.BeneficiaryId);
        }

        // Folded once per person and date: a household's members are asked for by each of them.
        var citizensOn = new Dictionary<(Guid, DateOnly), Citizen?>();
        Citizen? CitizenOn(Guid id, DateOnly on)
        {
            if (on >= today) return citizens.GetValueOrDefault(id);
            if (!citizensOn.TryGetValue((id, on), out var folded)) citizensOn[(id, on)] = folded = StateAsOf.Citizen(citizenEvents[id], on);
            return folded;
        }

        var householdsOn = new Dictionary<DateOnly, Dictionary<Guid, Household>>();
        Household? HouseholdOf(Guid personId, DateOnly on)
        {
            if (on >= today)
                return memberships.TryGetValue(personId, out var hid) ? households.GetValueOrDefault(hid) : null;
            // Every household folded once per date, not once per person asked about (a page of a thousand would fold a million).
            if (!householdsOn.TryGetValue(on, out var byMember))
            {
                householdsOn[on] = byMember = [];
                foreach (var folded in householdIds.Select(hid => StateAsOf.Household(householdEvents[hid], on)))
                    if (folded is { Dissolved: false })
                        foreach (var member in folded.Members) byMember.TryAdd(member.CitizenId, folded);
            }
            return byMember.GetValueOrDefault(personId);
        }

        return new LoadedBatch([.. requests.Select(r =>
        {
            if (!SaIdNumber.TryParse(r.IdNumber, today, out _, out var invalid))
                return new LoadedFacts(r, null, invalid! with { Field = "idNumber" });
            if (!current.TryGetValue(r.IdNumber.Trim(), out var now) || CitizenOn(now.Id, r.On) is not { } person)
                return new LoadedFacts(r, null, Citizens.CitizenLookup.NotFound());
            // A merged-away record is no person of its own any more: its facts would count the survivor twice.
            if (now.IsMerged) return new LoadedFacts(r, null, Citizens.CitizenLookup.Merged());

            PersonFacts? applicant = null;
            if (r.ApplicantIdNumber is { } applicantNumber)
            {
                if (!current.TryGetValue(applicantNumber.Trim(), out var a) || CitizenOn(a.Id, r.On) is not { } applicantOn)
                    return new LoadedFacts(r, null, new DomainError(ErrorCodes.NotFound, "No citizen with the applicant's ID number is registered.", "applicantIdNumber"));
                applicant = PersonFacts.From(applicantOn);
            }

            var household = HouseholdOf(person.Id, r.On);
            HouseholdFacts? householdFacts = household is null ? null : new HouseholdFacts(household.Id, household.HeadCitizenId, household.Address.MunicipalityCode,
                [.. household.Members.Select(m => (m, c: CitizenOn(m.CitizenId, r.On))).Where(x => x.c is not null)
                    .Select(x => new HouseholdMemberFacts(PersonFacts.From(x.c!), x.m.Relationship))]);
            var relevant = household?.Members.Select(m => m.CitizenId).Append(person.Id).Distinct() ?? [person.Id];
            var holdings = relevant.SelectMany(id => entitlements[id]).Select(e => e.AsHolding(r.On)).ToList();

            // The fee-exemption formula reads the fees recorded for the learner's school year, never a caller's figure.
            var charges = person.SchoolFeesFor(r.On) is { } fees ? new SchoolCharges(fees.AnnualFees, fees.OtherAnnualCharges) : null;
            return new LoadedFacts(r, new EligibilityFacts(PersonFacts.From(person), householdFacts, holdings, applicant, charges), null,
                household?.Address.MunicipalityCode ?? person.Address.MunicipalityCode, person.Sex);
        })], programmesAsked);
    }

    /// <summary>One row per document: exactly one of the properties is set.</summary>
    public sealed record FactsRow(Citizen? Citizen, HouseholdMembership? Membership, Household? Household, Entitlement? Entitlement, Programme? Programme);

    private static readonly ILookup<Guid, IEvent> NoEvents = Array.Empty<IEvent>().ToLookup(e => e.StreamId);
}
