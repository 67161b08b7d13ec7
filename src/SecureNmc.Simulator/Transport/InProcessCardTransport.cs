using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Core.Transport;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Fleet;

namespace SecureNmc.Simulator.Transport
{
    /// <summary>
    /// A SIMULATOR transport, not product code: an <see cref="IFileTransferClient"/> that talks to
    /// <see cref="SimulatedCard"/>s directly, without sockets, for fast tests of the query and the update
    /// engine. It honours the connection's timeouts, pinned fingerprint and host-key policy (known
    /// hosts are kept in memory per transport instance; <see cref="SshClientOptions.KnownHostsPath"/> is
    /// not read), and maps every card answer to the typed <see cref="FileTransferException"/>s.
    /// </summary>
    public sealed class InProcessCardTransport : IFileTransferClient
    {
        private readonly SimulatedFleet _fleet;
        private readonly ConcurrentDictionary<string, string> _knownHosts = new ConcurrentDictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public InProcessCardTransport(SimulatedFleet fleet, TransferProtocol protocol = TransferProtocol.Scp)
        {
            _fleet = fleet ?? throw new ArgumentNullException(nameof(fleet));
            Protocol = protocol;
        }

        public TransferProtocol Protocol { get; }

        private CardProtocol CardProtocol => Protocol == TransferProtocol.Ftp ? CardProtocol.Ftp : CardProtocol.Ssh;

        /// <summary>Fingerprints trusted on first use, keyed "host:port".</summary>
        public ConcurrentDictionary<string, string> KnownHosts => _knownHosts;

        public async Task<IFileTransferSession> OpenAsync(ConnectionOptions options, CancellationToken cancellationToken)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var host = options.Host;
            var card = _fleet.Find(host, options.Port, CardProtocol)
                       ?? throw new FileTransferException(TransferFailureKind.CannotConnect, host, $"Connection refused by {host}:{options.Port}.");
            var refusal = card.ConnectionRefusal(CardProtocol);
            if (refusal != null)
                throw new FileTransferException(TransferFailureKind.CannotConnect, host, $"{host}:{options.Port}: {refusal}");

            if (CardProtocol == CardProtocol.Ssh) CheckHostKey(options, card.PresentedHostKey);

            CardLoginResult login;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(options.ConnectTimeout);
                try
                {
                    login = await card.LoginAsync(CardProtocol, options.Credential.UserName, options.Credential.Password, "127.0.0.1", timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new FileTransferException(TransferFailureKind.TimedOut, host,
                        $"{host}:{options.Port} did not complete the login within {options.ConnectTimeout.TotalSeconds:0.###} s.");
                }
            }
            if (!login.Succeeded) throw LoginFailure(host, options, login);
            var session = login.Session!;
            var banner = CardProtocol == CardProtocol.Ftp ? "220 " + card.FtpWelcome : card.BannerFor(session.User.UserName);
            return CardProtocol == CardProtocol.Ftp
                ? new InProcessCardSession(session, host, options.OperationTimeout, banner)
                : new InProcessCardCommandSession(session, host, options.OperationTimeout, banner);
        }

        private void CheckHostKey(ConnectionOptions options, SimulatorHostKey presented)
        {
            var key = options.Host + ":" + options.Port;
            var pinned = options.Ssh.PinnedFingerprint;
            if (!string.IsNullOrEmpty(pinned))
            {
                if (!string.Equals(pinned, presented.Fingerprint, StringComparison.Ordinal))
                    throw new HostKeyRejectedException(options.Host, $"{options.Host}:{options.Port} presented host key {presented.Fingerprint}, not the pinned {pinned}.", pinned, presented.Fingerprint);
                return;
            }
            if (_knownHosts.TryGetValue(key, out var known))
            {
                if (!string.Equals(known, presented.Fingerprint, StringComparison.Ordinal))
                    throw new HostKeyRejectedException(options.Host, $"{options.Host}:{options.Port} presented host key {presented.Fingerprint}, not the known {known}.", known, presented.Fingerprint);
                return;
            }
            if (options.Ssh.HostKeyPolicy == HostKeyPolicy.Strict)
                throw new HostKeyRejectedException(options.Host, $"{options.Host}:{options.Port} presented host key {presented.Fingerprint}, which is not trusted (strict host-key policy).", null, presented.Fingerprint);
            _knownHosts[key] = presented.Fingerprint;
        }

        private static FileTransferException LoginFailure(string host, ConnectionOptions options, CardLoginResult login)
        {
            var user = options.Credential.UserName;
            var (kind, text) = login.Failure switch
            {
                CardLoginFailure.ConnectionRefused => (TransferFailureKind.CannotConnect, $"{host}:{options.Port}: {login.Message}"),
                CardLoginFailure.BadCredentials => (TransferFailureKind.BadCredentials, $"{host} refused the login of user '{user}'."),
                CardLoginFailure.MultiFactorRequired => (TransferFailureKind.MultiFactorRequired, $"{host} requires multi-factor authentication for user '{user}'."),
                CardLoginFailure.PasswordChangeRequired => (TransferFailureKind.PasswordChangeRequired, $"{host} demands a password change for user '{user}'."),
                CardLoginFailure.SessionLimitReached => (TransferFailureKind.SessionLimitReached, $"{host} already has a session open and allows no more."),
                _ => (TransferFailureKind.ProtocolError, $"{host} answered the login unexpectedly."),
            };
            return new FileTransferException(kind, host, text) { ServerMessage = login.Message };
        }
    }
}
