using System;

namespace SecureNmc.Core.Licensing
{
    /// <summary>What activating a subscription on a card does to the card's licence.</summary>
    public enum ActivationEffect
    {
        /// <summary>The card had no subscription: a new term starts today.</summary>
        NewSubscription,
        /// <summary>Activated during the included year: the included subscription is replaced, the new term starts today.</summary>
        ReplacesIncluded,
        /// <summary>The card's purchased subscription is still current: the new term follows on from its expiry day.</summary>
        Renews,
        /// <summary>The card's subscription had expired (it cannot be renewed): a new term starts today.</summary>
        ReplacesExpired,
        /// <summary>Nothing changes: the card already holds this subscription (a re-run is harmless).</summary>
        AlreadyActive,
    }

    /// <summary>The outcome of <see cref="ActivationRules"/>: either a refusal (code + message) or the new term.</summary>
    public sealed class ActivationDecision
    {
        private ActivationDecision() { }

        public LicensingErrorCode? Error { get; private set; }
        public bool Allowed => Error == null;
        public string Message { get; private set; } = "";
        public ActivationEffect Effect { get; private set; }
        public DateTime ValidFrom { get; private set; }
        public DateTime TermStartsOn { get; private set; }
        public DateTime ExpiresOn { get; private set; }

        /// <summary>The card's current record that this activation replaces, renews or keeps; null if none.</summary>
        public LicenceRecord? Current { get; private set; }

        internal static ActivationDecision Refuse(LicensingErrorCode code, string message, LicenceRecord? current = null) =>
            new ActivationDecision { Error = code, Message = message, Current = current };

        internal static ActivationDecision Grant(ActivationEffect effect, DateTime validFrom, DateTime termStartsOn, int years, LicenceRecord? current, string message) =>
            new ActivationDecision
            {
                Effect = effect,
                ValidFrom = validFrom.Date,
                TermStartsOn = termStartsOn.Date,
                ExpiresOn = SubscriptionRules.TermEnd(termStartsOn, years),
                Current = current,
                Message = message,
            };

        internal static ActivationDecision Keep(LicenceRecord current, string message) =>
            new ActivationDecision
            {
                Effect = ActivationEffect.AlreadyActive,
                ValidFrom = current.ValidFrom,
                TermStartsOn = current.TermStartsOn,
                ExpiresOn = current.ExpiresOn,
                Current = current,
                Message = message,
            };
    }

    /// <summary>
    /// The activation rules as pure functions of the facts the service holds (used by the service to
    /// decide, and by the client to say what an activation will do before it asks).
    /// </summary>
    public static class ActivationRules
    {
        /// <summary>
        /// Activating purchased Activation ID <paramref name="activationId"/> (SKU <paramref name="part"/>) on
        /// <paramref name="card"/> on <paramref name="today"/>. <paramref name="idLicensesSerial"/> is the card the
        /// ID was already activated on (null when unused); <paramref name="current"/> is the card's current record.
        /// </summary>
        public static ActivationDecision DecidePurchased(CardIdentity card, string activationId, SubscriptionPartNumber part,
            string? idLicensesSerial, LicenceRecord? current, DateTime today)
        {
            today = today.Date;
            if (part.Family != card.Family)
                return ActivationDecision.Refuse(LicensingErrorCode.FamilyMismatch,
                    SubscriptionFamilies.MismatchMessage(activationId, part, card.Serial, card.ApplicationType), current);

            if (idLicensesSerial != null && !string.Equals(idLicensesSerial, card.Serial, StringComparison.OrdinalIgnoreCase))
                return ActivationDecision.Refuse(LicensingErrorCode.ActivationIdAlreadyUsed,
                    $"Activation ID {activationId} already licenses card {idLicensesSerial} and cannot license card {card.Serial}: " +
                    "an Activation ID licenses one card. Use an unused Activation ID for this card (to move a subscription to a similar card, contact the Customer Care Center).",
                    current);

            var currentState = current?.StateOn(today) ?? SubscriptionState.None;
            if (idLicensesSerial != null)
            {
                // The ID was already spent on this very card: a re-run keeps what is there, an expired one cannot be revived.
                if (current != null && SubscriptionRules.Licenses(currentState))
                    return ActivationDecision.Keep(current,
                        $"Activation ID {activationId} is already active on card {card.Serial} (expires {LicensingDates.FormatDay(current.ExpiresOn)}); nothing changed.");
                string expired = current != null ? $" It expired on {LicensingDates.FormatDay(current.ExpiresOn)}." : "";
                return ActivationDecision.Refuse(LicensingErrorCode.SubscriptionExpired,
                    $"Activation ID {activationId} was already used on card {card.Serial} and its subscription has expired.{expired} " +
                    $"An expired subscription cannot be renewed: purchase a new {part.Family.PatternText()} subscription and activate its new Activation ID.",
                    current);
            }

            if (current == null || currentState == SubscriptionState.None)
                return ActivationDecision.Grant(ActivationEffect.NewSubscription, today, today, part.TermYears, current,
                    $"Activates {part.Text} on card {card.Serial}: {Years(part.TermYears)} from {LicensingDates.FormatDay(today)}.");

            if (currentState == SubscriptionState.Expired)
                return ActivationDecision.Grant(ActivationEffect.ReplacesExpired, today, today, part.TermYears, current,
                    $"Activates {part.Text} on card {card.Serial}: a new {Years(part.TermYears)} term from {LicensingDates.FormatDay(today)}. " +
                    $"The previous subscription expired on {LicensingDates.FormatDay(current.ExpiresOn)} and is not renewed; the gap is not back-filled.");

            if (current.Kind == SubscriptionKind.Included)
                return ActivationDecision.Grant(ActivationEffect.ReplacesIncluded, today, today, part.TermYears, current,
                    $"Activates {part.Text} on card {card.Serial}: {Years(part.TermYears)} from {LicensingDates.FormatDay(today)}; " +
                    $"replaces the included subscription expiring {LicensingDates.FormatDay(current.ExpiresOn)} (its remaining days are not added).");

            return ActivationDecision.Grant(ActivationEffect.Renews, today, current.ExpiresOn, part.TermYears, current,
                $"Renews card {card.Serial} with {part.Text}: the current subscription expiring {LicensingDates.FormatDay(current.ExpiresOn)} " +
                $"is extended by {Years(part.TermYears)} to {LicensingDates.FormatDay(SubscriptionRules.TermEnd(current.ExpiresOn, part.TermYears))}.");
        }

        /// <summary>
        /// The included subscription of <paramref name="card"/>, bought on <paramref name="purchaseDate"/> (null =
        /// the card is not registered): 1 year from the purchase day for cards bought from 1 April 2024.
        /// </summary>
        public static ActivationDecision DecideIncluded(CardIdentity card, DateTime? purchaseDate, LicenceRecord? current, DateTime today)
        {
            today = today.Date;
            if (current != null)
            {
                var state = current.StateOn(today);
                if (current.Kind == SubscriptionKind.Purchased && SubscriptionRules.Licenses(state))
                    return ActivationDecision.Keep(current,
                        $"Card {card.Serial} already holds purchased subscription {current.ActivationId} ({current.PartNumber}) until {LicensingDates.FormatDay(current.ExpiresOn)}; nothing changed.");
                if (SubscriptionRules.Licenses(state))
                    return ActivationDecision.Keep(current,
                        $"Card {card.Serial} holds its included subscription until {LicensingDates.FormatDay(current.ExpiresOn)}.");
                return ActivationDecision.Refuse(LicensingErrorCode.SubscriptionExpired,
                    $"The {(current.Kind == SubscriptionKind.Included ? "included" : "purchased")} subscription of card {card.Serial} expired on {LicensingDates.FormatDay(current.ExpiresOn)}. " +
                    $"An expired subscription cannot be renewed: purchase a {card.Family.PatternText()} subscription and activate its Activation ID.",
                    current);
            }

            if (purchaseDate == null)
                return ActivationDecision.Refuse(LicensingErrorCode.NoIncludedSubscription,
                    $"Card {card.Serial} has no included subscription: the licensing service has no purchase record for it. " +
                    $"Activate a purchased {card.Family.PatternText()} subscription with its Activation ID, or if the card was bought on or after 1 April 2024 contact the Customer Care Center.");

            if (!SubscriptionRules.IncludesSubscription(purchaseDate.Value))
                return ActivationDecision.Refuse(LicensingErrorCode.NoIncludedSubscription,
                    $"Card {card.Serial} has no included subscription: it was bought on {LicensingDates.FormatDay(purchaseDate.Value)}, before 1 April 2024. " +
                    $"Activate a purchased {card.Family.PatternText()} subscription with its Activation ID.");

            var decision = ActivationDecision.Grant(ActivationEffect.NewSubscription, purchaseDate.Value, purchaseDate.Value,
                SubscriptionRules.IncludedTermYears, null,
                $"Card {card.Serial} carries the 1-year subscription included with cards bought from 1 April 2024 (bought {LicensingDates.FormatDay(purchaseDate.Value)}).");
            return decision;
        }

        private static string Years(int n) => n == 1 ? "1 year" : $"{n} years";

        private static string PatternText(this Devices.SubscriptionFamily family) =>
            $"{SubscriptionFamilies.DisplayName(family)} ({SubscriptionFamilies.PartNumberPattern(family)})";
    }
}
