using System;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Licensing
{
    /// <summary>One card's subscription as Get-NmcSubscription shows it (from a verified licence record).</summary>
    public sealed class SubscriptionStatus
    {
        /// <summary>The inventory device this status is for (null when only a card identity was given).</summary>
        public Guid? DeviceId { get; set; }
        public string? DeviceName { get; set; }
        public string CardSerial { get; set; } = "";
        public ApplicationType? ApplicationType { get; set; }
        public SubscriptionFamily? Family { get; set; }

        public SubscriptionState State { get; set; }
        public SubscriptionKind? Kind { get; set; }
        public string? ActivationId { get; set; }
        public string? PartNumber { get; set; }
        public int? TermYears { get; set; }

        /// <summary>First covered day (activation day; purchase day for the included subscription).</summary>
        public DateTime? ActivatedOn { get; set; }

        /// <summary>Expiry day: on this day the subscription no longer licenses the card.</summary>
        public DateTime? ExpiresOn { get; set; }

        /// <summary>Days from the evaluation day to the expiry day (0 on the expiry day, negative after).</summary>
        public int? DaysLeft { get; set; }

        /// <summary>The amber warning (30 days or fewer left) or the expired notice; null otherwise.</summary>
        public string? Warning { get; set; }

        /// <summary>When the check for this card failed: why, and what to do. State is then from the local store, if any.</summary>
        public LicensingErrorCode? ErrorCode { get; set; }
        public string? Error { get; set; }

        /// <summary>The UTC day the state was computed for.</summary>
        public DateTime EvaluatedOn { get; set; }

        /// <summary>True when the service answered for this card in this call (false: local store only).</summary>
        public bool CheckedWithService { get; set; }

        /// <summary>True when the card may receive Secure NMC firmware on <see cref="EvaluatedOn"/>.</summary>
        public bool LicensesUpdate => SubscriptionRules.Licenses(State) && ErrorCode != LicensingErrorCode.CardIdentityMismatch;

        public LicenceRecord? Record { get; set; }

        /// <summary>The one thing to know about this card's subscription: the error, else the warning, else which Activation ID and part number it came from.</summary>
        public string? Note =>
            Error ?? Warning ?? (ActivationId != null ? (ActivationId + " " + PartNumber).Trim() : null);

        internal static SubscriptionStatus From(CardIdentity? card, NmcDevice? device, LicenceRecord? record, DateTime today)
        {
            var status = new SubscriptionStatus
            {
                DeviceId = device?.Id,
                DeviceName = device?.DisplayName,
                CardSerial = card?.Serial ?? device?.SerialNumber ?? record?.CardSerial ?? "",
                ApplicationType = card?.ApplicationType ?? device?.ApplicationType,
                EvaluatedOn = today.Date,
            };
            status.Family = status.ApplicationType.HasValue ? SubscriptionFamilies.FamilyOf(status.ApplicationType.Value) : (SubscriptionFamily?)null;
            status.Apply(record, today);
            return status;
        }

        internal void Apply(LicenceRecord? record, DateTime today)
        {
            Record = record;
            if (record == null)
            {
                State = SubscriptionState.None;
                return;
            }
            Kind = record.Kind;
            Family = record.Family;
            ActivationId = record.ActivationId.Length == 0 ? null : record.ActivationId;
            PartNumber = record.PartNumber.Length == 0 ? null : record.PartNumber;
            TermYears = record.TermYears;
            ActivatedOn = record.ValidFrom;
            ExpiresOn = record.ExpiresOn;
            DaysLeft = SubscriptionRules.DaysLeft(record.ExpiresOn, today);
            State = record.StateOn(today);

            if (ApplicationType.HasValue && SubscriptionFamilies.FamilyOf(ApplicationType.Value) != record.Family)
            {
                // A card cannot change family, but an inventory entry can be wrong: never let a licence of one family license another.
                State = SubscriptionState.None;
                ErrorCode = LicensingErrorCode.FamilyMismatch;
                Error = $"Card {CardSerial} runs {ApplicationType} ({SubscriptionFamilies.DisplayName(SubscriptionFamilies.FamilyOf(ApplicationType.Value))}), " +
                        $"but its licence is a {SubscriptionFamilies.DisplayName(record.Family)} subscription, which cannot license it.";
            }
            else if (State == SubscriptionState.ExpiringSoon)
                Warning = $"The subscription of card {CardSerial} expires in {DaysLeft} day{(DaysLeft == 1 ? "" : "s")} (on {LicensingDates.FormatDay(record.ExpiresOn)}). " +
                          "Renew it before then: an expired subscription cannot be renewed.";
            else if (State == SubscriptionState.Expired)
                Warning = $"The subscription of card {CardSerial} expired on {LicensingDates.FormatDay(record.ExpiresOn)}. It cannot be renewed: " +
                          $"purchase a new {SubscriptionFamilies.DisplayName(record.Family)} subscription ({SubscriptionFamilies.PartNumberPattern(record.Family)}) and activate its Activation ID.";
        }

        public override string ToString() =>
            ExpiresOn.HasValue ? $"{CardSerial}: {State} until {LicensingDates.FormatDay(ExpiresOn.Value)}" : $"{CardSerial}: {State}";
    }

    /// <summary>What happened to one card in Enable-NmcSubscription or Import-NmcActivationResponse.</summary>
    public sealed class ActivationOutcome
    {
        public Guid? DeviceId { get; set; }
        public string? DeviceName { get; set; }
        public string CardSerial { get; set; } = "";

        /// <summary>The Activation ID used; null when the included subscription was retrieved.</summary>
        public string? ActivationId { get; set; }

        public bool Succeeded { get; set; }
        public ActivationEffect? Effect { get; set; }

        /// <summary>What happened, in words (the service's decision text, or the error and what to do).</summary>
        public string Message { get; set; } = "";

        public LicensingErrorCode? ErrorCode { get; set; }

        /// <summary>The card's subscription after the step (success), or as stored before (failure).</summary>
        public SubscriptionStatus? Subscription { get; set; }

        /// <summary>What the step did ("NewSubscription", "Renews") or "Failed: " and the error code.</summary>
        public string Result => Succeeded ? (Effect?.ToString() ?? "Succeeded") : "Failed: " + (ErrorCode ?? LicensingErrorCode.Unknown);

        /// <summary>Expiry day of the card's subscription after the step (as stored before, on failure).</summary>
        public DateTime? ExpiresOn => Subscription?.ExpiresOn;

        public override string ToString() => $"{CardSerial}: {(Succeeded ? Effect.ToString() : "Failed")} - {Message}";
    }

    /// <summary>One card to activate: with an Activation ID (purchased) or without (retrieve the included one).</summary>
    public sealed class ActivationRequest
    {
        public ActivationRequest(NmcDevice device, string? activationId = null)
        {
            Device = device ?? throw new ArgumentNullException(nameof(device));
            ActivationId = string.IsNullOrWhiteSpace(activationId) ? null : activationId!.Trim().ToUpperInvariant();
        }

        public NmcDevice Device { get; }
        public string? ActivationId { get; }
    }

    /// <summary>Progress of a many-card licensing step, reported per card from worker threads.</summary>
    public sealed class LicensingProgress
    {
        public LicensingProgress(string activity, int completed, int total, string? cardSerial, string? deviceName, string message)
        {
            Activity = activity;
            Completed = completed;
            Total = total;
            CardSerial = cardSerial;
            DeviceName = deviceName;
            Message = message;
        }

        /// <summary>"Checking licences", "Activating subscriptions", ...</summary>
        public string Activity { get; }
        public int Completed { get; }
        public int Total { get; }
        public string? CardSerial { get; }
        public string? DeviceName { get; }
        public string Message { get; }
        public int PercentComplete => Total == 0 ? 100 : (int)(100L * Completed / Total);
    }
}
