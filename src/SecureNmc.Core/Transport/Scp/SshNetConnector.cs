using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Renci.SshNet;
using Renci.SshNet.Common;
using SecureNmc.Core.Ftp;
using SecureNmc.Core.Ssh.KnownHosts;
using SshNetClient = Renci.SshNet.SshClient;

namespace SecureNmc.Core.Transport.Scp
{
    /// <summary>
    /// Opens a logged-in SSH.NET connection to one card: TCP connect, handshake with the product's
    /// algorithm offer, host-key trust through the known-hosts store, login. The whole of it runs under
    /// the connect timeout as a hard limit (the connection is dropped when it expires or the caller
    /// cancels), and every failure surfaces as a <see cref="FileTransferException"/> of the right kind.
    /// </summary>
    internal static class SshNetConnector
    {
        public static async Task<SshNetScpSession> ConnectAsync(ConnectionOptions options, CancellationToken cancellationToken)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (string.IsNullOrWhiteSpace(options.Host)) throw new ArgumentException("No host given for the SSH connection.", nameof(options));
            int port = options.Port == 0 ? 22 : options.Port;
            if (port < 1 || port > 65535) throw new ArgumentException($"SSH port {options.Port} is not a valid TCP port (1-65535).", nameof(options));
            if (string.IsNullOrWhiteSpace(options.Credential?.UserName))
                // SSH needs a user name to log in at all (SSH.NET refuses an empty one): say so before
                // connecting rather than count a failed login on the card.
                throw new FileTransferException(TransferFailureKind.BadCredentials, options.Host,
                    $"SSH login to {options.Host} not attempted: no user name is stored for this device. Store the card's credential for it (Set-NmcDevice -Credential).");
            var started = DateTime.UtcNow;
            try
            {
                return await AttemptAsync(options, port, allowNistCurves: false, options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (FileTransferException ex) when (ex.Kind == TransferFailureKind.ProtocolError && SshNetAlgorithms.OffersOnlyNistCurves(ex.InnerException?.Message))
            {
                // A card whose only host key is ECDSA (NMC3 lets users choose one) or that only does NIST
                // ECDH: one more handshake offering the curves. The host key is still checked against the
                // store, so this cannot swap a known RSA key for an unknown ECDSA one.
                options.Logger.LogDebug("SSH to {Host}: the card offers only NIST curves; trying again with them", options.Host);
                var left = options.ConnectTimeout - (DateTime.UtcNow - started);
                return await AttemptAsync(options, port, allowNistCurves: true, left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }

        private static async Task<SshNetScpSession> AttemptAsync(ConnectionOptions options, int port, bool allowNistCurves, TimeSpan limit, CancellationToken cancellationToken)
        {
            string host = options.Host;
            string peer = KnownHostsStore.Key(host, port);
            var credential = options.Credential ?? new System.Net.NetworkCredential();
            var login = new SshNetLogin(host, credential.UserName ?? "", credential.Password ?? "");
            var info = new ConnectionInfo(host, port, credential.UserName, login.Methods)
            {
                Timeout = limit,
                ChannelCloseTimeout = TimeSpan.FromSeconds(5),
                RetryAttempts = 1,
            };
            info.AuthenticationBanner += login.OnBanner;
            var trust = new HostKeyTrust(new KnownHostsStore(options.Ssh.KnownHostsPath), options.Ssh, host, port);
            string[] knownKeyTypes;
            try
            {
                knownKeyTypes = trust.KnownKeyTypes();
            }
            catch (InvalidDataException unreadable)
            {
                login.Dispose();
                throw new FileTransferException(TransferFailureKind.HostKeyRejected, host, $"Cannot check the SSH host key of {peer}: {unreadable.Message}", unreadable);
            }
            SshNetAlgorithms.Apply(info, options.Ssh.AllowLegacyAlgorithms, allowNistCurves, knownKeyTypes);

            var client = new SshNetClient(info);
            var calls = new SessionThread("SSH " + peer);
            Exception? trustFailure = null;
            client.HostKeyReceived += (_, e) =>
            {
                try
                {
                    trust.Verify(SshNetHostKeys.KeyType(e.HostKey), e.HostKey);
                    e.CanTrust = true;
                }
                catch (Exception ex)
                {
                    trustFailure = ex;
                    e.CanTrust = false;
                }
            };
            try
            {
                // SSH.NET's connect blocks while it waits for the card; on the session's own thread it holds
                // no pool thread, and the deadline (which drops the connection) ends it whatever it waits for.
                await StepDeadline.RunAsync(_ => calls.Run(() => client.Connect()), limit, client, cancellationToken).ConfigureAwait(false);
                options.Logger.LogDebug("SSH to {Peer}: {Server}, kex {Kex}, host key {HostKey}, cipher {Cipher}", peer,
                    info.ServerVersion, info.CurrentKeyExchangeAlgorithm, info.CurrentHostKeyAlgorithm, info.CurrentClientEncryption);
                return new SshNetScpSession(client, calls, options, peer, login.Banner);
            }
            catch (Exception ex)
            {
                client.Dispose();
                calls.Dispose();
                if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested) throw;
                if (trustFailure is HostKeyRejectedException rejected) throw rejected;
                if (trustFailure != null)
                    throw new FileTransferException(TransferFailureKind.HostKeyRejected, host, $"Cannot check the SSH host key of {peer}: {trustFailure.Message}", trustFailure);
                throw SshNetFailures.DuringConnect(ex, host, peer, login, options.Ssh.AllowLegacyAlgorithms, limit);
            }
            finally
            {
                login.Dispose();
            }
        }
    }
}
