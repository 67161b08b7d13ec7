using System;
using System.Linq;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Licensing
{
    /// <summary>Words for the three subscription families, and the plain-language mismatch message.</summary>
    public static class SubscriptionFamilies
    {
        public static string DisplayName(SubscriptionFamily family)
        {
            switch (family)
            {
                case SubscriptionFamily.SmartUps: return "Smart-UPS family";
                case SubscriptionFamily.RackPdu: return "rack PDU";
                case SubscriptionFamily.EasyUpsOnline: return "Easy UPS On-Line";
                default: throw new ArgumentOutOfRangeException(nameof(family));
            }
        }

        /// <summary>The SKU pattern users order, e.g. "SWNMC3SU-nY-DIGI".</summary>
        public static string PartNumberPattern(SubscriptionFamily family)
        {
            switch (family)
            {
                case SubscriptionFamily.SmartUps: return "SWNMC3SU-nY-DIGI";
                case SubscriptionFamily.RackPdu: return "SWNMC3PDU-nY-DIGI";
                case SubscriptionFamily.EasyUpsOnline: return "FWENMC1P-STnY-DIGI";
                default: throw new ArgumentOutOfRangeException(nameof(family));
            }
        }

        /// <summary>The application types a family's subscription licenses, e.g. "SU, SY, SUCAN, EU3P, PX, SYPX, EMGPX".</summary>
        public static string ApplicationTypes(SubscriptionFamily family) =>
            string.Join(", ", ApplicationTypeInfo.All.Where(a => a.Family == family).Select(a => a.Type.ToString()));

        public static SubscriptionFamily FamilyOf(ApplicationType type) => ApplicationTypeInfo.Get(type).Family;

        /// <summary>
        /// "Activation ID X is a rack PDU subscription (SWNMC3PDU-2Y-DIGI); card Y runs SU (Smart-UPS),
        /// which needs a Smart-UPS family subscription (SWNMC3SU-nY-DIGI)..."
        /// </summary>
        public static string MismatchMessage(string activationId, SubscriptionPartNumber part, string cardSerial, ApplicationType cardType)
        {
            var cardFamily = FamilyOf(cardType);
            return $"Activation ID {activationId} is a {DisplayName(part.Family)} subscription ({part.Text}) and cannot license card {cardSerial}: " +
                   $"the card runs {cardType} ({ApplicationTypeInfo.Get(cardType).DisplayName}), which needs a {DisplayName(cardFamily)} subscription " +
                   $"({PartNumberPattern(cardFamily)}, for {ApplicationTypes(cardFamily)}). A {DisplayName(part.Family)} subscription only licenses " +
                   $"{ApplicationTypes(part.Family)} cards. Use an Activation ID of a {PartNumberPattern(cardFamily)} subscription for this card.";
        }
    }
}
