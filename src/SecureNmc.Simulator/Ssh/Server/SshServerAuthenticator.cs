using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Simulator.Ssh.Transport;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Simulator.Ssh.Server
{
    /// <summary>
    /// Server side of the authentication protocol (RFC 4252 with password and RFC 4256
    /// keyboard-interactive), driven by the caller's password callback.
    /// </summary>
    internal sealed class SshServerAuthenticator
    {
        private readonly SshTransport _transport;
        private readonly SshServerOptions _options;
        private readonly EndPoint? _remote;
        private bool _bannerSent;
        private int _failures;

        public SshServerAuthenticator(SshTransport transport, SshServerOptions options, EndPoint? remote)
        {
            _transport = transport;
            _options = options;
            _remote = remote;
        }

        /// <summary>Runs until a login succeeds (returns the user name) or the connection ends (throws).</summary>
        public async Task<string> AuthenticateAsync(CancellationToken cancellationToken)
        {
            var request = new SshWireReader(await ReceiveAsync(cancellationToken).ConfigureAwait(false));
            if (request.ReadByte() != SshMessageNumbers.ServiceRequest || request.ReadString() != "ssh-userauth")
                throw new SshProtocolException(SshDisconnectReason.ServiceNotAvailable, "The client did not ask for the ssh-userauth service.");
            await _transport.SendAsync(new SshWireWriter().WriteByte(SshMessageNumbers.ServiceAccept).WriteString("ssh-userauth").ToArray(), cancellationToken).ConfigureAwait(false);

            while (true)
            {
                var r = new SshWireReader(await ReceiveAsync(cancellationToken).ConfigureAwait(false));
                byte number = r.ReadByte();
                if (number != SshMessageNumbers.UserAuthRequest)
                    throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"Expected a login request, got message {number}.");
                string user = r.ReadString();
                string service = r.ReadString();
                string method = r.ReadString();
                if (service != "ssh-connection")
                    throw new SshProtocolException(SshDisconnectReason.ServiceNotAvailable, $"Service '{SshTransport.Printable(service)}' is not available.");
                await SendBannerOnceAsync(cancellationToken).ConfigureAwait(false);

                SshPasswordCheckResult? result = null;
                bool offered = System.Linq.Enumerable.Contains(_options.AuthenticationMethods, method);
                if (method == "password" && offered)
                {
                    bool changing = r.ReadBoolean();
                    string password = r.ReadString();
                    // A client answering a change request: we do not change passwords, so this attempt fails.
                    result = changing ? SshPasswordCheckResult.Reject() : await CheckAsync(user, password, method).ConfigureAwait(false);
                    if (result.Decision == SshPasswordDecision.RequirePasswordChange)
                    {
                        await _transport.SendAsync(new SshWireWriter().WriteByte(SshMessageNumbers.UserAuthPasswordChangeRequest)
                            .WriteString(result.Message ?? "Enter new password").WriteString("").ToArray(), cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }
                else if (method == "keyboard-interactive" && offered)
                {
                    await SendInfoRequestAsync(cancellationToken, "Password: ").ConfigureAwait(false);
                    var answer = await ReadInfoResponseAsync(cancellationToken).ConfigureAwait(false);
                    result = answer == null ? SshPasswordCheckResult.Reject() : await CheckAsync(user, answer, method).ConfigureAwait(false);
                    if (result.Decision == SshPasswordDecision.RequirePasswordChange)
                    {
                        // What a card says at first login; whatever comes back, this login does not succeed.
                        await SendInfoRequestAsync(cancellationToken, "Enter current password: ", "Enter new password: ", "Confirm new password: ").ConfigureAwait(false);
                        await ReadInfoResponseAsync(cancellationToken).ConfigureAwait(false);
                        result = SshPasswordCheckResult.Reject();
                    }
                }

                switch (result?.Decision)
                {
                    case SshPasswordDecision.Accept:
                        await _transport.SendAsync(new[] { SshMessageNumbers.UserAuthSuccess }, cancellationToken).ConfigureAwait(false);
                        return user;
                    case SshPasswordDecision.SessionLimitReached:
                        await _transport.DisconnectAsync(SshDisconnectReason.TooManyConnections, result.Message ?? "Max logins exceeded.").ConfigureAwait(false);
                        throw new SshConnectionClosedException(SshDisconnectReason.TooManyConnections, null, false, "Login refused: session limit reached.");
                    case SshPasswordDecision.RejectWithMessage:
                        await SendBannerAsync(result.Message ?? "", cancellationToken).ConfigureAwait(false);
                        break;
                }
                if (result != null && ++_failures >= _options.MaxAuthAttempts)
                {
                    await _transport.DisconnectAsync(SshDisconnectReason.NoMoreAuthMethodsAvailable, "Too many authentication failures.").ConfigureAwait(false);
                    throw new SshConnectionClosedException(SshDisconnectReason.NoMoreAuthMethodsAvailable, null, false, "Login refused: too many failures.");
                }
                await _transport.SendAsync(new SshWireWriter().WriteByte(SshMessageNumbers.UserAuthFailure).WriteNameList(System.Linq.Enumerable.ToArray(_options.AuthenticationMethods)).WriteBoolean(false).ToArray(), cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<SshPasswordCheckResult> CheckAsync(string user, string password, string method)
        {
            var result = await _options.PasswordCheck(new SshPasswordCheckContext(user, password, _remote, method)).ConfigureAwait(false);
            return result ?? SshPasswordCheckResult.Reject();
        }

        private Task SendInfoRequestAsync(CancellationToken cancellationToken, params string[] prompts)
        {
            var w = new SshWireWriter().WriteByte(SshMessageNumbers.UserAuthInfoRequest).WriteString("").WriteString("").WriteString("").WriteUInt32((uint)prompts.Length);
            foreach (var p in prompts) w.WriteString(p).WriteBoolean(false);
            return _transport.SendAsync(w.ToArray(), cancellationToken);
        }

        /// <summary>The first response of an INFO_RESPONSE, or null when the client gave none.</summary>
        private async Task<string?> ReadInfoResponseAsync(CancellationToken cancellationToken)
        {
            var r = new SshWireReader(await ReceiveAsync(cancellationToken).ConfigureAwait(false));
            byte number = r.ReadByte();
            if (number != SshMessageNumbers.UserAuthInfoResponse)
                throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"Expected a keyboard-interactive response, got message {number}.");
            uint count = r.ReadUInt32();
            if (count > 16) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "Too many keyboard-interactive responses.");
            string? first = null;
            for (int i = 0; i < count; i++)
            {
                var text = r.ReadString();
                first ??= text;
            }
            return first;
        }

        private async Task SendBannerOnceAsync(CancellationToken cancellationToken)
        {
            if (_bannerSent || string.IsNullOrEmpty(_options.Banner)) return;
            _bannerSent = true;
            await SendBannerAsync(_options.Banner!, cancellationToken).ConfigureAwait(false);
        }

        private Task SendBannerAsync(string text, CancellationToken cancellationToken) =>
            _transport.SendAsync(new SshWireWriter().WriteByte(SshMessageNumbers.UserAuthBanner).WriteString(text).WriteString("").ToArray(), cancellationToken);

        private async Task<byte[]> ReceiveAsync(CancellationToken cancellationToken)
        {
            var message = await _transport.ReceiveAsync(Timeout.InfiniteTimeSpan, "waiting for the client to log in", cancellationToken).ConfigureAwait(false);
            if (message.Length == 0) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "Empty message.");
            return message;
        }
    }
}
