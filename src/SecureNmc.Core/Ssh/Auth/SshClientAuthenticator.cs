using System;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Ssh.Transport;
using SecureNmc.Core.Ssh.Wire;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Ssh.Auth
{
    /// <summary>
    /// Client side of the authentication protocol (RFC 4252) for cards: a "none" probe, then
    /// password (RFC 4252 §8) or keyboard-interactive (RFC 4256). Never answers a password-change
    /// request; recognises MFA and session-limit texts; every outcome is a typed exception.
    /// </summary>
    internal sealed class SshClientAuthenticator
    {
        private readonly SshTransport _transport;
        private readonly string _host;
        private readonly TimeSpan _timeout;
        private readonly StringBuilder _banner = new StringBuilder();
        private int _bannerMarkSinceAttempt;

        public SshClientAuthenticator(SshTransport transport, string host, TimeSpan timeout)
        {
            _transport = transport;
            _host = host;
            _timeout = timeout;
        }

        /// <summary>Everything the server sent as USERAUTH_BANNER (message 53), in order.</summary>
        public string? Banner => _banner.Length == 0 ? null : _banner.ToString();

        public async Task AuthenticateAsync(string user, string password, CancellationToken cancellationToken)
        {
            await _transport.SendAsync(new SshWireWriter().WriteByte(SshMessageNumbers.ServiceRequest).WriteString("ssh-userauth").ToArray(), cancellationToken).ConfigureAwait(false);
            var accept = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (accept[0] != SshMessageNumbers.ServiceAccept)
                throw Protocol($"expected SERVICE_ACCEPT, got message {accept[0]}");

            string method = "none";
            bool passwordTried = false;
            bool keyboardTried = false;
            bool passwordAnswered = false;
            await SendRequestAsync(user, "none", cancellationToken).ConfigureAwait(false);

            while (true)
            {
                var message = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (await HandleAsync(message).ConfigureAwait(false)) return;
                }
                catch (SshWireException ex)
                {
                    throw Protocol("malformed message: " + ex.Message);
                }
            }

            async Task<bool> HandleAsync(byte[] message)
            {
                var r = new SshWireReader(message);
                byte number = r.ReadByte();
                switch (number)
                {
                    case SshMessageNumbers.UserAuthSuccess:
                        return true;

                    case SshMessageNumbers.UserAuthBanner:
                        {
                            var text = r.ReadString();
                            _banner.Append(text);
                            if (text.Length > 0 && !text.EndsWith("\n", StringComparison.Ordinal)) _banner.Append('\n');
                            break;
                        }

                    case SshMessageNumbers.UserAuthFailure:
                        {
                            var methods = r.ReadNameList();
                            bool partialSuccess = r.ReadBoolean();
                            var recent = RecentBanner();
                            if (SshAuthText.MeansSessionLimit(recent))
                                throw Fail(TransferFailureKind.SessionLimitReached, "the card refused the login because it already has the maximum number of sessions (\"Max logins exceeded.\"). Close other sessions to it (web, CLI, other tools) and try again.", recent);
                            if (SshAuthText.MeansPasswordChange(recent))
                                throw PasswordChange(recent);
                            if (partialSuccess || SshAuthText.MeansMultiFactor(recent))
                                throw MultiFactor(recent);

                            if ((method == "password" && passwordTried) || (method == "keyboard-interactive" && keyboardTried && passwordAnswered))
                                throw Fail(TransferFailureKind.BadCredentials, $"the user name or password was not accepted for user '{user}'. Check the credential stored for this device.", recent);

                            if (!passwordTried && methods.Contains("password"))
                            {
                                method = "password";
                                passwordTried = true;
                                _bannerMarkSinceAttempt = _banner.Length;
                                await _transport.SendAsync(new SshWireWriter().WriteByte(SshMessageNumbers.UserAuthRequest).WriteString(user).WriteString("ssh-connection")
                                    .WriteString("password").WriteBoolean(false).WriteString(password).ToArray(), cancellationToken).ConfigureAwait(false);
                            }
                            else if (!keyboardTried && methods.Contains("keyboard-interactive"))
                            {
                                method = "keyboard-interactive";
                                keyboardTried = true;
                                _bannerMarkSinceAttempt = _banner.Length;
                                await _transport.SendAsync(new SshWireWriter().WriteByte(SshMessageNumbers.UserAuthRequest).WriteString(user).WriteString("ssh-connection")
                                    .WriteString("keyboard-interactive").WriteString("").WriteString("").ToArray(), cancellationToken).ConfigureAwait(false);
                            }
                            else if (keyboardTried && !passwordAnswered)
                            {
                                throw Fail(TransferFailureKind.BadCredentials, $"the login for user '{user}' was refused before a password was asked for.", recent);
                            }
                            else
                            {
                                throw Fail(TransferFailureKind.BadCredentials,
                                    $"the card accepts none of our login methods (it offers: {string.Join(", ", methods)}; we use password and keyboard-interactive).", recent);
                            }
                            break;
                        }

                    case SshMessageNumbers.UserAuthPasswordChangeRequest when method == "password":
                        {
                            var prompt = r.ReadString();
                            throw PasswordChange(prompt);
                        }

                    case SshMessageNumbers.UserAuthInfoRequest when method == "keyboard-interactive":
                        {
                            var name = r.ReadString();
                            var instruction = r.ReadString();
                            r.ReadString(); // language tag
                            uint count = r.ReadUInt32();
                            if (count > 16) throw Protocol($"keyboard-interactive request with {count} prompts");
                            var prompts = new string[count];
                            for (int i = 0; i < count; i++)
                            {
                                prompts[i] = r.ReadString();
                                r.ReadBoolean();
                            }
                            var allText = string.Join("\n", new[] { name, instruction }.Concat(prompts));
                            if (SshAuthText.MeansPasswordChange(allText)) throw PasswordChange(allText);
                            if (SshAuthText.MeansMultiFactor(allText)) throw MultiFactor(allText);
                            if (SshAuthText.MeansSessionLimit(allText))
                                throw Fail(TransferFailureKind.SessionLimitReached, "the card already has the maximum number of sessions (\"Max logins exceeded.\").", allText);

                            var response = new SshWireWriter().WriteByte(SshMessageNumbers.UserAuthInfoResponse).WriteUInt32(count);
                            if (count == 1 && SshAuthText.IsPasswordPrompt(prompts[0]))
                            {
                                if (passwordAnswered)
                                    throw Fail(TransferFailureKind.BadCredentials, $"the password was not accepted for user '{user}'. Check the credential stored for this device.", allText);
                                passwordAnswered = true;
                                response.WriteString(password);
                            }
                            else if (count > 0)
                            {
                                throw MultiFactor(allText);
                            }
                            await _transport.SendAsync(response.ToArray(), cancellationToken).ConfigureAwait(false);
                            break;
                        }

                    default:
                        throw Protocol($"unexpected message {number} during login");
                }
                return false;
            }
        }

        private Task SendRequestAsync(string user, string method, CancellationToken cancellationToken) =>
            _transport.SendAsync(new SshWireWriter().WriteByte(SshMessageNumbers.UserAuthRequest).WriteString(user).WriteString("ssh-connection").WriteString(method).ToArray(), cancellationToken);

        private async Task<byte[]> ReceiveAsync(CancellationToken cancellationToken)
        {
            try
            {
                var message = await _transport.ReceiveAsync(_timeout, "logging in", cancellationToken).ConfigureAwait(false);
                if (message.Length == 0) throw Protocol("empty message");
                return message;
            }
            catch (SshConnectionClosedException closed) when (closed.ByPeer)
            {
                var text = closed.PeerMessage + "\n" + RecentBanner();
                if (SshAuthText.MeansSessionLimit(text) || closed.Reason == SshDisconnectReason.TooManyConnections)
                    throw Fail(TransferFailureKind.SessionLimitReached, "the card refused the login because it already has the maximum number of sessions (\"Max logins exceeded.\"). Close other sessions to it and try again.", closed.PeerMessage, closed);
                if (SshAuthText.MeansMultiFactor(text)) throw MultiFactor(closed.PeerMessage);
                if (closed.Reason == SshDisconnectReason.NoMoreAuthMethodsAvailable || closed.Reason == SshDisconnectReason.IllegalUserName)
                    throw Fail(TransferFailureKind.BadCredentials, "the card ended the login after too many failed attempts. Check the user name and password.", closed.PeerMessage, closed);
                throw;
            }
        }

        private string RecentBanner() => _banner.ToString(Math.Min(_bannerMarkSinceAttempt, _banner.Length), _banner.Length - Math.Min(_bannerMarkSinceAttempt, _banner.Length));

        private FileTransferException PasswordChange(string? serverText) =>
            Fail(TransferFailureKind.PasswordChangeRequired,
                "the card requires a password change for this user before it allows anything else (first login or expired password). Log in once interactively (CLI or web) to set a new password, then update the stored credential.",
                serverText);

        private FileTransferException MultiFactor(string? serverText) =>
            Fail(TransferFailureKind.MultiFactorRequired,
                "the card asks this user for multi-factor authentication, which automated updates cannot answer. Use a local card user without MFA (no e-mail address configured), as Schneider Electric advises for the Secure NMC System.",
                serverText);

        private FileTransferException Fail(TransferFailureKind kind, string what, string? serverText, Exception? inner = null) =>
            new FileTransferException(kind, _host, $"SSH login to {_host} failed: {what}", inner) { ServerMessage = Trim(serverText) };

        private FileTransferException Protocol(string what) =>
            new FileTransferException(TransferFailureKind.ProtocolError, _host, $"SSH login to {_host} failed: the card broke the authentication protocol ({what}).");

        private static string? Trim(string? text)
        {
            if (text == null) return null;
            text = text.Trim();
            return text.Length == 0 ? null : text.Length > 2000 ? text.Substring(0, 2000) : text;
        }
    }
}
