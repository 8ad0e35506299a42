using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Registry.Api.Tests;

/// <summary>
/// The staff console in the in-process host, signed in through Development's role picker, for tests that look at
/// what a page costs rather than at how it looks (the browser tests are in Registry.Console.Tests).
/// </summary>
public sealed partial class ConsoleSession(HttpClient client) : IDisposable
{
    public static async Task<ConsoleSession> SignInAsync(RegistryApiFactory api, string role)
    {
        var client = api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var session = new ConsoleSession(client);
        using var signedIn = await session.PostAsync("/console/sign-in", new() { ["Role"] = role });
        signedIn.StatusCode.Should().Be(System.Net.HttpStatusCode.Redirect, "the role picker signs in and sends you on");
        return session;
    }

    /// <summary>Finds the person (with the test purpose) and reads their page; the page's HTML.</summary>
    public async Task<string> PersonPageAsync(string idNumber, string? traceparent = null)
    {
        using var found = await PostAsync("/console/find", new() { ["IdNumber"] = idNumber, ["Purpose"] = RegistryApiFactory.Purpose });
        var page = found.Headers.Location?.ToString() ?? throw new InvalidOperationException($"The find page answered {(int)found.StatusCode}, not a redirect.");
        using var request = new HttpRequestMessage(HttpMethod.Get, page);
        if (traceparent is not null) request.Headers.Add("traceparent", traceparent);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>A form post as the page's own form makes it: with the anti-forgery token the page gave.</summary>
    private async Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> fields)
    {
        var form = await client.GetStringAsync(path);
        fields["__RequestVerificationToken"] = AntiForgeryToken().Match(form).Groups[1].Value;
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiForgeryToken();

    public void Dispose() => client.Dispose();
}
