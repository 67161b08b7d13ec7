using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing.Contract;
using SecureNmc.Core.Json;

namespace SecureNmc.Core.Licensing
{
    /// <summary>
    /// The air-gapped round trip: machine A exports a request file (no sign-in needed), machine B (internet
    /// facing, signed in) submits it and writes the service's signed response, machine A verifies each
    /// licence in the response with the trusted key and stores it. Files carry no token or password.
    /// </summary>
    public sealed partial class SubscriptionManager
    {
        private const long MaxOfflineFileBytes = 32L * 1024 * 1024;
        private const string PendingFormat = "snmc-pending-request/1";

        /// <summary>Writes an activation request for the given cards (with or without Activation IDs) to <paramref name="path"/>.</summary>
        public OfflineRequestSummary ExportActivationRequest(IEnumerable<ActivationRequest> requests, string path)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("The request file path is empty.", nameof(path));
            var entries = new JsonArray();
            var pendingEntries = new JsonArray();
            var skipped = new List<ActivationOutcome>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var request in requests)
            {
                CardIdentity card;
                try { card = CardIdentity.FromDevice(request.Device); }
                catch (LicensingException e)
                {
                    skipped.Add(new ActivationOutcome { DeviceId = request.Device.Id, DeviceName = request.Device.DisplayName, CardSerial = request.Device.SerialNumber ?? "", ActivationId = request.ActivationId, ErrorCode = e.Code, Message = e.Message });
                    continue;
                }
                if (!seen.Add(card.Serial))
                {
                    skipped.Add(new ActivationOutcome { DeviceId = request.Device.Id, DeviceName = request.Device.DisplayName, CardSerial = card.Serial, ActivationId = request.ActivationId, ErrorCode = LicensingErrorCode.InvalidRequest,
                        Message = $"{request.Device.DisplayName}: card {card.Serial} is already in this request once; one entry per card." });
                    continue;
                }
                if (request.ActivationId != null && !LicenceRecord.IsToken(request.ActivationId, 64))
                {
                    skipped.Add(new ActivationOutcome { DeviceId = request.Device.Id, DeviceName = request.Device.DisplayName, CardSerial = card.Serial, ActivationId = request.ActivationId, ErrorCode = LicensingErrorCode.InvalidRequest,
                        Message = $"{request.Device.DisplayName}: '{request.ActivationId}' is not an Activation ID (letters, digits and '-')." });
                    continue;
                }
                entries.Add(new JsonObject().Set("card", ContractJson.Card(card)).Set("activationId", request.ActivationId));
                pendingEntries.Add(new JsonObject().Set("serial", card.Serial).Set("activationId", request.ActivationId)
                    .Set("deviceId", request.Device.Id.ToString("D")).Set("deviceName", request.Device.DisplayName));
            }
            if (entries.Items.Count == 0)
                throw new LicensingException(LicensingErrorCode.InvalidRequest,
                    "No card could be put in the activation request." + (skipped.Count > 0 ? " " + string.Join(" ", skipped.Select(s => s.Message)) : ""));
            if (entries.Items.Count > LicensingContract.MaxEntriesPerOfflineRequest)
                throw new LicensingException(LicensingErrorCode.InvalidRequest,
                    $"An activation request holds at most {LicensingContract.MaxEntriesPerOfflineRequest} cards; split the {entries.Items.Count} cards into several requests.");

            string requestId = Guid.NewGuid().ToString("N");
            var created = LicensingDates.FormatInstant(_options.Clock.UtcNow);
            var document = new JsonObject()
                .Set("format", LicensingContract.RequestFormat)
                .Set("requestId", requestId)
                .Set("createdAt", created)
                .Set("entries", entries);
            AtomicFile.WriteAllText(path, JsonWriter.Write(document, indented: true));
            var pending = new JsonObject().Set("format", PendingFormat).Set("requestId", requestId).Set("createdAt", created)
                .Set("requestFile", Path.GetFullPath(path)).Set("entries", pendingEntries);
            AtomicFile.WriteAllText(Folder.PendingRequestPath(requestId), JsonWriter.Write(pending, indented: true));
            return new OfflineRequestSummary { RequestId = requestId, Path = Path.GetFullPath(path), Entries = entries.Items.Count, Skipped = skipped };
        }

        /// <summary>
        /// On the internet-facing machine: sends the request file to the service and writes its signed
        /// response to <paramref name="responsePath"/> after checking every licence in it with the trusted key.
        /// </summary>
        public async Task<OfflineSubmitSummary> SubmitActivationRequestAsync(string requestPath, string responsePath, CancellationToken cancellation)
        {
            if (string.IsNullOrWhiteSpace(responsePath)) throw new ArgumentException("The response file path is empty.", nameof(responsePath));
            var request = ReadOfflineDocument(requestPath, LicensingContract.RequestFormat, "activation request file");
            string requestId = ReadRequestId(request, requestPath);
            var entries = request.GetArray("entries").Items;
            if (entries.Count == 0 || entries.Count > LicensingContract.MaxEntriesPerOfflineRequest)
                throw InvalidFile(requestPath, $"it has {entries.Count} entries (1 to {LicensingContract.MaxEntriesPerOfflineRequest} allowed)");
            var serials = new List<string>();
            foreach (var entry in entries)
            {
                try { serials.Add(ContractJson.ReadCard((entry as JsonObject ?? throw new FormatException("an entry is not an object")).GetObject("card")).Serial); }
                catch (FormatException e) { throw InvalidFile(requestPath, e.Message); }
            }

            var token = Account.RequireToken(_options.Clock.UtcNow);
            JsonObject response;
            try { response = await _client.SubmitOfflineAsync(token, request, cancellation).ConfigureAwait(false); }
            catch (LicensingException e) when (e.Code == LicensingErrorCode.NotSignedIn) { Account.Forget(token); throw; }

            var outcomes = ReadResponseResults(response, requestId, serials, "the licensing service's response");
            AtomicFile.WriteAllText(responsePath, JsonWriter.Write(response, indented: true));
            return new OfflineSubmitSummary
            {
                RequestId = requestId,
                ResponsePath = Path.GetFullPath(responsePath),
                Entries = entries.Count,
                Licensed = outcomes.Count(o => o.Succeeded),
                Failed = outcomes.Count(o => !o.Succeeded),
                Outcomes = outcomes.Select(o => o.Outcome).ToList(),
            };
        }

        /// <summary>
        /// On the air-gapped machine: verifies each licence in the response with the trusted key, stores the
        /// authentic ones and reports every card. A tampered licence is refused (SignatureInvalid) and not stored.
        /// </summary>
        public OfflineImportResult ImportActivationResponse(string responsePath)
        {
            var response = ReadOfflineDocument(responsePath, LicensingContract.ResponseFormat, "activation response file");
            string requestId = ReadRequestId(response, responsePath);
            var pendingPath = Folder.PendingRequestPath(requestId);
            var devices = new Dictionary<string, (Guid? Id, string Name)>(StringComparer.OrdinalIgnoreCase);
            List<string>? expectedSerials = null;
            bool matched = File.Exists(pendingPath);
            if (matched)
            {
                var pending = JsonReader.ParseObject(AtomicFile.ReadAllTextBounded(pendingPath, MaxOfflineFileBytes, "pending request"));
                expectedSerials = new List<string>();
                foreach (var item in pending.GetArray("entries").Items.OfType<JsonObject>())
                {
                    var serial = item.GetString("serial");
                    expectedSerials.Add(serial);
                    devices[serial] = (Guid.TryParse(item.GetOptionalString("deviceId"), out var id) ? id : (Guid?)null, item.GetOptionalString("deviceName") ?? serial);
                }
            }

            var results = ReadResponseResults(response, requestId, expectedSerials, $"the response file {responsePath}");
            var authentic = results.Where(r => r.Licence != null).Select(r => r.Licence!).ToList();
            if (authentic.Count > 0) Store.Save(authentic);
            var today = Today;
            foreach (var r in results)
            {
                if (devices.TryGetValue(r.Outcome.CardSerial, out var device))
                {
                    r.Outcome.DeviceId = device.Id;
                    r.Outcome.DeviceName = device.Name;
                }
                if (r.Licence != null)
                    r.Outcome.Subscription = SubscriptionStatus.From(null, null, r.Licence, today);
            }
            if (matched && results.All(r => r.Succeeded)) File.Delete(pendingPath);
            return new OfflineImportResult { RequestId = requestId, MatchedPendingRequest = matched, Outcomes = results.Select(r => r.Outcome).ToList() };
        }

        private sealed class ResponseItem
        {
            public ActivationOutcome Outcome { get; set; } = new ActivationOutcome();
            public LicenceRecord? Licence { get; set; }
            public bool Succeeded => Outcome.Succeeded;
        }

        /// <summary>Reads a response's results; licences that fail verification become failed outcomes (never stored).</summary>
        private List<ResponseItem> ReadResponseResults(JsonObject response, string requestId, List<string>? expectedSerials, string source)
        {
            if (ReadRequestId(response, source) != requestId)
                throw new LicensingException(LicensingErrorCode.InvalidFile, $"{Capital(source)} answers request {response.GetOptionalString("requestId")}, not {requestId}.");
            var items = new List<ResponseItem>();
            JsonArray results;
            try { results = response.GetArray("results"); }
            catch (FormatException e) { throw new LicensingException(LicensingErrorCode.InvalidFile, $"{Capital(source)} is not usable: {e.Message}", null, e); }
            if (expectedSerials != null && results.Items.Count != expectedSerials.Count)
                throw new LicensingException(LicensingErrorCode.InvalidFile, $"{Capital(source)} has {results.Items.Count} results for a request of {expectedSerials.Count} cards.");
            for (int i = 0; i < results.Items.Count; i++)
            {
                var item = new ResponseItem();
                items.Add(item);
                try
                {
                    var o = results.Items[i] as JsonObject ?? throw new FormatException("a result is not an object");
                    string serial = o.GetString("serial");
                    item.Outcome.CardSerial = serial;
                    item.Outcome.DeviceName = serial;
                    item.Outcome.ActivationId = o.GetOptionalString("activationId");
                    if (expectedSerials != null && !string.Equals(expectedSerials[i], serial, StringComparison.OrdinalIgnoreCase))
                        throw new FormatException($"result {i + 1} is for card {serial}, but the request's entry {i + 1} is card {expectedSerials[i]}");
                    var error = o.GetOptionalObject("error");
                    if (error != null)
                    {
                        var e = ContractJson.ReadError(error, serial);
                        item.Outcome.ErrorCode = e.Code;
                        item.Outcome.Message = $"{serial}: {e.Message}";
                        continue;
                    }
                    var record = ContractJson.ReadRecord(o.GetObject("licence"));
                    if (!LicenceVerifier.IsAuthentic(record, TrustedKeyOrThrow(), out var problem))
                    {
                        item.Outcome.ErrorCode = LicensingErrorCode.SignatureInvalid;
                        item.Outcome.Message = $"{serial}: the licence in {source} was rejected: {problem}. It was not stored; submit the request again and import the untouched response.";
                        continue;
                    }
                    if (!string.Equals(record.CardSerial, serial, StringComparison.Ordinal))
                        throw new FormatException($"the licence of result {i + 1} is for card {record.CardSerial}, not {serial}");
                    item.Licence = record;
                    item.Outcome.Succeeded = true;
                    item.Outcome.Effect = ContractJson.ParseEnum<ActivationEffect>(o.GetString("effect"), "effect");
                    item.Outcome.Message = o.GetOptionalString("message") ?? record.ToString();
                }
                catch (Exception e) when (e is FormatException || e is OverflowException)
                {
                    item.Outcome.ErrorCode = LicensingErrorCode.InvalidFile;
                    item.Outcome.Message = $"{item.Outcome.CardSerial}: {source} is not usable for this card: {e.Message}";
                }
            }
            return items;
        }

        private TrustedServiceKey TrustedKeyOrThrow() => _options.Service.TrustedKey!;

        private static JsonObject ReadOfflineDocument(string path, string format, string what)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"The {what} path is empty.");
            JsonObject document;
            try { document = JsonReader.ParseObject(AtomicFile.ReadAllTextBounded(path, MaxOfflineFileBytes, what)); }
            catch (FormatException e) { throw InvalidFile(path, e.Message); }
            string? actual;
            try { actual = document.GetOptionalString("format"); }
            catch (FormatException e) { throw InvalidFile(path, e.Message); }
            if (actual != format)
                throw InvalidFile(path, actual == null ? $"it has no format marker; expected a {format} file"
                    : $"it is a {actual} file; expected {format}" + (format == LicensingContract.ResponseFormat && actual == LicensingContract.RequestFormat
                        ? " (this is the request: submit it on the internet-facing machine first)" : ""));
            return document;
        }

        private static string ReadRequestId(JsonObject document, string source)
        {
            string? id;
            try { id = document.GetOptionalString("requestId"); }
            catch (FormatException e) { throw InvalidFile(source, e.Message); }
            if (!LicenceRecord.IsToken(id, 64)) throw InvalidFile(source, "its requestId is missing or invalid");
            return id!;
        }

        private static LicensingException InvalidFile(string path, string problem) =>
            new LicensingException(LicensingErrorCode.InvalidFile, $"The file {path} cannot be used: {problem.TrimEnd('.')}.");

        private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);
    }
}
