using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Simulator.Hosting
{
    /// <summary>What a <see cref="CardFaultListener"/> does with each connection it accepts.</summary>
    internal enum ListenerMisbehaviour
    {
        /// <summary>Accept and never send or answer anything (a half-open connection).</summary>
        Silent,
        /// <summary>Send a garbled SSH identification line, then nothing more.</summary>
        GarbledIdentification,
        /// <summary>Send a valid identification line, read the client's first bytes, then reset (RST).</summary>
        ResetMidHandshake,
    }

    /// <summary>
    /// A raw TCP listener on a card's port standing in for its SSH or FTP server while a connection-level
    /// fault is on. Holds every accepted socket until disposed, so a client sees exactly the fault and
    /// nothing ends the connection for it: only the client's own timeouts can.
    /// </summary>
    internal sealed class CardFaultListener : IDisposable
    {
        /// <summary>Not "SSH-2.0-...": a version field no SSH-2 client may accept, and a stray NUL.</summary>
        internal static readonly byte[] GarbledLine = Encoding.ASCII.GetBytes("SSH-2\u00007-N\u00dfC3 \ufffd~~garbled~~\r\n");

        private readonly TcpListener _listener;
        private readonly ListenerMisbehaviour _misbehaviour;
        private readonly List<Socket> _held = new List<Socket>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        public CardFaultListener(IPEndPoint endPoint, ListenerMisbehaviour misbehaviour)
        {
            _listener = new TcpListener(endPoint);
            _misbehaviour = misbehaviour;
        }

        public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndpoint;

        public void Start()
        {
            _listener.Start();
            _ = AcceptLoopAsync();
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync().ConfigureAwait(false);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException)
                {
                    continue;
                }
                lock (_held)
                {
                    if (_stop.IsCancellationRequested) { socket.Dispose(); return; }
                    _held.Add(socket);
                }
                _ = MisbehaveAsync(socket);
            }
        }

        private async Task MisbehaveAsync(Socket socket)
        {
            try
            {
                switch (_misbehaviour)
                {
                    case ListenerMisbehaviour.GarbledIdentification:
                        await SendAsync(socket, GarbledLine).ConfigureAwait(false);
                        break;
                    case ListenerMisbehaviour.ResetMidHandshake:
                        await SendAsync(socket, Encoding.ASCII.GetBytes("SSH-2.0-NMC3_Simulator\r\n")).ConfigureAwait(false);
                        var buffer = new byte[256];
                        await Task.Factory.FromAsync((cb, st) => socket.BeginReceive(buffer, 0, buffer.Length, SocketFlags.None, cb, st), socket.EndReceive, null).ConfigureAwait(false);
                        socket.LingerState = new LingerOption(true, 0); // close with RST, not FIN
                        Release(socket);
                        break;
                }
            }
            catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
            {
                // the client hung up first
            }
        }

        private static Task SendAsync(Socket socket, byte[] bytes) =>
            Task.Factory.FromAsync((cb, st) => socket.BeginSend(bytes, 0, bytes.Length, SocketFlags.None, cb, st), socket.EndSend, null);

        private void Release(Socket socket)
        {
            lock (_held) _held.Remove(socket);
            socket.Dispose();
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            List<Socket> held;
            lock (_held)
            {
                held = new List<Socket>(_held);
                _held.Clear();
            }
            foreach (var s in held) s.Dispose();
            _stop.Dispose();
        }
    }
}
