namespace Registry.Api.Hosting;

public static class RegistryClock
{
    /// <summary>South African Standard Time has no daylight saving: UTC+2 all year.</summary>
    public static readonly TimeSpan SouthAfricanOffset = TimeSpan.FromHours(2);

    /// <summary>"Today" for effective dates: the calendar date in South Africa, not on the server.</summary>
    public static DateOnly Today(this TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(SouthAfricanOffset).DateTime);
}
