using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Query;
using SecureNmc.Core.Transport;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Fleet;
using SecureNmc.Simulator.Hosting;
using static SecureNmc.Core.Tests.Simulator.SimulatorTestKit;

namespace SecureNmc.Core.Tests.Simulator
{
    public sealed class HostedFleetTests
    {
        [Fact]
        public async Task A_200_card_fleet_is_queried_over_real_ssh_at_100_concurrent_sessions()
        {
            // The SSH.NET client waits in blocking calls; were they to hold thread-pool threads, 100 cards
            // waiting at once would starve the pool (measured: 109 s and 54 failed queries instead of ~5 s).
            using var fleet = InstantFleet(200);
            using var host = SimulatorFleetHost.Start(fleet);
            var dir = TempDirectory();
            try
            {
                var service = new DeviceQueryService(new IFileTransferClient[] { new ScpFileTransferClient() }, new DeviceQueryOptions
                {
                    KnownHostsPath = Path.Combine(dir, "known_hosts"),
                    MaxConcurrency = 100,
                    ConnectTimeout = TimeSpan.FromSeconds(20),
                    OperationTimeout = TimeSpan.FromSeconds(20),
                    QueryTimeout = TimeSpan.FromMinutes(1),
                });
                var devices = fleet.Cards.Select(c => new NmcDevice { Host = c.Host, Port = c.SshPort, Name = c.Name }).ToList();
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var results = await service.RefreshAsync(devices, _ => SimulatedFleet.AdministratorCredential, null, new System.Threading.CancellationTokenSource(TimeSpan.FromMinutes(3)).Token);
                clock.Stop();
                Assert.True(results.All(r => r.Succeeded), string.Join("\n", results.Where(r => !r.Succeeded).Take(5).Select(r => r.Detail)));
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), $"200 queries at 100 at a time took {clock.Elapsed}");
            }
            finally
            {
                try { Directory.Delete(dir, true); } catch (IOException) { }
            }
        }

        [Fact]
        public async Task A_200_card_fleet_on_real_ssh_servers_is_queried_in_parallel()
        {
            using var fleet = InstantFleet(200);
            using var host = SimulatorFleetHost.Start(fleet);
            Assert.Equal(200, fleet.Cards.Select(c => c.Host + ":" + c.SshPort).Distinct().Count());
            fleet.Cards[7].Faults.RefuseConnections = true;
            var dir = TempDirectory();
            try
            {
                var service = new DeviceQueryService(new IFileTransferClient[] { new ScpFileTransferClient() }, new DeviceQueryOptions
                {
                    KnownHostsPath = Path.Combine(dir, "known_hosts"),
                    MaxConcurrency = 16,
                    ConnectTimeout = TimeSpan.FromSeconds(60),
                    OperationTimeout = TimeSpan.FromSeconds(60),
                    QueryTimeout = TimeSpan.FromMinutes(2),
                });
                var devices = fleet.Cards.Select(c => new NmcDevice { Host = c.Host, Port = c.SshPort, Name = c.Name }).ToList();
                var results = await service.RefreshAsync(devices, _ => SimulatedFleet.AdministratorCredential, null, new System.Threading.CancellationTokenSource(TimeSpan.FromMinutes(3)).Token);
                Assert.Equal(199, results.Count(r => r.Succeeded));
                Assert.Equal(DeviceQueryOutcome.CannotConnect, results[7].Outcome);
                for (int i = 0; i < 200; i++)
                {
                    if (i == 7) continue;
                    Assert.Equal(fleet.Cards[i].Profile.SerialNumber, devices[i].SerialNumber);
                    Assert.Equal(fleet.Cards[i].Profile.ApplicationType, devices[i].ApplicationType);
                }
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
