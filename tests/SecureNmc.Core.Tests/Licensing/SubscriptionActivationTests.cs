using System;
using System.Linq;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;

namespace SecureNmc.Core.Tests.Licensing
{
    public class SubscriptionActivationTests
    {
        [Fact]
        public async Task Activating_during_the_included_year_replaces_it_from_the_activation_day()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 1, 20)))
            {
                env.Database.AddCard("INC1", "28:29:86:00:01:01", new DateTime(2024, 11, 1)); // included until 2025-11-01
                env.Database.AddActivationId("AID-INC1", "SWNMC3SU-3Y-DIGI");
                var device = LicensingTestEnvironment.Device("INC1", ApplicationType.SU, "28:29:86:00:01:01", "ups-rack-1");
                var manager = env.SignedInManager();
                var before = (await manager.CheckAsync(new[] { device }, null, TestTimeout.Token()))[0];
                Assert.Equal(SubscriptionState.Included, before.State);

                env.Clock.SetDay(new DateTime(2025, 6, 10)); // still inside the included year
                Assert.Contains("replaces the included subscription expiring 2025-11-01", manager.DescribeActivation(device, "AID-INC1"));
                var outcome = (await manager.ActivateAsync(new[] { new ActivationRequest(device, "aid-inc1") }, null, TestTimeout.Token()))[0];

                Assert.True(outcome.Succeeded, outcome.Message);
                Assert.Equal(ActivationEffect.ReplacesIncluded, outcome.Effect);
                Assert.Contains("replaces the included subscription expiring 2025-11-01", outcome.Message);
                var s = outcome.Subscription!;
                Assert.Equal(SubscriptionState.Active, s.State);
                Assert.Equal(SubscriptionKind.Purchased, s.Kind);
                Assert.Equal("AID-INC1", s.ActivationId);
                Assert.Equal("SWNMC3SU-3Y-DIGI", s.PartNumber);
                Assert.Equal(3, s.TermYears);
                Assert.Equal(new DateTime(2025, 6, 10), s.ActivatedOn);
                Assert.Equal(new DateTime(2028, 6, 10), s.ExpiresOn);
                Assert.Equal(before.Record!.RecordId, s.Record!.Replaces);
                Assert.Equal("AID-INC1", manager.Store.Current("INC1")!.ActivationId);
                Assert.Equal("ups-rack-1", outcome.DeviceName);
            }
        }

        [Fact]
        public async Task A_purchased_term_starts_when_activated_not_when_bought()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2024, 5, 1)))
            {
                env.Database.AddActivationId("AID-SHELF", "SWNMC3PDU-2Y-DIGI"); // bought 2024-05-01, kept on the shelf
                var device = LicensingTestEnvironment.Device("SHELF1", ApplicationType.RPDU2G, "00:C0:B7:00:02:01");
                var manager = env.SignedInManager();
                env.Clock.SetDay(new DateTime(2025, 10, 3));
                var outcome = (await manager.ActivateAsync(new[] { new ActivationRequest(device, "AID-SHELF") }, null, TestTimeout.Token()))[0];
                Assert.Equal(ActivationEffect.NewSubscription, outcome.Effect);
                Assert.Equal(new DateTime(2025, 10, 3), outcome.Subscription!.ActivatedOn);
                Assert.Equal(new DateTime(2027, 10, 3), outcome.Subscription.ExpiresOn);
            }
        }

        [Fact]
        public async Task A_wrong_family_activation_is_refused_naming_both_families()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 9, 1)))
            {
                env.Database.AddActivationId("AID-PDU", "SWNMC3PDU-1Y-DIGI");
                env.Database.AddActivationId("AID-EU1P", "FWENMC1P-ST2Y-DIGI");
                var ups = LicensingTestEnvironment.Device("FAM1", ApplicationType.SU, "28:29:86:00:03:01", "ups-a");
                var pdu = LicensingTestEnvironment.Device("FAM2", ApplicationType.RPDU2G, "00:C0:B7:00:03:02", "pdu-b");
                var manager = env.SignedInManager();
                var outcomes = await manager.ActivateAsync(new[] { new ActivationRequest(ups, "AID-PDU"), new ActivationRequest(pdu, "AID-EU1P") }, null, TestTimeout.Token());

                Assert.False(outcomes[0].Succeeded);
                Assert.Equal(LicensingErrorCode.FamilyMismatch, outcomes[0].ErrorCode);
                Assert.Contains("ups-a", outcomes[0].Message);
                Assert.Contains("rack PDU subscription (SWNMC3PDU-1Y-DIGI)", outcomes[0].Message);
                Assert.Contains("Smart-UPS family subscription (SWNMC3SU-nY-DIGI", outcomes[0].Message);
                Assert.Equal(LicensingErrorCode.FamilyMismatch, outcomes[1].ErrorCode);
                Assert.Contains("Easy UPS On-Line subscription (FWENMC1P-ST2Y-DIGI)", outcomes[1].Message);
                Assert.Contains("rack PDU subscription (SWNMC3PDU-nY-DIGI", outcomes[1].Message);
                Assert.Null(env.Database.ActivationIdUsedBy("AID-PDU")); // the refused ID is still unused
                Assert.Empty(manager.Store.All());
            }
        }

        [Fact]
        public async Task An_activation_id_licenses_one_card()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 9, 1)))
            {
                env.Database.AddActivationId("AID-ONE", "SWNMC3SU-1Y-DIGI");
                var first = LicensingTestEnvironment.Device("ONE1", ApplicationType.SU, "28:29:86:00:04:01");
                var second = LicensingTestEnvironment.Device("ONE2", ApplicationType.SUCAN, "28:29:86:00:04:02", "second-ups");
                var manager = env.SignedInManager();
                var outcomes = await manager.ActivateAsync(new[] { new ActivationRequest(first, "AID-ONE"), new ActivationRequest(second, "AID-ONE") }, null, TestTimeout.Token());
                Assert.Equal(1, outcomes.Count(o => o.Succeeded));
                var refused = outcomes.Single(o => !o.Succeeded);
                var winner = outcomes.Single(o => o.Succeeded);
                Assert.Equal(LicensingErrorCode.ActivationIdAlreadyUsed, refused.ErrorCode);
                Assert.Contains($"already licenses card {winner.CardSerial}", refused.Message);
                Assert.Contains("an Activation ID licenses one card", refused.Message);

                // Re-running the same activation on the card it licenses is harmless.
                var again = (await manager.ActivateAsync(new[] { new ActivationRequest(winner.CardSerial == "ONE1" ? first : second, "AID-ONE") }, null, TestTimeout.Token()))[0];
                Assert.True(again.Succeeded);
                Assert.Equal(ActivationEffect.AlreadyActive, again.Effect);
                Assert.Single(env.Database.RecordsFor(winner.CardSerial));
            }
        }

        [Fact]
        public async Task An_expired_subscription_cannot_be_renewed_a_new_id_starts_a_new_term()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 3, 1)))
            {
                env.Database.AddActivationId("AID-OLD", "FWENMC1P-ST1Y-DIGI");
                env.Database.AddActivationId("AID-NEW", "FWENMC1P-ST2Y-DIGI");
                var device = LicensingTestEnvironment.Device("EXP1", ApplicationType.EU1P, "28:29:86:00:05:01");
                var manager = env.SignedInManager();
                Assert.True((await manager.ActivateAsync(new[] { new ActivationRequest(device, "AID-OLD") }, null, TestTimeout.Token()))[0].Succeeded);

                env.Clock.SetDay(new DateTime(2026, 3, 1)); // the expiry day
                var renewOld = (await manager.ActivateAsync(new[] { new ActivationRequest(device, "AID-OLD") }, null, TestTimeout.Token()))[0];
                Assert.Equal(LicensingErrorCode.SubscriptionExpired, renewOld.ErrorCode);
                Assert.Contains("cannot be renewed", renewOld.Message);
                Assert.Equal(SubscriptionState.Expired, renewOld.Subscription!.State);

                env.Clock.SetDay(new DateTime(2026, 4, 15));
                Assert.Contains("cannot be renewed", manager.DescribeActivation(device, "AID-NEW"));
                var fresh = (await manager.ActivateAsync(new[] { new ActivationRequest(device, "AID-NEW") }, null, TestTimeout.Token()))[0];
                Assert.Equal(ActivationEffect.ReplacesExpired, fresh.Effect);
                Assert.Equal(new DateTime(2026, 4, 15), fresh.Subscription!.ActivatedOn);
                Assert.Equal(new DateTime(2028, 4, 15), fresh.Subscription.ExpiresOn);
            }
        }

        [Fact]
        public async Task Renewing_before_expiry_extends_from_the_old_expiry_day()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 1, 15)))
            {
                env.Database.AddActivationId("AID-R1", "SWNMC3PDU-1Y-DIGI");
                env.Database.AddActivationId("AID-R2", "SWNMC3PDU-2Y-DIGI");
                var device = LicensingTestEnvironment.Device("REN1", ApplicationType.RPDU2G, "00:C0:B7:00:06:01");
                var manager = env.SignedInManager();
                await manager.ActivateAsync(new[] { new ActivationRequest(device, "AID-R1") }, null, TestTimeout.Token());
                env.Clock.SetDay(new DateTime(2025, 12, 20)); // amber: 26 days left
                Assert.Contains("renews the subscription expiring 2026-01-15", manager.DescribeActivation(device, "AID-R2"));
                var renewed = (await manager.ActivateAsync(new[] { new ActivationRequest(device, "AID-R2") }, null, TestTimeout.Token()))[0];
                Assert.Equal(ActivationEffect.Renews, renewed.Effect);
                Assert.Equal(new DateTime(2028, 1, 15), renewed.Subscription!.ExpiresOn);
                Assert.Equal(SubscriptionState.Active, renewed.Subscription.State);
            }
        }

        [Theory]
        [InlineData(1, 2029, 3, 1)]
        [InlineData(4, 2032, 2, 29)]
        public async Task Activation_on_29_February(int years, int ey, int em, int ed)
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2028, 2, 29)))
            {
                env.Database.AddActivationId("AID-LEAP", $"SWNMC3SU-{years}Y-DIGI");
                var device = LicensingTestEnvironment.Device("LEAP1", ApplicationType.PX, "28:29:86:00:07:01");
                var manager = env.SignedInManager();
                var outcome = (await manager.ActivateAsync(new[] { new ActivationRequest(device, "AID-LEAP") }, null, TestTimeout.Token()))[0];
                Assert.Equal(new DateTime(2028, 2, 29), outcome.Subscription!.ActivatedOn);
                Assert.Equal(new DateTime(ey, em, ed), outcome.Subscription.ExpiresOn);
                var gate = new SubscriptionGate(manager.Store);
                Assert.True(gate.IsLicensedForUpdate(device, new DateTime(ey, em, ed).AddDays(-1)));
                Assert.False(gate.IsLicensedForUpdate(device, new DateTime(ey, em, ed)));
            }
        }

        [Fact]
        public async Task Without_an_activation_id_the_included_subscription_is_retrieved_or_refused()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 2, 1)))
            {
                env.Database.AddCard("NEWCARD", "28:29:86:00:08:01", new DateTime(2024, 12, 24));
                env.Database.AddCard("OLDCARD", "28:29:86:00:08:02", new DateTime(2023, 7, 1));
                env.Database.AddCard("STALE", "28:29:86:00:08:03", new DateTime(2024, 1, 10));
                env.Database.AddCard("LAPSED", "28:29:86:00:08:04", new DateTime(2024, 1, 31));
                var manager = env.SignedInManager();
                var devices = new[]
                {
                    LicensingTestEnvironment.Device("NEWCARD", ApplicationType.SU, "28:29:86:00:08:01"),
                    LicensingTestEnvironment.Device("OLDCARD", ApplicationType.SU, "28:29:86:00:08:02"),
                    LicensingTestEnvironment.Device("UNSOLD", ApplicationType.SU, "28:29:86:00:08:05"),
                };
                var progress = new ProgressRecorder();
                var outcomes = await manager.ActivateAsync(devices.Select(d => new ActivationRequest(d)), progress, TestTimeout.Token());

                Assert.True(outcomes[0].Succeeded);
                Assert.Null(outcomes[0].ActivationId);
                Assert.Equal(SubscriptionState.Included, outcomes[0].Subscription!.State);
                Assert.Equal(new DateTime(2025, 12, 24), outcomes[0].Subscription!.ExpiresOn);
                Assert.Equal(LicensingErrorCode.NoIncludedSubscription, outcomes[1].ErrorCode);
                Assert.Contains("bought on 2023-07-01, before 1 April 2024", outcomes[1].Message);
                Assert.Equal(LicensingErrorCode.NoIncludedSubscription, outcomes[2].ErrorCode);
                Assert.Contains("no purchase record", outcomes[2].Message);
                Assert.Equal(3, progress.Reports.Count);
                Assert.All(progress.Reports, r => Assert.Equal(SubscriptionManager.ActivateActivity, r.Activity));
            }
        }

        [Fact]
        public async Task An_unknown_activation_id_is_refused()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 2, 1)))
            {
                var manager = env.SignedInManager();
                var outcome = (await manager.ActivateAsync(new[] { new ActivationRequest(LicensingTestEnvironment.Device("U1", ApplicationType.SU), "NO-SUCH-ID") }, null, TestTimeout.Token()))[0];
                Assert.Equal(LicensingErrorCode.UnknownActivationId, outcome.ErrorCode);
                Assert.Contains("NO-SUCH-ID is not known", outcome.Message);
            }
        }

        [Fact]
        public async Task The_update_gate_opens_only_after_activation_and_only_for_the_right_family()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 9, 1)))
            {
                env.Database.AddActivationId("AID-GATE", "SWNMC3SU-1Y-DIGI");
                var device = LicensingTestEnvironment.Device("GATE1", ApplicationType.SU, "28:29:86:00:09:01");
                var manager = env.SignedInManager();
                var gate = new SubscriptionGate(manager.Store);
                Assert.False(gate.IsLicensedForUpdate(device, env.Clock.UtcNow.UtcDateTime));
                Assert.Contains("no Secure NMC subscription on record", gate.ReasonNotLicensed(device, env.Clock.UtcNow.UtcDateTime));
                await manager.ActivateAsync(new[] { new ActivationRequest(device, "AID-GATE") }, null, TestTimeout.Token());
                Assert.True(gate.IsLicensedForUpdate(device, env.Clock.UtcNow.UtcDateTime));

                // An inventory entry edited to claim another family (or another MAC) does not inherit the licence.
                var edited = device.Clone();
                edited.ApplicationType = ApplicationType.RPDU2G;
                Assert.False(gate.IsLicensedForUpdate(edited, env.Clock.UtcNow.UtcDateTime));
                var otherMac = device.Clone();
                otherMac.MacAddress = "28:29:86:00:09:99";
                Assert.False(gate.IsLicensedForUpdate(otherMac, env.Clock.UtcNow.UtcDateTime));
                Assert.Contains("MAC address", gate.ReasonNotLicensed(otherMac, env.Clock.UtcNow.UtcDateTime));
            }
        }
    }
}
