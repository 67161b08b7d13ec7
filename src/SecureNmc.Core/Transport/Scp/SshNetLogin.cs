using System;
using System.Linq;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;
using SecureNmc.Core.Ssh.Auth;

namespace SecureNmc.Core.Transport.Scp
{
    /// <summary>
    /// The login a card gets over SSH.NET: password first, keyboard-interactive when the card offers
    /// only that, each password sent at most once. Never answers a password-change request or a
    /// second-factor prompt: those end the login with the typed failure and the seed's guidance.
    /// Banners are collected so "Max logins exceeded." and similar texts can be recognised.
    /// </summary>
    internal sealed class SshNetLogin : IDisposable
    {
        private readonly string _host;
        private readonly string _user;
        private readonly string _password;
        private readonly StringBuilder _banner = new StringBuilder();
        private int _firstBannerLength = -1;
        private int _bannerCount;
        private readonly object _lock = new object();
        private readonly PasswordAuthenticationMethod _passwordMethod;
        private readonly KeyboardInteractiveAuthenticationMethod _keyboardMethod;
        private bool _keyboardPasswordAnswered;

        public SshNetLogin(string host, string user, string password)
        {
            _host = host;
            _user = user;
            _password = password;
            _passwordMethod = new PasswordAuthenticationMethod(user, password);
            _passwordMethod.PasswordExpired += (_, __) => throw Remember(PasswordChange(null));
            _keyboardMethod = new KeyboardInteractiveAuthenticationMethod(user);
            _keyboardMethod.AuthenticationPrompt += OnPrompt;
        }

        public AuthenticationMethod[] Methods => new AuthenticationMethod[] { _passwordMethod, _keyboardMethod };

        /// <summary>The first typed failure decided during the login (the library may wrap or replace what a handler throws).</summary>
        public FileTransferException? Decided { get; private set; }

        /// <summary>True once the card has answered a password attempt (it then lists the methods left).</summary>
        public bool PasswordWasTried => _passwordMethod.AllowedAuthentications != null || _keyboardPasswordAnswered;

        public string? Banner
        {
            get
            {
                lock (_lock) return _banner.Length == 0 ? null : _banner.ToString();
            }
        }

        public void OnBanner(object? sender, AuthenticationBannerEventArgs e)
        {
            lock (_lock)
            {
                var text = e.BannerMessage ?? "";
                _bannerCount++;
                if (_firstBannerLength < 0) _firstBannerLength = text.Length;
                _banner.Append(text);
                if (text.Length > 0 && !text.EndsWith("\n", StringComparison.Ordinal)) _banner.Append('\n');
            }
        }

        /// <summary>
        /// Banner text that answers a login attempt. A card sends its login banner once, at the start;
        /// texts after it ("Max logins exceeded.", an MFA notice) are what the card says about the attempt,
        /// so a login banner that happens to mention passwords is not read as a password-change demand.
        /// A single banner counts: a card without a login banner says the refusal as its first.
        /// </summary>
        private string? RecentBanner()
        {
            lock (_lock)
            {
                if (_bannerCount == 0) return null;
                if (_bannerCount == 1) return _banner.ToString();
                int skip = Math.Min(_banner.Length, _firstBannerLength);
                return _banner.ToString(skip, _banner.Length - skip);
            }
        }

        /// <summary>The failure the card's own words mean (session limit, password change, MFA), or null.</summary>
        private FileTransferException? FromBanner()
        {
            var recent = RecentBanner();
            if (SshAuthText.MeansSessionLimit(recent)) return SessionLimit(recent);
            if (SshAuthText.MeansPasswordChange(recent)) return PasswordChange(recent);
            if (SshAuthText.MeansMultiFactor(recent)) return MultiFactor(recent);
            return null;
        }

        private void OnPrompt(object? sender, AuthenticationPromptEventArgs e)
        {
            var prompts = e.Prompts.ToList();
            var allText = string.Join("\n", new[] { e.Instruction ?? "" }.Concat(prompts.Select(p => p.Request ?? "")));
            if (SshAuthText.MeansPasswordChange(allText)) throw Remember(PasswordChange(allText));
            if (SshAuthText.MeansMultiFactor(allText)) throw Remember(MultiFactor(allText));
            if (SshAuthText.MeansSessionLimit(allText)) throw Remember(SessionLimit(allText));
            if (prompts.Count == 1 && SshAuthText.IsPasswordPrompt(prompts[0].Request))
            {
                // The password goes out once per connection: a second prompt means it was refused, and
                // answering again would only count another failed attempt against the card's lockout.
                if (_keyboardPasswordAnswered || _passwordMethod.AllowedAuthentications != null)
                    throw Remember(FromBanner() ?? Fail(TransferFailureKind.BadCredentials, $"the user name or password was not accepted for user '{_user}'. Check the credential stored for this device.", allText));
                _keyboardPasswordAnswered = true;
                prompts[0].Response = _password;
            }
            else if (prompts.Count > 0)
            {
                throw Remember(MultiFactor(allText));
            }
        }

        /// <summary>What an authentication failure means, from the library's text and what the card said.</summary>
        public FileTransferException Classify(SshAuthenticationException error)
        {
            if (Decided != null) return Decided;
            var fromBanner = FromBanner();
            if (fromBanner != null) return fromBanner;
            var banner = RecentBanner();
            var message = error.Message ?? "";
            if (message.StartsWith("No suitable authentication method", StringComparison.Ordinal) ||
                message.StartsWith("No authentication methods", StringComparison.Ordinal))
            {
                // After an accepted password the card lists what else it wants: a second factor.
                if (PasswordWasTried) return MultiFactor(banner);
                return Fail(TransferFailureKind.BadCredentials,
                    $"the card accepts none of our login methods ({Printable(message)}; we use password and keyboard-interactive).", banner, error);
            }
            if (message.StartsWith("Reached authentication attempt limit", StringComparison.Ordinal)) return MultiFactor(banner);
            return Fail(TransferFailureKind.BadCredentials, $"the user name or password was not accepted for user '{_user}'. Check the credential stored for this device.", banner, error);
        }

        /// <summary>The card's own text in SSH.NET's "The connection was closed by the server: TEXT (Reason)." message.</summary>
        public static string PeerText(SshConnectionException closed)
        {
            var match = System.Text.RegularExpressions.Regex.Match(closed.Message ?? "", @"^The connection was closed by the server: (.*) \(\w+\)\.?$", System.Text.RegularExpressions.RegexOptions.Singleline);
            return match.Success ? match.Groups[1].Value : closed.Message ?? "";
        }

        /// <summary>What the card's disconnect during login means, or null when it is not about the login.</summary>
        public FileTransferException? ClassifyDisconnect(SshConnectionException closed)
        {
            if (Decided != null) return Decided;
            var said = PeerText(closed);
            var text = said + "\n" + RecentBanner();
            if (closed.DisconnectReason == Renci.SshNet.Messages.Transport.DisconnectReason.TooManyConnections || SshAuthText.MeansSessionLimit(text))
                return SessionLimit(SshAuthText.MeansSessionLimit(said) ? said : RecentBanner() ?? said);
            if (SshAuthText.MeansMultiFactor(text)) return MultiFactor(said);
            if (closed.DisconnectReason == Renci.SshNet.Messages.Transport.DisconnectReason.NoMoreAuthenticationMethodsAvailable ||
                closed.DisconnectReason == Renci.SshNet.Messages.Transport.DisconnectReason.IllegalUserName)
                return Fail(TransferFailureKind.BadCredentials, "the card ended the login after too many failed attempts. Check the user name and password.", said, closed);
            return null;
        }

        private FileTransferException Remember(FileTransferException failure)
        {
            lock (_lock) Decided ??= failure;
            return failure;
        }

        private FileTransferException SessionLimit(string? serverText) =>
            Fail(TransferFailureKind.SessionLimitReached,
                "the card refused the login because it already has the maximum number of sessions (\"Max logins exceeded.\"). Close other sessions to it (web, CLI, other tools) and try again.",
                serverText);

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

        internal static string Printable(string text) => new string(text.Select(c => c < 32 && c != '\n' ? '?' : c).ToArray());

        private static string? Trim(string? text)
        {
            if (text == null) return null;
            text = text.Trim();
            return text.Length == 0 ? null : text.Length > 2000 ? text.Substring(0, 2000) : text;
        }

        public void Dispose()
        {
            _passwordMethod.Dispose();
            _keyboardMethod.Dispose();
        }
    }
}
