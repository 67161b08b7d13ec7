using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureNmc.Simulator.Ssh.Transport;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Simulator.Ssh.Connection
{
    /// <summary>
    /// The connection protocol (RFC 4254) on an authenticated transport: a dispatcher that routes
    /// channel messages to their channels, answers global requests, and (server role) accepts
    /// session channels from the peer.
    /// </summary>
    public sealed class SshConnection : IDisposable
    {
        private readonly object _gate = new object();
        private readonly Dictionary<uint, SshChannel> _channels = new Dictionary<uint, SshChannel>();
        private readonly Dictionary<uint, TaskCompletionSource<bool>> _pendingOpens = new Dictionary<uint, TaskCompletionSource<bool>>();
        private readonly ILogger _logger;
        private uint _nextLocalId;
        private Task? _dispatcher;
        private const int MaxChannels = 16;

        public SshConnection(SshTransport transport, ILogger? logger = null)
        {
            Transport = transport;
            _logger = logger ?? NullLogger.Instance;
        }

        public SshTransport Transport { get; }

        /// <summary>Server role: decides whether to accept a "session" channel the peer opens; set before <see cref="Start"/>.</summary>
        internal Func<SshChannel, bool>? SessionOpened { get; set; }

        /// <summary>Completes when the dispatcher stops (connection ended).</summary>
        public Task Completion => _dispatcher ?? Task.CompletedTask;

        public void Start()
        {
            _dispatcher ??= Task.Run(DispatchLoopAsync);
        }

        /// <summary>Opens a "session" channel (RFC 4254 §6.1).</summary>
        public async Task<SshChannel> OpenSessionAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            SshChannel channel;
            var opened = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                if (_channels.Count >= MaxChannels) throw new InvalidOperationException("Too many open channels on one SSH connection.");
                channel = new SshChannel(this, _nextLocalId++);
                _channels[channel.LocalId] = channel;
                _pendingOpens[channel.LocalId] = opened;
            }
            var message = new SshWireWriter().WriteByte(SshMessageNumbers.ChannelOpen).WriteString("session")
                .WriteUInt32(channel.LocalId).WriteUInt32(SshChannel.InitialWindow).WriteUInt32(SshChannel.MaxPacket).ToArray();
            try
            {
                await Transport.SendAsync(message, cancellationToken).ConfigureAwait(false);
                await SshTimeouts.WithTimeout(opened.Task, timeout, "opening an SSH session channel", cancellationToken).ConfigureAwait(false);
                return channel;
            }
            catch
            {
                Forget(channel);
                throw;
            }
        }

        internal void Forget(SshChannel channel)
        {
            lock (_gate)
            {
                _channels.Remove(channel.LocalId);
                _pendingOpens.Remove(channel.LocalId);
            }
        }

        /// <summary>The open channel, or null for one we closed already (late messages are dropped).</summary>
        private SshChannel? Find(uint localId)
        {
            lock (_gate)
            {
                if (_channels.TryGetValue(localId, out var channel)) return channel;
                if (localId < _nextLocalId) return null;
            }
            throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"The peer referred to channel {localId}, which is not open.");
        }

        private async Task DispatchLoopAsync()
        {
            Exception? failure = null;
            try
            {
                while (true)
                {
                    var payload = await Transport.ReceiveAsync(Timeout.InfiniteTimeSpan, "waiting for connection messages", CancellationToken.None).ConfigureAwait(false);
                    await DispatchAsync(payload).ConfigureAwait(false);
                }
            }
            catch (SshWireException ex)
            {
                failure = new SshProtocolException(SshDisconnectReason.ProtocolError, "The peer sent a malformed connection message: " + ex.Message, ex);
                Transport.Abort(failure);
            }
            catch (SshProtocolException ex)
            {
                failure = ex;
                Transport.Abort(ex);
            }
            catch (Exception ex)
            {
                failure = ex;
                Transport.Dispose();
            }
            List<SshChannel> channels;
            List<TaskCompletionSource<bool>> opens;
            lock (_gate)
            {
                channels = new List<SshChannel>(_channels.Values);
                opens = new List<TaskCompletionSource<bool>>(_pendingOpens.Values);
                _channels.Clear();
                _pendingOpens.Clear();
            }
            var reason = Transport.Failure ?? failure!;
            foreach (var c in channels) c.OnConnectionFailed(reason);
            foreach (var o in opens) o.TrySetException(reason);
        }

        private async Task DispatchAsync(byte[] payload)
        {
            var r = new SshWireReader(payload);
            byte number = r.ReadByte();
            switch (number)
            {
                case SshMessageNumbers.GlobalRequest:
                    {
                        var name = r.ReadString();
                        bool wantReply = r.ReadBoolean();
                        _logger.LogDebug("Refusing global request {Name} from {Peer}.", SshTransport.Printable(name), Transport.PeerName);
                        if (wantReply) await Transport.SendAsync(new[] { SshMessageNumbers.RequestFailure }, CancellationToken.None).ConfigureAwait(false);
                        return;
                    }
                case SshMessageNumbers.RequestSuccess:
                case SshMessageNumbers.RequestFailure:
                    return; // we never send global requests wanting a reply
                case SshMessageNumbers.ChannelOpen:
                    await OnChannelOpenAsync(r).ConfigureAwait(false);
                    return;
                case SshMessageNumbers.ChannelOpenConfirmation:
                    {
                        uint localId = r.ReadUInt32();
                        uint remoteId = r.ReadUInt32();
                        uint window = r.ReadUInt32();
                        uint maxPacket = r.ReadUInt32();
                        TaskCompletionSource<bool>? pending;
                        SshChannel? channel;
                        lock (_gate)
                        {
                            _pendingOpens.TryGetValue(localId, out pending);
                            _pendingOpens.Remove(localId);
                            _channels.TryGetValue(localId, out channel);
                        }
                        if (pending == null || channel == null)
                            throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"The peer confirmed channel {localId}, which we did not open.");
                        channel.SetRemote(remoteId, window, maxPacket);
                        pending.TrySetResult(true);
                        return;
                    }
                case SshMessageNumbers.ChannelOpenFailure:
                    {
                        uint localId = r.ReadUInt32();
                        uint reasonCode = r.ReadUInt32();
                        string description = r.ReadString();
                        TaskCompletionSource<bool>? pending;
                        lock (_gate)
                        {
                            _pendingOpens.TryGetValue(localId, out pending);
                            _pendingOpens.Remove(localId);
                            _channels.Remove(localId);
                        }
                        if (pending == null)
                            throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"The peer refused channel {localId}, which we did not open.");
                        pending.TrySetException(new SshChannelOpenException(reasonCode, description));
                        return;
                    }
                case SshMessageNumbers.ChannelWindowAdjust:
                    Find(r.ReadUInt32())?.OnWindowAdjust(r.ReadUInt32());
                    return;
                case SshMessageNumbers.ChannelData:
                    {
                        var channel = Find(r.ReadUInt32());
                        var data = r.ReadBinary();
                        channel?.OnData(data);
                        return;
                    }
                case SshMessageNumbers.ChannelExtendedData:
                    {
                        var channel = Find(r.ReadUInt32());
                        r.ReadUInt32(); // data type code: 1 = stderr, the only one defined
                        var data = r.ReadBinary();
                        channel?.OnExtendedData(data);
                        return;
                    }
                case SshMessageNumbers.ChannelEof:
                    Find(r.ReadUInt32())?.OnEof();
                    return;
                case SshMessageNumbers.ChannelClose:
                    {
                        var channel = Find(r.ReadUInt32());
                        if (channel == null) return;
                        channel.OnClose();
                        await channel.SendCloseAsync(CancellationToken.None).ConfigureAwait(false);
                        Forget(channel);
                        return;
                    }
                case SshMessageNumbers.ChannelRequest:
                    await OnChannelRequestAsync(r).ConfigureAwait(false);
                    return;
                case SshMessageNumbers.ChannelSuccess:
                    Find(r.ReadUInt32())?.OnRequestReply(true);
                    return;
                case SshMessageNumbers.ChannelFailure:
                    Find(r.ReadUInt32())?.OnRequestReply(false);
                    return;
                case SshMessageNumbers.UserAuthSuccess:
                case SshMessageNumbers.UserAuthBanner:
                    return; // late authentication messages carry nothing for us now
                default:
                    await Transport.SendAsync(new SshWireWriter().WriteByte(SshMessageNumbers.Unimplemented).WriteUInt32(0).ToArray(), CancellationToken.None).ConfigureAwait(false);
                    return;
            }
        }

        private async Task OnChannelOpenAsync(SshWireReader r)
        {
            string type = r.ReadString();
            uint remoteId = r.ReadUInt32();
            uint window = r.ReadUInt32();
            uint maxPacket = r.ReadUInt32();
            SshChannel? channel = null;
            lock (_gate)
            {
                if (type == "session" && SessionOpened != null && _channels.Count < MaxChannels)
                {
                    channel = new SshChannel(this, _nextLocalId++);
                    _channels[channel.LocalId] = channel;
                }
            }
            if (channel != null)
            {
                channel.SetRemote(remoteId, window, maxPacket);
                if (SessionOpened!(channel))
                {
                    await Transport.SendAsync(new SshWireWriter().WriteByte(SshMessageNumbers.ChannelOpenConfirmation).WriteUInt32(remoteId)
                        .WriteUInt32(channel.LocalId).WriteUInt32(SshChannel.InitialWindow).WriteUInt32(SshChannel.MaxPacket).ToArray(), CancellationToken.None).ConfigureAwait(false);
                    return;
                }
                Forget(channel);
            }
            // 1 = SSH_OPEN_ADMINISTRATIVELY_PROHIBITED
            await Transport.SendAsync(new SshWireWriter().WriteByte(SshMessageNumbers.ChannelOpenFailure).WriteUInt32(remoteId).WriteUInt32(1)
                .WriteString($"Channel type '{SshTransport.Printable(type)}' is not available.").WriteString("").ToArray(), CancellationToken.None).ConfigureAwait(false);
        }

        private async Task OnChannelRequestAsync(SshWireReader r)
        {
            var channel = Find(r.ReadUInt32());
            if (channel == null) return;
            string type = r.ReadString();
            bool wantReply = r.ReadBoolean();
            bool success;
            if (type == "exit-status")
            {
                channel.OnExitStatus((int)r.ReadUInt32());
                success = true;
            }
            else if (channel.RequestHandler != null)
            {
                success = await channel.RequestHandler(channel, type, r).ConfigureAwait(false);
            }
            else
            {
                success = false; // exit-signal, keepalive@openssh.com and anything else we do not act on
            }
            if (wantReply)
            {
                await Transport.SendAsync(new SshWireWriter().WriteByte(success ? SshMessageNumbers.ChannelSuccess : SshMessageNumbers.ChannelFailure)
                    .WriteUInt32(channel.RemoteId).ToArray(), CancellationToken.None).ConfigureAwait(false);
            }
            // Work a request starts (an exec) begins only after its reply went out.
            var start = channel.StartAfterReply;
            channel.StartAfterReply = null;
            start?.Invoke();
        }

        public void Dispose() => Transport.Dispose();
    }

    /// <summary>The peer refused to open a channel (RFC 4254 §5.1).</summary>
    public sealed class SshChannelOpenException : Exception
    {
        public SshChannelOpenException(uint reasonCode, string description)
            : base($"The peer refused to open a channel (reason {reasonCode}: {SshTransport.Printable(description)}).")
        {
            ReasonCode = reasonCode;
            Description = description;
        }

        public uint ReasonCode { get; }
        public string Description { get; }
    }
}
