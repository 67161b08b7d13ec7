using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Licensing.Sessions;
using SecureNmc.Core.Security;
using SecureNmc.Core.Settings;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Core.Updates;
using SecureNmc.Simulator.Licensing;

namespace SecureNmc.Core.Tests.Licensing
{
    /// <summary>
    /// The factory the cmdlets use: one manager per session and configuration (so a sign-in carries from
    /// one command to the next), and an update planner whose subscription gate reads the verified store
    /// and fails closed without a trusted key.
    /// </summary>
    public class LicensingSessionsTests
    {
        private static readonly FirmwareCatalog Catalog = new FirmwareCatalog(new[]
        {
            new FirmwarePackage(FirmwarePackageName.Parse(TestFirmware.FileName(ApplicationType.SU, "2.5.0.6")), 1000, new string('a', 64)),
        });

        private static NmcDevice Card(string serial) => new NmcDevice
        {
            Host = "10.0.0.1", Name = "ups-" + serial.ToLowerInvariant(), Model = "AP9641", ApplicationType = ApplicationType.SU,
            ApplicationVersion = "2.4.0.1", AosVersion = "2.4.0.1", BootloaderVersion = "1.5.1.1",
            SerialNumber = serial, MacAddress = "28:29:86:00:13:01",
        };

        private static NmcSettings SettingsFor(LicensingTestEnvironment env, Uri? endpoint = null, string? key = null)
        {
            var settings = new NmcSettings();
            settings.LicensingEndpoint = (endpoint ?? env.Host.Endpoint).AbsoluteUri;
            settings.LicensingServiceKey = key ?? env.Signer.PublicKey.ToBase64();
            return settings;
        }

        [Fact]
        public async Task Commands_of_one_session_share_the_manager_and_so_the_sign_in()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 9, 1)))
            {
                var folder = DataFolder.ForRoot(env.NewDataFolder());
                var protector = new KeyFileCredentialProtector(folder);
                var settings = SettingsFor(env);

                var connect = LicensingSessions.GetManager(settings, folder, protector, env.Clock);
                await connect.Account.ConnectAsync(new NetworkCredential(LicensingTestEnvironment.User, LicensingTestEnvironment.Password), false, TestTimeout.Token());
                // The next command reads the settings again: equal values, so the same signed-in manager.
                var check = LicensingSessions.GetManager(SettingsFor(env), folder, protector, env.Clock);
                Assert.Same(connect, check);
                Assert.Equal(LicensingTestEnvironment.User, check.Account.Current?.Account);

                // Another data folder is another session state.
                var otherFolder = DataFolder.ForRoot(env.NewDataFolder());
                var other = LicensingSessions.GetManager(settings, otherFolder, new KeyFileCredentialProtector(otherFolder), env.Clock);
                Assert.NotSame(connect, other);
                Assert.Null(other.Account.Current);

                Assert.Equal(2, LicensingSessions.Forget(env.Host.Endpoint));
                var fresh = LicensingSessions.GetManager(settings, folder, protector, env.Clock);
                Assert.NotSame(connect, fresh);
                Assert.Null(fresh.Account.Current); // no stay-signed-in: the sign-in ended with the forgotten manager
                LicensingSessions.Forget(env.Host.Endpoint);
            }
        }

        [Fact]
        public void A_token_is_never_handed_to_a_manager_for_another_endpoint()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 9, 1)))
            using (var second = new LicensingTestEnvironment(new DateTime(2025, 9, 1)))
            {
                var folder = DataFolder.ForRoot(env.NewDataFolder());
                var protector = new KeyFileCredentialProtector(folder);
                var first = LicensingSessions.GetManager(SettingsFor(env), folder, protector, env.Clock);
                first.Account.ConnectAsync(new NetworkCredential(LicensingTestEnvironment.User, LicensingTestEnvironment.Password), false, TestTimeout.Token()).GetAwaiter().GetResult();

                var moved = LicensingSessions.GetManager(SettingsFor(env, second.Host.Endpoint, second.Signer.PublicKey.ToBase64()), folder, protector, env.Clock);
                Assert.NotSame(first, moved);
                Assert.Null(moved.Account.Current);
                LicensingSessions.Forget(env.Host.Endpoint);
                LicensingSessions.Forget(second.Host.Endpoint);
            }
        }

        [Fact]
        public void Missing_settings_name_the_setting_to_set()
        {
            var folder = DataFolder.ForRoot(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "snmc-unset-" + Guid.NewGuid().ToString("N")));
            var noEndpoint = Assert.Throws<ArgumentException>(() => LicensingSessions.GetManager(new NmcSettings(), folder, new KeyFileCredentialProtector(folder)));
            Assert.Contains("LicensingEndpoint", noEndpoint.Message);
            var settings = new NmcSettings { LicensingEndpoint = "https://licensing.example.com/snmc/" };
            var noKey = Assert.Throws<ArgumentException>(() => LicensingSessions.GetManager(settings, folder, new KeyFileCredentialProtector(folder)));
            Assert.Contains("LicensingServiceKey", noKey.Message);
            Assert.False(System.IO.Directory.Exists(folder.Root)); // nothing was written
        }

        [Fact]
        public void Without_a_trusted_key_the_update_gate_fails_closed_and_says_which_setting_to_set()
        {
            var folder = DataFolder.ForRoot(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "snmc-nokey-" + Guid.NewGuid().ToString("N")));
            var planner = LicensingSessions.CreatePlanner(Catalog, new NmcSettings(), folder);
            var plan = planner.Plan(Card("NOKEY1"), new UpdatePlanOptions());
            Assert.Equal(DeviceStatus.ActivateSubscriptionToUpdate, plan.Status);
            Assert.True(plan.SubscriptionChecked);
            Assert.Contains("LicensingServiceKey", plan.Reason);
        }

        [Fact]
        public async Task The_planner_the_update_commands_build_is_blocked_until_activation_then_ready()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 9, 1)))
            {
                env.Database.AddCard("SESSGATE1", "28:29:86:00:13:01", new DateTime(2024, 1, 10)); // before April 2024: nothing included
                env.Database.AddActivationId("AID-SESS-1", "SWNMC3SU-1Y-DIGI");
                var folder = DataFolder.ForRoot(env.NewDataFolder());
                var settings = SettingsFor(env);
                var device = Card("SESSGATE1");
                var planner = LicensingSessions.CreatePlanner(Catalog, settings, folder, env.Clock);

                var blocked = planner.Plan(device, new UpdatePlanOptions());
                Assert.Equal(DeviceStatus.ActivateSubscriptionToUpdate, blocked.Status);

                var manager = LicensingSessions.GetManager(settings, folder, new KeyFileCredentialProtector(folder), env.Clock);
                await manager.Account.ConnectAsync(new NetworkCredential(LicensingTestEnvironment.User, LicensingTestEnvironment.Password), false, TestTimeout.Token());
                var checkedBefore = (await manager.CheckAsync(new[] { device }, null, TestTimeout.Token()))[0];
                Assert.Equal(SubscriptionState.None, checkedBefore.State);
                var outcome = (await manager.ActivateAsync(new[] { new ActivationRequest(device, "AID-SESS-1") }, null, TestTimeout.Token()))[0];
                Assert.True(outcome.Succeeded, outcome.Message);

                // The planner was built before the activation: it reads the store, not a snapshot.
                var ready = planner.Plan(device, new UpdatePlanOptions());
                Assert.Equal(DeviceStatus.ReadyForUpdate, ready.Status);

                // The same licence under a configuration that trusts another key licenses nothing.
                using (var stranger = LicenceSigner.CreateNew())
                {
                    var distrusting = new NmcSettings { LicensingServiceKey = stranger.PublicKey.ToBase64() };
                    var plan = LicensingSessions.CreatePlanner(Catalog, distrusting, folder, env.Clock).Plan(device, new UpdatePlanOptions());
                    Assert.Equal(DeviceStatus.ActivateSubscriptionToUpdate, plan.Status);
                }
                LicensingSessions.Forget(env.Host.Endpoint);
            }
        }

        [Fact]
        public async Task A_shared_manager_logs_into_the_command_that_is_using_it()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 9, 1)))
            {
                var folder = DataFolder.ForRoot(env.NewDataFolder());
                var manager = LicensingSessions.GetManager(SettingsFor(env), folder, new KeyFileCredentialProtector(folder), env.Clock);
                var first = new CapturingLogger();
                var second = new CapturingLogger();

                using (RoutedLogger.RouteTo(first))
                    await Task.Run(() => manager.Account.ConnectAsync(new NetworkCredential(LicensingTestEnvironment.User, LicensingTestEnvironment.Password), false, TestTimeout.Token()));
                using (RoutedLogger.RouteTo(second))
                    await manager.CheckAsync(new[] { LicensingTestEnvironment.Device("ROUTED1", ApplicationType.SU, "28:29:86:00:13:09") }, null, TestTimeout.Token());
                await manager.CheckAsync(new[] { LicensingTestEnvironment.Device("UNROUTED", ApplicationType.SU, "28:29:86:00:13:0A") }, null, TestTimeout.Token());

                Assert.Contains(first.Lines, l => l.Contains("Signed in"));
                Assert.DoesNotContain(first.Lines, l => l.Contains("Checking licences"));
                Assert.Contains(second.Lines, l => l.Contains("Checking licences of 1 card"));
                Assert.DoesNotContain(second.Lines, l => l.Contains("Signed in"));
                Assert.Single(second.Lines, l => l.Contains("Checking licences"));
                Assert.DoesNotContain(first.Lines.Concat(second.Lines), l => l.Contains(LicensingTestEnvironment.Password));
                LicensingSessions.Forget(env.Host.Endpoint);
            }
        }
    }
}
