using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Licensing.Contract;
using SecureNmc.Core.Json;

namespace SecureNmc.Simulator.Licensing
{
    /// <summary>
    /// The simulated licensing service: the contract of docs/licensing-contract.md over HTTP on
    /// 127.0.0.1 (a free port), backed by a seeded <see cref="EntitlementDatabase"/>, signing with a
    /// <see cref="LicenceSigner"/> and judging dates by an injectable clock.
    /// </summary>
    public sealed class LicensingServiceHost : IDisposable
    {
        private const int MaxBodyBytes = 32 * 1024 * 1024;
        private const int AccessDenied = 5;
        private readonly HttpListener _listener;
        private readonly LicensingServiceLogic _logic;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Task _loop;
        private int _inFlight;
        private int _maxInFlight;
        private int _checkCalls;
        private int _failNextCount;
        private int _failNextStatus;

        public LicensingServiceHost(EntitlementDatabase database, LicenceSigner signer, ILicensingClock clock)
        {
            Database = database ?? throw new ArgumentNullException(nameof(database));
            Signer = signer ?? throw new ArgumentNullException(nameof(signer));
            Clock = clock ?? throw new ArgumentNullException(nameof(clock));
            _logic = new LicensingServiceLogic(database, signer, clock);
            _listener = StartOnFreePort(out var endpoint);
            Endpoint = endpoint;
            _loop = Task.Run(AcceptLoopAsync);
        }

        public EntitlementDatabase Database { get; }
        public LicenceSigner Signer { get; }
        public ILicensingClock Clock { get; }

        /// <summary>The base address clients configure, e.g. http://127.0.0.1:41234/.</summary>
        public Uri Endpoint { get; }

        public TrustedServiceKey PublicKey => Signer.PublicKey;

        /// <summary>Check calls answered so far.</summary>
        public int CheckCalls => Volatile.Read(ref _checkCalls);

        /// <summary>Most requests handled at the same moment (shows client concurrency).</summary>
        public int MaxConcurrentRequests => Volatile.Read(ref _maxInFlight);

        /// <summary>Answers the next <paramref name="count"/> requests with HTTP <paramref name="status"/> (transient-failure tests).</summary>
        public void FailNextRequests(int count, int status = 503)
        {
            Volatile.Write(ref _failNextStatus, status);
            Volatile.Write(ref _failNextCount, count);
        }

        /// <summary>Slows every request down (so concurrency is observable); zero by default.</summary>
        public TimeSpan ResponseDelay { get; set; } = TimeSpan.Zero;

        private static HttpListener StartOnFreePort(out Uri endpoint)
        {
            for (int attempt = 0; ; attempt++)
            {
                var probe = new TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                int port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
                foreach (var host in new[] { "127.0.0.1", "localhost" })
                {
                    var listener = new HttpListener();
                    string prefix = $"http://{host}:{port}/";
                    listener.Prefixes.Add(prefix);
                    try
                    {
                        listener.Start();
                        endpoint = new Uri(prefix);
                        return listener;
                    }
                    catch (HttpListenerException e) when (attempt < 20 || (host == "127.0.0.1" && e.ErrorCode == AccessDenied))
                    {
                        // Port taken between probe and start: try another. Access denied (Windows http.sys
                        // without a URL reservation for 127.0.0.1): a "localhost" prefix needs none.
                        listener.Close();
                        if (e.ErrorCode != AccessDenied) break;
                    }
                }
            }
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync().ConfigureAwait(false); }
                catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening) { return; }
                catch (HttpListenerException) { continue; }
                _ = Task.Run(() => HandleAsync(context));
            }
        }

        private async Task HandleAsync(HttpListenerContext context)
        {
            int now = Interlocked.Increment(ref _inFlight);
            int seen;
            while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen) { }
            try
            {
                if (ResponseDelay > TimeSpan.Zero) await Task.Delay(ResponseDelay).ConfigureAwait(false);
                if (Volatile.Read(ref _failNextCount) > 0 && Interlocked.Decrement(ref _failNextCount) >= 0)
                {
                    await WriteAsync(context.Response, Volatile.Read(ref _failNextStatus), new JsonObject().Set("error", ContractJson.Error(LicensingErrorCode.ServiceUnavailable, "The licensing service is temporarily unavailable."))).ConfigureAwait(false);
                    return;
                }
                var (status, body) = Route(context.Request);
                await WriteAsync(context.Response, status, body).ConfigureAwait(false);
            }
            catch (Exception)
            {
                try { context.Response.Abort(); } catch (Exception) { }
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        private (int Status, JsonObject? Body) Route(HttpListenerRequest request)
        {
            string path = request.Url!.AbsolutePath.Trim('/');
            string method = request.HttpMethod.ToUpperInvariant();
            try
            {
                if (path == LicensingContract.SessionPath)
                {
                    if (method == "POST") return (200, SignIn(ReadBody(request)));
                    if (method == "GET") return (200, Session(RequireAccount(request)));
                    if (method == "DELETE") { SignOut(request); return (204, null); }
                }
                else if (path == LicensingContract.CheckPath && method == "POST") { RequireAccount(request); return (200, Check(ReadBody(request))); }
                else if (path == LicensingContract.ActivatePath && method == "POST") { RequireAccount(request); return (200, Activate(ReadBody(request))); }
                else if (path == LicensingContract.OfflineSubmitPath && method == "POST") { RequireAccount(request); return (200, SubmitOffline(ReadBody(request))); }
                return (404, ErrorBody(LicensingErrorCode.InvalidRequest, $"{method} /{path} is not part of the licensing contract."));
            }
            catch (ServiceRefusal r) { return (StatusFor(r.Code), ErrorBody(r.Code, r.Message)); }
            catch (FormatException e) { return (400, ErrorBody(LicensingErrorCode.InvalidRequest, e.Message)); }
        }

        private JsonObject SignIn(JsonObject body)
        {
            var now = Clock.UtcNow;
            if (!Database.TrySignIn(body.GetString("userName"), body.GetString("password"), now, out var token, out var account, out var expiresAt))
                throw new ServiceRefusal(LicensingErrorCode.InvalidCredentials, "The user name or password is not correct.");
            return new JsonObject().Set("token", token).Set("account", account).Set("expiresAt", LicensingDates.FormatInstant(expiresAt));
        }

        private JsonObject Session((string Account, DateTimeOffset ExpiresAt) session) =>
            new JsonObject().Set("account", session.Account).Set("expiresAt", LicensingDates.FormatInstant(session.ExpiresAt));

        private void SignOut(HttpListenerRequest request)
        {
            var token = BearerToken(request);
            if (token != null) Database.RevokeToken(token);
        }

        private JsonObject Check(JsonObject body)
        {
            Interlocked.Increment(ref _checkCalls);
            var cards = body.GetArray("cards").Items;
            if (cards.Count > LicensingContract.MaxCardsPerCall)
                throw new FormatException($"At most {LicensingContract.MaxCardsPerCall} cards per check call; this one has {cards.Count}.");
            var results = new JsonArray();
            foreach (var item in cards)
            {
                var o = item as JsonObject ?? throw new FormatException("Each card must be an object.");
                var result = new JsonObject().Set("serial", o.GetOptionalString("serial") ?? "");
                try
                {
                    var card = ContractJson.ReadCard(o);
                    var licence = _logic.Check(card);
                    result.Set("licence", licence == null ? null : ContractJson.Record(licence)).Set("error", (JsonValue?)null);
                }
                catch (ServiceRefusal r) { result.Set("licence", (JsonValue?)null).Set("error", ContractJson.Error(r.Code, r.Message)); }
                catch (FormatException e) { result.Set("licence", (JsonValue?)null).Set("error", ContractJson.Error(LicensingErrorCode.InvalidRequest, e.Message)); }
                results.Add(result);
            }
            return new JsonObject().Set("results", results);
        }

        private JsonObject Activate(JsonObject body)
        {
            var card = ContractJson.ReadCard(body.GetObject("card"));
            var (effect, message, licence) = _logic.Activate(card, NormalizeId(body.GetOptionalString("activationId")));
            return new JsonObject().Set("effect", effect.ToString()).Set("message", message).Set("licence", ContractJson.Record(licence));
        }

        private JsonObject SubmitOffline(JsonObject request)
        {
            if (request.GetOptionalString("format") != LicensingContract.RequestFormat)
                throw new FormatException($"The document is not a {LicensingContract.RequestFormat} activation request.");
            string requestId = request.GetString("requestId");
            var entries = request.GetArray("entries").Items;
            if (entries.Count == 0 || entries.Count > LicensingContract.MaxEntriesPerOfflineRequest)
                throw new FormatException($"An activation request has 1 to {LicensingContract.MaxEntriesPerOfflineRequest} entries; this one has {entries.Count}.");
            var results = new JsonArray();
            foreach (var item in entries)
            {
                var result = new JsonObject();
                try
                {
                    var entry = item as JsonObject ?? throw new FormatException("Each entry must be an object.");
                    var cardJson = entry.GetObject("card");
                    result.Set("serial", cardJson.GetOptionalString("serial") ?? "");
                    string? id = NormalizeId(entry.GetOptionalString("activationId"));
                    result.Set("activationId", id);
                    var card = ContractJson.ReadCard(cardJson);
                    result.Set("serial", card.Serial);
                    var (effect, message, licence) = _logic.Activate(card, id);
                    result.Set("effect", effect.ToString()).Set("message", message).Set("licence", ContractJson.Record(licence)).Set("error", (JsonValue?)null);
                }
                catch (ServiceRefusal r) { result.Set("licence", (JsonValue?)null).Set("error", ContractJson.Error(r.Code, r.Message)); }
                catch (FormatException e) { result.Set("licence", (JsonValue?)null).Set("error", ContractJson.Error(LicensingErrorCode.InvalidRequest, e.Message)); }
                if (!result.Contains("serial")) result.Set("serial", "");
                results.Add(result);
            }
            return new JsonObject()
                .Set("format", LicensingContract.ResponseFormat)
                .Set("requestId", requestId)
                .Set("issuedAt", LicensingDates.FormatInstant(Clock.UtcNow))
                .Set("keyId", Signer.PublicKey.KeyId)
                .Set("results", results);
        }

        private static string? NormalizeId(string? id)
        {
            if (string.IsNullOrWhiteSpace(id)) return null;
            var trimmed = id!.Trim().ToUpperInvariant();
            if (trimmed.Length > 64 || trimmed.Any(c => !(char.IsLetterOrDigit(c) && c < 128) && c != '-'))
                throw new FormatException("An Activation ID has letters, digits and '-' only (at most 64).");
            return trimmed;
        }

        private (string Account, DateTimeOffset ExpiresAt) RequireAccount(HttpListenerRequest request)
        {
            var token = BearerToken(request);
            if (token == null || !Database.TryResolveToken(token, Clock.UtcNow, out var account, out var expiresAt))
                throw new ServiceRefusal(LicensingErrorCode.NotSignedIn, "The sign-in is missing, expired or revoked. Sign in again (Connect-NmcAccount).");
            return (account, expiresAt);
        }

        private static string? BearerToken(HttpListenerRequest request)
        {
            var header = request.Headers["Authorization"];
            if (header == null || !header.StartsWith("Bearer ", StringComparison.Ordinal)) return null;
            var token = header.Substring(7).Trim();
            return token.Length == 0 ? null : token;
        }

        private static JsonObject ReadBody(HttpListenerRequest request)
        {
            if (request.ContentLength64 > MaxBodyBytes) throw new FormatException($"The request body is larger than {MaxBodyBytes} bytes.");
            using (var buffer = new MemoryStream())
            {
                var chunk = new byte[81920];
                int read;
                while ((read = request.InputStream.Read(chunk, 0, chunk.Length)) > 0)
                {
                    buffer.Write(chunk, 0, read);
                    if (buffer.Length > MaxBodyBytes) throw new FormatException($"The request body is larger than {MaxBodyBytes} bytes.");
                }
                string text = Encoding.UTF8.GetString(buffer.ToArray());
                if (text.Length == 0) throw new FormatException("The request has no JSON body.");
                try { return JsonReader.ParseObject(text); }
                catch (JsonFormatException e) { throw new FormatException(e.Message); }
            }
        }

        private static int StatusFor(LicensingErrorCode code)
        {
            switch (code)
            {
                case LicensingErrorCode.InvalidRequest: return 400;
                case LicensingErrorCode.NotSignedIn:
                case LicensingErrorCode.InvalidCredentials: return 401;
                case LicensingErrorCode.UnknownActivationId:
                case LicensingErrorCode.NoIncludedSubscription: return 404;
                case LicensingErrorCode.FamilyMismatch:
                case LicensingErrorCode.ActivationIdAlreadyUsed:
                case LicensingErrorCode.SubscriptionExpired:
                case LicensingErrorCode.CardIdentityMismatch: return 409;
                default: return 500;
            }
        }

        private static JsonObject ErrorBody(LicensingErrorCode code, string message) => new JsonObject().Set("error", ContractJson.Error(code, message));

        private static async Task WriteAsync(HttpListenerResponse response, int status, JsonObject? body)
        {
            response.StatusCode = status;
            if (body != null)
            {
                var bytes = new UTF8Encoding(false).GetBytes(JsonWriter.Write(body));
                response.ContentType = LicensingContract.JsonMediaType + "; charset=utf-8";
                response.ContentLength64 = bytes.Length;
                await response.OutputStream.WriteAsync(bytes, 0, bytes.Length).ConfigureAwait(false);
            }
            response.Close();
        }

        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            _stop.Cancel();
            // Shutdown is best effort: the managed HttpListener on Linux can throw from Stop/Close
            // (e.g. "Address already in use" while another listener on the machine is starting),
            // and a service that is going away must not fail the test or host that stops it.
            try { _listener.Stop(); } catch (Exception e) when (e is ObjectDisposedException || e is HttpListenerException || e is System.Net.Sockets.SocketException) { }
            try { _listener.Close(); } catch (Exception e) when (e is ObjectDisposedException || e is HttpListenerException || e is System.Net.Sockets.SocketException) { }
            try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
            _stop.Dispose();
        }
    }
}
