namespace Registry.Api.Tests;

/// <summary>Introspection: on for GraphiQL in Development, off in Production unless configured; always bounded.</summary>
[Collection(ApiCollection.Name)]
public sealed class IntrospectionTests(RegistryApiFactory api)
{
    /// <summary>What GraphiQL sends to learn the schema: graphql-js's getIntrospectionQuery() with its defaults (nine levels of ofType).</summary>
    public const string GraphiQLIntrospectionQuery = """
query IntrospectionQuery {
  __schema {
    queryType { name kind }
    mutationType { name kind }
    subscriptionType { name kind }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind
  name
  ofType {
    name
    kind
    ofType {
      name
      kind
      ofType {
        name
        kind
        ofType {
          name
          kind
          ofType {
            name
            kind
            ofType {
              name
              kind
              ofType {
                name
                kind
                ofType {
                  name
                  kind
                  ofType {
                    name
                    kind
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
""";

    private static string TypeRefsDeep(int levels) =>
        levels == 0 ? "name" : $"kind ofType {{ {TypeRefsDeep(levels - 1)} }}";

    [Fact]
    public async Task GraphiQL_fetches_the_schema_in_Development()
    {
        var body = await api.ClientFor("caseworker").GraphQLAsync(GraphiQLIntrospectionQuery);
        body.Data("__schema").GetProperty("types").EnumerateArray().Select(t => t.GetProperty("name").GetString())
            .Should().Contain(["Citizen", "Household", "UserError", "CitizenConnection"]);
    }

    [Fact]
    public async Task Introspection_deeper_than_its_allowance_is_refused_even_in_Development()
    {
        // __type > fields > type > 14 levels of ofType: depth 17, beyond GraphiQL's 15.
        var body = await api.ClientFor("caseworker").GraphQLAsync($"{{ __type(name: \"Citizen\") {{ fields {{ type {{ {TypeRefsDeep(14)} }} }} }} }}");
        body.TransportErrorCodes().Should().Contain(c => c.Contains("COMPLEXITY") || c.Contains("DEPTH"));
        body.TryGetProperty("data", out _).Should().BeFalse("nothing runs");
    }

    [Fact]
    public async Task Introspection_within_the_depth_allowance_is_still_counted_for_complexity()
    {
        // Two copies of GraphiQL's fetch under aliases: each within depth 15, together too much work.
        var copies = string.Join(" ", Enumerable.Range(1, 2).Select(i => $"s{i}: __schema {{ types {{ ...FullType }} }}"));
        var fragments = GraphiQLIntrospectionQuery[GraphiQLIntrospectionQuery.IndexOf("fragment FullType", StringComparison.Ordinal)..];
        var body = await api.ClientFor("caseworker").GraphQLAsync($"{{ {copies} }}\n{fragments}");
        body.TransportErrorCodes().Should().Contain(c => c.Contains("COMPLEXITY"));
    }

    [Fact]
    public async Task Production_refuses_introspection_unless_configured_on()
    {
        await using (var production = api.InProduction())
        {
            var client = production.ClientFor(api, "caseworker");
            foreach (var query in new[] { GraphiQLIntrospectionQuery, "{ __schema { queryType { name } } }", "{ __type(name: \"Citizen\") { name } }" })
            {
                var refused = await client.GraphQLAsync(query);
                refused.TransportErrorCodes().Should().Contain("INTROSPECTION_DISABLED");
                refused.TryGetProperty("data", out _).Should().BeFalse();
            }
            // __typename is not introspection: clients put it in every selection.
            (await client.GraphQLAsync("{ __typename citizens(first: 1) { __typename } }")).Data("__typename").GetString().Should().Be("Query");
        }

        await using var configured = api.InProduction(null, ("GraphQL:Introspection", "true"));
        (await configured.ClientFor(api, "caseworker").GraphQLAsync(GraphiQLIntrospectionQuery)).Data("__schema").GetProperty("queryType")
            .GetProperty("name").GetString().Should().Be("Query");
    }
}
