using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Simulator.Ssh.Transport;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Simulator.Ssh.Connection
{
    /// <summary>
    /// One channel of the connection protocol (RFC 4254 §5): flow-controlled data both ways,
    /// EOF and CLOSE, channel requests and their replies. Reads and window waits have hard timeouts.
    /// </summary>
    public sealed class SshChannel
    {
        /// <summary>Our receive window: large enough for full speed on a LAN, small enough to bound memory.</summary>
        internal const uint InitialWindow = 2 * 1024 * 1024;
        internal const uint MaxPacket = 32 * 1024;
        private const int MaxStderrChars = 64 * 1024;

        private readonly SshConnection _connection;
        private readonly object _gate = new object();
        private readonly Queue<byte[]> _incoming = new Queue<byte[]>();
        private int _incomingOffset;
        private long _incomingBuffered;
        private readonly AsyncSignal _incomingChanged = new AsyncSignal();
        private readonly AsyncSignal _windowChanged = new AsyncSignal();
        private readonly Queue<TaskCompletionSource<bool>> _pendingReplies = new Queue<TaskCompletionSource<bool>>();
        private readonly StringBuilder _stderr = new StringBuilder();
        private readonly TaskCompletionSource<bool> _closedByPeer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        private long _localWindow = InitialWindow;
        private long _consumedSinceAdjust;
        private long _remoteWindow;
        private bool _eofReceived;
        private bool _eofSent;
        private bool _closeSent;
        private Exception? _failure;

        internal SshChannel(SshConnection connection, uint localId)
        {
            _connection = connection;
            LocalId = localId;
        }

        public uint LocalId { get; }
        public uint RemoteId { get; internal set; }
        internal uint RemoteMaxPacket { get; set; }

        /// <summary>Exit status the peer reported ("exit-status" request), once it has.</summary>
        public int? ExitStatus { get; private set; }

        /// <summary>What the peer wrote to its standard error (bounded).</summary>
        public string StandardError
        {
            get
            {
                lock (_gate) return _stderr.ToString();
            }
        }

        /// <summary>Completes when the peer has closed the channel (or the connection ended).</summary>
        public Task Closed => _closedByPeer.Task;

        public bool IsClosed => _closedByPeer.Task.IsCompleted;

        /// <summary>Server role: called for each request the peer sends on this channel; return true for success.</summary>
        internal Func<SshChannel, string, SshWireReader, Task<bool>>? RequestHandler { get; set; }

        /// <summary>Set by a request handler: work to start once the request's reply has been sent.</summary>
        internal Action? StartAfterReply { get; set; }

        /// <summary>Server role: an exec already runs on this channel (one per channel).</summary>
        internal bool ExecStarted { get; set; }

        internal void SetRemote(uint remoteId, uint window, uint maxPacket)
        {
            RemoteId = remoteId;
            RemoteMaxPacket = Math.Max(1024u, Math.Min(maxPacket, MaxPacket));
            lock (_gate) _remoteWindow = window;
        }

        // ---- sending ----------------------------------------------------------------------

        /// <summary>Sends data, splitting it by the peer's maximum packet and waiting for window space.</summary>
        public Task WriteAsync(byte[] buffer, int offset, int count, TimeSpan timeout, CancellationToken cancellationToken) =>
            WriteAsync(buffer, offset, count, timeout, extendedDataType: 0, cancellationToken);

        /// <summary>Sends data; <paramref name="extendedDataType"/> 1 sends it as standard error (EXTENDED_DATA).</summary>
        public async Task WriteAsync(byte[] buffer, int offset, int count, TimeSpan timeout, uint extendedDataType, CancellationToken cancellationToken)
        {
            while (count > 0)
            {
                int chunk;
                while (true)
                {
                    Task wait;
                    lock (_gate)
                    {
                        ThrowIfFailed();
                        if (_closeSent || IsClosed) throw new SshConnectionClosedException(SshDisconnectReason.ByApplication, null, false, "The channel is closed.");
                        if (_remoteWindow > 0)
                        {
                            chunk = (int)Math.Min(Math.Min(count, _remoteWindow), RemoteMaxPacket);
                            _remoteWindow -= chunk;
                            break;
                        }
                        wait = _windowChanged.WaitTask;
                    }
                    await SshTimeouts.WithTimeout(wait, timeout, "waiting for the peer to accept more data", cancellationToken).ConfigureAwait(false);
                }
                var writer = new SshWireWriter();
                if (extendedDataType == 0) writer.WriteByte(SshMessageNumbers.ChannelData).WriteUInt32(RemoteId);
                else writer.WriteByte(SshMessageNumbers.ChannelExtendedData).WriteUInt32(RemoteId).WriteUInt32(extendedDataType);
                var message = writer.WriteBinary(buffer, offset, chunk).ToArray();
                await _connection.Transport.SendAsync(message, cancellationToken).ConfigureAwait(false);
                offset += chunk;
                count -= chunk;
            }
        }

        public async Task SendEofAsync(CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (_eofSent || _closeSent) return;
                _eofSent = true;
            }
            await _connection.Transport.SendAsync(new SshWireWriter().WriteByte(SshMessageNumbers.ChannelEof).WriteUInt32(RemoteId).ToArray(), cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Sends CLOSE (once) and waits up to <paramref name="timeout"/> for the peer's CLOSE.</summary>
        public async Task CloseAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            await SendCloseAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await SshTimeouts.WithTimeout(Closed, timeout, "waiting for the peer to close the channel", cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _connection.Forget(this);
            }
        }

        internal async Task SendCloseAsync(CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (_closeSent) return;
                _closeSent = true;
            }
            if (_connection.Transport.IsConnected)
                await _connection.Transport.SendAsync(new SshWireWriter().WriteByte(SshMessageNumbers.ChannelClose).WriteUInt32(RemoteId).ToArray(), cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Sends a channel request; with <paramref name="wantReply"/> waits for SUCCESS (true) or FAILURE (false).</summary>
        public async Task<bool> SendRequestAsync(string type, bool wantReply, byte[] typeSpecificData, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var message = new SshWireWriter().WriteByte(SshMessageNumbers.ChannelRequest).WriteUInt32(RemoteId).WriteString(type).WriteBoolean(wantReply).WriteBytes(typeSpecificData).ToArray();
            TaskCompletionSource<bool>? reply = null;
            if (wantReply)
            {
                reply = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (_gate)
                {
                    ThrowIfFailed();
                    _pendingReplies.Enqueue(reply);
                }
            }
            await _connection.Transport.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (reply == null) return true;
            return await SshTimeouts.WithTimeout(reply.Task, timeout, $"waiting for the answer to the '{type}' request", cancellationToken).ConfigureAwait(false);
        }

        // ---- receiving --------------------------------------------------------------------

        /// <summary>Reads channel data; returns 0 at EOF or close. Waits at most <paramref name="timeout"/> for data.</summary>
        public async Task<int> ReadAsync(byte[] buffer, int offset, int count, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (count == 0) return 0;
            while (true)
            {
                Task wait;
                int read = 0;
                lock (_gate)
                {
                    if (_incoming.Count > 0)
                    {
                        while (read < count && _incoming.Count > 0)
                        {
                            var head = _incoming.Peek();
                            int n = Math.Min(count - read, head.Length - _incomingOffset);
                            Buffer.BlockCopy(head, _incomingOffset, buffer, offset + read, n);
                            read += n;
                            _incomingOffset += n;
                            if (_incomingOffset == head.Length)
                            {
                                _incoming.Dequeue();
                                _incomingOffset = 0;
                            }
                        }
                        _incomingBuffered -= read;
                        _consumedSinceAdjust += read;
                    }
                    else
                    {
                        ThrowIfFailed();
                        if (_eofReceived || IsClosed) return 0;
                    }
                    wait = _incomingChanged.WaitTask;
                }
                if (read > 0)
                {
                    await MaybeAdjustWindowAsync(cancellationToken).ConfigureAwait(false);
                    return read;
                }
                await SshTimeouts.WithTimeout(wait, timeout, "waiting for data from the peer", cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Gives the peer more window once half of ours has been consumed (RFC 4254 §5.2).</summary>
        private async Task MaybeAdjustWindowAsync(CancellationToken cancellationToken)
        {
            uint grant;
            lock (_gate)
            {
                if (_consumedSinceAdjust < InitialWindow / 2 || _closeSent || IsClosed) return;
                grant = (uint)_consumedSinceAdjust;
                _consumedSinceAdjust = 0;
                _localWindow += grant;
            }
            await _connection.Transport.SendAsync(new SshWireWriter().WriteByte(SshMessageNumbers.ChannelWindowAdjust).WriteUInt32(RemoteId).WriteUInt32(grant).ToArray(), cancellationToken).ConfigureAwait(false);
        }

        // ---- called by the connection's dispatcher -----------------------------------------

        internal void OnData(byte[] data)
        {
            lock (_gate)
            {
                if (data.Length > _localWindow || data.Length > MaxPacket)
                    throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"The peer sent {data.Length} bytes on channel {LocalId}, beyond the window it was given.");
                if (_eofReceived)
                    throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"The peer sent data on channel {LocalId} after EOF.");
                _localWindow -= data.Length;
                if (data.Length > 0)
                {
                    _incoming.Enqueue(data);
                    _incomingBuffered += data.Length;
                }
            }
            _incomingChanged.Set();
        }

        internal void OnExtendedData(byte[] data)
        {
            lock (_gate)
            {
                if (data.Length > _localWindow)
                    throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"The peer sent {data.Length} bytes of error output on channel {LocalId}, beyond its window.");
                _localWindow -= data.Length;
                _consumedSinceAdjust += data.Length; // consumed immediately: it is only kept as text
                int room = MaxStderrChars - _stderr.Length;
                if (room > 0) _stderr.Append(Encoding.UTF8.GetString(data, 0, Math.Min(room, data.Length)));
            }
            _ = MaybeAdjustWindowAsync(CancellationToken.None).ContinueWith(t => { _ = t.Exception; }, TaskContinuationOptions.OnlyOnFaulted);
        }

        internal void OnWindowAdjust(uint bytes)
        {
            lock (_gate)
            {
                _remoteWindow += bytes;
                if (_remoteWindow > uint.MaxValue)
                    throw new SshProtocolException(SshDisconnectReason.ProtocolError, "The peer grew the channel window beyond 2^32-1 bytes.");
            }
            _windowChanged.Set();
        }

        internal void OnEof()
        {
            lock (_gate) _eofReceived = true;
            _incomingChanged.Set();
        }

        internal void OnClose()
        {
            lock (_gate) _eofReceived = true;
            _closedByPeer.TrySetResult(true);
            _incomingChanged.Set();
            _windowChanged.Set();
            FailPendingReplies(new SshConnectionClosedException(SshDisconnectReason.ByApplication, null, true, "The peer closed the channel."));
        }

        internal void OnRequestReply(bool success)
        {
            TaskCompletionSource<bool>? reply = null;
            lock (_gate)
            {
                if (_pendingReplies.Count > 0) reply = _pendingReplies.Dequeue();
            }
            if (reply == null)
                throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"The peer answered a request on channel {LocalId} that was never made.");
            reply.TrySetResult(success);
        }

        internal void OnExitStatus(int status) => ExitStatus = status;

        /// <summary>The whole connection ended: wake every waiter with the reason.</summary>
        internal void OnConnectionFailed(Exception error)
        {
            lock (_gate) _failure ??= error;
            _closedByPeer.TrySetResult(true);
            _incomingChanged.Set();
            _windowChanged.Set();
            FailPendingReplies(error);
        }

        private void FailPendingReplies(Exception error)
        {
            List<TaskCompletionSource<bool>> pending;
            lock (_gate)
            {
                pending = new List<TaskCompletionSource<bool>>(_pendingReplies);
                _pendingReplies.Clear();
            }
            foreach (var p in pending) p.TrySetException(error);
        }

        private void ThrowIfFailed()
        {
            if (_failure != null) throw _failure;
        }

        /// <summary>True once data was left unread when the peer closed (used for diagnostics).</summary>
        internal long BufferedBytes
        {
            get
            {
                lock (_gate) return _incomingBuffered;
            }
        }
    }
}
