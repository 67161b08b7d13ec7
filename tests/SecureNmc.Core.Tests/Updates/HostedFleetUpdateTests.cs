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
    /// The production wiring end to end over real sockets: the product's SCP-over-SSH and FTP clients
    /// against simulated cards hosted on the project's SSH and FTP servers (loopback), the device query
    /// as the version reader, a durable journal, backups, retries with the real clock. Time on the cards
    /// runs 500x faster (a 2-minute restart takes 0.24 s).
    /// </summary>
    public sealed class HostedFleetUpdateTests : IDisposable
    {
        private const int ScpCards = 20;
        private const int FtpCards = 10;
        private const int DropsUploads = 5;      // an SCP card that cuts every upload off
        private const int RefusesConnections = 25; // an FTP card that stops listening
        private const string Target = "2.6.0.1";
        private static readonly string[] Starting = { "2.1.0.2", "2.4.0.1", "2.5.0.6", Target };

        private readonly TempFolder _temp = new TempFolder();
        private readonly SimulatedFleet _fleet = new SimulatedFleet(new SimulatorClock(0.002));

        public void Dispose()
        {
            _fleet.Dispose();
            _temp.Dispose();
        }

        [Fact]
        public async Task Thirty_cards_of_mixed_types_over_real_scp_and_ftp_servers_are_updated_and_faults_end_right()
        {
            var cards = _fleet.AddCards(ScpCards + FtpCards, i =>
            {
                var p = CardProfile.ForFleetMember(i);
                p.ApplicationVersion = p.AosVersion = Starting[i % Starting.Length];
                return p;
            });
            for (int i = ScpCards; i < cards.Count; i++) cards[i].FtpEnabled = true;
            using var host = SimulatorFleetHost.Start(_fleet);

            var library = new FirmwareLibrary(Path.Combine(_temp.Path, "Firmware"));
            var downloads = Path.Combine(_temp.Path, "downloads");
            foreach (var type in cards.Select(c => c.Profile.ApplicationType).Distinct())
            {
                library.Import(SimulatorFirmwarePackage.Create(downloads, type, "2.3.1.1", "2.3.1.1", payloadBytes: 8 * 1024));
                library.Import(SimulatorFirmwarePackage.Create(downloads, type, "2.6.0.2", Target, bootloaderVersion: "1.6.0.1", payloadBytes: 16 * 1024));
            }

            var scp = new ScpFileTransferClient();
            var ftp = new FtpFileTransferClient();
            var knownHosts = Path.Combine(_temp.Path, "known_hosts");
            var query = new DeviceQueryService(new IFileTransferClient[] { scp, ftp }, new DeviceQueryOptions
            {
                KnownHostsPath = knownHosts, MaxConcurrency = 10, ReadEventLog = false, ReadDataLog = false,
                ConnectTimeout = TimeSpan.FromSeconds(30), OperationTimeout = TimeSpan.FromSeconds(30),
            });
            var devices = host.Devices(TransferProtocol.Scp).Take(ScpCards).Concat(host.Devices(TransferProtocol.Ftp)).ToList();
            Assert.Equal(cards.Count, devices.Count);
            var refreshed = await Within(query.RefreshAsync(devices, _ => SimulatedFleet.AdministratorCredential, null, CancellationToken.None));
            Assert.All(refreshed, r => Assert.True(r.Succeeded, r.ToString()));

            cards[DropsUploads].Faults.DropUploadAfterBytes = 2048;
            cards[RefusesConnections].Faults.RefuseConnections = true;

            var options = new UpdateEngineOptions
            {
                ThrottleLimit = 8,
                MaxAttempts = 3,
                BackupFolder = Path.Combine(_temp.Path, "Backup"),
                JournalPath = Path.Combine(_temp.Path, "Journal", "updates.jsonl"),
                RestartPollInitial = TimeSpan.FromMilliseconds(100),
                RestartPollMax = TimeSpan.FromMilliseconds(400),
                RestartDropTimeout = TimeSpan.FromSeconds(30),
                RestartReturnTimeout = TimeSpan.FromSeconds(60),
                RetryDelayInitial = TimeSpan.FromMilliseconds(100),
                RetryDelayMax = TimeSpan.FromMilliseconds(400),
            };
            FirmwareUpdateEngine Engine() => new FirmwareUpdateEngine(
                new TransferClientSessionFactory(d => d.Protocol == TransferProtocol.Ftp ? (IFileTransferClient)ftp : scp, d => new ConnectionOptions
                {
                    Host = d.Host, Port = d.Port, Credential = SimulatedFleet.AdministratorCredential,
                    ConnectTimeout = TimeSpan.FromSeconds(30), OperationTimeout = TimeSpan.FromSeconds(30),
                    Ssh = new SshClientOptions { KnownHostsPath = knownHosts },
                }),
                new DeviceQueryVersionReader(query, _ => SimulatedFleet.AdministratorCredential), library, options);
            IReadOnlyList<UpdatePlan> Plan() => new UpdatePlanner(library.GetCatalog()).PlanAll(devices, new UpdatePlanOptions());

            var plans = Plan();
            var results = (await Within(Engine().RunAsync(plans))).ToDictionary(r => r.DeviceId);

            var journal = UpdateHistory.LastRun(options.JournalPath).ToDictionary(s => s.DeviceId);
            Assert.Equal(cards.Count, journal.Count);
            for (int i = 0; i < cards.Count; i++)
            {
                var card = cards[i];
                var result = results[devices[i].Id];
                var start = Starting[i % Starting.Length];
                Assert.Equal(result.Status, journal[result.DeviceId].Status);
                Assert.True(journal[result.DeviceId].Finished, result.ToString());
                if (i == DropsUploads || i == RefusesConnections)
                {
                    // A fault the engine retries: Update Error after exactly MaxAttempts, firmware untouched.
                    Assert.True(DeviceStatus.UpdateError == result.Status, result.ToString());
                    Assert.Equal(3, result.Attempts);
                    Assert.Contains("gave up after 3 attempts", result.Error);
                    Assert.Equal(start, card.Profile.ApplicationVersion);
                    continue;
                }
                Assert.Equal(Target, card.Profile.ApplicationVersion);
                if (start == Target)
                {
                    Assert.True(DeviceStatus.AtCurrentVersion == result.Status, result.ToString());
                    Assert.Equal(0, card.FirmwareUpdatesApplied);
                    continue;
                }
                Assert.True(DeviceStatus.UpdateComplete == result.Status, result.ToString());
                // On a loaded machine a session can time out and be retried; what matters is that no card is flashed twice.
                Assert.InRange(result.Attempts, 1, 3);
                Assert.Equal(start == "2.1.0.2" ? 2 : 1, card.FirmwareUpdatesApplied); // below 2.3.1.1: through it first
                Assert.Equal($"{ApplicationVersionText.Code(card.Profile.ApplicationType)} {Target}", journal[result.DeviceId].Reached);
                Assert.StartsWith("; Schneider Electric", File.ReadAllText(Path.Combine(result.BackupPath!, "config.ini")));
                Assert.True(File.Exists(Path.Combine(result.BackupPath!, "event.txt")));
                // Only packages of the card's own type were ever received: the card refused none.
                Assert.DoesNotContain(card.Events, e => e.Text.Contains("Firmware upgrade failed"));
            }

            // With the faults cleared, a re-run finishes the two failed cards and leaves every other one alone.
            cards[DropsUploads].Faults.DropUploadAfterBytes = null;
            cards[RefusesConnections].Faults.RefuseConnections = false;
            var applied = cards.Select(c => c.FirmwareUpdatesApplied).ToList();
            var again = (await Within(Engine().RunAsync(plans))).ToDictionary(r => r.DeviceId);
            for (int i = 0; i < cards.Count; i++)
            {
                var result = again[devices[i].Id];
                if (i == DropsUploads || i == RefusesConnections)
                    Assert.True(DeviceStatus.UpdateComplete == result.Status, result.ToString());
                else
                {
                    Assert.True(DeviceStatus.AtCurrentVersion == result.Status, result.ToString());
                    Assert.Equal(applied[i], cards[i].FirmwareUpdatesApplied);
                }
            }
            Assert.All(cards, c => Assert.Equal(Target, c.Profile.ApplicationVersion));
        }

        private static async Task<T> Within<T>(Task<T> task)
        {
            var done = await Task.WhenAny(task, Task.Delay(TimeSpan.FromMinutes(4)));
            Assert.True(done == task, "the fleet update did not finish within the test's time limit");
            return await task;
        }
    }
}
