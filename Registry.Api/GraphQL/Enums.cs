using GraphQL.Types;
using Registry.Domain.Common;

namespace Registry.Api.GraphQL;

// Values appear in CONSTANT_CASE (PERMANENT_RESIDENT), as the contract spells them.
public sealed class SexType : EnumerationGraphType<Sex>;
public sealed class CitizenshipType : EnumerationGraphType<Citizenship>;
public sealed class ProvinceType : EnumerationGraphType<Province>;
public sealed class RelationshipType : EnumerationGraphType<Relationship>;
public sealed class IncomeSourceType : EnumerationGraphType<IncomeSource>;
