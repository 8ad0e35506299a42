using JasperFx.Events;
using Marten;
using Registry.Api.Hosting;
using Registry.Domain.Citizens;
using Registry.Domain.Common;
using Registry.Domain.Eligibility;
using Registry.Domain.Entitlements;
using Registry.Domain.Households;
using Registry.Projections;
using Registry.Projections.Households;

namespace Registry.Api.Eligibility;

public sealed record FactsRequest(string IdNumber, DateOnly On, string? ApplicantIdNumber = null, SchoolCharges? SchoolCharges = null);

public sealed record LoadedFacts(FactsRequest Request, EligibilityFacts? Facts, DomainError? Error);

/// <summary>
/// Gathers what evaluations read, for many requests at once in a fixed number of round trips
/// (citizens, households, members, entitlements), whatever the batch size. Today's answers come from
/// the inline documents; a past date folds the events as they were true on that date.
/// </summary>
public sealed class EligibilityFactsLoader(IQuerySession session, TimeProvider clock)
{
    public async Task<IReadOnlyList<LoadedFacts>> LoadAsync(IReadOnlyList<FactsRequest> requests, CancellationToken ct)
    {
        var today = clock.Today();
        var numbers = requests.SelectMany(r => new[] { r.IdNumber, r.ApplicantIdNumber }).OfType<string>().Select(n => n.Trim()).Distinct().ToArray();
        var current = (await session.Query<Citizen>().Where(c => c.IdNumber.IsOneOf(numbers)).ToListAsync(ct)).ToDictionary(c => c.IdNumber);

        var found = requests.Where(r => current.ContainsKey(r.IdNumber.Trim())).ToList();
        var personIds = found.Select(r => current[r.IdNumber.Trim()].Id).Distinct().ToArray();
        var past = found.Any(r => r.On < today);

        // Households: today's membership rows, and for past dates every household the person ever joined.
        var memberships = (await session.LoadManyAsync<HouseholdMembership>(ct, personIds)).ToDictionary(m => m.Id, m => m.HouseholdId);
        var householdIds = memberships.Values.ToHashSet();
        if (past)
        {
            var ever = await session.AdvancedSql.QueryAsync<Guid>(
                "SELECT DISTINCT stream_id FROM registry.mt_events WHERE type IN ('household_formed', 'member_joined') " +
                "AND coalesce(data ->> 'CitizenId', data ->> 'HeadCitizenId') = ANY(?)", ct, [personIds.Select(i => i.ToString()).ToArray()]);
            householdIds.UnionWith(ever);
        }
        var households = (await session.LoadManyAsync<Household>(ct, householdIds)).ToDictionary(h => h.Id);
        var householdEvents = past ? await EventsOf(householdIds, ct) : NoEvents;

        // Everyone whose facts count: the people asked about, their housemates, named applicants.
        var everyone = households.Values.SelectMany(h => h.Members.Select(m => m.CitizenId)).Concat(personIds)
            .Concat(current.Values.Select(c => c.Id)).ToHashSet();
        var citizens = (await session.LoadManyAsync<Citizen>(ct, everyone)).ToDictionary(c => c.Id);
        var citizenEvents = past ? await EventsOf(everyone, ct) : NoEvents;
        var entitlements = (await session.Query<Entitlement>().Where(e => e.BeneficiaryId.IsOneOf(everyone.ToArray())).ToListAsync(ct))
            .ToLookup(e => e.BeneficiaryId);

        Citizen? CitizenOn(Guid id, DateOnly on) =>
            on >= today ? citizens.GetValueOrDefault(id) : StateAsOf.Citizen(citizenEvents[id], on);

        Household? HouseholdOf(Guid personId, DateOnly on)
        {
            if (on >= today)
                return memberships.TryGetValue(personId, out var hid) ? households.GetValueOrDefault(hid) : null;
            return householdIds.Select(hid => StateAsOf.Household(householdEvents[hid], on))
                .FirstOrDefault(h => h is { Dissolved: false } && h.HasMember(personId));
        }

        return requests.Select(r =>
        {
            if (!SaIdNumber.TryParse(r.IdNumber, today, out _, out var invalid))
                return new LoadedFacts(r, null, invalid! with { Field = "idNumber" });
            if (!current.TryGetValue(r.IdNumber.Trim(), out var now) || CitizenOn(now.Id, r.On) is not { } person)
                return new LoadedFacts(r, null, new DomainError(ErrorCodes.NotFound, "No citizen with this ID number is registered.", "idNumber"));

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

            return new LoadedFacts(r, new EligibilityFacts(PersonFacts.From(person), householdFacts, holdings, applicant, r.SchoolCharges), null);
        }).ToList();
    }

    private static readonly ILookup<Guid, IEvent> NoEvents = Array.Empty<IEvent>().ToLookup(e => e.StreamId);

    private async Task<ILookup<Guid, IEvent>> EventsOf(IEnumerable<Guid> streamIds, CancellationToken ct)
    {
        var ids = streamIds.ToArray();
        var events = await session.Events.QueryAllRawEvents().Where(e => e.StreamId.IsOneOf(ids)).OrderBy(e => e.Sequence).ToListAsync(ct);
        return events.ToLookup(e => e.StreamId);
    }
}
