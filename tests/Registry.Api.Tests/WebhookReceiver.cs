using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Registry.Api.Tests;

/// <summary>One POST a receiver got: its body, its signature header, and what the receiver answered.</summary>
public sealed record ReceivedDelivery(string Body, string? Signature, int Answered, DateTimeOffset At);

/// <summary>
/// A department's webhook endpoint on 127.0.0.1, answering each request with what <paramref name="answer"/>
/// says for the request's number (1, 2, …): a status code, or null to never answer.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<int, int?> _answer;
    private readonly TimeSpan _answerAfter;
    private readonly CancellationTokenSource _stop = new();
    private int _count;

    public WebhookReceiver(Func<int, int?>? answer = null, TimeSpan answerAfter = default)
    {
        _answer = answer ?? (_ => 200);
        _answerAfter = answerAfter;
        Port = FreePort();
        Url = $"http://127.0.0.1:{Port}/hooks/registry";
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/hooks/");
        _listener.Start();
        _ = Task.Run(ListenAsync);
    }

    public int Port { get; }
    public string Url { get; }
    public ConcurrentQueue<ReceivedDelivery> Received { get; } = new();

    /// <summary>The batches it accepted (answered 2xx).</summary>
    public IEnumerable<ReceivedDelivery> Accepted => Received.Where(r => r.Answered is >= 200 and < 300);

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ListenAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening) { return; }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var answer = _answer(Interlocked.Increment(ref _count));
        if (answer is not { } status)
        {
            // Never answers: holds the request until the test ends.
            try { await Task.Delay(Timeout.Infinite, _stop.Token); } catch (OperationCanceledException) { }
            Received.Enqueue(new ReceivedDelivery(body, context.Request.Headers["X-Registry-Signature"], 0, DateTimeOffset.UtcNow));
            return;
        }
        if (_answerAfter > TimeSpan.Zero) await Task.Delay(_answerAfter);
        Received.Enqueue(new ReceivedDelivery(body, context.Request.Headers["X-Registry-Signature"], status, DateTimeOffset.UtcNow));
        context.Response.StatusCode = status;
        context.Response.Close();
    }

    /// <summary>Waits until <paramref name="done"/> holds of what was received, at most a minute (or <paramref name="seconds"/>).</summary>
    public async Task WaitUntilAsync(Func<WebhookReceiver, bool> done, string because, int seconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!done(this))
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("The receiver did not get what the test waits for: " + because);
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
    }
}
