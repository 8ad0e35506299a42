using GraphQL.Types;
using Registry.Api.Citizens;
using Registry.Api.Households;
using Registry.Api.Departments;
using Registry.Api.Eligibility;
using Registry.Api.Entitlements;
using Registry.Api.Programmes;
using Registry.Domain.Common;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;

namespace Registry.Api.GraphQL;

public sealed class RegistrySchema : Schema
{
    public RegistrySchema(IServiceProvider services, RegistryQuery query, RegistryMutation mutation) : base(services)
    {
        Query = query;
        Mutation = mutation;
        RegisterTypeMapping(typeof(DateOnly), typeof(DateScalar));
        RegisterTypeMapping(typeof(DateTimeOffset), typeof(DateTimeScalar));
        RegisterTypeMapping(typeof(Sex), typeof(SexType));
        RegisterTypeMapping(typeof(Citizenship), typeof(CitizenshipType));
        RegisterTypeMapping(typeof(Province), typeof(ProvinceType));
        RegisterTypeMapping(typeof(Relationship), typeof(RelationshipType));
        RegisterTypeMapping(typeof(IncomeSource), typeof(IncomeSourceType));
        RegisterTypeMapping(typeof(ProgrammeCode), typeof(ProgrammeCodeType));
        RegisterTypeMapping(typeof(EntitlementStatus), typeof(EntitlementStatusType));
        RegisterTypeMapping(typeof(Domain.ChangeRequests.ChangeRequestStatus), typeof(ChangeRequests.ChangeRequestStatusType));
    }
}

/// <summary>Root query: each slice adds its own fields.</summary>
public sealed class RegistryQuery : ObjectGraphType
{
    public RegistryQuery()
    {
        Name = "Query";
        FindingCitizens.AddTo(this);
        FindingDuplicates.AddTo(this);
        PagingDuplicates.AddTo(this);
        GettingHousehold.AddTo(this);
        EntitlementFields.AddTo(this);
        ListingProgrammes.AddTo(this);
        CheckingEligibility.AddTo(this);
        Receipts.ReadingReceipts.AddTo(this);
        Appeals.AppealFields.AddTo(this);
        DepartmentFields.AddTo(this);
        MunicipalFields.AddTo(this);
        StatisticsFields.AddTo(this);
        Audit.AuditFields.AddTo(this);
        Simulation.SimulationRuns.AddTo(this);
        Notices.ReadingChanges.AddTo(this);
        Notices.SubscribingToNotices.AddQueriesTo(this);
        ChangeRequests.ListingChangeRequests.AddTo(this);
    }
}

/// <summary>Root mutation: each slice adds its own field.</summary>
public sealed class RegistryMutation : ObjectGraphType
{
    public RegistryMutation()
    {
        Name = "Mutation";
        RegisteringCitizen.AddTo(this);
        ChangeCitizenNameInputType.AddTo(this);
        ChangeCitizenAddressInputType.AddTo(this);
        DeclareIncomeInputType.AddTo(this);
        RecordDisabilityAssessmentInputType.AddTo(this);
        RecordOrphanhoodInputType.AddTo(this);
        RecordSchoolAttendanceInputType.AddTo(this);
        RecordSchoolFeesInputType.AddTo(this);
        RecordDeathInputType.AddTo(this);
        CorrectCitizenRecordInputType.AddTo(this);
        EraseCitizenInputType.AddTo(this);
        MergeCitizensInputType.AddTo(this);
        UnmergeCitizensInputType.AddTo(this);
        RecordNotADuplicateInputType.AddTo(this);
        FormHouseholdInputType.AddTo(this);
        AddHouseholdMemberInputType.AddTo(this);
        RemoveHouseholdMemberInputType.AddTo(this);
        ChangeHouseholdHeadInputType.AddTo(this);
        ApplyForEntitlementInputType.AddTo(this);
        EntitlementStatusChange.AddTo(this);
        Appeals.LodgeAppealInputType.AddTo(this);
        Appeals.RecordAppealEvidenceInputType.AddTo(this);
        Appeals.DecideAppealInputType.AddTo(this);
        PublishProgrammeParametersInputType.AddTo(this);
        Simulation.SimulatingPolicy.AddTo(this);
        Audit.CheckingTheRegister.AddTo(this);
        Notices.SubscribingToNotices.AddMutationsTo(this);
        ChangeRequests.DecidingChange.AddTo(this);
    }
}
