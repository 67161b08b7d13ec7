using System;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.Licensing
{
    /// <summary>The update planner asks the licensing gate: blocked before activation, ready after, blocked again once expired.</summary>
    public class UpdateGateIntegrationTests
    {
        private static readonly FirmwareCatalog Catalog = new FirmwareCatalog(new[]
        {
            new FirmwarePackage(FirmwarePackageName.Parse(TestFirmware.FileName(ApplicationType.SU, "2.5.0.6")), 1000, new string('a', 64)),
        });

        private static NmcDevice Card() => new NmcDevice
        {
            Host = "10.0.0.1", Name = "ups-gate", Model = "AP9641", ApplicationType = ApplicationType.SU,
            ApplicationVersion = "2.4.0.1", AosVersion = "2.4.0.1", BootloaderVersion = "1.5.1.1",
            SerialNumber = "GATEPLAN1", MacAddress = "28:29:86:00:12:01",
        };

        [Fact]
        public async Task An_update_blocked_for_want_of_a_subscription_proceeds_after_activation()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 9, 1)))
            {
                env.Database.AddActivationId("AID-PLAN", "SWNMC3SU-1Y-DIGI");
                var manager = env.SignedInManager();
                var planner = new UpdatePlanner(Catalog, manager.Gate);
                var device = Card();

                var blocked = planner.Plan(device, new UpdatePlanOptions());
                Assert.Equal(DeviceStatus.ActivateSubscriptionToUpdate, blocked.Status);
                Assert.Contains("no Secure NMC subscription on record", blocked.Reason);

                var outcome = (await manager.ActivateAsync(new[] { new ActivationRequest(device, "AID-PLAN") }, null, TestTimeout.Token()))[0];
                Assert.True(outcome.Succeeded, outcome.Message);
                var ready = planner.Plan(device, new UpdatePlanOptions());
                Assert.Equal(DeviceStatus.ReadyForUpdate, ready.Status);
                Assert.True(ready.SubscriptionChecked);

                env.Clock.SetDay(new DateTime(2026, 9, 1)); // the expiry day
                var expired = planner.Plan(device, new UpdatePlanOptions());
                Assert.Equal(DeviceStatus.ActivateSubscriptionToUpdate, expired.Status);
                Assert.Contains("expired on 2026-09-01", expired.Reason);
            }
        }
    }
}
