using Registry.Domain.Common;

namespace Registry.Domain.Citizens;

public sealed record Disability(bool Disabled, bool Permanent, DateOnly? ReviewDate);

/// <summary>Whether the person attends school, and since when that has been so.</summary>
public sealed record SchoolAttendance(bool Attending, DateOnly From);

/// <summary>The school's annual fees and other charges for one school year.</summary>
public sealed record SchoolFees(int Year, decimal AnnualFees, decimal OtherAnnualCharges)
{
    /// <summary>South African schools run on the calendar year: the school year of a date is its year.</summary>
    public static int SchoolYearOf(DateOnly on) => on.Year;
}

/// <summary>The current state of one citizen, folded from the Citizen stream.</summary>
public sealed record Citizen(
    Guid Id,
    string IdNumber,
    string FirstNames,
    string Surname,
    DateOnly DateOfBirth,
    Sex Sex,
    Citizenship Citizenship,
    Address Address,
    decimal? MonthlyIncome = null,
    IncomeSource? IncomeSource = null,
    Disability? Disability = null,
    DateOnly? DateOfDeath = null,
    bool Orphaned = false,
    SchoolAttendance? School = null,
    IReadOnlyList<SchoolFees>? SchoolFees = null,
    long Version = 0,
    DateTimeOffset LastChangedAt = default,
    Guid? MergedInto = null,
    Guid? MergeId = null,
    IReadOnlyList<MergedRecordRef>? MergedRecords = null,
    IReadOnlyList<Guid>? NotDuplicatesOf = null)
{
    public bool IsAlive => DateOfDeath is null;

    /// <summary>Merged into another record: it stands for the survivor now, and no change is made to it but an unmerge.</summary>
    public bool IsMerged => MergedInto is not null;

    /// <summary>The fees recorded for the school year of the date, if any.</summary>
    public SchoolFees? SchoolFeesFor(DateOnly on) => SchoolFees?.FirstOrDefault(f => f.Year == Citizens.SchoolFees.SchoolYearOf(on));

    private static Citizen Registered(CitizenRegistered e) =>
        new(e.CitizenId, e.IdNumber, e.FirstNames, e.Surname, e.DateOfBirth, e.Sex, e.Citizenship, e.Address);

    /// <summary>The events <see cref="Evolve"/> folds: what a projection of citizens reads, and nothing else.</summary>
    public static readonly IReadOnlyList<Type> EventTypes =
    [
        typeof(CitizenRegistered), typeof(CitizenErased), typeof(CitizenNameChanged), typeof(CitizenAddressChanged), typeof(IncomeDeclared),
        typeof(DisabilityAssessed), typeof(CitizenDied), typeof(OrphanhoodRecorded), typeof(SchoolAttendanceRecorded), typeof(SchoolFeesRecorded),
        typeof(CitizenRecordCorrected), typeof(CitizenMergedInto), typeof(CitizenUnmerged), typeof(DuplicateMergedIn), typeof(DuplicateUnmerged),
        typeof(NotADuplicateRecorded),
    ];

    /// <summary>Pure fold of one event; unknown events leave the state as it was.</summary>
    public static Citizen? Evolve(Citizen? state, object @event) => (state, @event) switch
    {
        (_, CitizenRegistered e) => Registered(e),
        // The register no longer holds the person: no state is left to fold.
        (_, CitizenErased) => null,
        (null, _) => null,
        (var c, CitizenNameChanged e) => c with { FirstNames = e.FirstNames, Surname = e.Surname },
        (var c, CitizenAddressChanged e) => c with { Address = e.Address },
        (var c, IncomeDeclared e) => c with { MonthlyIncome = e.MonthlyIncome, IncomeSource = e.Source },
        (var c, DisabilityAssessed e) => c with { Disability = new Disability(e.Disabled, e.Permanent, e.ReviewDate) },
        (var c, CitizenDied e) => c with { DateOfDeath = e.DateOfDeath },
        (var c, OrphanhoodRecorded e) => c with { Orphaned = e.Orphaned },
        (var c, SchoolAttendanceRecorded e) => c with { School = new SchoolAttendance(e.Attending, e.From) },
        (var c, SchoolFeesRecorded e) => c with
        {
            SchoolFees = [.. (c.SchoolFees ?? []).Where(f => f.Year != e.Year).Append(new SchoolFees(e.Year, e.AnnualFees, e.OtherAnnualCharges)).OrderBy(f => f.Year)],
        },
        (var c, CitizenRecordCorrected e) => CorrectableFields.Apply(c, e.Field, e.NewValue),
        (var c, CitizenMergedInto e) => c with { MergedInto = e.SurvivorId, MergeId = e.MergeId },
        (var c, CitizenUnmerged) => c with { MergedInto = null, MergeId = null },
        (var c, DuplicateMergedIn e) => c with { MergedRecords = [.. c.MergedRecords ?? [], new MergedRecordRef(e.DuplicateId, e.MergeId, e.MergedAt)] },
        (var c, DuplicateUnmerged e) => c with { MergedRecords = [.. (c.MergedRecords ?? []).Where(m => m.MergeId != e.MergeId)] },
        (var c, NotADuplicateRecorded e) => c with { NotDuplicatesOf = [.. c.NotDuplicatesOf ?? [], e.OtherCitizenId] },
        var (c, _) => c,
    };
}
