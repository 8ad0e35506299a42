using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NSec.Cryptography;
using Registry.Api.Dci;

namespace Registry.Api.Tests;

/// <summary>
/// A recorded decision comes with a receipt the citizen can keep: signed with the key the register publishes, checked
/// here with NSec over the receipt's bytes as they stand in the document, not through the register's own check.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class ReceiptTests(RegistryApiFactory api)
{
    private readonly HttpClient _caseworker = api.ClientFor("caseworker");
    private readonly HttpClient _auditor = api.ClientFor("auditor");

    private const string Signature = ",\"signature\":";

    /// <summary>A pensioner granted the older person's grant from 1 June 2025 (R2,310 a month then), with the decision's id and receipt.</summary>
    private async Task<(string IdNumber, string DecisionId, string Receipt)> GrantedAsync()
    {
        var pensioner = await _caseworker.RegisterAsync(new DateOnly(1960, 1, 10));
        var decision = (await _caseworker.MutateAsync("applyForEntitlement", "ApplyForEntitlementInput",
                new { programme = "OLDER_PERSONS_GRANT", beneficiaryIdNumber = pensioner, effectiveDate = "2025-06-01" },
                "entitlement { id status lastDecision { id monthlyAmount receipt } } errors { code }"))
            .GetProperty("entitlement").GetProperty("lastDecision");
        return (pensioner, decision.GetProperty("id").GetString()!, decision.GetProperty("receipt").GetString()!);
    }

    private async Task<(PublicKey Key, string KeyId, string Base64)> PublishedKeyAsync()
    {
        var published = JsonDocument.Parse(await api.CreateClient().GetStringAsync(DciEndpoint.KeysPath)).RootElement.GetProperty("keys").EnumerateArray().Single();
        var base64 = published.GetProperty("public_key").GetString()!;
        return (PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromBase64String(base64), KeyBlobFormat.RawPublicKey), published.GetProperty("key_id").GetString()!, base64);
    }

    /// <summary>The receipt is canonical JSON: its signed bytes are the text between {"receipt": and ,"signature":.</summary>
    private static bool VerifiesWith(string document, PublicKey key)
    {
        document.Should().StartWith("{\"receipt\":{");
        var body = document["{\"receipt\":".Length..document.LastIndexOf(Signature, StringComparison.Ordinal)];
        var signature = JsonDocument.Parse(document[(document.LastIndexOf(Signature, StringComparison.Ordinal) + Signature.Length)..^1]).RootElement;
        signature.GetProperty("alg").GetString().Should().Be("Ed25519");
        return SignatureAlgorithm.Ed25519.Verify(key, Encoding.UTF8.GetBytes(body), Convert.FromBase64String(signature.GetProperty("value").GetString()!));
    }

    private static string Tampered(string receipt)
    {
        receipt.Should().Contain("\"monthlyAmount\":\"2310.00\"");
        return receipt.Replace("\"monthlyAmount\":\"2310.00\"", "\"monthlyAmount\":\"2310.01\"");
    }

    [Fact]
    public async Task A_granted_decisions_receipt_verifies_with_the_published_key_and_one_changed_byte_does_not()
    {
        var (pensioner, decisionId, receipt) = await GrantedAsync();
        var (key, keyId, _) = await PublishedKeyAsync();

        VerifiesWith(receipt, key).Should().BeTrue();
        VerifiesWith(Tampered(receipt), key).Should().BeFalse();

        using var document = JsonDocument.Parse(receipt);
        document.RootElement.GetProperty("signature").GetProperty("keyId").GetString().Should().Be(keyId);
        var body = document.RootElement.GetProperty("receipt");
        body.EnumerateObject().Select(p => p.Name).Should().Equal("version", "decisionId", "entitlementId", "idNumber", "programme", "on", "eligible",
            "monthlyAmount", "outcome", "ruleVersion", "parameterVersion", "legalReference", "criteria", "recordedAt");
        body.GetProperty("version").GetInt32().Should().Be(1);
        body.GetProperty("decisionId").GetString().Should().Be(decisionId);
        body.GetProperty("idNumber").GetString().Should().Be(pensioner);
        body.GetProperty("programme").GetString().Should().Be("OLDER_PERSONS_GRANT");
        body.GetProperty("on").GetString().Should().Be("2025-06-01");
        body.GetProperty("eligible").GetBoolean().Should().BeTrue();
        body.GetProperty("parameterVersion").GetString().Should().Contain("2025-04-01");
        body.GetProperty("legalReference").GetString().Should().NotBeNullOrWhiteSpace();
        body.GetProperty("criteria").EnumerateArray().Should().NotBeEmpty().And.AllSatisfy(c =>
            c.EnumerateObject().Select(p => p.Name).Should().Equal("criterion", "passed", "observed", "threshold"));
        body.GetProperty("recordedAt").GetString().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$");
        receipt.Should().NotContain("\n").And.NotContain("\": ", "canonical JSON has no insignificant whitespace");

        // The register's own check agrees.
        var published = Convert.FromBase64String((await PublishedKeyAsync()).Base64);
        Registry.Api.Receipts.DecisionReceipt.Verify(receipt, published).Valid.Should().BeTrue();
        Registry.Api.Receipts.DecisionReceipt.Verify(Tampered(receipt), published).Should().Match<Registry.Api.Receipts.ReceiptCheck>(c => !c.Valid && !c.Problem.Contains(pensioner));
    }

    [Fact]
    public async Task A_reassessment_is_a_new_decision_with_its_own_receipt_and_the_first_keeps_its_own()
    {
        var (pensioner, firstId, firstReceipt) = await GrantedAsync();
        var (key, _, _) = await PublishedKeyAsync();
        var entitlementId = JsonDocument.Parse(firstReceipt).RootElement.GetProperty("receipt").GetProperty("entitlementId").GetString();

        (await api.WithItsMessagesAsync(() => _caseworker.MutateAsync("declareIncome", "DeclareIncomeInput", new { idNumber = pensioner, monthlyIncome = 20000, source = "EMPLOYMENT" })))
            .ErrorCodes().Should().BeEmpty();
        var last = (await _caseworker.GraphQLAsync("query($id: ID!) { entitlement(id: $id) { lastDecision { id receipt } } }", new { id = entitlementId }))
            .Data("entitlement").GetProperty("lastDecision");

        var secondId = last.GetProperty("id").GetString();
        secondId.Should().NotBe(firstId);
        var second = last.GetProperty("receipt").GetString()!;
        VerifiesWith(second, key).Should().BeTrue();
        var body = JsonDocument.Parse(second).RootElement.GetProperty("receipt");
        body.GetProperty("decisionId").GetString().Should().Be(secondId);
        body.GetProperty("eligible").GetBoolean().Should().BeFalse();
        body.GetProperty("criteria").EnumerateArray().Single(c => c.GetProperty("criterion").GetString() == "incomeTest")
            .GetProperty("passed").GetBoolean().Should().BeFalse();
        (await _caseworker.GraphQLAsync("query($d: ID!) { decisionReceipt(decisionId: $d) }", new { d = firstId })).Data("decisionReceipt").GetString()
            .Should().Be(firstReceipt, "the first decision's receipt still says what was decided then");
    }

    [Fact]
    public async Task The_receipt_by_decision_id_is_the_decisions_own_for_caseworkers_and_auditors_only_and_is_logged()
    {
        var (pensioner, decisionId, receipt) = await GrantedAsync();
        const string query = "query($d: ID!) { decisionReceipt(decisionId: $d) }";

        (await _caseworker.GraphQLAsync(query, new { d = decisionId })).Data("decisionReceipt").GetString().Should().Be(receipt);
        (await _auditor.GraphQLAsync(query, new { d = decisionId })).Data("decisionReceipt").GetString().Should().Be(receipt, "Ed25519 is deterministic: the same decision, the same receipt");
        (await _caseworker.GraphQLAsync(query, new { d = Guid.NewGuid() })).Data("decisionReceipt").ValueKind.Should().Be(JsonValueKind.Null, "no decision with this id was recorded");

        foreach (var department in new[] { "department:SASSA", "department:DHS", "department:STATSSA" })
        {
            var refused = await api.ClientFor(department).GraphQLAsync(query, new { d = decisionId });
            refused.TransportErrorCodes().Should().Equal("FORBIDDEN");
            refused.ToString().Should().NotContain(pensioner);
        }
        (await api.ClientWithoutPurpose("caseworker").GraphQLAsync(query, new { d = decisionId })).TransportErrorCodes().Should().Equal("PURPOSE_REQUIRED");

        var reads = (await _auditor.GraphQLAsync("query($id: String!) { audit { accessLog(idNumber: $id, first: 100) { edges { node { operation role purpose } } } } }", new { id = pensioner }))
            .Data("audit").GetProperty("accessLog").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))
            .Where(n => n.GetProperty("operation").GetString() == "decisionReceipt").ToList();
        reads.Select(n => n.GetProperty("role").GetString()).Should().BeEquivalentTo(["caseworker", "auditor"]);
        reads.Should().AllSatisfy(n => n.GetProperty("purpose").GetString().Should().Be(RegistryApiFactory.Purpose));
    }

    [Fact]
    public async Task An_erased_persons_decision_has_no_receipt_any_more()
    {
        var (pensioner, decisionId, _) = await GrantedAsync();
        (await api.ClientFor("admin").GraphQLAsync("mutation($i: EraseCitizenInput!) { eraseCitizen(input: $i) { errors { code } } }",
                new { i = new { idNumber = pensioner, legalBasis = "SUBJECT_REQUEST", reason = "request 2026/0412" } }))
            .Data("eraseCitizen").ErrorCodes().Should().BeEmpty();

        (await _auditor.GraphQLAsync("query($d: ID!) { decisionReceipt(decisionId: $d) }", new { d = decisionId }))
            .Data("decisionReceipt").ValueKind.Should().Be(JsonValueKind.Null, "the register signs nothing in place of what it no longer holds");
    }

    [Fact]
    public async Task The_verb_verifies_a_receipt_file_offline_and_refuses_a_tampered_one_with_exit_code_2()
    {
        var (pensioner, _, receipt) = await GrantedAsync();
        var (_, keyId, publicKey) = await PublishedKeyAsync();
        var file = Path.GetTempFileName();
        var tampered = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, receipt);
            await File.WriteAllTextAsync(tampered, Tampered(receipt));
            var offline = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" };

            var valid = await ApiProcess.RunAsync(offline, "verify-receipt", file, "--key", publicKey);
            valid.ExitCode.Should().Be(0, valid.Error);
            valid.Output.Should().Contain(keyId);

            var invalid = await ApiProcess.RunAsync(offline, "verify-receipt", tampered, "--key", publicKey);
            invalid.ExitCode.Should().Be(2, invalid.Error);
            invalid.Output.Should().Contain("INVALID");

            // Without --key, the key is the one the register's master key derives.
            var keyed = new Dictionary<string, string>(offline) { ["Registry__MasterKey"] = RegistryApiFactory.MasterKey, ["Registry__BlindIndexKey"] = RegistryApiFactory.BlindIndexKey };
            var derived = await ApiProcess.RunAsync(keyed, "verify-receipt", file);
            derived.ExitCode.Should().Be(0, derived.Error);
            (await ApiProcess.RunAsync(keyed, "verify-receipt", tampered)).ExitCode.Should().Be(2);

            foreach (var run in new[] { valid, invalid, derived })
                (run.Output + run.Error).Should().NotContain(pensioner).And.NotContain("2310").And.NotContain(" at ");
        }
        finally
        {
            File.Delete(file);
            File.Delete(tampered);
        }
    }

    [Fact]
    public async Task A_receipt_replays_its_decision_and_a_tampered_one_is_refused_with_INVALID_RECEIPT()
    {
        var (pensioner, decisionId, receipt) = await GrantedAsync();
        const string query = "query($r: String!) { audit { replayReceipt(receipt: $r) { identical original { id monthlyAmount receipt } replayed { monthlyAmount receipt } } } }";

        var replay = (await _auditor.GraphQLAsync(query, new { r = receipt })).Data("audit").GetProperty("replayReceipt");
        replay.GetProperty("identical").GetBoolean().Should().BeTrue();
        replay.GetProperty("original").GetProperty("id").GetString().Should().Be(decisionId);
        replay.GetProperty("original").GetProperty("monthlyAmount").GetDecimal().Should().Be(2310m);
        replay.GetProperty("original").GetProperty("receipt").GetString().Should().Be(receipt);
        replay.GetProperty("replayed").GetProperty("receipt").ValueKind.Should().Be(JsonValueKind.Null, "a replay is not what was recorded");

        foreach (var bad in new[] { Tampered(receipt), "not a receipt", "{\"receipt\":{},\"signature\":{}}" })
        {
            var refused = await _auditor.GraphQLAsync(query, new { r = bad });
            refused.TransportErrorCodes().Should().Equal("INVALID_RECEIPT");
            refused.ToString().Should().NotContain(pensioner);
        }
        (await _caseworker.GraphQLAsync(query, new { r = receipt })).TransportErrorCodes().Should().Equal(["FORBIDDEN"], "replaying is the auditor's");
    }

    [Fact]
    public async Task The_node_check_in_docs_receipts_md_verifies_a_receipt_and_refuses_a_tampered_one()
    {
        var (_, _, receipt) = await GrantedAsync();
        var (_, _, publicKey) = await PublishedKeyAsync();
        var docs = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(ApiProcess.Service().Project)!, "docs", "receipts.md"));
        var script = NodeCheckInDocs().Match(docs);
        script.Success.Should().BeTrue("docs/receipts.md shows the check in node");
        var folder = Directory.CreateTempSubdirectory("registry-receipt-").FullName;
        try
        {
            var js = Path.Combine(folder, "verify-receipt.js");
            await File.WriteAllTextAsync(js, script.Groups[1].Value);
            async Task<(int, string)> Node(string document)
            {
                var file = Path.Combine(folder, "receipt.json");
                await File.WriteAllTextAsync(file, document);
                using var node = Process.Start(new ProcessStartInfo("node", [js, file, publicKey]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
                var output = await node.StandardOutput.ReadToEndAsync();
                await node.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
                return (node.ExitCode, output.Trim());
            }
            (await Node(receipt)).Should().Be((0, "valid"));
            (await Node(Tampered(receipt))).Should().Be((2, "INVALID"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Canonical_strings_escape_only_quotes_backslashes_and_control_characters_as_JSON_stringify_does()
    {
        var text = new StringBuilder();
        Registry.Api.Receipts.CanonicalJson.WriteString(text, "a\"b\\c\n\t\u0001\u001fé ≤ R2 310,00 <&>\u2028");
        text.ToString().Should().Be("\"a\\\"b\\\\c\\n\\t\\u0001\\u001fé ≤ R2 310,00 <&>\u2028\"");
    }

    [Theory]
    [InlineData("2310", "2310.00")]
    [InlineData("2310.5", "2310.50")]
    [InlineData("0.125", "0.125")]
    [InlineData("1E+6", "1000000.00")]
    public void Amounts_are_written_in_fixed_notation_with_at_least_two_decimals(string amount, string written) =>
        Registry.Api.Receipts.DecisionReceipt.Amount(decimal.Parse(amount, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture))
            .Should().Be(written);

    [GeneratedRegex(@"```js\n(// verify-receipt\.js.*?)```", RegexOptions.Singleline)]
    private static partial Regex NodeCheckInDocs();
}
