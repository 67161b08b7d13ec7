using System;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;

namespace SecureNmc.Core.Tests.Licensing
{
    public class ActivationRulesTests
    {
        private static readonly DateTime Today = new DateTime(2025, 9, 1);
        private static readonly CardIdentity SmartUps = new CardIdentity("ZA2401000001", "28:29:86:00:00:01", ApplicationType.SU);
        private static readonly CardIdentity Pdu = new CardIdentity("5A2401000002", "", ApplicationType.RPDU2G);

        private static LicenceRecord Record(SubscriptionKind kind, DateTime from, int years, string id = "", SubscriptionFamily family = SubscriptionFamily.SmartUps) => new LicenceRecord
        {
            RecordId = "r1", RecordNumber = 1, CardSerial = SmartUps.Serial, Family = family, ApplicationType = ApplicationType.SU, Kind = kind,
            ActivationId = id, PartNumber = kind == SubscriptionKind.Purchased ? SubscriptionPartNumber.Format(family, years) : "",
            TermYears = years, ValidFrom = from, TermStartsOn = from, ExpiresOn = SubscriptionRules.TermEnd(from, years), KeyId = "k",
        };

        [Fact]
        public void A_pdu_subscription_cannot_license_a_smart_ups_card_and_says_so()
        {
            var d = ActivationRules.DecidePurchased(SmartUps, "AID-PDU-1", SubscriptionPartNumber.Parse("SWNMC3PDU-2Y-DIGI"), null, null, Today);
            Assert.False(d.Allowed);
            Assert.Equal(LicensingErrorCode.FamilyMismatch, d.Error);
            Assert.Contains("AID-PDU-1 is a rack PDU subscription (SWNMC3PDU-2Y-DIGI)", d.Message);
            Assert.Contains("runs SU (Smart-UPS)", d.Message);
            Assert.Contains("needs a Smart-UPS family subscription (SWNMC3SU-nY-DIGI", d.Message);
        }

        [Theory]
        [InlineData("SWNMC3SU-1Y-DIGI", ApplicationType.RPDU2G)]
        [InlineData("FWENMC1P-ST1Y-DIGI", ApplicationType.SU)]
        [InlineData("SWNMC3SU-1Y-DIGI", ApplicationType.EU1P)]
        [InlineData("FWENMC1P-ST3Y-DIGI", ApplicationType.EU3P)] // 3-phase Easy UPS is Smart-UPS family, not Easy UPS On-Line
        public void Every_cross_family_pairing_is_refused(string sku, ApplicationType cardType)
        {
            var card = new CardIdentity("X1", "", cardType);
            var d = ActivationRules.DecidePurchased(card, "AID-X", SubscriptionPartNumber.Parse(sku), null, null, Today);
            Assert.Equal(LicensingErrorCode.FamilyMismatch, d.Error);
        }

        [Fact]
        public void Same_family_different_application_type_is_allowed()
        {
            var px = new CardIdentity("PX1", "", ApplicationType.EMGPX);
            var d = ActivationRules.DecidePurchased(px, "AID-SU", SubscriptionPartNumber.Parse("SWNMC3SU-1Y-DIGI"), null, null, Today);
            Assert.True(d.Allowed);
        }

        [Fact]
        public void An_activation_id_used_on_another_card_is_refused_naming_that_card()
        {
            var d = ActivationRules.DecidePurchased(SmartUps, "AID-1", SubscriptionPartNumber.Parse("SWNMC3SU-1Y-DIGI"), "OTHER-CARD-9", null, Today);
            Assert.Equal(LicensingErrorCode.ActivationIdAlreadyUsed, d.Error);
            Assert.Contains("already licenses card OTHER-CARD-9", d.Message);
            Assert.Contains("licenses one card", d.Message);
        }

        [Fact]
        public void Rerunning_an_activation_on_the_same_card_changes_nothing()
        {
            var current = Record(SubscriptionKind.Purchased, Today.AddDays(-10), 2, "AID-1");
            var d = ActivationRules.DecidePurchased(SmartUps, "AID-1", SubscriptionPartNumber.Parse("SWNMC3SU-2Y-DIGI"), SmartUps.Serial, current, Today);
            Assert.True(d.Allowed);
            Assert.Equal(ActivationEffect.AlreadyActive, d.Effect);
            Assert.Equal(current.ExpiresOn, d.ExpiresOn);
        }

        [Fact]
        public void An_expired_subscription_cannot_be_renewed_with_its_own_id()
        {
            var current = Record(SubscriptionKind.Purchased, Today.AddYears(-1), 1, "AID-1"); // expires today
            var d = ActivationRules.DecidePurchased(SmartUps, "AID-1", SubscriptionPartNumber.Parse("SWNMC3SU-1Y-DIGI"), SmartUps.Serial, current, Today);
            Assert.Equal(LicensingErrorCode.SubscriptionExpired, d.Error);
            Assert.Contains("cannot be renewed", d.Message);
            Assert.Contains("new Activation ID", d.Message);
        }

        [Fact]
        public void A_new_id_after_expiry_starts_today_without_back_filling()
        {
            var current = Record(SubscriptionKind.Purchased, Today.AddYears(-1).AddDays(-40), 1, "AID-1");
            var d = ActivationRules.DecidePurchased(SmartUps, "AID-2", SubscriptionPartNumber.Parse("SWNMC3SU-3Y-DIGI"), null, current, Today);
            Assert.Equal(ActivationEffect.ReplacesExpired, d.Effect);
            Assert.Equal(Today, d.ValidFrom);
            Assert.Equal(new DateTime(2028, 9, 1), d.ExpiresOn);
        }

        [Fact]
        public void Activating_during_the_included_year_replaces_it_and_starts_today()
        {
            var included = Record(SubscriptionKind.Included, new DateTime(2025, 5, 1), 1);
            var d = ActivationRules.DecidePurchased(SmartUps, "AID-3", SubscriptionPartNumber.Parse("SWNMC3SU-2Y-DIGI"), null, included, Today);
            Assert.Equal(ActivationEffect.ReplacesIncluded, d.Effect);
            Assert.Equal(Today, d.ValidFrom);
            Assert.Equal(Today, d.TermStartsOn);
            Assert.Equal(new DateTime(2027, 9, 1), d.ExpiresOn);
            Assert.Contains("replaces the included subscription expiring 2026-05-01", d.Message);
        }

        [Fact]
        public void On_the_included_expiry_day_activation_is_a_new_term_not_a_replacement()
        {
            var included = Record(SubscriptionKind.Included, new DateTime(2024, 9, 1), 1); // expires 2025-09-01 = Today
            var d = ActivationRules.DecidePurchased(SmartUps, "AID-3", SubscriptionPartNumber.Parse("SWNMC3SU-1Y-DIGI"), null, included, Today);
            Assert.Equal(ActivationEffect.ReplacesExpired, d.Effect);
            var dayBefore = ActivationRules.DecidePurchased(SmartUps, "AID-3", SubscriptionPartNumber.Parse("SWNMC3SU-1Y-DIGI"), null, included, Today.AddDays(-1));
            Assert.Equal(ActivationEffect.ReplacesIncluded, dayBefore.Effect);
        }

        [Fact]
        public void Renewing_a_current_purchased_subscription_follows_on_from_its_expiry()
        {
            var current = Record(SubscriptionKind.Purchased, new DateTime(2024, 10, 1), 1, "AID-1"); // expires 2025-10-01, 30 days left
            var d = ActivationRules.DecidePurchased(SmartUps, "AID-4", SubscriptionPartNumber.Parse("SWNMC3SU-2Y-DIGI"), null, current, Today);
            Assert.Equal(ActivationEffect.Renews, d.Effect);
            Assert.Equal(Today, d.ValidFrom);
            Assert.Equal(new DateTime(2025, 10, 1), d.TermStartsOn);
            Assert.Equal(new DateTime(2027, 10, 1), d.ExpiresOn);
        }

        [Fact]
        public void Included_subscription_depends_on_the_purchase_date()
        {
            var before = ActivationRules.DecideIncluded(Pdu, new DateTime(2024, 3, 31), null, Today);
            Assert.Equal(LicensingErrorCode.NoIncludedSubscription, before.Error);
            Assert.Contains("before 1 April 2024", before.Message);

            var onCutoff = ActivationRules.DecideIncluded(Pdu, new DateTime(2024, 4, 1), null, Today);
            Assert.True(onCutoff.Allowed);
            Assert.Equal(new DateTime(2024, 4, 1), onCutoff.ValidFrom);
            Assert.Equal(new DateTime(2025, 4, 1), onCutoff.ExpiresOn);

            var unknown = ActivationRules.DecideIncluded(Pdu, null, null, Today);
            Assert.Equal(LicensingErrorCode.NoIncludedSubscription, unknown.Error);
            Assert.Contains("Customer Care Center", unknown.Message);
        }

        [Fact]
        public void Retrieving_the_included_subscription_keeps_a_purchased_one()
        {
            var purchased = Record(SubscriptionKind.Purchased, Today.AddDays(-5), 3, "AID-9");
            var d = ActivationRules.DecideIncluded(SmartUps, new DateTime(2025, 1, 1), purchased, Today);
            Assert.Equal(ActivationEffect.AlreadyActive, d.Effect);
            Assert.Same(purchased, d.Current);
        }
    }
}
