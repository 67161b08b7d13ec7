using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.Updates
{
    public class UpdateEngineTests
    {
        private static readonly ApplicationType[] MixedTypes =
            { ApplicationType.SU, ApplicationType.SY, ApplicationType.SUCAN, ApplicationType.RPDU2G, ApplicationType.EU1P, ApplicationType.EU3P, ApplicationType.PX, ApplicationType.SYPX, ApplicationType.EMGPX };

        private static EngineHarness MixedHarness() =>
            new EngineHarness(MixedTypes.SelectMany(t => new[] { (t, "2.3.1.1"), (t, "2.4.0.1"), (t, "2.5.0.6") }).ToArray());

        [Fact]
        public async Task Two_hundred_cards_of_mixed_types_are_updated_end_to_end()
        {
            using var h = MixedHarness();
            h.Options.ThrottleLimit = 16;
            // This test is about correctness at fleet scale, not limits: 200 cards' waits all move the
            // one virtual clock, so a card the thread pool runs late could otherwise pass a restart
            // limit after a few polls (RestartWaitTests and RestartWarningTests pin the limits).
            h.Options.RestartDropTimeout = TimeSpan.FromDays(1);
            h.Options.RestartReturnTimeout = TimeSpan.FromDays(1);
            var starting = new[] { "2.1.0.3", "2.4.0.1", "2.3.1.1", "2.5.0.6", "2.2.0.9" };
            for (int i = 0; i < 200; i++)
                h.Fleet.Add(new FakeCard($"nmc-{i:000}", MixedTypes[i % MixedTypes.Length], starting[i % starting.Length]));
            var plans = h.PlanFleet();

            var results = await h.RunAsync(plans);

            Assert.Equal(200, results.Count);
            var catalog = h.Library.GetCatalog();
            foreach (var (card, result) in h.Fleet.Cards.Zip(results.OrderBy(r => r.DeviceName, StringComparer.Ordinal), (c, r) => (c, r)))
            {
                Assert.Equal(card.Host, result.DeviceName);
                Assert.Equal("2.5.0.6", card.Version.ToString());
                Assert.True(card.MaxConcurrentSessions <= 1, $"{card.Host} had {card.MaxConcurrentSessions} connections at once");
                var uploads = card.Uploads.ToList();
                // Every byte sent is a catalog package of the card's own type, and matches its SHA-256.
                Assert.All(uploads, u =>
                {
                    var p = catalog.FindByFileName(u.Name)!;
                    Assert.Equal(p.Sha256, u.Sha256);
                    Assert.Equal(card.ApplicationType, p.ApplicationType);
                });
                var started = FirmwareVersion.Parse(card.Files["config.ini"].Length > 0 ? starting[int.Parse(card.Host.Substring(4)) % starting.Length] : "");
                if (started == FirmwareVersion.Parse("2.5.0.6"))
                {
                    Assert.Equal(DeviceStatus.AtCurrentVersion, result.Status);
                    Assert.Empty(uploads);
                }
                else
                {
                    Assert.Equal(DeviceStatus.UpdateComplete, result.Status);
                    Assert.Equal(CardOutcome.Updated, result.Outcome);
                    Assert.True(result.Attempts == 1, $"{card.Host} needed {result.Attempts} attempts: " +
                        string.Join("; ", h.Seen.OfType<CardStatusChanged>().Where(e => e.DeviceName == card.Host && e.Status == DeviceStatus.RetryingUpdate).Select(e => e.Detail)));
                    var expectedSteps = started < FirmwareVersion.Parse("2.3.1.1") ? 2 : 1;
                    Assert.Equal(expectedSteps, uploads.Count);
                    Assert.Equal(expectedSteps, result.StepsCompleted);
                    Assert.NotNull(result.BackupPath);
                }
            }
            Assert.True(h.Fleet.MaxConcurrentCards <= 16, $"{h.Fleet.MaxConcurrentCards} cards were worked at once with a throttle of 16");
            Assert.True(h.Fleet.MaxConcurrentCards > 1, "cards were not updated concurrently");
        }

        [Fact]
        public async Task Each_card_goes_through_the_seed_statuses_in_order_with_byte_progress()
        {
            using var h = MixedHarness();
            h.Fleet.Add(new FakeCard("ups-a", ApplicationType.SU, "2.4.0.1"));
            var results = await h.RunAsync(h.PlanFleet());

            Assert.Equal(DeviceStatus.UpdateComplete, results.Single().Status);
            Assert.Equal(new[]
            {
                DeviceStatus.QueuedForUpdate, DeviceStatus.PreparingDevice, DeviceStatus.BackingUpDevice, DeviceStatus.BackingUpDevice,
                DeviceStatus.UpdatingFirmware, DeviceStatus.RestartingInterface, DeviceStatus.VerifyingUpdate, DeviceStatus.UpdateComplete,
            }, h.StatusesOf("ups-a"));
            var progress = h.Seen.OfType<CardTransferProgress>().Where(p => p.DeviceName == "ups-a").ToList();
            var size = h.Library.GetCatalog().Latest(ApplicationType.SU, 21)!.Size;
            Assert.True(progress.Count >= 2);
            Assert.Equal(size, progress.Last().BytesTransferred);
            Assert.All(progress, p => Assert.Equal(size, p.TotalBytes));
            Assert.Single(h.Seen.OfType<CardFinished>());
            Assert.Single(h.Seen.OfType<RunFinished>());
        }

        [Fact]
        public async Task Backups_hold_the_cards_files_under_backup_device_timestamp_and_can_be_turned_off()
        {
            using var h = MixedHarness();
            var card = h.Fleet.Add(new FakeCard("ups-b", ApplicationType.SY, "2.4.0.1"));
            var result = (await h.RunAsync(h.PlanFleet())).Single();

            Assert.NotNull(result.BackupPath);
            Assert.Equal(Path.Combine(h.Options.BackupFolder, "ups-b"), Path.GetDirectoryName(result.BackupPath));
            Assert.Matches(@"^\d{8}-\d{6}$", Path.GetFileName(result.BackupPath));
            foreach (var name in new[] { "config.ini", "event.txt", "data.txt" })
                Assert.Equal(card.Files[name], File.ReadAllBytes(Path.Combine(result.BackupPath!, name)));

            using var off = MixedHarness();
            off.Fleet.Add(new FakeCard("ups-c", ApplicationType.SY, "2.4.0.1"));
            var noBackup = (await off.RunAsync(off.PlanFleet(new UpdatePlanOptions { BackupBeforeUpdate = false }))).Single();
            Assert.Equal(DeviceStatus.UpdateComplete, noBackup.Status);
            Assert.Null(noBackup.BackupPath);
            Assert.DoesNotContain(DeviceStatus.BackingUpDevice, off.StatusesOf("ups-c"));
            Assert.False(Directory.Exists(off.Options.BackupFolder));

            // Keyed by device id when the inventory asks for it.
            using var byId = MixedHarness();
            var idCard = byId.Fleet.Add(new FakeCard("ups-d", ApplicationType.SY, "2.4.0.1"));
            byId.Options.DeviceBackupFolder = d => Path.Combine(byId.Options.BackupFolder, d.Id.ToString("D"));
            var keyed = (await byId.RunAsync(byId.PlanFleet())).Single();
            Assert.Equal(Path.Combine(byId.Options.BackupFolder, idCard.Id.ToString("D")), Path.GetDirectoryName(keyed.BackupPath));
        }

        [Fact]
        public async Task A_rerun_on_an_updated_fleet_changes_nothing_even_with_stale_plans()
        {
            using var h = MixedHarness();
            for (int i = 0; i < 12; i++) h.Fleet.Add(new FakeCard($"nmc-{i:00}", MixedTypes[i % MixedTypes.Length], i % 2 == 0 ? "2.2.0.0" : "2.4.0.1"));
            var stalePlans = h.PlanFleet();
            await h.RunAsync(stalePlans);
            var uploadsAfterFirst = h.Fleet.Cards.Sum(c => c.Uploads.Count);

            // Fresh facts: every card plans as At Current Version and the engine does nothing.
            var fresh = h.PlanFleet();
            Assert.All(fresh, p => Assert.Equal(DeviceStatus.AtCurrentVersion, p.Status));
            var again = await h.RunAsync(fresh);
            Assert.All(again, r => Assert.Equal(DeviceStatus.AtCurrentVersion, r.Status));

            // Stale facts (the inventory still says the old versions): the engine reads the cards and sends nothing.
            var stale = await h.RunAsync(stalePlans);
            Assert.All(stale, r =>
            {
                Assert.Equal(DeviceStatus.AtCurrentVersion, r.Status);
                Assert.Equal(CardOutcome.Skipped, r.Outcome);
            });
            Assert.Equal(uploadsAfterFirst, h.Fleet.Cards.Sum(c => c.Uploads.Count));
        }

        public static IEnumerable<object[]> Faults()
        {
            // fault, expected status, attempts, uploads begun
            yield return new object[] { "connect fails once", DeviceStatus.UpdateComplete, 2, 1 };
            yield return new object[] { "connect always fails", DeviceStatus.UpdateError, 3, 0 };
            yield return new object[] { "bad credentials", DeviceStatus.IncorrectCredentials, 1, 0 };
            yield return new object[] { "upload dropped once", DeviceStatus.UpdateComplete, 2, 2 };
            yield return new object[] { "upload always dropped", DeviceStatus.UpdateError, 3, 3 };
            yield return new object[] { "insufficient rights", DeviceStatus.UpdateError, 1, 0 };
            yield return new object[] { "card rejects package once", DeviceStatus.UpdateComplete, 2, 2 };
            yield return new object[] { "card rejects package always", DeviceStatus.UpdateError, 3, 3 };
            yield return new object[] { "card never restarts", DeviceStatus.UpdateError, 3, 3 };
            yield return new object[] { "card never comes back", DeviceStatus.UpdateError, 3, 1 };
        }

        [Theory]
        [MemberData(nameof(Faults))]
        public async Task Each_fault_ends_in_the_right_status_after_the_right_number_of_attempts(string fault, DeviceStatus expected, int attempts, int uploads)
        {
            using var h = MixedHarness();
            var card = h.Fleet.Add(new FakeCard("ups-f", ApplicationType.SU, "2.4.0.1"));
            switch (fault)
            {
                case "connect fails once": card.FailConnectTimes = 1; break;
                case "connect always fails": card.FailConnectTimes = 1000; break;
                case "bad credentials": card.BadCredentials = true; break;
                case "upload dropped once": card.DropUploadTimes = 1; break;
                case "upload always dropped": card.DropUploadTimes = 1000; break;
                case "insufficient rights": card.InsufficientRightsOnUpload = true; break;
                case "card rejects package once": card.RejectPackageTimes = 1; break;
                case "card rejects package always": card.RejectPackageTimes = 1000; break;
                case "card never restarts": card.NeverDropsAfterUpload = true; break;
                case "card never comes back": card.NeverReturns = true; break;
            }

            var result = (await h.RunAsync(h.PlanFleet())).Single();

            Assert.True(expected == result.Status, $"{fault}: expected {expected}, got {result.Status} ({result.Error})");
            Assert.Equal(attempts, result.Attempts);
            Assert.Equal(uploads, card.UploadAttempts);
            var statuses = h.StatusesOf("ups-f");
            Assert.Equal(attempts - 1, statuses.Count(s => s == DeviceStatus.RetryingUpdate));
            Assert.Equal(expected, statuses.Last());
            if (expected != DeviceStatus.UpdateComplete)
            {
                Assert.Equal(CardOutcome.Failed, result.Outcome);
                Assert.Contains("ups-f", result.Error);
            }
        }

        [Fact]
        public async Task Failure_messages_say_what_to_do()
        {
            using var h = MixedHarness();
            h.Fleet.Add(new FakeCard("ups-1", ApplicationType.SU, "2.4.0.1") { BadCredentials = true });
            h.Fleet.Add(new FakeCard("ups-2", ApplicationType.SU, "2.4.0.1") { NeverReturns = true });
            h.Fleet.Add(new FakeCard("ups-3", ApplicationType.SU, "2.4.0.1") { InsufficientRightsOnUpload = true });
            var results = (await h.RunAsync(h.PlanFleet())).ToDictionary(r => r.DeviceName);
            Assert.Contains("Set-NmcDevice -Credential", results["ups-1"].Error);
            Assert.Contains("did not come back within 10 minutes", results["ups-2"].Error);
            Assert.Contains("administrator rights", results["ups-3"].Error);
        }

        [Fact]
        public async Task The_maximum_attempts_setting_is_honoured()
        {
            using var h = MixedHarness();
            h.Options.MaxAttempts = 5;
            var card = h.Fleet.Add(new FakeCard("ups-m", ApplicationType.SU, "2.4.0.1") { FailConnectTimes = 1000 });
            var result = (await h.RunAsync(h.PlanFleet())).Single();
            Assert.Equal(5, result.Attempts);
            Assert.Contains("gave up after 5 attempts", result.Error);
        }

        [Fact]
        public async Task A_tampered_cache_file_is_refused_and_nothing_is_sent()
        {
            using var h = MixedHarness();
            var card = h.Fleet.Add(new FakeCard("ups-t", ApplicationType.SU, "2.4.0.1"));
            var plans = h.PlanFleet();
            var path = h.Library.PathOf(plans.Single().Steps.Single().Package);
            var bytes = File.ReadAllBytes(path);
            bytes[bytes.Length / 2] ^= 0x5A;
            File.WriteAllBytes(path, bytes);

            var result = (await h.RunAsync(plans)).Single();

            Assert.Equal(DeviceStatus.UpdateError, result.Status);
            Assert.Equal(1, result.Attempts);
            Assert.Contains("SHA-256", result.Error);
            Assert.Empty(card.Uploads);
            Assert.Equal("2.4.0.1", card.Version.ToString());
        }

        [Fact]
        public async Task Wrong_type_firmware_is_never_sent_when_the_card_changed_since_it_was_queried()
        {
            using var h = MixedHarness();
            var card = h.Fleet.Add(new FakeCard("ups-w", ApplicationType.SY, "2.4.0.1"));
            var device = card.ToDevice();
            device.ApplicationType = ApplicationType.SU; // stale inventory: it was an SU card when last queried
            var result = (await h.RunAsync(h.Plan(new[] { device }))).Single();

            Assert.Equal(DeviceStatus.UpdateError, result.Status);
            Assert.Contains("now runs SY 2.4.0.1", result.Error);
            Assert.Empty(card.Uploads);
        }

        [Fact]
        public async Task Wrong_type_firmware_is_never_sent_even_if_the_source_hands_over_another_package()
        {
            using var h = MixedHarness();
            var card = h.Fleet.Add(new FakeCard("ups-x", ApplicationType.SU, "2.4.0.1"));
            var wrong = h.Library.GetCatalog().Latest(ApplicationType.RPDU2G, 21)!;
            var engine = h.Engine(new SwappingSource(h.Library, wrong));
            var run = engine.Start(h.PlanFleet(), h.Events);
            var result = (await h.Finish(run)).Single();

            Assert.Equal(DeviceStatus.UpdateError, result.Status);
            Assert.Contains("RPDU2G firmware", result.Error);
            Assert.Contains("it was not sent", result.Error);
            Assert.Empty(card.Uploads);
        }

        [Fact]
        public async Task A_package_with_a_newer_bootloader_shows_updating_bootloader_and_verifies_it()
        {
            using var h = MixedHarness();
            var card = h.Fleet.Add(new FakeCard("ups-boot", ApplicationType.SU, "2.4.0.1", bootloader: "1.5.1.1") { BootloaderAfterInstall = FirmwareVersion.Parse("1.6.0.2") });
            var packages = h.Library.GetCatalog().Packages.Select(p => p.Copy()).ToList();
            foreach (var p in packages) p.BootloaderVersion = FirmwareVersion.Parse("1.6.0.2");
            var plans = new UpdatePlanner(new FirmwareCatalog(packages)).PlanAll(new[] { card.ToDevice() }, new UpdatePlanOptions());

            var result = (await h.RunAsync(plans)).Single();

            Assert.Equal(DeviceStatus.UpdateComplete, result.Status);
            var statuses = h.StatusesOf("ups-boot").ToList();
            Assert.True(statuses.IndexOf(DeviceStatus.UpdatingBootloader) >= 0 && statuses.IndexOf(DeviceStatus.UpdatingBootloader) < statuses.IndexOf(DeviceStatus.UpdatingFirmware));

            // A card that comes back with the old bootloader fails verification.
            using var h2 = MixedHarness();
            var stuck = h2.Fleet.Add(new FakeCard("ups-boot2", ApplicationType.SU, "2.4.0.1", bootloader: "1.5.1.1"));
            var plans2 = new UpdatePlanner(new FirmwareCatalog(h2.Library.GetCatalog().Packages.Select(p => { var c = p.Copy(); c.BootloaderVersion = FirmwareVersion.Parse("1.6.0.2"); return c; })))
                .PlanAll(new[] { stuck.ToDevice() }, new UpdatePlanOptions());
            var failed = (await h2.RunAsync(plans2)).Single();
            Assert.Equal(DeviceStatus.UpdateError, failed.Status);
            Assert.Contains("bootloader 1.5.1.1", failed.Error);
        }

        [Fact]
        public async Task Plans_that_are_not_actionable_finish_at_once_with_their_status_and_reason()
        {
            using var h = new EngineHarness((ApplicationType.SU, "2.5.0.6"));
            h.Fleet.Add(new FakeCard("pdu-1", ApplicationType.RPDU2G, "2.4.0.1"));
            h.Fleet.Add(new FakeCard("ups-1", ApplicationType.SU, "2.5.0.6"));
            var results = (await h.RunAsync(h.PlanFleet())).ToDictionary(r => r.DeviceName);
            Assert.Equal(DeviceStatus.FirmwareUnavailable, results["pdu-1"].Status);
            Assert.Contains("no RPDU2G package", results["pdu-1"].Error);
            Assert.Equal(DeviceStatus.AtCurrentVersion, results["ups-1"].Status);
            Assert.All(results.Values, r => Assert.Equal(CardOutcome.Skipped, r.Outcome));
            Assert.Empty(h.Seen.OfType<CardStatusChanged>());
        }

        [Fact]
        public async Task A_card_listed_twice_is_refused_before_anything_starts()
        {
            using var h = MixedHarness();
            var card = h.Fleet.Add(new FakeCard("ups-d", ApplicationType.SU, "2.4.0.1"));
            var a = card.ToDevice();
            var b = card.ToDevice();
            b.Name = "same-card-other-name";
            var ex = Assert.Throws<ArgumentException>(() => h.Engine().Start(h.Plan(new[] { a, b })));
            Assert.Contains("same card", ex.Message);
            Assert.Empty(card.Uploads);
            await Task.CompletedTask;
        }

        [Fact]
        public async Task A_type_change_flashes_the_other_application_and_verifies_it()
        {
            using var h = MixedHarness();
            var card = h.Fleet.Add(new FakeCard("ups-type", ApplicationType.SU, "2.5.0.6"));
            var plans = h.PlanFleet(new UpdatePlanOptions { TargetApplicationType = ApplicationType.SY, AllowApplicationTypeChange = true });
            var result = (await h.RunAsync(plans)).Single();
            Assert.Equal(DeviceStatus.UpdateComplete, result.Status);
            Assert.Equal(ApplicationType.SY, card.ApplicationType);
            Assert.Equal("apc_hw21_sy_2.5.0.6.nmc3", card.Uploads.Single().Name);
        }

        /// <summary>A firmware source that hands over a different (valid) package than the one asked for.</summary>
        private sealed class SwappingSource : IFirmwareSource
        {
            private readonly FirmwareLibrary _library;
            private readonly FirmwarePackage _instead;
            public SwappingSource(FirmwareLibrary library, FirmwarePackage instead) { _library = library; _instead = instead; }
            public Task<VerifiedFirmwareFile> OpenVerifiedAsync(FirmwarePackage package, CancellationToken cancellationToken) =>
                Task.FromResult(_library.OpenVerified(_instead));
        }
    }
}
