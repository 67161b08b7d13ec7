using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Licensing
{
    /// <summary>
    /// The licensing engine the cmdlets drive: account (Connect/Disconnect-NmcAccount), licence check
    /// (Get-NmcSubscription), activation (Enable-NmcSubscription), the air-gapped round trip
    /// (Export-NmcActivationRequest, Submit-NmcActivationRequest, Import-NmcActivationResponse) and the
    /// update gate. Progress arrives through <see cref="IProgress{T}"/> from worker threads: a cmdlet
    /// queues it and writes it on the pipeline thread. Per-card failures are results, not exceptions.
    /// </summary>
    public sealed partial class SubscriptionManager : IDisposable
    {
        public const string CheckActivity = "Checking Secure NMC licences";
        public const string ActivateActivity = "Activating Secure NMC subscriptions";

        private readonly SubscriptionManagerOptions _options;
        private readonly LicensingServiceClient _client;
        private readonly ILogger _log;

        public SubscriptionManager(SubscriptionManagerOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            options.Validate();
            _log = options.Service.Logger;
            Folder = new LicensingDataFolder(options.DataFolder!);
            _client = new LicensingServiceClient(options.Service);
            Account = new LicensingAccount(_client, Folder, options.SecretProtector!);
            Store = new LicenceStore(Folder.LicenceStorePath, options.Service.TrustedKey!);
        }

        public LicensingAccount Account { get; }
        public LicenceStore Store { get; }
        public LicensingDataFolder Folder { get; }
        public LicensingServiceClient Client => _client;

        /// <summary>The update planner's "Activate Subscription to Update" gate over this manager's verified store and clock.</summary>
        public SubscriptionGate Gate => new SubscriptionGate(Store, _options.Clock);

        /// <summary>Today as a UTC calendar day, by the configured clock.</summary>
        public DateTime Today => LicensingDates.UtcDay(_options.Clock.UtcNow);

        /// <summary>
        /// "Check License" for many devices: asks the service (concurrently, in batches), verifies and stores the
        /// licences, and returns one status per device in input order. A device that could not be checked gets
        /// its stored status plus ErrorCode/Error. Throws only when nobody is signed in.
        /// </summary>
        public async Task<IReadOnlyList<SubscriptionStatus>> CheckAsync(IEnumerable<NmcDevice> devices, IProgress<LicensingProgress>? progress, CancellationToken cancellation)
        {
            var list = devices.ToList();
            var today = Today;
            var token = Account.RequireToken(_options.Clock.UtcNow);
            var statuses = new SubscriptionStatus[list.Count];
            var cards = new Dictionary<string, CardIdentity>(StringComparer.OrdinalIgnoreCase);
            var indexesBySerial = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
            int completed = 0;

            for (int i = 0; i < list.Count; i++)
            {
                try
                {
                    var card = CardIdentity.FromDevice(list[i]);
                    if (!cards.ContainsKey(card.Serial)) { cards[card.Serial] = card; indexesBySerial[card.Serial] = new List<int>(); }
                    indexesBySerial[card.Serial].Add(i);
                }
                catch (LicensingException e)
                {
                    statuses[i] = Failed(null, list[i], e, today);
                    Report(progress, CheckActivity, Interlocked.Increment(ref completed), list.Count, list[i], e.Message);
                }
            }

            var unique = cards.Values.ToList();
            int perCall = Math.Max(1, Math.Min(_options.Service.CardsPerCheckCall,
                (int)Math.Ceiling(unique.Count / (double)_options.Service.MaxConcurrentRequests)));
            var batches = Enumerable.Range(0, (unique.Count + perCall - 1) / perCall)
                .Select(b => (IReadOnlyList<CardIdentity>)unique.Skip(b * perCall).Take(perCall).ToList()).ToList();
            _log.LogInformation("Checking licences of {Count} card(s) in {Batches} call(s).", unique.Count, batches.Count);

            using (var throttle = new SemaphoreSlim(_options.Service.MaxConcurrentRequests))
            {
                var tasks = batches.Select(async batch =>
                {
                    await throttle.WaitAsync(cancellation).ConfigureAwait(false);
                    try
                    {
                        IReadOnlyList<CardCheckResult> results;
                        try { results = await _client.CheckAsync(token, batch, cancellation).ConfigureAwait(false); }
                        catch (LicensingException e)
                        {
                            if (e.Code == LicensingErrorCode.NotSignedIn) Account.Forget(token);
                            results = batch.Select(c => new CardCheckResult(c, null, e)).ToList();
                        }
                        var verified = results.Where(r => r.Licence != null).Select(r => r.Licence!).ToList();
                        if (verified.Count > 0) Store.Save(verified);
                        foreach (var result in results)
                        {
                            foreach (int i in indexesBySerial[result.Card.Serial])
                            {
                                statuses[i] = result.Error == null
                                    ? Checked(result.Card, list[i], result.Licence, today)
                                    : Failed(result.Card, list[i], result.Error, today);
                                Report(progress, CheckActivity, Interlocked.Increment(ref completed), list.Count, list[i],
                                    statuses[i].Error ?? $"{statuses[i].State}");
                            }
                        }
                    }
                    finally { throttle.Release(); }
                }).ToList();
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            return statuses;
        }

        /// <summary>The stored (verified) subscription of each device, without contacting the service.</summary>
        public IReadOnlyList<SubscriptionStatus> GetStoredStatus(IEnumerable<NmcDevice> devices)
        {
            var today = Today;
            return devices.Select(d =>
            {
                try
                {
                    var card = CardIdentity.FromDevice(d);
                    return SubscriptionStatus.From(card, d, Store.Current(card.Serial), today);
                }
                catch (LicensingException e) { return Failed(null, d, e, today); }
            }).ToList();
        }

        private SubscriptionStatus Checked(CardIdentity card, NmcDevice device, LicenceRecord? licence, DateTime today)
        {
            // The service's answer is the truth now; with no licence at the service, a stored one is stale.
            var status = SubscriptionStatus.From(card, device, licence, today);
            status.CheckedWithService = true;
            return status;
        }

        private SubscriptionStatus Failed(CardIdentity? card, NmcDevice device, LicensingException error, DateTime today)
        {
            LicenceRecord? stored = null;
            if (card != null) stored = Store.Current(card.Serial);
            var status = SubscriptionStatus.From(card, device, stored, today);
            status.ErrorCode = error.Code;
            status.Error = $"{device.DisplayName}: {error.Message}";
            if (error.Code == LicensingErrorCode.CardIdentityMismatch)
                status.State = SubscriptionState.None;
            return status;
        }

        private static void Report(IProgress<LicensingProgress>? progress, string activity, int completed, int total, NmcDevice device, string message) =>
            progress?.Report(new LicensingProgress(activity, completed, total, device.SerialNumber, device.DisplayName, message));

        public void Dispose() => _client.Dispose();
    }
}
