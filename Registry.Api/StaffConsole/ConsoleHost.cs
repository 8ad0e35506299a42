using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Registry.Api.StaffConsole;

/// <summary>
/// The staff console: server-rendered Razor Pages under /console, signed in with a cookie of their own.
/// /graphql keeps the JWT bearer as its only scheme (the default), so a console cookie never authorises an API call.
/// </summary>
public static class ConsoleHost
{
    public const string Scheme = "Console";
    public const string Policy = "Console";
    public const string PathBase = "/console";

    /// <summary>No inline script or style, nothing from elsewhere, never framed, forms post only here.</summary>
    public const string ContentSecurityPolicy = "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public static void AddRegistryConsole(this IServiceCollection services, Auth.AuthSettings settings, StateSignInSettings stateSignIn)
    {
        var authentication = services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "registry-console";
            o.Cookie.Path = PathBase;
            o.Cookie.HttpOnly = true;
            // Secure whenever the console is served over HTTPS (behind a proxy that terminates it, forward the scheme).
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // Strict: a link from another site cannot make a signed-in caseworker read a record in their name.
            o.Cookie.SameSite = SameSiteMode.Strict;
            // A session lives no longer than the register lets a bearer token live.
            o.ExpireTimeSpan = settings.MaxTokenLifetime;
            o.SlidingExpiration = false;
            o.LoginPath = PathBase + "/sign-in";
            o.AccessDeniedPath = PathBase + "/sign-in";
            // With the state's identity provider configured, a visitor who is not signed in is sent there.
            if (stateSignIn.Configured) o.ForwardChallenge = StateSignInSettings.Scheme;
        });
        authentication.AddStateSignIn(stateSignIn);
        services.AddSingleton(stateSignIn);
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "registry-console-form";
            o.Cookie.Path = PathBase;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/StaffConsole/Pages";
            o.Conventions.Add(new UnderConsolePath());
            o.Conventions.AuthorizeFolder("/", Policy);
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AllowAnonymousToPage("/SignedIn");
            o.Conventions.AllowAnonymousToPage("/SignInFailed");
            o.Conventions.AllowAnonymousToPage("/SignedOut");
        });
        services.AddScoped<ConsoleQuery>();
        services.AddSingleton(sp => new PersonLinks(sp.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(), settings.MaxTokenLifetime));
        services.AddSingleton(sp => new AuditLinks(sp.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(), settings.MaxTokenLifetime));
    }

    public static void UseRegistryConsole(this WebApplication app)
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments(PathBase), console => console.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                // Pages name people: no cached copy on a shared office PC, no address sent elsewhere.
                headers.CacheControl = "no-store";
                headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            });
            return next();
        }));
    }

    public static void MapRegistryConsole(this WebApplication app) => app.MapRazorPages();

    /// <summary>A console session's principal, shaped as a bearer token's: 'sub' names the actor, 'role' claims the roles.</summary>
    public static ClaimsPrincipal Principal(string subject, IEnumerable<string> roles)
    {
        var claims = new List<Claim> { new("sub", subject) };
        claims.AddRange(roles.Select(r => new Claim(Auth.Roles.ClaimType, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, "sub", Auth.Roles.ClaimType));
    }

    /// <summary>Every page of the console answers under /console.</summary>
    private sealed class UnderConsolePath : IPageRouteModelConvention
    {
        public void Apply(PageRouteModel model)
        {
            foreach (var selector in model.Selectors)
                selector.AttributeRouteModel!.Template = AttributeRouteModel.CombineTemplates(PathBase.TrimStart('/'), selector.AttributeRouteModel.Template);
        }
    }
}
