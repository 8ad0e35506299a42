using System.Net;
using System.Net.Sockets;

namespace Registry.Api.Tests;

/// <summary>
/// A TCP link between the service and PostgreSQL that a test can cut and restore: from the service's side,
/// exactly PostgreSQL stopping (connections dropped, new ones refused) without stopping the shared server.
/// </summary>
public sealed class PostgresLink : IAsyncDisposable
{
    private readonly IPEndPoint _server;
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource _cut = new();

    private PostgresLink(IPEndPoint server, int port) => (_server, Port) = (server, port);

    public int Port { get; }

    public static PostgresLink Open(string host, int port)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var free = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var link = new PostgresLink(new IPEndPoint(Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork), port), free);
        link.Restore();
        return link;
    }

    /// <summary>PostgreSQL "stops": every connection through the link is dropped and new ones are refused.</summary>
    public void Cut()
    {
        _cut.Cancel();
        _listener?.Stop();
        _listener = null;
        lock (_open)
        {
            foreach (var client in _open) client.Dispose();
            _open.Clear();
        }
    }

    /// <summary>PostgreSQL is back: the link accepts connections again.</summary>
    public void Restore()
    {
        _cut = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = AcceptAsync(_listener, _cut.Token);
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cut)
    {
        while (!cut.IsCancellationRequested)
        {
            TcpClient inbound;
            try { inbound = await listener.AcceptTcpClientAsync(cut); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            var outbound = new TcpClient();
            try { await outbound.ConnectAsync(_server, cut); }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }
            lock (_open) _open.AddRange([inbound, outbound]);
            _ = PumpAsync(inbound.GetStream(), outbound.GetStream(), cut);
            _ = PumpAsync(outbound.GetStream(), inbound.GetStream(), cut);
        }
    }

    private static async Task PumpAsync(Stream from, Stream to, CancellationToken cut)
    {
        try { await from.CopyToAsync(to, cut); }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException) { }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
