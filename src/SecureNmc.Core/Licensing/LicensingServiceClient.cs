using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Licensing.Contract;
using SecureNmc.Core.Json;

namespace SecureNmc.Core.Licensing
{
    /// <summary>The answer for one card of a check call: its current licence (verified), none, or an error.</summary>
    public sealed class CardCheckResult
    {
        public CardCheckResult(CardIdentity card, LicenceRecord? licence, LicensingException? error)
        {
            Card = card;
            Licence = licence;
            Error = error;
        }

        public CardIdentity Card { get; }
        public LicenceRecord? Licence { get; }
        public LicensingException? Error { get; }
    }

    /// <summary>The service's answer to one activation: the effect and the new (verified) licence.</summary>
    public sealed class CardActivationResult
    {
        public CardActivationResult(ActivationEffect effect, string message, LicenceRecord licence)
        {
            Effect = effect;
            Message = message;
            Licence = licence;
        }

        public ActivationEffect Effect { get; }
        public string Message { get; }
        public LicenceRecord Licence { get; }
    }

    /// <summary>
    /// HTTP + JSON client of the licensing contract. Every licence it returns has been verified with the
    /// trusted service key and checked to belong to the card that was asked about.
    /// </summary>
    public sealed class LicensingServiceClient : IDisposable
    {
        private const long MaxResponseBytes = 64L * 1024 * 1024;
        private readonly LicensingServiceOptions _options;
        private readonly HttpClient _http;
        private readonly ILogger _log;

        public LicensingServiceClient(LicensingServiceOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            options.Validate();
            _log = options.Logger;
            var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
            try { handler.MaxConnectionsPerServer = Math.Max(2, options.MaxConcurrentRequests); }
            catch (PlatformNotSupportedException) { } // Windows PowerShell 5.1 may not expose it; ServicePoint defaults apply
            _http = new HttpClient(handler)
            {
                BaseAddress = options.BaseAddress,
                Timeout = options.RequestTimeout,
                MaxResponseContentBufferSize = MaxResponseBytes,
            };
        }

        public LicensingServiceOptions Options => _options;
        public Uri Endpoint => _options.BaseAddress;
        public TrustedServiceKey TrustedKey => _options.TrustedKey!;

        /// <summary>Signs in with a user name and password; returns the token and account. The password is sent once and not kept.</summary>
        public async Task<(AccessToken Token, AccountInfo Account)> SignInAsync(NetworkCredential credential, bool staySignedIn, CancellationToken cancellation)
        {
            if (credential == null || string.IsNullOrEmpty(credential.UserName))
                throw new LicensingException(LicensingErrorCode.InvalidRequest, "A user name is required to sign in to the licensing service.");
            var body = new JsonObject().Set("userName", credential.UserName).Set("password", credential.Password ?? "");
            var reply = await SendAsync(HttpMethod.Post, LicensingContract.SessionPath, null, body, cancellation).ConfigureAwait(false);
            var token = new AccessToken(reply.GetString("token"));
            var info = new AccountInfo(reply.GetString("account"), LicensingDates.ParseInstant(reply.GetString("expiresAt"), "expiresAt"), Endpoint, staySignedIn);
            _log.LogInformation("Signed in to the licensing service {Endpoint} as {Account}.", Endpoint, info.Account);
            return (token, info);
        }

        /// <summary>Asks the service whether a (pre-issued or stored) token is valid and whose it is.</summary>
        public async Task<AccountInfo> ValidateTokenAsync(AccessToken token, bool staySignedIn, CancellationToken cancellation)
        {
            var reply = await SendAsync(HttpMethod.Get, LicensingContract.SessionPath, token, null, cancellation).ConfigureAwait(false);
            return new AccountInfo(reply.GetString("account"), LicensingDates.ParseInstant(reply.GetString("expiresAt"), "expiresAt"), Endpoint, staySignedIn);
        }

        /// <summary>Revokes the token at the service.</summary>
        public Task SignOutAsync(AccessToken token, CancellationToken cancellation) =>
            SendAsync(HttpMethod.Delete, LicensingContract.SessionPath, token, null, cancellation);

        /// <summary>One check call for up to 500 cards ("Check License").</summary>
        public async Task<IReadOnlyList<CardCheckResult>> CheckAsync(AccessToken token, IReadOnlyList<CardIdentity> cards, CancellationToken cancellation)
        {
            if (cards.Count == 0) return Array.Empty<CardCheckResult>();
            if (cards.Count > LicensingContract.MaxCardsPerCall)
                throw new ArgumentException($"At most {LicensingContract.MaxCardsPerCall} cards per check call.");
            var body = new JsonObject().Set("cards", new JsonArray(cards.Select(c => (JsonValue)ContractJson.Card(c))));
            var reply = await SendAsync(HttpMethod.Post, LicensingContract.CheckPath, token, body, cancellation).ConfigureAwait(false);
            var results = reply.GetArray("results").Items;
            if (results.Count != cards.Count)
                throw Protocol($"the check answer has {results.Count} results for {cards.Count} cards");
            var list = new List<CardCheckResult>(cards.Count);
            for (int i = 0; i < cards.Count; i++)
            {
                var card = cards[i];
                var item = results[i] as JsonObject ?? throw Protocol("a check result is not an object");
                if (!string.Equals(item.GetString("serial"), card.Serial, StringComparison.OrdinalIgnoreCase))
                    throw Protocol($"check result {i + 1} is for card {item.GetString("serial")}, not {card.Serial}");
                var error = item.GetOptionalObject("error");
                if (error != null) { list.Add(new CardCheckResult(card, null, ContractJson.ReadError(error, card.Serial))); continue; }
                var licenceJson = item.GetOptionalObject("licence");
                list.Add(licenceJson == null
                    ? new CardCheckResult(card, null, null)
                    : new CardCheckResult(card, ReadVerifiedLicence(licenceJson, card), null));
            }
            return list;
        }

        /// <summary>Activates <paramref name="activationId"/> on the card, or (null) retrieves its included subscription.</summary>
        public async Task<CardActivationResult> ActivateAsync(AccessToken token, CardIdentity card, string? activationId, CancellationToken cancellation)
        {
            var body = new JsonObject().Set("card", ContractJson.Card(card)).Set("activationId", activationId);
            var reply = await SendAsync(HttpMethod.Post, LicensingContract.ActivatePath, token, body, cancellation, card.Serial).ConfigureAwait(false);
            var effect = ContractJson.ParseEnum<ActivationEffect>(reply.GetString("effect"), "effect");
            return new CardActivationResult(effect, reply.GetString("message"), ReadVerifiedLicence(reply.GetObject("licence"), card));
        }

        /// <summary>Sends an offline activation request document and returns the service's response document.</summary>
        internal Task<JsonObject> SubmitOfflineAsync(AccessToken token, JsonObject request, CancellationToken cancellation) =>
            SendAsync(HttpMethod.Post, LicensingContract.OfflineSubmitPath, token, request, cancellation);

        private LicenceRecord ReadVerifiedLicence(JsonObject json, CardIdentity card)
        {
            LicenceRecord record;
            try { record = ContractJson.ReadRecord(json); }
            catch (Exception e) when (e is FormatException || e is OverflowException)
            {
                throw new LicensingException(LicensingErrorCode.ProtocolError, $"The licensing service sent an unreadable licence for card {card.Serial}: {e.Message}", card.Serial, e);
            }
            LicenceVerifier.Verify(record, TrustedKey);
            if (!string.Equals(record.CardSerial, card.Serial, StringComparison.Ordinal))
                throw new LicensingException(LicensingErrorCode.ProtocolError,
                    $"The licensing service answered for card {card.Serial} with a licence for card {record.CardSerial}; it was not stored.", card.Serial);
            return record;
        }

        private async Task<JsonObject> SendAsync(HttpMethod method, string path, AccessToken? token, JsonObject? body, CancellationToken cancellation, string? serial = null)
        {
            string? payload = body == null ? null : JsonWriter.Write(body);
            for (int attempt = 1; ; attempt++)
            {
                using (var request = new HttpRequestMessage(method, path))
                {
                    if (token != null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(LicensingContract.JsonMediaType));
                    if (payload != null) request.Content = new StringContent(payload, Encoding.UTF8, LicensingContract.JsonMediaType);
                    HttpResponseMessage response;
                    string text;
                    try
                    {
                        response = await _http.SendAsync(request, cancellation).ConfigureAwait(false);
                        text = response.Content == null ? "" : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    }
                    catch (Exception e) when ((e is HttpRequestException || e is TaskCanceledException) && !cancellation.IsCancellationRequested)
                    {
                        string why = e is TaskCanceledException ? $"no answer within {_options.RequestTimeout.TotalSeconds:0} s" : Unwrap(e);
                        if (attempt < _options.MaxAttempts) { await PauseAsync(attempt, why, cancellation).ConfigureAwait(false); continue; }
                        throw new LicensingException(LicensingErrorCode.ServiceUnavailable,
                            $"The licensing service at {Endpoint} could not be reached after {attempt} attempt(s): {why}. Check the endpoint and the network, then try again.", serial, e);
                    }
                    using (response)
                    {
                        int status = (int)response.StatusCode;
                        if ((status == 502 || status == 503 || status == 504) && attempt < _options.MaxAttempts)
                        {
                            await PauseAsync(attempt, $"HTTP {status}", cancellation).ConfigureAwait(false);
                            continue;
                        }
                        return Interpret(response.StatusCode, text, serial);
                    }
                }
            }
        }

        private JsonObject Interpret(HttpStatusCode statusCode, string text, string? serial)
        {
            int status = (int)statusCode;
            JsonObject? json = null;
            if (text.Length > 0)
            {
                try { json = JsonReader.ParseObject(text); }
                catch (JsonFormatException) when (status >= 400) { }
                catch (JsonFormatException e) { throw Protocol($"the answer is not the contract's JSON ({e.Message})"); }
            }
            if (status >= 200 && status < 300) return json ?? new JsonObject();
            var error = json?.GetOptionalObject("error");
            if (error != null)
            {
                var ex = ContractJson.ReadError(error, serial);
                if (status == 401 && ex.Code == LicensingErrorCode.Unknown)
                    return Throw(new LicensingException(LicensingErrorCode.NotSignedIn, ex.Message, serial));
                return Throw(ex);
            }
            if (status == 401)
                return Throw(new LicensingException(LicensingErrorCode.NotSignedIn, "The licensing service did not accept the sign-in: sign in again with Connect-NmcAccount.", serial));
            if (status >= 500)
                return Throw(new LicensingException(LicensingErrorCode.ServiceUnavailable, $"The licensing service at {Endpoint} failed (HTTP {status}). Try again later.", serial));
            return Throw(Protocol($"the service answered HTTP {status} without an error description"));
        }

        private static JsonObject Throw(LicensingException e) => throw e;

        private async Task PauseAsync(int attempt, string why, CancellationToken cancellation)
        {
            var delay = TimeSpan.FromTicks(_options.RetryDelay.Ticks * (1L << Math.Min(attempt - 1, 6)));
            _log.LogWarning("Licensing service call failed ({Reason}); attempt {Next} of {Max} in {Delay} ms.", why, attempt + 1, _options.MaxAttempts, (int)delay.TotalMilliseconds);
            await Task.Delay(delay, cancellation).ConfigureAwait(false);
        }

        private LicensingException Protocol(string what) =>
            new LicensingException(LicensingErrorCode.ProtocolError, $"The licensing service at {Endpoint} broke the contract: {what}.");

        private static string Unwrap(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e.Message;
        }

        public void Dispose() => _http.Dispose();
    }
}
