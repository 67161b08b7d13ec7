using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Licensing
{
    public sealed partial class SubscriptionManager
    {
        /// <summary>
        /// What activating on this device would do, for ShouldProcess / -WhatIf, judged from the stored licence
        /// (the service decides for real; e.g. it may still refuse a wrong-family or used Activation ID).
        /// </summary>
        public string DescribeActivation(NmcDevice device, string? activationId)
        {
            CardIdentity card;
            try { card = CardIdentity.FromDevice(device); }
            catch (LicensingException e) { return e.Message; }
            var today = Today;
            var current = Store.Current(card.Serial);
            var state = current?.StateOn(today) ?? SubscriptionState.None;
            string who = $"card {card.Serial} ({device.DisplayName}, {card.ApplicationType}, {SubscriptionFamilies.DisplayName(card.Family)})";
            if (string.IsNullOrWhiteSpace(activationId))
            {
                if (current != null && SubscriptionRules.Licenses(state))
                    return $"Retrieve the included subscription of {who}; it already holds a {current.Kind.ToString().ToLowerInvariant()} subscription expiring {LicensingDates.FormatDay(current.ExpiresOn)}, which stays.";
                return $"Retrieve the 1-year included subscription of {who} (cards bought from 1 April 2024).";
            }
            string act = $"Activate Activation ID {activationId!.Trim().ToUpperInvariant()} on {who}";
            if (current == null || state == SubscriptionState.None)
                return $"{act}: the subscription term starts today ({LicensingDates.FormatDay(today)}).";
            if (state == SubscriptionState.Expired)
                return $"{act}: starts a new subscription today; the subscription that expired on {LicensingDates.FormatDay(current.ExpiresOn)} cannot be renewed.";
            if (current.Kind == SubscriptionKind.Included)
                return $"{act}: replaces the included subscription expiring {LicensingDates.FormatDay(current.ExpiresOn)}; the new term starts today ({LicensingDates.FormatDay(today)}).";
            return $"{act}: renews the subscription expiring {LicensingDates.FormatDay(current.ExpiresOn)}; the new term follows on from that day.";
        }

        /// <summary>
        /// Activates each request (Activation ID, or none = retrieve the included subscription), concurrently;
        /// one outcome per request in input order. Failures (wrong family, ID used on another card, expired,
        /// no included subscription, service unreachable) are outcomes with a code and a specific message.
        /// </summary>
        public async Task<IReadOnlyList<ActivationOutcome>> ActivateAsync(IEnumerable<ActivationRequest> requests, IProgress<LicensingProgress>? progress, CancellationToken cancellation)
        {
            var list = requests.ToList();
            var token = Account.RequireToken(_options.Clock.UtcNow);
            var outcomes = new ActivationOutcome[list.Count];
            int completed = 0;
            // Two requests for one card must not race each other at the service: run them one after another.
            var perCard = new Dictionary<string, SemaphoreSlim>(StringComparer.OrdinalIgnoreCase);
            foreach (var r in list)
                if (r.Device.SerialNumber != null && !perCard.ContainsKey(r.Device.SerialNumber.Trim())) perCard[r.Device.SerialNumber.Trim()] = new SemaphoreSlim(1);

            using (var throttle = new SemaphoreSlim(_options.Service.MaxConcurrentRequests))
            {
                var tasks = list.Select(async (request, i) =>
                {
                    await throttle.WaitAsync(cancellation).ConfigureAwait(false);
                    SemaphoreSlim? cardLock = request.Device.SerialNumber != null ? perCard[request.Device.SerialNumber.Trim()] : null;
                    if (cardLock != null) await cardLock.WaitAsync(cancellation).ConfigureAwait(false);
                    try
                    {
                        outcomes[i] = await ActivateOneAsync(token, request, cancellation).ConfigureAwait(false);
                        Report(progress, ActivateActivity, Interlocked.Increment(ref completed), list.Count, request.Device, outcomes[i].Message);
                    }
                    finally
                    {
                        cardLock?.Release();
                        throttle.Release();
                    }
                }).ToList();
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            foreach (var s in perCard.Values) s.Dispose();
            return outcomes;
        }

        private async Task<ActivationOutcome> ActivateOneAsync(AccessToken token, ActivationRequest request, CancellationToken cancellation)
        {
            var device = request.Device;
            var outcome = new ActivationOutcome { DeviceId = device.Id, DeviceName = device.DisplayName, CardSerial = device.SerialNumber ?? "", ActivationId = request.ActivationId };
            CardIdentity? card = null;
            try
            {
                card = CardIdentity.FromDevice(device);
                outcome.CardSerial = card.Serial;
                var result = await _client.ActivateAsync(token, card, request.ActivationId, cancellation).ConfigureAwait(false);
                Store.Save(result.Licence);
                outcome.Succeeded = true;
                outcome.Effect = result.Effect;
                outcome.Message = result.Message;
                outcome.Subscription = SubscriptionStatus.From(card, device, result.Licence, Today);
                outcome.Subscription.CheckedWithService = true;
            }
            catch (LicensingException e)
            {
                if (e.Code == LicensingErrorCode.NotSignedIn) Account.Forget(token);
                outcome.Succeeded = false;
                outcome.ErrorCode = e.Code;
                outcome.Message = $"{device.DisplayName}: {e.Message}";
                outcome.Subscription = SubscriptionStatus.From(card, device, card == null ? null : Store.Current(card.Serial), Today);
            }
            return outcome;
        }
    }
}
