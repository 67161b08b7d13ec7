using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Simulator.Ssh.Transport
{
    /// <summary>
    /// One SSH-2 transport connection (RFC 4253) in either role: identification exchange, key
    /// exchange with strict-kex (Terrapin) protection, rekeying, and a reader loop that handles
    /// transport messages itself and queues everything else (authentication, connection protocol)
    /// for the layer above. Sends from the layer above wait while a key exchange is in progress.
    /// </summary>
    public sealed partial class SshTransport : IDisposable
    {
        private readonly Stream _stream;
        private readonly SshTransportSettings _settings;
        private readonly SshPacketStream _packets;
        private readonly SemaphoreSlim _sendLock = new SemaphoreSlim(1, 1);
        private readonly AsyncMessageQueue _inbox = new AsyncMessageQueue();
        private readonly RandomNumberGenerator _random = RandomNumberGenerator.Create();
        private readonly TaskCompletionSource<bool> _initialKexDone = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _shutdown = new CancellationTokenSource();
        private TaskCompletionSource<bool> _kexIdle = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        private bool _kexInProgress = true;          // no upper-layer traffic before the first NEWKEYS
        private SshKexInit? _ourKexInit;
        private DateTime _lastKexUtc = DateTime.UtcNow;
        private int _packetsBeforePeerKexInit;
        private Exception? _failure;
        private int _closed;
        private Task? _readerLoop;

        private const long MaxQueuedBytes = 64L * 1024 * 1024;

        private SshTransport(Stream stream, SshTransportSettings settings)
        {
            _stream = stream;
            _settings = settings;
            _packets = new SshPacketStream(stream, SshAlgorithmCatalog.CreateNone(), SshAlgorithmCatalog.CreateNone())
            {
                ReadTimeout = settings.ReadTimeout,
            };
        }

        public SshRole Role => _settings.Role;
        private bool IsClient => _settings.Role == SshRole.Client;
        public string PeerName => _settings.PeerName;

        /// <summary>Our identification line without CR LF.</summary>
        public string LocalIdentification { get; private set; } = "";

        /// <summary>The peer's identification line without CR LF, e.g. "SSH-2.0-OpenSSH_9.2p1 Debian-2".</summary>
        public string PeerIdentification { get; private set; } = "";

        /// <summary>Lines a server sent before its identification (RFC 4253 §4.2), if any.</summary>
        public IReadOnlyList<string> PreIdentificationLines { get; private set; } = Array.Empty<string>();

        /// <summary>H of the first key exchange (RFC 4253 §7.2); identifies the session for authentication.</summary>
        public byte[] SessionId { get; private set; } = Array.Empty<byte>();

        /// <summary>Algorithms of the latest key exchange.</summary>
        public SshNegotiatedAlgorithms? Negotiated { get; private set; }

        /// <summary>The server's host key blob (client role), as presented in the first key exchange.</summary>
        public byte[]? PeerHostKey { get; private set; }

        /// <summary>True when both sides agreed to strict key exchange (kex-strict-*-v00@openssh.com).</summary>
        public bool StrictKeyExchange { get; private set; }

        /// <summary>Completed key exchanges, the first one included.</summary>
        public int KeyExchangeCount { get; private set; }

        public bool IsConnected => Volatile.Read(ref _closed) == 0;

        /// <summary>Why the connection ended, once it has.</summary>
        public Exception? Failure => _failure;

        /// <summary>Runs the identification exchange and first key exchange over a connected stream.</summary>
        public static async Task<SshTransport> StartAsync(Stream stream, SshTransportSettings settings, CancellationToken cancellationToken)
        {
            var transport = new SshTransport(stream, settings);
            try
            {
                using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    handshake.CancelAfter(settings.HandshakeTimeout);
                    try
                    {
                        await transport.HandshakeAsync(handshake.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new SshTimeoutException($"The SSH handshake with {settings.PeerName} did not finish within {settings.HandshakeTimeout.TotalSeconds:0.#} s.");
                    }
                }
                return transport;
            }
            catch (Exception ex)
            {
                transport.Fail(ex);
                throw;
            }
        }

        private async Task HandshakeAsync(CancellationToken cancellationToken)
        {
            LocalIdentification = "SSH-2.0-" + _settings.SoftwareVersion;
            await _packets.WriteLineAsync(LocalIdentification, cancellationToken).ConfigureAwait(false);
            PeerIdentification = await ReadPeerIdentificationAsync(cancellationToken).ConfigureAwait(false);

            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await SendKexInitLockedAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }

            _readerLoop = Task.Run(ReaderLoopAsync);
            await SshTimeouts.WithTimeout(_initialKexDone.Task, Timeout.InfiniteTimeSpan, "exchanging keys", cancellationToken).ConfigureAwait(false);
        }

        private async Task<string> ReadPeerIdentificationAsync(CancellationToken cancellationToken)
        {
            const int MaxPreLines = 64;
            var preLines = new List<string>();
            while (true)
            {
                var line = await _packets.ReadLineAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
                if (line.StartsWith("SSH-", StringComparison.Ordinal))
                {
                    PreIdentificationLines = preLines;
                    if (line.StartsWith("SSH-2.0-", StringComparison.Ordinal) || line.StartsWith("SSH-1.99-", StringComparison.Ordinal))
                        return line;
                    throw new SshProtocolException(SshDisconnectReason.ProtocolVersionNotSupported,
                        $"{_settings.PeerName} speaks an unsupported SSH version ('{Printable(line)}'); SSH-2.0 is required.");
                }
                // Only servers may send lines before their identification (RFC 4253 §4.2).
                if (!IsClient)
                    throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"The client did not start with an SSH identification ('{Printable(line)}').");
                preLines.Add(line);
                if (preLines.Count > MaxPreLines)
                    throw new SshProtocolException(SshDisconnectReason.ProtocolError,
                        $"{_settings.PeerName} sent more than {MaxPreLines} lines without an SSH identification; it does not look like an SSH server.");
            }
        }

        internal static string Printable(string text)
        {
            var chars = text.Take(120).Select(c => c < 32 || c == 127 ? '?' : c).ToArray();
            return new string(chars) + (text.Length > 120 ? "..." : "");
        }

        // ---- sending ------------------------------------------------------------------------

        /// <summary>
        /// Sends one message of the authentication or connection protocol. Waits while a key
        /// exchange is running. Cancellation is honoured only while waiting, never mid-packet.
        /// </summary>
        public async Task SendAsync(byte[] payload, CancellationToken cancellationToken)
        {
            while (true)
            {
                ThrowIfClosed();
                var idle = Volatile.Read(ref _kexIdle).Task;
                if (!idle.IsCompleted)
                    await SshTimeouts.WithTimeout(idle, _settings.HandshakeTimeout + _settings.ReadTimeout, "waiting for a key exchange to finish", cancellationToken).ConfigureAwait(false);
                await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (_kexInProgress) continue;
                    ThrowIfClosed();
                    await _packets.WritePacketAsync(payload, CancellationToken.None).ConfigureAwait(false);
                    if (RekeyDue()) await SendKexInitLockedAsync(CancellationToken.None).ConfigureAwait(false);
                    return;
                }
                catch (Exception ex) when (!(ex is OperationCanceledException) && !(ex is SshConnectionClosedException))
                {
                    Fail(ex);
                    throw;
                }
                finally
                {
                    _sendLock.Release();
                }
            }
        }

        /// <summary>Transport-internal messages (kex, NEWKEYS, UNIMPLEMENTED) bypass the kex gate.</summary>
        private async Task SendTransportMessageAsync(byte[] payload)
        {
            await _sendLock.WaitAsync().ConfigureAwait(false);
            try
            {
                await _packets.WritePacketAsync(payload, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }

        private bool RekeyDue() =>
            _packets.BytesSent + _packets.BytesReceived >= _settings.RekeyAfterBytes ||
            DateTime.UtcNow - _lastKexUtc >= _settings.RekeyAfterTime ||
            _packets.PacketsSent >= (1L << 31) || _packets.PacketsReceived >= (1L << 31);

        /// <summary>Starts a key exchange (our KEXINIT) unless one is already running. Caller holds the send lock.</summary>
        private async Task SendKexInitLockedAsync(CancellationToken cancellationToken)
        {
            if (_ourKexInit != null) return;
            if (!_kexInProgress)
            {
                _kexInProgress = true;
                Volatile.Write(ref _kexIdle, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
            }
            var init = BuildKexInit(initial: SessionId.Length == 0);
            _ourKexInit = init;
            await _packets.WritePacketAsync(init.Encode(_random), cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Asks for a new key exchange now (either side may start one at any time).</summary>
        public async Task RekeyAsync(CancellationToken cancellationToken)
        {
            ThrowIfClosed();
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await SendKexInitLockedAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }

        // ---- receiving ----------------------------------------------------------------------

        /// <summary>Next authentication/connection message; throws when the connection has ended.</summary>
        public Task<byte[]> ReceiveAsync(TimeSpan timeout, string waitingFor, CancellationToken cancellationToken) =>
            _inbox.DequeueAsync(timeout, waitingFor, cancellationToken);

        private async Task ReaderLoopAsync()
        {
            try
            {
                while (true)
                {
                    var payload = await _packets.ReadPacketAsync(Timeout.InfiniteTimeSpan, _shutdown.Token).ConfigureAwait(false);
                    byte number = payload[0];
                    if (number == SshMessageNumbers.KexInit)
                    {
                        await RunKeyExchangeAsync(SshKexInit.Decode(payload)).ConfigureAwait(false);
                        continue;
                    }
                    if (KeyExchangeCount == 0)
                    {
                        // Before the first KEXINIT only transport-generic messages may arrive; with strict kex none at all.
                        _packetsBeforePeerKexInit++;
                        if (number > SshMessageNumbers.Debug && number != SshMessageNumbers.Unimplemented)
                            throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"The peer sent message {number} before the key exchange completed.");
                    }
                    if (HandleGenericTransportMessage(payload)) continue;

                    if (number >= SshMessageNumbers.KexInit && number <= 49)
                        throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"The peer sent key-exchange message {number} outside a key exchange.");
                    if (number < SshMessageNumbers.KexInit && number != SshMessageNumbers.ServiceRequest && number != SshMessageNumbers.ServiceAccept)
                    {
                        if (number == SshMessageNumbers.ExtInfo) continue; // we do not ask for extensions; ignore politely
                        await SendUnimplementedAsync().ConfigureAwait(false);
                        continue;
                    }
                    if (_inbox.QueuedBytes > MaxQueuedBytes)
                        throw new SshProtocolException(SshDisconnectReason.ProtocolError, "The peer sends faster than it is allowed to (flow control ignored).");
                    _inbox.Enqueue(payload);

                    if (RekeyDue() && _ourKexInit == null) await RekeyAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                Fail(ex);
            }
        }

        /// <summary>DISCONNECT, IGNORE, DEBUG, UNIMPLEMENTED. Returns false for anything else.</summary>
        private bool HandleGenericTransportMessage(byte[] payload)
        {
            switch (payload[0])
            {
                case SshMessageNumbers.Disconnect:
                    {
                        uint reason = 0;
                        string description = "";
                        try
                        {
                            var r = new SshWireReader(payload, 1, payload.Length - 1);
                            reason = r.ReadUInt32();
                            description = r.ReadString();
                        }
                        catch (SshWireException)
                        {
                            // A malformed DISCONNECT still ends the connection.
                        }
                        throw new SshConnectionClosedException((SshDisconnectReason)reason, description, byPeer: true,
                            $"{_settings.PeerName} closed the SSH connection (reason {reason}{(description.Length > 0 ? ": " + Printable(description) : "")}).");
                    }
                case SshMessageNumbers.Ignore:
                    return true;
                case SshMessageNumbers.Debug:
                    try
                    {
                        var r = new SshWireReader(payload, 1, payload.Length - 1);
                        r.ReadBoolean();
                        _settings.Logger.LogDebug("SSH debug message from {Peer}: {Text}", _settings.PeerName, Printable(r.ReadString()));
                    }
                    catch (SshWireException)
                    {
                        // Debug text is informational only.
                    }
                    return true;
                case SshMessageNumbers.Unimplemented:
                    _settings.Logger.LogDebug("{Peer} did not implement one of our messages.", _settings.PeerName);
                    return true;
                default:
                    return false;
            }
        }

        private Task SendUnimplementedAsync() =>
            SendTransportMessageAsync(new SshWireWriter().WriteByte(SshMessageNumbers.Unimplemented).WriteUInt32(unchecked(_packets.ReceiveSequence - 1)).ToArray());

        // ---- shutdown -----------------------------------------------------------------------

        private void ThrowIfClosed()
        {
            if (Volatile.Read(ref _closed) != 0)
                throw _failure as SshConnectionClosedException
                      ?? new SshConnectionClosedException(SshDisconnectReason.ConnectionLost, null, false, $"The SSH connection to {_settings.PeerName} has ended: {_failure?.Message}", _failure);
        }

        /// <summary>Ends the connection with <paramref name="error"/> as the reason; tells the peer when it broke the protocol.</summary>
        private void Fail(Exception error)
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0) return;
            _failure = error;
            if (error is SshProtocolException protocolError)
            {
                TrySendDisconnect(protocolError.Reason, protocolError.Message);
            }
            else if (error is global::SecureNmc.Core.Transport.FileTransferException)
            {
                TrySendDisconnect(SshDisconnectReason.HostKeyNotVerifiable, "Host key not accepted.");
            }
            var closed = error as SshConnectionClosedException
                         ?? new SshConnectionClosedException(SshDisconnectReason.ConnectionLost, null, false,
                             $"The SSH connection to {_settings.PeerName} ended: {error.Message}", error);
            _inbox.Complete(closed);
            _initialKexDone.TrySetException(error);
            _kexIdle.TrySetException(closed);
            SshTimeouts.Observe(_initialKexDone.Task);
            SshTimeouts.Observe(_kexIdle.Task);
            _shutdown.Cancel();
            try { _stream.Dispose(); } catch (Exception) { /* already broken */ }
        }

        private void TrySendDisconnect(SshDisconnectReason reason, string description)
        {
            // Best effort, bounded: the peer may be the reason we are closing.
            try
            {
                var payload = new SshWireWriter().WriteByte(SshMessageNumbers.Disconnect).WriteUInt32((uint)reason)
                    .WriteString(description.Length > 200 ? description.Substring(0, 200) : description).WriteString("").ToArray();
                if (!_sendLock.Wait(TimeSpan.FromSeconds(1))) return;
                try
                {
                    var write = _packets.WritePacketAsync(payload, CancellationToken.None);
                    write.Wait(TimeSpan.FromSeconds(1));
                    SshTimeouts.Observe(write);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
            catch (Exception)
            {
                // The link is already gone.
            }
        }

        /// <summary>Sends DISCONNECT (by application) and closes.</summary>
        public Task DisconnectAsync(SshDisconnectReason reason, string description)
        {
            if (Volatile.Read(ref _closed) == 0)
            {
                TrySendDisconnect(reason, description);
                Fail(new SshConnectionClosedException(reason, null, false, $"The SSH connection to {_settings.PeerName} was closed locally."));
            }
            return Task.CompletedTask;
        }

        /// <summary>Ends the connection because a layer above found <paramref name="error"/>; a protocol error is told to the peer.</summary>
        public void Abort(Exception error) => Fail(error);

        public void Dispose()
        {
            Fail(new SshConnectionClosedException(SshDisconnectReason.ByApplication, null, false, $"The SSH connection to {_settings.PeerName} was closed locally."));
        }
    }
}
