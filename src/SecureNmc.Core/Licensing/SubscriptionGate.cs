using System;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Licensing
{
    /// <summary>
    /// "Activate Subscription to Update": may this card receive Secure NMC firmware on a given day?
    /// Decided only from verified records in the local licence store (never from inventory fields), so
    /// an edited inventory or licence file cannot open the gate. Implements the update planner's
    /// <see cref="ISubscriptionGate"/>, judging "today" by the licensing clock.
    /// </summary>
    public sealed class SubscriptionGate : ISubscriptionGate
    {
        private readonly LicenceStore _store;
        private readonly ILicensingClock _clock;

        public SubscriptionGate(LicenceStore store, ILicensingClock? clock = null)
        {
            _store = store ?? throw new ArgumentNullException(nameof(store));
            _clock = clock ?? SystemLicensingClock.Instance;
        }

        /// <summary>The planner's question for today (UTC day): licensed, or why not.</summary>
        public SubscriptionCheck Check(NmcDevice device)
        {
            var reason = ReasonNotLicensed(device, LicensingDates.UtcDay(_clock.UtcNow));
            return reason == null ? SubscriptionCheck.Active : SubscriptionCheck.Inactive(reason);
        }

        /// <summary>True when the card holds a verified subscription of its own family that covers <paramref name="date"/> (UTC day).</summary>
        public bool IsLicensedForUpdate(NmcDevice device, DateTime date) => Evaluate(device, date).LicensesUpdate;

        /// <summary>The status behind the decision; <see cref="SubscriptionStatus.Error"/> or <see cref="SubscriptionStatus.Warning"/> say why not.</summary>
        public SubscriptionStatus Evaluate(NmcDevice device, DateTime date)
        {
            CardIdentity card;
            try { card = CardIdentity.FromDevice(device); }
            catch (LicensingException e)
            {
                return new SubscriptionStatus
                {
                    DeviceId = device.Id, DeviceName = device.DisplayName, CardSerial = device.SerialNumber ?? "",
                    State = SubscriptionState.None, ErrorCode = e.Code, Error = e.Message, EvaluatedOn = date.Date,
                };
            }
            var record = _store.Current(card.Serial);
            var status = SubscriptionStatus.From(card, device, record, date.Date);
            if (record != null && record.CardMac.Length > 0 && card.Mac.Length > 0 && record.CardMac != card.Mac)
            {
                status.State = SubscriptionState.None;
                status.ErrorCode = LicensingErrorCode.CardIdentityMismatch;
                status.Error = $"The licence for card {card.Serial} was issued for MAC address {record.CardMac}, but device {device.DisplayName} reports {card.Mac}.";
            }
            else if (record == null)
            {
                status.Error = $"Card {card.Serial} ({device.DisplayName}) has no Secure NMC subscription on record. Run Get-NmcSubscription to check it, or Enable-NmcSubscription to activate one.";
            }
            return status;
        }

        /// <summary>A one-line reason for the "Activate Subscription to Update" status detail; null when licensed.</summary>
        public string? ReasonNotLicensed(NmcDevice device, DateTime date)
        {
            var status = Evaluate(device, date);
            if (status.LicensesUpdate) return null;
            return status.Error ?? status.Warning ?? $"Card {status.CardSerial} has no active subscription ({status.State}).";
        }
    }
}
