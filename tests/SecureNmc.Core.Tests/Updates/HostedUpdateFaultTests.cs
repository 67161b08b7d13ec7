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
using SecureNmc.Simulator.Hosting;

namespace SecureNmc.Core.Tests.Updates
{
    /// <summary>
    /// The upload-time faults of the simulator over the wire: the update engine with the product's real
    /// SCP client against simulated cards on the project's SSH server. Each fault ends in the seed's
    /// status with a reason naming what the card did, and no card ends on firmware it did not accept.
    /// </summary>
    public sealed class HostedUpdateFaultTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private enum Fault { None, DropsUpload, CorruptsFile, NeverComesBack, ComesBackOnOldVersion, DeviceUser }

        private static readonly Fault[] Faults = (Fault[])Enum.GetValues(typeof(Fault));

        [Fact]
        public async Task Every_upload_fault_over_real_scp_ends_in_its_status_with_its_reason()
        {
            using var fleet = new SimulatedFleet(new SimulatorClock(0));
            fleet.AddCards(Faults.Length, i =>
            {
                var p = CardProfile.ForFleetMember(0);
                p.SerialNumber = "ZA21" + (i + 1).ToString("D8");
                p.ApplicationVersion = p.AosVersion = "2.5.0.6";
                p.SystemName = p.HostName = "nmc-" + Faults[i].ToString().ToLowerInvariant();
                return p;
            }, CardTiming.Instant);
            var cards = fleet.Cards;
            cards[(int)Fault.DropsUpload].Faults.DropUploadAfterBytes = 4096;
            cards[(int)Fault.CorruptsFile].Faults.CorruptReceivedFile = true;
            cards[(int)Fault.NeverComesBack].Faults.NeverComeBack = true;
            cards[(int)Fault.ComesBackOnOldVersion].Faults.ComeBackOnOldVersion = true;
            using var host = SimulatorFleetHost.Start(fleet);

            var library = new FirmwareLibrary(Path.Combine(_temp.Path, "cache"));
            var type = cards[0].Profile.ApplicationType;
            library.Import(SimulatorFirmwarePackage.Create(_temp.Sub("downloads"), type, "2.6.0.2", "2.6.0.1", bootloaderVersion: "1.6.0.1", payloadBytes: 32 * 1024));

            NetworkCredential CredentialOf(NmcDevice d) =>
                d.Host == cards[(int)Fault.DeviceUser].Host ? SimulatedFleet.Credential(CardUserKind.DeviceUser) : SimulatedFleet.AdministratorCredential;
            var knownHosts = Path.Combine(_temp.Path, "known_hosts");
            var query = new DeviceQueryService(new IFileTransferClient[] { new ScpFileTransferClient() }, new DeviceQueryOptions
            {
                KnownHostsPath = knownHosts,
                MaxConcurrency = 8,
                ConnectTimeout = TimeSpan.FromSeconds(20),
                OperationTimeout = TimeSpan.FromSeconds(20),
                QueryTimeout = TimeSpan.FromSeconds(60),
            });
            var devices = cards.Select(c => new NmcDevice { Host = c.Host, Port = c.SshPort, Name = c.Name }).ToList();
            var queried = await SimulatorTestKitDeadline(query.RefreshAsync(devices, CredentialOf));
            Assert.All(queried, r => Assert.True(r.Succeeded, r.ToString()));

            var options = new UpdateEngineOptions
            {
                ThrottleLimit = 8,
                MaxAttempts = 3,
                BackupFolder = Path.Combine(_temp.Path, "Backup"),
                JournalPath = Path.Combine(_temp.Path, "Updates", "journal.jsonl"),
                DurableJournal = false,
            };
            var engine = new FirmwareUpdateEngine(
                new TransferClientSessionFactory(_ => new ScpFileTransferClient(), d => new ConnectionOptions
                {
                    Host = d.Host,
                    Port = d.Port,
                    Credential = CredentialOf(d),
                    ConnectTimeout = TimeSpan.FromSeconds(20),
                    OperationTimeout = TimeSpan.FromSeconds(20),
                    Ssh = new SshClientOptions { KnownHostsPath = knownHosts },
                }),
                new DeviceQueryVersionReader(query, CredentialOf), library, options, new FastClock());
            var plans = new UpdatePlanner(library.GetCatalog()).PlanAll(devices, new UpdatePlanOptions());
            Assert.All(plans, p => Assert.Equal(DeviceStatus.ReadyForUpdate, p.Status));

            var results = (await SimulatorTestKitDeadline(engine.RunAsync(plans))).ToDictionary(r => r.Host);

            foreach (var fault in Faults)
            {
                var card = cards[(int)fault];
                var result = results[card.Host];
                if (fault == Fault.None)
                {
                    Assert.True(result.Status == DeviceStatus.UpdateComplete, result.ToString());
                    Assert.Equal("2.6.0.1", card.Profile.ApplicationVersion);
                    Assert.Equal(1, card.FirmwareUpdatesApplied);
                    continue;
                }
                Assert.True(result.Status == DeviceStatus.UpdateError, $"{fault}: {result}");
                Assert.Equal(CardOutcome.Failed, result.Outcome);
                Assert.False(string.IsNullOrWhiteSpace(result.Error), $"{fault}: no reason given");
                Assert.DoesNotContain("Admin!2345", result.Error);
                Assert.DoesNotContain("Device!2345", result.Error);
                Assert.Equal("2.5.0.6", card.Profile.ApplicationVersion);
                Assert.Equal(0, card.FirmwareUpdatesApplied);
                foreach (var fragment in ReasonOf(fault))
                    Assert.True(result.Error!.IndexOf(fragment, StringComparison.OrdinalIgnoreCase) >= 0, $"{fault}: the reason lacks \"{fragment}\": {result.Error}");
                Assert.Equal(fault == Fault.DeviceUser ? 1 : 3, result.Attempts);
            }
            Assert.Equal(CardState.Offline, cards[(int)Fault.NeverComesBack].State);
        }

        private static string[] ReasonOf(Fault fault)
        {
            switch (fault)
            {
                case Fault.DropsUpload: return new[] { "Could not upload 'apc_hw21_su_2.6.0.1.nmc3'", "connection ended" };
                case Fault.CorruptsFile: return new[] { "Firmware upgrade failed: the package failed its integrity check" };
                case Fault.NeverComesBack: return new[] { "nmc-nevercomesback did not come back" };
                case Fault.ComesBackOnOldVersion: return new[] { "restarted running SU 2.5.0.6, not SU 2.6.0.1" };
                case Fault.DeviceUser: return new[] { "lacks administrator rights", "Permission denied", "Use an Administrator account" };
                default: return new string[0];
            }
        }

        private static async Task<T> SimulatorTestKitDeadline<T>(Task<T> task)
        {
            var done = await Task.WhenAny(task, Task.Delay(TimeSpan.FromMinutes(3)));
            if (done != task) throw new TimeoutException("The operation did not finish within 3 minutes.");
            return await task;
        }

        /// <summary>
        /// The engine's time runs 100 times faster than real time (at most 250 ms of real time per wait):
        /// a restart wait of minutes takes seconds, yet real sockets get real time to rebind after a restart.
        /// </summary>
        private sealed class FastClock : IUpdateClock
        {
            private long _ticks = DateTimeOffset.UtcNow.UtcTicks;
            public DateTimeOffset UtcNow => new DateTimeOffset(Interlocked.Read(ref _ticks), TimeSpan.Zero);

            public async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
            {
                Interlocked.Add(ref _ticks, Math.Max(0, delay.Ticks));
                var real = Math.Min(250, Math.Max(1, delay.TotalMilliseconds / 100));
                await Task.Delay(TimeSpan.FromMilliseconds(real), cancellationToken);
            }
        }
    }
}
