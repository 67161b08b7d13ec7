using System;
using System.Collections.Generic;
using SecureNmc.Core.CardFiles;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.Updates
{
    /// <summary>Issue 11: the inventory shows the planner's status, worked out from the facts as they are now.</summary>
    public class DeviceStatusResolverTests
    {
        private static FirmwarePackage Pkg(ApplicationType app, string version) =>
            new FirmwarePackage(FirmwarePackageName.Parse(TestFirmware.FileName(app, version)), 1000, new string('a', 64));

        private static FirmwareCatalog Catalog(params FirmwarePackage[] packages) => new FirmwareCatalog(packages);

        private static readonly FirmwareCatalog Su2906 = Catalog(Pkg(ApplicationType.SU, "2.5.0.6"), Pkg(ApplicationType.SU, "2.9.0.6"));
        private static readonly FirmwareCatalog Su2907 = Catalog(Pkg(ApplicationType.SU, "2.5.0.6"), Pkg(ApplicationType.SU, "2.9.0.6"), Pkg(ApplicationType.SU, "2.9.0.7"));

        private static DeviceStatusResolver Resolver(FirmwareCatalog catalog, bool licensed = true) =>
            new DeviceStatusResolver(new UpdatePlanner(catalog, new FixedGate(licensed)));

        private static NmcDevice Queried(string version, DeviceStatus stored = DeviceStatus.Unknown) => new NmcDevice
        {
            Host = "10.0.0.7", Name = "ups-7", Model = "AP9641", SerialNumber = "ZA7",
            ApplicationType = ApplicationType.SU, ApplicationVersion = version, AosVersion = version, BootloaderVersion = "1.5.1.1",
            LastQueried = DateTimeOffset.UtcNow, Status = stored,
        };

        [Fact]
        public void A_queried_card_gets_the_planners_status_at_query_time()
        {
            Assert.Equal(DeviceStatus.ReadyForUpdate, Resolver(Su2906).StatusAfterQuery(Queried("2.5.0.6")));
            Assert.Equal(DeviceStatus.AtCurrentVersion, Resolver(Su2906).StatusAfterQuery(Queried("2.9.0.6")));
            Assert.Equal(DeviceStatus.FirmwareUnavailable, Resolver(FirmwareCatalog.Empty).StatusAfterQuery(Queried("2.5.0.6")));
            Assert.Equal(DeviceStatus.ActivateSubscriptionToUpdate, Resolver(Su2906, licensed: false).StatusAfterQuery(Queried("2.5.0.6")));
            // Not judged: an unqueried card keeps the query's own default.
            Assert.Null(Resolver(Su2906).StatusAfterQuery(new NmcDevice { Host = "10.0.0.8" }));
        }

        [Fact]
        public void A_planner_status_follows_the_library_and_the_licences_as_they_are_now()
        {
            var device = Queried("2.5.0.6", DeviceStatus.FirmwareUnavailable);

            Assert.True(Resolver(Su2906).Resolve(device));
            Assert.Equal(DeviceStatus.ReadyForUpdate, device.Status);
            Assert.Equal("Ready to update from SU 2.5.0.6 to SU 2.9.0.6 (1 step).", device.StatusDetail);

            Assert.True(Resolver(Su2906, licensed: false).Resolve(device));
            Assert.Equal(DeviceStatus.ActivateSubscriptionToUpdate, device.Status);
            Assert.Contains("no active Secure NMC subscription", device.StatusDetail);

            Assert.True(Resolver(FirmwareCatalog.Empty).Resolve(device));
            Assert.Equal(DeviceStatus.FirmwareUnavailable, device.Status);

            var current = Queried("2.9.0.6", DeviceStatus.ReadyForUpdate);
            Assert.True(Resolver(Su2906).Resolve(current));
            Assert.Equal(DeviceStatus.AtCurrentVersion, current.Status);
            Assert.False(Resolver(Su2906).Resolve(current)); // nothing new to say
        }

        [Theory]
        [InlineData(DeviceStatus.NotAccessible)]
        [InlineData(DeviceStatus.IncorrectCredentials)]
        [InlineData(DeviceStatus.Unknown)]
        public void What_the_last_query_found_wrong_is_kept(DeviceStatus failed)
        {
            var device = Queried("2.5.0.6", failed);
            device.StatusDetail = "the reason";

            Assert.False(Resolver(Su2906).Resolve(device));

            Assert.Equal(failed, device.Status);
            Assert.Equal("the reason", device.StatusDetail);
        }

        [Fact]
        public void Update_Complete_stays_until_a_newer_package_is_imported()
        {
            var device = Queried("2.9.0.6", DeviceStatus.UpdateComplete);
            device.StatusBasis = Resolver(Su2906).BasisFor(device);
            Assert.Equal("AtCurrentVersion|SU|2.9.0.6", device.StatusBasis);

            Assert.False(Resolver(Su2906).Resolve(device));
            Assert.Equal(DeviceStatus.UpdateComplete, device.Status);

            Assert.True(Resolver(Su2907).Resolve(device));
            Assert.Equal(DeviceStatus.ReadyForUpdate, device.Status);
            Assert.Null(device.StatusBasis);
        }

        [Fact]
        public void Update_Error_stays_until_the_facts_change_here_a_licence_ending()
        {
            var device = Queried("2.5.0.6", DeviceStatus.UpdateError);
            device.StatusDetail = "ups-7 did not come back within 10 minutes of restarting.";
            device.StatusBasis = Resolver(Su2906).BasisFor(device);

            Assert.False(Resolver(Su2906).Resolve(device));
            Assert.Equal(DeviceStatus.UpdateError, device.Status);
            Assert.Contains("did not come back", device.StatusDetail);

            Assert.True(Resolver(Su2906, licensed: false).Resolve(device));
            Assert.Equal(DeviceStatus.ActivateSubscriptionToUpdate, device.Status);
        }

        [Fact]
        public void A_run_result_without_a_basis_is_kept()
        {
            var device = Queried("2.9.0.6", DeviceStatus.UpdateComplete);
            Assert.False(Resolver(Su2907).Resolve(device));
            Assert.Equal(DeviceStatus.UpdateComplete, device.Status);
        }

        [Fact]
        public void The_recorder_stores_what_the_verify_step_read_back_with_the_basis()
        {
            var device = Queried("2.5.0.6", DeviceStatus.ReadyForUpdate);
            device.AosVersion = "2.5.0.8";
            device.BootloaderVersion = "1.5.1.1";
            var readAt = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
            var result = new CardUpdateResult
            {
                DeviceId = device.Id, DeviceName = device.DisplayName, Outcome = CardOutcome.Updated, Status = DeviceStatus.UpdateComplete,
                ReachedApplicationType = ApplicationType.SU, ReachedVersion = FirmwareVersion.Parse("2.9.0.6"),
                ReachedAosVersion = FirmwareVersion.Parse("2.9.0.2"), ReachedBootloaderVersion = FirmwareVersion.Parse("1.6.0.3"),
                ReadBack = new CardIdentity
                {
                    Generation = NmcGeneration.Nmc3, ApplicationType = ApplicationType.SU, ApplicationVersion = "2.9.0.6",
                    AosVersion = "2.9.0.2", BootloaderVersion = "1.6.0.3", SystemName = "renamed-by-reset", Model = "AP9641",
                },
                ReadBackTime = readAt,
            };

            UpdateResultRecorder.Apply(result, device, Resolver(Su2906));

            Assert.Equal("2.9.0.6", device.ApplicationVersion);
            Assert.Equal("2.9.0.2", device.AosVersion);
            Assert.Equal("1.6.0.3", device.BootloaderVersion);
            Assert.Equal("renamed-by-reset", device.SystemName);
            Assert.Equal("ZA7", device.SerialNumber); // not in this read: kept
            Assert.Equal(readAt, device.LastQueried);
            Assert.Equal(DeviceStatus.UpdateComplete, device.Status);
            Assert.Equal("AtCurrentVersion|SU|2.9.0.6", device.StatusBasis);
        }

        [Fact]
        public void The_recorder_stores_the_reached_versions_when_the_reader_gave_no_identity()
        {
            var device = Queried("2.5.0.6");
            var result = new CardUpdateResult
            {
                DeviceId = device.Id, Outcome = CardOutcome.Failed, Status = DeviceStatus.UpdateError, Error = "it broke",
                ReachedApplicationType = ApplicationType.SU, ReachedVersion = FirmwareVersion.Parse("2.5.0.6"),
                ReachedAosVersion = FirmwareVersion.Parse("2.5.0.9"), ReachedBootloaderVersion = FirmwareVersion.Parse("1.5.2.0"),
            };

            UpdateResultRecorder.Apply(result, device, Resolver(Su2906));

            Assert.Equal("2.5.0.9", device.AosVersion);
            Assert.Equal("1.5.2.0", device.BootloaderVersion);
            Assert.Equal(DeviceStatus.UpdateError, device.Status);
            Assert.Equal("it broke", device.StatusDetail);
            Assert.Equal("ReadyForUpdate|SU|2.9.0.6", device.StatusBasis);
        }

        [Fact]
        public void A_refused_request_leaves_the_cards_status_alone()
        {
            var device = Queried("2.5.0.6", DeviceStatus.ReadyForUpdate);
            var refused = new CardUpdateResult { DeviceId = device.Id, Outcome = CardOutcome.Skipped, Status = DeviceStatus.Unknown, Error = "would change application type" };

            UpdateResultRecorder.Apply(refused, device, Resolver(Su2906));

            Assert.Equal(DeviceStatus.ReadyForUpdate, device.Status);
        }

        [Fact]
        public void Recording_a_run_writes_the_inventory_once_and_skips_removed_devices()
        {
            using var temp = new SecureNmc.Core.Tests.Inventory.TempDataFolder();
            var inventory = new DeviceInventory(temp.Folder);
            var device = Queried("2.5.0.6", DeviceStatus.ReadyForUpdate);
            inventory.Add(device);
            var results = new List<CardUpdateResult>
            {
                new CardUpdateResult { DeviceId = device.Id, Outcome = CardOutcome.Updated, Status = DeviceStatus.UpdateComplete,
                    ReachedApplicationType = ApplicationType.SU, ReachedVersion = FirmwareVersion.Parse("2.9.0.6"), ReachedAosVersion = FirmwareVersion.Parse("2.9.0.6") },
                new CardUpdateResult { DeviceId = Guid.NewGuid(), Outcome = CardOutcome.Updated, Status = DeviceStatus.UpdateComplete },
            };

            Assert.Equal(1, UpdateResultRecorder.Record(inventory, results, Resolver(Su2906)));

            var stored = inventory.FindById(device.Id)!;
            Assert.Equal("2.9.0.6", stored.AosVersion);
            Assert.Equal(DeviceStatus.UpdateComplete, stored.Status);
            Assert.Equal("AtCurrentVersion|SU|2.9.0.6", stored.StatusBasis);
        }

        private sealed class FixedGate : ISubscriptionGate
        {
            private readonly bool _active;
            public FixedGate(bool active) => _active = active;
            public SubscriptionCheck Check(NmcDevice device) => _active ? SubscriptionCheck.Active : SubscriptionCheck.Inactive("the subscription ended");
        }
    }
}
