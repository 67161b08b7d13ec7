using System;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Json;
using SecureNmc.Core.Security;

namespace SecureNmc.Core.Licensing
{
    /// <summary>
    /// The signed-in Schneider Electric account (Connect-NmcAccount / Disconnect-NmcAccount). The token
    /// lives in memory; with "stay signed in" it is also kept in the data folder, encrypted by the
    /// secret protector, and bound to the endpoint it was issued by so it is never sent anywhere else.
    /// </summary>
    public sealed class LicensingAccount
    {
        private const long MaxTokenFileBytes = 64 * 1024;
        private readonly LicensingServiceClient _client;
        private readonly LicensingDataFolder _folder;
        private readonly ICredentialProtector _protector;
        private readonly ILogger _log;
        private readonly object _gate = new object();
        private AccessToken? _token;
        private AccountInfo? _account;

        public LicensingAccount(LicensingServiceClient client, LicensingDataFolder folder, ICredentialProtector protector)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _folder = folder ?? throw new ArgumentNullException(nameof(folder));
            _protector = protector ?? throw new ArgumentNullException(nameof(protector));
            _log = client.Options.Logger;
        }

        /// <summary>The account signed in now (this session or a resumed stored sign-in); null when signed out.</summary>
        public AccountInfo? Current { get { lock (_gate) return _account; } }

        /// <summary>Signs in with a user name and password. With <paramref name="staySignedIn"/> the token is stored encrypted.</summary>
        public async Task<AccountInfo> ConnectAsync(NetworkCredential credential, bool staySignedIn, CancellationToken cancellation)
        {
            var (token, account) = await _client.SignInAsync(credential, staySignedIn, cancellation).ConfigureAwait(false);
            Remember(token, account);
            return account;
        }

        /// <summary>Signs in with a pre-issued token (runbooks): the service confirms it before it is used or stored.</summary>
        public async Task<AccountInfo> ConnectAsync(AccessToken token, bool staySignedIn, CancellationToken cancellation)
        {
            if (token == null) throw new ArgumentNullException(nameof(token));
            var account = await _client.ValidateTokenAsync(token, staySignedIn, cancellation).ConfigureAwait(false);
            _log.LogInformation("Signed in to the licensing service {Endpoint} as {Account} with a supplied token.", _client.Endpoint, account.Account);
            Remember(token, account);
            return account;
        }

        private void Remember(AccessToken token, AccountInfo account)
        {
            lock (_gate)
            {
                _token = token;
                _account = account;
            }
            if (account.StaySignedIn) SaveToken(token, account);
            else DeleteStoredToken();
        }

        /// <summary>
        /// Signs out: revokes the token at the service (best effort: being offline must not keep a
        /// sign-in alive locally), forgets it, and deletes the stored token. Returns the account signed out, if any.
        /// </summary>
        public async Task<AccountInfo?> DisconnectAsync(CancellationToken cancellation)
        {
            TryResume();
            AccessToken? token;
            AccountInfo? account;
            lock (_gate)
            {
                token = _token;
                account = _account;
                _token = null;
                _account = null;
            }
            DeleteStoredToken();
            if (token != null)
            {
                try { await _client.SignOutAsync(token, cancellation).ConfigureAwait(false); }
                catch (LicensingException e)
                {
                    _log.LogWarning("The licensing service could not revoke the sign-in ({Code}); it was removed locally.", e.Code);
                }
            }
            return account;
        }

        /// <summary>Loads a stored stay-signed-in token for this endpoint, if any (no network). True when signed in afterwards.</summary>
        public bool TryResume()
        {
            lock (_gate) if (_token != null) return true;
            var stored = LoadStoredToken();
            if (stored == null) return false;
            lock (_gate)
            {
                if (_token == null)
                {
                    _token = stored.Value.Token;
                    _account = stored.Value.Account;
                }
                return true;
            }
        }

        /// <summary>The token for a service call; throws NotSignedIn with what to do when there is none or it has expired.</summary>
        internal AccessToken RequireToken(DateTimeOffset now)
        {
            TryResume();
            lock (_gate)
            {
                if (_token == null || _account == null)
                    throw new LicensingException(LicensingErrorCode.NotSignedIn,
                        "Not signed in to the licensing service. Run Connect-NmcAccount (with -Credential, or -Token for runbooks) first.");
                if (_account.ExpiresAt <= now)
                    throw new LicensingException(LicensingErrorCode.NotSignedIn,
                        $"The sign-in of {_account.Account} expired at {LicensingDates.FormatInstant(_account.ExpiresAt)}. Run Connect-NmcAccount again.");
                return _token;
            }
        }

        /// <summary>Called when the service rejects the token: forget it so the next call says "sign in".</summary>
        internal void Forget(AccessToken rejected)
        {
            lock (_gate)
            {
                if (!ReferenceEquals(_token, rejected)) return;
                _token = null;
                _account = null;
            }
            DeleteStoredToken();
        }

        private void SaveToken(AccessToken token, AccountInfo account)
        {
            var json = new JsonObject()
                .Set("format", "snmc-account-token/1")
                .Set("endpoint", account.Endpoint.AbsoluteUri)
                .Set("account", account.Account)
                .Set("expiresAt", LicensingDates.FormatInstant(account.ExpiresAt))
                .Set("token", token.Value);
            var plaintext = Encoding.UTF8.GetBytes(JsonWriter.Write(json));
            try
            {
                _folder.EnsureExists();
                AtomicFile.WriteAllBytes(_folder.TokenPath, _protector.Protect(plaintext, AssociatedData()));
            }
            finally
            {
                Array.Clear(plaintext, 0, plaintext.Length);
            }
        }

        private (AccessToken Token, AccountInfo Account)? LoadStoredToken()
        {
            if (!File.Exists(_folder.TokenPath)) return null;
            byte[]? plaintext = null;
            try
            {
                var info = new FileInfo(_folder.TokenPath);
                if (info.Length > MaxTokenFileBytes) throw new FormatException("too large");
                plaintext = _protector.Unprotect(File.ReadAllBytes(_folder.TokenPath), AssociatedData());
                var json = JsonReader.ParseObject(Encoding.UTF8.GetString(plaintext));
                if (json.GetString("format") != "snmc-account-token/1") throw new FormatException("unknown format");
                var endpoint = new Uri(json.GetString("endpoint"));
                if (endpoint != _client.Endpoint)
                {
                    _log.LogWarning("The stored sign-in is for {Stored}, not the configured endpoint {Endpoint}; it is not used.", endpoint, _client.Endpoint);
                    return null;
                }
                var account = new AccountInfo(json.GetString("account"), LicensingDates.ParseInstant(json.GetString("expiresAt"), "expiresAt"), endpoint, true);
                return (new AccessToken(json.GetString("token")), account);
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // Unreadable (another user's key, corrupted, edited): treat as signed out, never show its content.
                _log.LogWarning("The stored licensing sign-in could not be read ({Reason}); sign in again.", e.GetType().Name);
                return null;
            }
            finally
            {
                if (plaintext != null) Array.Clear(plaintext, 0, plaintext.Length);
            }
        }

        /// <summary>Binds the encrypted token to its purpose and endpoint: a blob copied elsewhere does not open.</summary>
        private byte[] AssociatedData() => Encoding.UTF8.GetBytes("SecureNmc licensing token|" + _client.Endpoint.AbsoluteUri);

        private void DeleteStoredToken()
        {
            if (File.Exists(_folder.TokenPath)) File.Delete(_folder.TokenPath);
        }
    }
}
