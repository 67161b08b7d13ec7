using System;
using SecureNmc.Core.Licensing;

namespace SecureNmc.Simulator.Licensing
{
    /// <summary>A refusal the service sends as {"error":{"code","message"}} with an HTTP status.</summary>
    internal sealed class ServiceRefusal : Exception
    {
        public ServiceRefusal(LicensingErrorCode code, string message) : base(message) => Code = code;
        public LicensingErrorCode Code { get; }
    }

    /// <summary>
    /// What the service does for "check" and "activate", enforcing Core's <see cref="ActivationRules"/>
    /// against the entitlement database and signing every record it issues.
    /// </summary>
    internal sealed class LicensingServiceLogic
    {
        private readonly EntitlementDatabase _db;
        private readonly LicenceSigner _signer;
        private readonly ILicensingClock _clock;

        public LicensingServiceLogic(EntitlementDatabase db, LicenceSigner signer, ILicensingClock clock)
        {
            _db = db;
            _signer = signer;
            _clock = clock;
        }

        /// <summary>"Check License": the card's current licence, finding (and issuing) its included subscription; null when it has none.</summary>
        public LicenceRecord? Check(CardIdentity card)
        {
            var today = LicensingDates.UtcDay(_clock.UtcNow);
            lock (_db.SyncRoot)
            {
                CheckIdentity(card);
                var current = _db.CurrentRecord(card.Serial);
                if (current != null) return current.Clone();
                var included = ActivationRules.DecideIncluded(card, _db.Card(card.Serial)?.PurchaseDate, null, today);
                return included.Allowed ? IssueIncluded(card, included).Clone() : null;
            }
        }

        /// <summary>Activates an Activation ID on the card, or (null) retrieves its included subscription.</summary>
        public (ActivationEffect Effect, string Message, LicenceRecord Licence) Activate(CardIdentity card, string? activationId)
        {
            var today = LicensingDates.UtcDay(_clock.UtcNow);
            lock (_db.SyncRoot)
            {
                CheckIdentity(card);
                var current = _db.CurrentRecord(card.Serial);
                if (activationId == null)
                {
                    var included = ActivationRules.DecideIncluded(card, _db.Card(card.Serial)?.PurchaseDate, current, today);
                    if (!included.Allowed) throw new ServiceRefusal(included.Error!.Value, included.Message);
                    if (included.Effect == ActivationEffect.AlreadyActive) return (included.Effect, included.Message, current!.Clone());
                    var record = IssueIncluded(card, included);
                    if (record.StateOn(today) == SubscriptionState.Expired)
                        throw new ServiceRefusal(LicensingErrorCode.SubscriptionExpired,
                            $"The included subscription of card {card.Serial} expired on {LicensingDates.FormatDay(record.ExpiresOn)} (1 year after its purchase on {LicensingDates.FormatDay(record.ValidFrom)}). " +
                            $"An expired subscription cannot be renewed: purchase a {SubscriptionFamilies.DisplayName(card.Family)} subscription ({SubscriptionFamilies.PartNumberPattern(card.Family)}) and activate its Activation ID.");
                    return (included.Effect, included.Message, record.Clone());
                }

                string id = activationId.Trim().ToUpperInvariant();
                var entry = _db.ActivationId(id) ?? throw new ServiceRefusal(LicensingErrorCode.UnknownActivationId,
                    $"Activation ID {id} is not known to the licensing service. Check it against the email that delivered it (letters and digits, no spaces).");
                var decision = ActivationRules.DecidePurchased(card, id, entry.Part, entry.ActivatedOnSerial, current, today);
                if (!decision.Allowed) throw new ServiceRefusal(decision.Error!.Value, decision.Message);
                if (decision.Effect == ActivationEffect.AlreadyActive) return (decision.Effect, decision.Message, current!.Clone());

                _db.RegisterCard(card);
                var issued = _db.AddRecord(new LicenceRecord
                {
                    CardSerial = card.Serial,
                    CardMac = _db.Card(card.Serial)?.Mac ?? card.Mac,
                    Family = card.Family,
                    ApplicationType = card.ApplicationType,
                    Kind = SubscriptionKind.Purchased,
                    ActivationId = id,
                    PartNumber = entry.Part.Text,
                    TermYears = entry.Part.TermYears,
                    ValidFrom = decision.ValidFrom,
                    TermStartsOn = decision.TermStartsOn,
                    ExpiresOn = decision.ExpiresOn,
                    Replaces = current?.RecordId ?? "",
                    IssuedAt = _clock.UtcNow,
                }, _signer);
                entry.ActivatedOnSerial = card.Serial;
                return (decision.Effect, decision.Message, issued.Clone());
            }
        }

        private LicenceRecord IssueIncluded(CardIdentity card, ActivationDecision included) =>
            _db.AddRecord(new LicenceRecord
            {
                CardSerial = card.Serial,
                CardMac = _db.Card(card.Serial)?.Mac ?? card.Mac,
                Family = card.Family,
                ApplicationType = card.ApplicationType,
                Kind = SubscriptionKind.Included,
                TermYears = SubscriptionRules.IncludedTermYears,
                ValidFrom = included.ValidFrom,
                TermStartsOn = included.TermStartsOn,
                ExpiresOn = included.ExpiresOn,
                IssuedAt = _clock.UtcNow,
            }, _signer);

        /// <summary>A serial known with another MAC, or licensed for another family, is not this card.</summary>
        private void CheckIdentity(CardIdentity card)
        {
            var registered = _db.Card(card.Serial);
            if (registered != null && registered.Mac.Length > 0 && card.Mac.Length > 0 && registered.Mac != card.Mac)
                throw new ServiceRefusal(LicensingErrorCode.CardIdentityMismatch,
                    $"Card {card.Serial} is registered with MAC address {registered.Mac}, but the request says {card.Mac}. Query the device again; if the serial number is right, contact the Customer Care Center.");
            var current = _db.CurrentRecord(card.Serial);
            if (current != null && current.Family != card.Family)
                throw new ServiceRefusal(LicensingErrorCode.CardIdentityMismatch,
                    $"Card {card.Serial} is licensed as a {SubscriptionFamilies.DisplayName(current.Family)} card ({current.ApplicationType}), but the request says it runs {card.ApplicationType} " +
                    $"({SubscriptionFamilies.DisplayName(card.Family)}). A card cannot change family; query the device again.");
        }
    }
}
