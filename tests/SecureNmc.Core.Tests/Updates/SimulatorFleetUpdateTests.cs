using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Query;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Core.Transport;
using SecureNmc.Core.Updates;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Firmware;
using SecureNmc.Simulator.Fleet;
using SecureNmc.Simulator.Transport;

namespace SecureNmc.Core.Tests.Updates
{
    /// <summary>
    /// The engine against the card simulator (branch simcard) through its in-process transport, with
    /// the real device query as the version reader: packages in the simulator's format, cards that
    /// check what they receive, restart and come back.
    /// </summary>
    public sealed class SimulatorFleetUpdateTests : IDisposable
    {
        private static readonly ApplicationType[] AllTypes = (ApplicationType[])Enum.GetValues(typeof(ApplicationType));
        private readonly TempFolder _temp = new TempFolder();
        private readonly SimulatedFleet _fleet = new SimulatedFleet(new SimulatorClock(0));
        private readonly FirmwareLibrary _library;
        private readonly InProcessCardTransport _transport;
        private readonly DeviceQueryService _query;
        private readonly UpdateEngineOptions _options;
        private readonly Dictionary<Guid, NetworkCredential> _credentials = new Dictionary<Guid, NetworkCredential>();

        public SimulatorFleetUpdateTests()
        {
            var downloads = _temp.Sub("downloads");
            _library = new FirmwareLibrary(Path.Combine(_temp.Path, "cache"));
            foreach (var type in AllTypes)
            {
                _library.Import(SimulatorFirmwarePackage.Create(downloads, type, "2.3.1.1", "2.3.1.1", payloadBytes: 8 * 1024));
                _library.Import(SimulatorFirmwarePackage.Create(downloads, type, "2.6.0.2", "2.6.0.1", bootloaderVersion: "1.6.0.1", payloadBytes: 16 * 1024));
            }
            _transport = new InProcessCardTransport(_fleet);
            _query = new DeviceQueryService(new IFileTransferClient[] { _transport }, new DeviceQueryOptions { MaxConcurrency = 16 });
            _options = new UpdateEngineOptions
            {
                ThrottleLimit = 16,
                MaxAttempts = 3,
                BackupFolder = Path.Combine(_temp.Path, "Backup"),
                JournalPath = Path.Combine(_temp.Path, "Updates", "journal.jsonl"),
                DurableJournal = false,
            };
        }

        private NetworkCredential CredentialOf(NmcDevice d) => _credentials.TryGetValue(d.Id, out var c) ? c : SimulatedFleet.AdministratorCredential;

        private FirmwareUpdateEngine Engine() => new FirmwareUpdateEngine(
            new TransferClientSessionFactory(_ => _transport, d => new ConnectionOptions
            {
                Host = d.Host,
                Port = d.Port,
                Credential = CredentialOf(d),
                ConnectTimeout = TimeSpan.FromSeconds(20),
                OperationTimeout = TimeSpan.FromSeconds(20),
            }),
            new DeviceQueryVersionReader(_query, CredentialOf),
            _library, _options, new FastClock());

        private async Task<List<NmcDevice>> QueriedInventory()
        {
            var devices = _fleet.Cards.Select(c => new NmcDevice { Host = c.Host, Port = c.SshPort, Name = c.Name }).ToList();
            var results = await Within(_query.RefreshAsync(devices, _ => SimulatedFleet.AdministratorCredential));
            Assert.All(results, r => Assert.True(r.Succeeded, r.ToString()));
            return devices;
        }

        private IReadOnlyList<UpdatePlan> Plan(IEnumerable<NmcDevice> devices) =>
            new UpdatePlanner(_library.GetCatalog()).PlanAll(devices, new UpdatePlanOptions());

        private static string Starting(int i) => new[] { "2.1.0.2", "2.4.0.1", "2.5.0.6", "2.6.0.1" }[i % 4];

        [Fact]
        public async Task Two_hundred_simulated_cards_of_all_types_are_updated_and_the_journal_matches_them()
        {
            _fleet.AddCards(200, i =>
            {
                var p = CardProfile.ForFleetMember(i);
                p.ApplicationVersion = p.AosVersion = Starting(i);
                return p;
            }, CardTiming.Instant);
            var inventory = await QueriedInventory();
            var plans = Plan(inventory);
            Assert.Equal(50, plans.Count(p => p.Status == DeviceStatus.AtCurrentVersion));

            var results = await Within(Engine().RunAsync(plans));

            var byHost = results.ToDictionary(r => r.Host);
            var journal = UpdateHistory.LastRun(_options.JournalPath!).ToDictionary(s => s.DeviceId);
            for (int i = 0; i < 200; i++)
            {
                var card = _fleet.Cards[i];
                var result = byHost[card.Host];
                Assert.Equal("2.6.0.1", card.Profile.ApplicationVersion);
                Assert.Equal(Starting(i) == "2.6.0.1" ? "1.5.1.1" : "1.6.0.1", card.Profile.BootloaderVersion);
                var expectedStatus = Starting(i) == "2.6.0.1" ? DeviceStatus.AtCurrentVersion : DeviceStatus.UpdateComplete;
                Assert.True(expectedStatus == result.Status, result.ToString());
                Assert.Equal(Starting(i) == "2.1.0.2" ? 2 : Starting(i) == "2.6.0.1" ? 0 : 1, card.FirmwareUpdatesApplied);
                var state = journal[result.DeviceId];
                Assert.Equal(result.Status, state.Status);
                if (result.Outcome == CardOutcome.Updated)
                {
                    Assert.Equal($"{ApplicationVersionText.Code(card.Profile.ApplicationType)} {card.Profile.ApplicationVersion}", state.Reached);
                    Assert.True(File.ReadAllText(Path.Combine(result.BackupPath!, "config.ini")).StartsWith("; Schneider Electric"));
                    Assert.True(new FileInfo(Path.Combine(result.BackupPath!, "event.txt")).Length > 0);
                }
            }

            // A re-run on the updated fleet changes nothing.
            var applied = _fleet.Cards.Sum(c => c.FirmwareUpdatesApplied);
            var again = await Within(Engine().RunAsync(Plan(await QueriedInventory())));
            Assert.All(again, r => Assert.Equal(DeviceStatus.AtCurrentVersion, r.Status));
            var stale = await Within(Engine().RunAsync(plans));
            Assert.All(stale, r => Assert.Equal(DeviceStatus.AtCurrentVersion, r.Status));
            Assert.Equal(applied, _fleet.Cards.Sum(c => c.FirmwareUpdatesApplied));
        }

        [Fact]
        public async Task The_inventory_stores_what_the_verify_step_read_back_aos_and_bootloader_included()
        {
            // The 2.6.0.1 packages carry AOS 2.6.0.2 and bootloader 1.6.0.1; the cards start on AOS 2.5.0.8.
            _fleet.AddCards(2, i =>
            {
                var p = CardProfile.ForFleetMember(i);
                p.ApplicationVersion = "2.5.0.6";
                p.AosVersion = "2.5.0.8";
                return p;
            }, CardTiming.Instant);
            var inventory = await QueriedInventory();
            Assert.All(inventory, d => Assert.Equal("2.5.0.8", d.AosVersion));

            var results = await Within(Engine().RunAsync(Plan(inventory)));

            foreach (var result in results)
            {
                Assert.Equal(DeviceStatus.UpdateComplete, result.Status);
                Assert.Equal("2.6.0.2", result.ReachedAosVersion.ToString());
                Assert.Equal("1.6.0.1", result.ReachedBootloaderVersion.ToString());
                Assert.NotNull(result.ReadBack);
                var device = inventory.Single(d => d.Id == result.DeviceId);
                UpdateResultRecorder.Apply(result, device, new DeviceStatusResolver(new UpdatePlanner(_library.GetCatalog())));
                var card = _fleet.Cards.Single(c => c.Host == device.Host && c.SshPort == device.Port);
                Assert.Equal(card.Profile.AosVersion, device.AosVersion);
                Assert.Equal("2.6.0.2", device.AosVersion);
                Assert.Equal("2.6.0.1", device.ApplicationVersion);
                Assert.Equal("1.6.0.1", device.BootloaderVersion);
                Assert.Equal(card.Profile.SerialNumber, device.SerialNumber);
                Assert.Equal("AtCurrentVersion|" + card.Profile.ApplicationType + "|2.6.0.1", device.StatusBasis);
            }
        }

        public static IEnumerable<object[]> SimulatorFaults()
        {
            yield return new object[] { "refuses connections", DeviceStatus.UpdateError, 3 };
            yield return new object[] { "drops every upload", DeviceStatus.UpdateError, 3 };
            yield return new object[] { "corrupts what it receives", DeviceStatus.UpdateError, 3 };
            yield return new object[] { "comes back on the old version", DeviceStatus.UpdateError, 3 };
            yield return new object[] { "never comes back", DeviceStatus.UpdateError, 3 };
            yield return new object[] { "wrong password", DeviceStatus.IncorrectCredentials, 1 };
            yield return new object[] { "multi-factor user", DeviceStatus.IncorrectCredentials, 1 };
            yield return new object[] { "factory default user", DeviceStatus.IncorrectCredentials, 1 };
            yield return new object[] { "device user without admin rights", DeviceStatus.UpdateError, 1 };
        }

        [Theory]
        [MemberData(nameof(SimulatorFaults))]
        public async Task Simulator_faults_end_in_the_right_status_after_the_right_number_of_attempts(string fault, DeviceStatus expected, int attempts)
        {
            var card = _fleet.AddCards(1, i => { var p = CardProfile.ForFleetMember(0); p.ApplicationVersion = p.AosVersion = "2.5.0.6"; return p; }, CardTiming.Instant).Single();
            var device = (await QueriedInventory()).Single();
            switch (fault)
            {
                case "refuses connections": card.Faults.RefuseConnections = true; break;
                case "drops every upload": card.Faults.DropUploadAfterBytes = 4096; break;
                case "corrupts what it receives": card.Faults.CorruptReceivedFile = true; break;
                case "comes back on the old version": card.Faults.ComeBackOnOldVersion = true; break;
                case "never comes back": card.Faults.NeverComeBack = true; break;
                case "wrong password": _credentials[device.Id] = new NetworkCredential("admin", "wrong-password"); break;
                case "multi-factor user": _credentials[device.Id] = SimulatedFleet.Credential(CardUserKind.MultiFactor); break;
                case "factory default user": _credentials[device.Id] = SimulatedFleet.Credential(CardUserKind.FactoryDefault); break;
                case "device user without admin rights": _credentials[device.Id] = SimulatedFleet.Credential(CardUserKind.DeviceUser); break;
            }

            var result = (await Within(Engine().RunAsync(Plan(new[] { device })))).Single();

            Assert.True(expected == result.Status, $"{fault}: {result}");
            Assert.Equal(attempts, result.Attempts);
            Assert.Equal(CardOutcome.Failed, result.Outcome);
            Assert.Equal("2.5.0.6", card.Profile.ApplicationVersion);
            Assert.Equal(0, card.FirmwareUpdatesApplied);
        }

        [Fact]
        public async Task Wrong_type_firmware_never_reaches_a_simulated_card()
        {
            var card = _fleet.AddCards(1, i => { var p = CardProfile.ForFleetMember(0); p.ApplicationType = ApplicationType.RPDU2G; p.ApplicationVersion = p.AosVersion = "2.5.0.6"; return p; }, CardTiming.Instant).Single();
            var device = (await QueriedInventory()).Single();
            device.ApplicationType = ApplicationType.SU; // the inventory is out of date

            var result = (await Within(Engine().RunAsync(Plan(new[] { device })))).Single();

            Assert.Equal(DeviceStatus.UpdateError, result.Status);
            Assert.Contains("now runs RPDU2G", result.Error);
            Assert.DoesNotContain(card.Events, e => e.Text.Contains("File transfer started") || e.Text.Contains("Firmware update failed"));
        }

        private static async Task<T> Within<T>(Task<T> task)
        {
            var done = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(120)));
            Assert.True(done == task, "the operation did not finish within the test's time limit");
            return await task;
        }

        public void Dispose()
        {
            _fleet.Dispose();
            _temp.Dispose();
        }

        /// <summary>Virtual time for the engine's limits, with a real millisecond per wait so the simulator's own tasks run.</summary>
        private sealed class FastClock : IUpdateClock
        {
            private long _ticks = DateTimeOffset.UtcNow.UtcTicks;
            public DateTimeOffset UtcNow => new DateTimeOffset(Interlocked.Read(ref _ticks), TimeSpan.Zero);

            public async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
            {
                Interlocked.Add(ref _ticks, Math.Max(0, delay.Ticks));
                await Task.Delay(1, cancellationToken);
            }
        }
    }
}
