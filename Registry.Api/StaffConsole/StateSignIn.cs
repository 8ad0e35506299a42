using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Registry.Api.StaffConsole;

/// <summary>
/// The state's identity provider (Auth:Oidc:*). Set Auth:Oidc:Authority and the console signs staff in there with
/// the authorisation code flow (PKCE, the client secret at the token endpoint); without it only Development's role
/// picker exists, so a Production console without an identity provider lets nobody in.
/// </summary>
public sealed class StateSignInSettings
{
    public const string Section = "Auth:Oidc";
    public const string Scheme = "ConsoleOidc";
    public const string CallbackPath = ConsoleHost.PathBase + "/signin-oidc";

    public string Authority { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";

    /// <summary>The ID token's claim that carries the register's roles (caseworker, auditor, department:SASSA, …).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim naming the member of staff, recorded as the actor of what they do.</summary>
    public string SubjectClaim { get; set; } = "sub";

    /// <summary>Only for a test or a local provider: the metadata may come over plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Configured => !string.IsNullOrWhiteSpace(Authority);

    public static StateSignInSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<StateSignInSettings>() ?? new StateSignInSettings();

    /// <summary>The console's principal from the provider's: its subject and the roles the register knows; null when it holds none.</summary>
    public ClaimsPrincipal? PrincipalFrom(ClaimsPrincipal provided)
    {
        var subject = provided.FindFirst(SubjectClaim)?.Value;
        // A provider may carry roles of other systems too: those mean nothing here and are left out.
        var roles = provided.FindAll(RoleClaim).Select(c => c.Value).Where(Auth.Roles.IsKnown).Distinct(StringComparer.Ordinal).ToList();
        return string.IsNullOrWhiteSpace(subject) || roles.Count == 0 ? null : ConsoleHost.Principal(subject, roles);
    }
}

public static class StateSignIn
{
    /// <summary>Where a sign-in ends when the provider's answer could not be used; the page says why in a sentence.</summary>
    public const string FailedPath = ConsoleHost.PathBase + "/sign-in/failed";

    /// <summary>Where a sign-in lands first: the console's own page moves on to where the member of staff was going (see SignedInModel).</summary>
    public const string LandingPath = ConsoleHost.PathBase + "/signed-in";

    public static void AddStateSignIn(this AuthenticationBuilder authentication, StateSignInSettings settings)
    {
        if (!settings.Configured) return;
        authentication.AddOpenIdConnect(StateSignInSettings.Scheme, o =>
        {
            o.Authority = settings.Authority;
            o.ClientId = settings.ClientId;
            o.ClientSecret = settings.ClientSecret;
            o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.UsePkce = true;
            // The code comes back in the query of a top-level navigation: the correlation and nonce cookies can be Lax,
            // and nothing of the provider's answer is posted across sites.
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.CallbackPath = StateSignInSettings.CallbackPath;
            o.SignInScheme = ConsoleHost.Scheme;
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            // The console's session lives as long as the register says (its cookie), not as long as the provider's token.
            o.UseTokenLifetime = false;
            o.SaveTokens = false;
            o.Scope.Clear();
            o.Scope.Add("openid");
            foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
            {
                cookie.SameSite = SameSiteMode.Lax;
                cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.Path = StateSignInSettings.CallbackPath;
            }
            o.Events = new OpenIdConnectEvents
            {
                OnTokenValidated = context =>
                {
                    if (settings.PrincipalFrom(context.Principal!) is { } principal)
                    {
                        context.Principal = principal;
                        // The console cookie is SameSite=Strict: a redirect that began at the provider would arrive
                        // without it, so the sign-in lands on a console page that moves on from here.
                        context.Properties!.RedirectUri = LandingPath + "?next=" + Uri.EscapeDataString(Local(context.Properties.RedirectUri));
                        return Task.CompletedTask;
                    }
                    context.Response.Redirect(FailedPath + "?reason=no-role");
                    context.HandleResponse();
                    return Task.CompletedTask;
                },
                OnRemoteFailure = context =>
                {
                    // The provider's refusal or an answer that failed validation: a page that says so, no exception text shown or logged.
                    context.Response.Redirect(FailedPath);
                    context.HandleResponse();
                    return Task.CompletedTask;
                },
            };
        });
    }

    /// <summary>Only a console address is a place to go after signing in.</summary>
    public static string Local(string? returnUrl) =>
        returnUrl is { } url && url.StartsWith(ConsoleHost.PathBase + "/", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\')
            ? url
            : ConsoleHost.PathBase;
}
