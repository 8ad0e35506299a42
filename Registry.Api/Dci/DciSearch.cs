using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Marten;
using Registry.Api.Auth;
using Registry.Api.Citizens;
using Registry.Domain.Citizens;
using Registry.Domain.Entitlements;
using Registry.Domain.Programmes;
using DepartmentCodes = Registry.Domain.Programmes.Departments;

namespace Registry.Api.Dci;

/// <summary>
/// What one department may see of a person over DCI: the same as its own views show. A person is found only
/// as a beneficiary of the department's own programmes, with the ID number and each of those
/// entitlements' programme, status, monthly amount and start; SASSA also sees the name, as its
/// socialDevelopment.beneficiaries list shows it. Municipalities and Statistics SA read households and counts,
/// not person records, so they are not served here.
/// </summary>
public sealed record DciView(string Department, bool ShowsName, ProgrammeCode[] Programmes)
{
    /// <summary>The view of a token that speaks for exactly one department and nothing else; null for any other caller.</summary>
    public static DciView? Of(ClaimsPrincipal user)
    {
        if (Roles.Of(user) is not [{ Department: { } department, Municipality: null }]) return null;
        var programmes = ProgrammeInfo.All.Where(p => p.Department == department).Select(p => p.Code).ToArray();
        return department switch
        {
            DepartmentCodes.SocialDevelopment => new DciView(department, true, programmes),
            DepartmentCodes.HumanSettlements or DepartmentCodes.BasicEducation => new DciView(department, false, programmes),
            _ => null,
        };
    }
}

/// <summary>A DCI name for a register enum value, as GraphQL spells it (OLDER_PERSONS_GRANT, ACTIVE).</summary>
public static class DciNames
{
    public static string Of<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseUpper.ConvertName(value.ToString());

    public static T? Parse<T>(string? text) where T : struct, Enum =>
        Enum.GetValues<T>().Cast<T?>().FirstOrDefault(v => Of(v!.Value) == text);
}

/// <summary>One condition of a predicate query, on an attribute of an entitlement the department sees.</summary>
public sealed record DciCondition(string Attribute, string Operator, IReadOnlyList<JsonElement> Values);

/// <summary>A parsed search query: an ID number (idtype-value, type UIN) or conditions that all must hold (predicate).</summary>
public sealed record DciQuery(string? IdNumber, IReadOnlyList<DciCondition> Conditions)
{
    public const string IdTypeValue = "idtype-value";
    public const string Predicate = "predicate";

    /// <summary>Attributes a predicate may test, with the operators each allows: only what the answer itself shows.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Attributes = new Dictionary<string, string[]>
    {
        ["programme"] = ["eq", "in"],
        ["status"] = ["eq", "in"],
        ["since"] = ["eq", "gt", "ge", "lt", "le"],
    };

    /// <summary>The query, or why it cannot be run (a sentence without the values given).</summary>
    public static (DciQuery? Query, string? Problem) Parse(string? queryType, JsonElement query) => queryType switch
    {
        IdTypeValue => ParseIdTypeValue(query),
        Predicate => ParsePredicate(query),
        "expression" => (null, "query_type 'expression' is not supported here; use 'idtype-value' or 'predicate'."),
        _ => (null, "query_type must be 'idtype-value' or 'predicate'."),
    };

    private static (DciQuery?, string?) ParseIdTypeValue(JsonElement query)
    {
        if (query.ValueKind != JsonValueKind.Object || !query.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
            || !query.TryGetProperty("value", out var value))
            return (null, "An idtype-value query is an object with 'type' and 'value'.");
        if (type.GetString() != "UIN") return (null, "The only identifier type is 'UIN', the South African ID number.");
        var number = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return number is null ? (null, "The UIN is a string.") : (new DciQuery(number.Trim(), []), null);
    }

    private static (DciQuery?, string?) ParsePredicate(JsonElement query)
    {
        var items = query.ValueKind switch
        {
            JsonValueKind.Array => query.EnumerateArray().ToList(),
            JsonValueKind.Object => [query],
            _ => null,
        };
        if (items is null or { Count: 0 }) return (null, "A predicate query is a list of expressions (expression1, condition, expression2).");
        var conditions = new List<DciCondition>();
        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("expression1", out var first)) return (null, "Each predicate has an expression1.");
            var hasCondition = item.TryGetProperty("condition", out var condition) && condition.ValueKind != JsonValueKind.Null;
            var hasSecond = item.TryGetProperty("expression2", out var second) && second.ValueKind != JsonValueKind.Null;
            if (hasCondition != hasSecond || hasCondition && (condition.ValueKind != JsonValueKind.String || condition.GetString() != "and"))
                return (null, "Expressions combine with condition 'and' only ('or' and 'not' are not supported).");
            foreach (var expression in hasSecond ? [first, second] : new[] { first })
            {
                if (ParseExpression(expression) is not { } parsed)
                    return (null, $"An expression is {{attribute_name, operator, attribute_value}} on one of: {string.Join(", ", Attributes.Select(a => $"{a.Key} ({string.Join("/", a.Value)})"))}.");
                conditions.Add(parsed);
            }
        }
        return (new DciQuery(null, conditions), null);
    }

    private static DciCondition? ParseExpression(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object
            || !e.TryGetProperty("attribute_name", out var name) || name.ValueKind != JsonValueKind.String
            || !e.TryGetProperty("operator", out var op) || op.ValueKind != JsonValueKind.String
            || !e.TryGetProperty("attribute_value", out var value)
            || !Attributes.TryGetValue(name.GetString()!, out var operators) || !operators.Contains(op.GetString()))
            return null;
        IReadOnlyList<JsonElement> values = op.GetString() == "in"
            ? value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : []
            : [value];
        var condition = new DciCondition(name.GetString()!, op.GetString()!, values);
        return values.Count > 0 && values.All(v => Valid(condition.Attribute, v)) ? condition : null;
    }

    private static bool Valid(string attribute, JsonElement value) => value.ValueKind == JsonValueKind.String && attribute switch
    {
        "programme" => DciNames.Parse<ProgrammeCode>(value.GetString()) is not null,
        "status" => DciNames.Parse<EntitlementStatus>(value.GetString()) is not null,
        "since" => DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        _ => false,
    };
}

/// <summary>The DCI record of one person as the department sees them.</summary>
public sealed record DciPersonRecord(IReadOnlyList<DciIdentifier> Identifier, DciName? Name, IReadOnlyList<DciEntitlement> Entitlements);

public sealed record DciIdentifier(string IdentifierType, string IdentifierValue);

public sealed record DciName(string GivenName, string Surname);

public sealed record DciEntitlement(string Programme, string Status, decimal? MonthlyAmount, DateOnly? Since);

/// <summary>A page of people found, how many were found in all, and whom the page shows (for the access log).</summary>
public sealed record DciFound(IReadOnlyList<DciPersonRecord> Records, int TotalCount, IReadOnlyList<Guid> People);

/// <summary>Runs a search for one department over its own programmes' entitlements and the citizens they name.</summary>
public static class DciSearch
{
    /// <summary>The people found, or null when more than <paramref name="maxFound"/> match (the caller must narrow the query).</summary>
    public static async Task<DciFound?> RunAsync(IQuerySession session, DciView view, DciQuery query, int pageSize, int pageNumber, int maxFound, CancellationToken ct)
    {
        var programmes = view.Programmes;
        List<Guid> matched;
        if (query.IdNumber is { } idNumber)
        {
            // Someone who is not the department's beneficiary is not found, as an unregistered number is not.
            var citizen = await CitizenLookup.FindAsync(session, idNumber, ct);
            // A record merged into another is found as its survivor, as the caseworker's lookup finds it.
            if (citizen is { MergedInto: { } survivor }) citizen = await session.LoadAsync<Citizen>(survivor, ct);
            var theirs = citizen is not null && await session.Query<Entitlement>()
                .AnyAsync(e => e.BeneficiaryId == citizen.Id && programmes.Contains(e.Programme), ct);
            matched = theirs ? [citizen!.Id] : [];
        }
        else
        {
            // A person holds at most one entitlement per programme: this many rows hold more than maxFound people
            // only if there are too many, and never more rows than that are read.
            var limit = maxFound * programmes.Length + 1;
            var rows = await Filter(session.Query<Entitlement>().Where(e => programmes.Contains(e.Programme)), query.Conditions)
                .OrderBy(e => e.BeneficiaryId).Select(e => e.BeneficiaryId).Take(limit).ToListAsync(ct);
            matched = [.. rows.Distinct()];
            if (rows.Count == limit || matched.Count > maxFound) return null;
        }

        var offset = (long)(pageNumber - 1) * pageSize;
        List<Guid> page = offset >= matched.Count ? [] : matched.Skip((int)offset).Take(pageSize).ToList();
        if (page.Count == 0) return new DciFound([], matched.Count, []);
        var citizens = (await session.LoadManyAsync<Citizen>(ct, page)).ToDictionary(c => c.Id);
        var entitlements = (await session.Query<Entitlement>().Where(e => page.Contains(e.BeneficiaryId) && programmes.Contains(e.Programme)).ToListAsync(ct))
            .ToLookup(e => e.BeneficiaryId);
        // An erased person has no citizen document: they are not shown, whatever entitlements remain.
        var shown = page.Where(citizens.ContainsKey).ToList();
        var records = shown.Select(id => Record(view, citizens[id], entitlements[id])).ToList();
        return new DciFound(records, matched.Count, shown);
    }

    private static DciPersonRecord Record(DciView view, Citizen citizen, IEnumerable<Entitlement> entitlements) =>
        new([new DciIdentifier("UIN", citizen.IdNumber)],
            view.ShowsName ? new DciName(citizen.FirstNames, citizen.Surname) : null,
            [.. entitlements.OrderBy(e => e.Programme).Select(e => new DciEntitlement(DciNames.Of(e.Programme), DciNames.Of(e.Status), e.MonthlyAmount, e.Since))]);

    private static IQueryable<Entitlement> Filter(IQueryable<Entitlement> query, IReadOnlyList<DciCondition> conditions)
    {
        foreach (var c in conditions)
        {
            switch (c.Attribute)
            {
                case "programme":
                    var programmes = c.Values.Select(v => DciNames.Parse<ProgrammeCode>(v.GetString())!.Value).ToArray();
                    query = query.Where(e => programmes.Contains(e.Programme));
                    break;
                case "status":
                    var statuses = c.Values.Select(v => DciNames.Parse<EntitlementStatus>(v.GetString())!.Value).ToArray();
                    query = query.Where(e => statuses.Contains(e.Status));
                    break;
                case "since":
                    DateOnly? d = DateOnly.ParseExact(c.Values[0].GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                    query = c.Operator switch
                    {
                        "eq" => query.Where(e => e.Since == d),
                        "gt" => query.Where(e => e.Since > d),
                        "ge" => query.Where(e => e.Since >= d),
                        "lt" => query.Where(e => e.Since < d),
                        _ => query.Where(e => e.Since <= d),
                    };
                    break;
            }
        }
        return query;
    }
}
