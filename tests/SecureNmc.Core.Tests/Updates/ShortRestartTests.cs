using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Devices;
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
    /// A card whose restart is over before the first poll, and that comes back on the same version
    /// (a -Reinstall), gives no sign of having restarted except the new Coldstart event it logs.
    /// The engine must read that evidence instead of waiting out the drop timeout and reporting that
    /// the card "did not start installing".
    /// </summary>
    public sealed class ShortRestartTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();
        private readonly SimulatedFleet _fleet = new SimulatedFleet(new SimulatorClock(0.002)); // a 2-minute restart takes 0.24 s

        public void Dispose()
        {
            _fleet.Dispose();
            _temp.Dispose();
        }

        [Fact]
        public async Task A_reinstall_whose_restart_ends_before_the_first_poll_is_seen_from_the_coldstart_event()
        {
            var card = _fleet.AddCards(1, i =>
            {
                var p = CardProfile.ForFleetMember(i);
                p.ApplicationVersion = p.AosVersion = "2.6.0.1";
                return p;
            }).Single();
            using var host = SimulatorFleetHost.Start(_fleet);
            var library = new FirmwareLibrary(Path.Combine(_temp.Path, "Firmware"));
            library.Import(SimulatorFirmwarePackage.Create(Path.Combine(_temp.Path, "downloads"), card.Profile.ApplicationType, "2.6.0.1", "2.6.0.1", payloadBytes: 8 * 1024));
            var knownHosts = Path.Combine(_temp.Path, "known_hosts");
            var scp = new ScpFileTransferClient();
            var query = new DeviceQueryService(new IFileTransferClient[] { scp }, new DeviceQueryOptions { KnownHostsPath = knownHosts, ReadDataLog = false });
            var devices = host.Devices(TransferProtocol.Scp).ToList();
            var refreshed = await query.RefreshAsync(devices, _ => SimulatedFleet.AdministratorCredential, null, CancellationToken.None);
            Assert.All(refreshed, r => Assert.True(r.Succeeded, r.ToString()));

            var options = new UpdateEngineOptions
            {
                MaxAttempts = 1,
                BackupFolder = Path.Combine(_temp.Path, "Backup"),
                // The first poll comes well after the card is back, as 5 s does after a real card's quick reboot.
                RestartPollInitial = TimeSpan.FromSeconds(2),
                RestartPollMax = TimeSpan.FromSeconds(2),
                RestartDropTimeout = TimeSpan.FromSeconds(20),
                RestartReturnTimeout = TimeSpan.FromSeconds(20),
            };
            var engine = new FirmwareUpdateEngine(
                new TransferClientSessionFactory(_ => scp, d => new ConnectionOptions
                {
                    Host = d.Host, Port = d.Port, Credential = SimulatedFleet.AdministratorCredential,
                    Ssh = new SshClientOptions { KnownHostsPath = knownHosts },
                }),
                new DeviceQueryVersionReader(query, _ => SimulatedFleet.AdministratorCredential), library, options);
            var plans = new UpdatePlanner(library.GetCatalog()).PlanAll(devices, new UpdatePlanOptions { Reinstall = true });
            Assert.True(plans.Single().IsActionable, plans.Single().Reason);

            var run = engine.RunAsync(plans);
            var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(finished == run, "the update did not finish");
            var result = (await run).Single();

            Assert.True(result.Status == DeviceStatus.UpdateComplete, result.ToString());
            Assert.Equal(1, card.FirmwareUpdatesApplied);
            Assert.True(result.Duration < options.RestartDropTimeout, $"took {result.Duration}: the drop timeout was waited out");
        }
    }
}
