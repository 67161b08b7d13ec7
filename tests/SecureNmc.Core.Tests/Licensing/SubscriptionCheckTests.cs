using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;
using SecureNmc.Simulator.Licensing;

namespace SecureNmc.Core.Tests.Licensing
{
    public class SubscriptionCheckTests
    {
        private static readonly DateTime Today = new DateTime(2025, 9, 1);

        [Fact]
        public async Task Check_License_finds_the_included_subscription_from_the_1_April_2024_cutoff()
        {
            using (var env = new LicensingTestEnvironment(Today))
            {
                env.Database.AddCard("ONCUTOFF", "00:C0:B7:00:00:01", new DateTime(2024, 4, 1));
                env.Database.AddCard("DAYBEFORE", "00:C0:B7:00:00:02", new DateTime(2024, 3, 31));
                env.Database.AddCard("RECENT", "00:C0:B7:00:00:03", new DateTime(2025, 3, 1));
                var manager = env.SignedInManager();
                env.Clock.SetDay(new DateTime(2024, 6, 1));
                var statuses = await manager.CheckAsync(new[]
                {
                    LicensingTestEnvironment.Device("ONCUTOFF", ApplicationType.RPDU2G, "00:C0:B7:00:00:01"),
                    LicensingTestEnvironment.Device("DAYBEFORE", ApplicationType.RPDU2G, "00:C0:B7:00:00:02"),
                    LicensingTestEnvironment.Device("RECENT", ApplicationType.EU1P, "00:C0:B7:00:00:03"),
                    LicensingTestEnvironment.Device("NEVERSOLD", ApplicationType.SU, ""),
                }, null, TestTimeout.Token());

                Assert.Equal(SubscriptionState.Included, statuses[0].State);
                Assert.Equal(SubscriptionKind.Included, statuses[0].Kind);
                Assert.Equal(new DateTime(2024, 4, 1), statuses[0].ActivatedOn);
                Assert.Equal(new DateTime(2025, 4, 1), statuses[0].ExpiresOn);
                Assert.Equal(304, statuses[0].DaysLeft);
                Assert.Equal(SubscriptionFamily.RackPdu, statuses[0].Family);
                Assert.Equal(SubscriptionState.None, statuses[1].State);
                Assert.Null(statuses[1].Error);
                Assert.Equal(SubscriptionState.None, statuses[2].State); // bought in 2025: not yet on 2024-06-01
                Assert.Equal(SubscriptionState.None, statuses[3].State);
                Assert.All(statuses, s => Assert.True(s.CheckedWithService));
                Assert.NotNull(manager.Store.Current("ONCUTOFF"));
            }
        }

        [Fact]
        public async Task Many_cards_are_checked_concurrently_in_batches_with_progress_for_each()
        {
            using (var env = new LicensingTestEnvironment(Today))
            {
                var devices = Enumerable.Range(1, 40).Select(i =>
                {
                    string serial = $"FLEET{i:D4}";
                    env.Database.AddCard(serial, $"28:29:86:00:01:{i:X2}", new DateTime(2025, 1, 1));
                    return LicensingTestEnvironment.Device(serial, ApplicationType.SU, $"28:29:86:00:01:{i:X2}");
                }).ToList();
                devices.Add(new NmcDevice { Host = "not-queried.example" }); // no serial yet
                env.Host.ResponseDelay = TimeSpan.FromMilliseconds(150);
                var manager = env.NewManager(tune: o => { o.CardsPerCheckCall = 5; o.MaxConcurrentRequests = 4; });
                await manager.Account.ConnectAsync(new System.Net.NetworkCredential(LicensingTestEnvironment.User, LicensingTestEnvironment.Password), false, TestTimeout.Token());
                var progress = new ProgressRecorder();

                var statuses = await manager.CheckAsync(devices, progress, TestTimeout.Token());

                Assert.Equal(41, statuses.Count);
                Assert.All(statuses.Take(40), s => Assert.Equal(SubscriptionState.Included, s.State));
                Assert.Equal(Enumerable.Range(1, 40).Select(i => $"FLEET{i:D4}"), statuses.Take(40).Select(s => s.CardSerial)); // input order kept
                Assert.Equal(LicensingErrorCode.CardNotQueried, statuses[40].ErrorCode);
                Assert.Contains("not-queried.example", statuses[40].Error);
                Assert.Equal(8, env.Host.CheckCalls);
                Assert.True(env.Host.MaxConcurrentRequests > 1, "check calls should overlap");
                Assert.True(env.Host.MaxConcurrentRequests <= 4);
                var reports = progress.Reports.ToList();
                Assert.Equal(41, reports.Count);
                Assert.Equal(Enumerable.Range(1, 41), reports.Select(r => r.Completed).OrderBy(c => c));
                Assert.All(reports, r => Assert.Equal(41, r.Total));
                Assert.All(reports, r => Assert.Equal(SubscriptionManager.CheckActivity, r.Activity));
            }
        }

        [Fact]
        public async Task States_follow_the_calendar_warning_at_30_days_and_expired_on_the_expiry_day()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 5, 10)))
            {
                env.Database.AddActivationId("AID-TERM", "SWNMC3SU-1Y-DIGI");
                var device = LicensingTestEnvironment.Device("TERM1", ApplicationType.SY, "28:29:86:00:00:10");
                var manager = env.SignedInManager();
                var outcome = (await manager.ActivateAsync(new[] { new ActivationRequest(device, "AID-TERM") }, null, TestTimeout.Token()))[0];
                Assert.True(outcome.Succeeded, outcome.Message);
                var expires = new DateTime(2026, 5, 10);
                Assert.Equal(expires, outcome.Subscription!.ExpiresOn);
                var gate = new SubscriptionGate(manager.Store);

                async Task<SubscriptionStatus> On(DateTime day)
                {
                    env.Clock.SetDay(day);
                    return (await manager.CheckAsync(new[] { device }, null, TestTimeout.Token()))[0];
                }

                var d31 = await On(expires.AddDays(-31));
                Assert.Equal(SubscriptionState.Active, d31.State);
                Assert.Null(d31.Warning);

                var d30 = await On(expires.AddDays(-30));
                Assert.Equal(SubscriptionState.ExpiringSoon, d30.State);
                Assert.Equal(30, d30.DaysLeft);
                Assert.Contains("expires in 30 days (on 2026-05-10)", d30.Warning);

                var d1 = await On(expires.AddDays(-1));
                Assert.Equal(SubscriptionState.ExpiringSoon, d1.State);
                Assert.Contains("expires in 1 day ", d1.Warning);
                Assert.True(gate.IsLicensedForUpdate(device, expires.AddDays(-1)));

                var d0 = await On(expires);
                Assert.Equal(SubscriptionState.Expired, d0.State);
                Assert.Equal(0, d0.DaysLeft);
                Assert.Contains("cannot be renewed", d0.Warning);
                Assert.False(gate.IsLicensedForUpdate(device, expires));
            }
        }

        [Fact]
        public async Task A_hand_edited_licence_store_cannot_fake_a_subscription()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 9, 1)))
            {
                env.Database.AddCard("EDITED1", "28:29:86:00:00:20", new DateTime(2024, 9, 15)); // included until 2025-09-15
                var device = LicensingTestEnvironment.Device("EDITED1", ApplicationType.SU, "28:29:86:00:00:20");
                var manager = env.SignedInManager();
                await manager.CheckAsync(new[] { device }, null, TestTimeout.Token());
                var gate = new SubscriptionGate(manager.Store);
                var later = new DateTime(2026, 6, 1);
                Assert.False(gate.IsLicensedForUpdate(device, later));

                // Push the expiry out by a year, keeping the record self-consistent: only the signature can tell.
                var path = manager.Store.FilePath;
                var text = File.ReadAllText(path)
                    .Replace("\"termStartsOn\": \"2024-09-15\"", "\"termStartsOn\": \"2025-09-15\"")
                    .Replace("\"expiresOn\": \"2025-09-15\"", "\"expiresOn\": \"2026-09-15\"");
                Assert.Contains("2026-09-15", text);
                File.WriteAllText(path, text);
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));

                var fresh = new LicenceStore(path, env.Signer.PublicKey);
                Assert.Null(fresh.Current("EDITED1"));
                Assert.Contains(fresh.Rejected, r => r.Contains("EDITED1") && r.Contains("does not match its content"));
                Assert.False(new SubscriptionGate(fresh).IsLicensedForUpdate(device, later));
                Assert.False(gate.IsLicensedForUpdate(device, later));
                Assert.Equal(SubscriptionState.None, manager.GetStoredStatus(new[] { device })[0].State);
            }
        }

        [Fact]
        public async Task Licences_from_a_service_with_another_key_are_rejected_and_not_stored()
        {
            using (var env = new LicensingTestEnvironment(Today))
            using (var impostor = LicenceSigner.CreateNew())
            {
                env.Database.AddCard("MITM1", "28:29:86:00:00:30", new DateTime(2025, 2, 1));
                var manager = env.NewManager(trustedKey: impostor.PublicKey); // the client trusts a different key
                await manager.Account.ConnectAsync(new System.Net.NetworkCredential(LicensingTestEnvironment.User, LicensingTestEnvironment.Password), false, TestTimeout.Token());
                var status = (await manager.CheckAsync(new[] { LicensingTestEnvironment.Device("MITM1", ApplicationType.SU, "28:29:86:00:00:30") }, null, TestTimeout.Token()))[0];
                Assert.Equal(LicensingErrorCode.SignatureInvalid, status.ErrorCode);
                Assert.Equal(SubscriptionState.None, status.State);
                Assert.Empty(manager.Store.All());
            }
        }

        [Fact]
        public async Task A_card_reporting_another_mac_for_a_registered_serial_is_not_licensed()
        {
            using (var env = new LicensingTestEnvironment(Today))
            {
                env.Database.AddCard("CLONE1", "28:29:86:00:00:40", new DateTime(2025, 2, 1));
                var manager = env.SignedInManager();
                var status = (await manager.CheckAsync(new[] { LicensingTestEnvironment.Device("CLONE1", ApplicationType.SU, "28:29:86:00:00:41") }, null, TestTimeout.Token()))[0];
                Assert.Equal(LicensingErrorCode.CardIdentityMismatch, status.ErrorCode);
                Assert.Contains("registered with MAC address 28:29:86:00:00:40", status.Error);
                Assert.False(status.LicensesUpdate);
            }
        }

        [Fact]
        public async Task A_transient_service_failure_is_retried()
        {
            using (var env = new LicensingTestEnvironment(Today))
            {
                env.Database.AddCard("RETRY1", "28:29:86:00:00:50", new DateTime(2025, 2, 1));
                var manager = env.SignedInManager();
                env.Host.FailNextRequests(2, 503);
                var status = (await manager.CheckAsync(new[] { LicensingTestEnvironment.Device("RETRY1", ApplicationType.SU, "28:29:86:00:00:50") }, null, TestTimeout.Token()))[0];
                Assert.Null(status.Error);
                Assert.Equal(SubscriptionState.Included, status.State);

                env.Host.FailNextRequests(3, 503); // more failures than attempts: reported per card, stored licence kept
                var failed = (await manager.CheckAsync(new[] { LicensingTestEnvironment.Device("RETRY1", ApplicationType.SU, "28:29:86:00:00:50") }, null, TestTimeout.Token()))[0];
                Assert.Equal(LicensingErrorCode.ServiceUnavailable, failed.ErrorCode);
                Assert.Equal(SubscriptionState.Included, failed.State);
                Assert.False(failed.CheckedWithService);
            }
        }

        [Fact]
        public async Task An_unreachable_service_is_a_per_card_error_naming_the_endpoint()
        {
            using (var env = new LicensingTestEnvironment(Today))
            {
                var manager = env.SignedInManager();
                env.Host.Dispose(); // service gone
                var status = (await manager.CheckAsync(new[] { LicensingTestEnvironment.Device("GONE1", ApplicationType.SU) }, null, TestTimeout.Token()))[0];
                Assert.Equal(LicensingErrorCode.ServiceUnavailable, status.ErrorCode);
                Assert.Contains(env.Host.Endpoint.ToString(), status.Error);
            }
        }
    }
}
