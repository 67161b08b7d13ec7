using System;
using System.IO;
using System.Net;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Query;
using SecureNmc.Core.Transport;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Fleet;
using SecureNmc.Simulator.Firmware;
using SecureNmc.Simulator.Hosting;
using static SecureNmc.Core.Tests.Simulator.SimulatorTestKit;

namespace SecureNmc.Core.Tests.Simulator
{
    /// <summary>The upload and restart faults seen through the real SCP client and SSH server.</summary>
    public sealed class HostedFaultTests : IDisposable
    {
        private readonly string _dir = TempDirectory();
        private readonly SimulatedFleet _fleet = InstantFleet(1, i => new CardProfile { ApplicationType = ApplicationType.SU });
        private readonly SimulatorFleetHost _host;

        public HostedFaultTests() => _host = SimulatorFleetHost.Start(_fleet);

        private SimulatedCard Card => _fleet.Cards[0];

        public void Dispose()
        {
            _host.Dispose();
            _fleet.Dispose();
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        private ConnectionOptions Admin()
        {
            var o = Connect(Card, SimulatedFleet.AdministratorCredential);
            o.Ssh.KnownHostsPath = Path.Combine(_dir, "known_hosts");
            return o;
        }

        private async Task<FileTransferException?> Upload(byte[] bytes, string name = "apc_hw21_su_2.6.0.3.nmc3")
        {
            using var session = await Within(new ScpFileTransferClient().OpenAsync(Admin(), Token));
            try
            {
                await Within(session.UploadAsync(name, new MemoryStream(bytes), bytes.Length, null, Token));
                return null;
            }
            catch (FileTransferException ex)
            {
                return ex;
            }
        }

        private static byte[] Package() => new SimulatorFirmwarePackage("hw21", ApplicationType.SU, "2.6.0.4", "2.6.0.3", null).ToBytes(100_000);

        private DeviceQueryService Service(TimeSpan? operationTimeout = null) =>
            new DeviceQueryService(new IFileTransferClient[] { new ScpFileTransferClient() }, new DeviceQueryOptions
            {
                KnownHostsPath = Path.Combine(_dir, "known_hosts"),
                ConnectTimeout = operationTimeout ?? TimeSpan.FromSeconds(20),
                OperationTimeout = operationTimeout ?? TimeSpan.FromSeconds(20),
            });

        private NmcDevice Device => new NmcDevice { Host = Card.Host, Port = Card.SshPort };

        [Fact]
        public async Task A_dropped_upload_fails_the_transfer_and_leaves_the_firmware()
        {
            Card.Faults.DropUploadAfterBytes = 30_000;
            var failure = await Upload(Package());
            Assert.NotNull(failure);
            Assert.Equal(0, Card.FirmwareUpdatesApplied);
            Assert.Equal(CardState.Running, Card.State);
            Assert.True((await Within(Service().QueryAsync(Device, SimulatedFleet.AdministratorCredential, Token))).Succeeded);
        }

        [Fact]
        public async Task A_corrupted_upload_is_rejected_with_the_cards_integrity_text()
        {
            Card.Faults.CorruptReceivedFile = true;
            var failure = await Upload(Package());
            Assert.NotNull(failure);
            Assert.Contains("integrity", failure!.Message + " " + failure.ServerMessage);
            Assert.Equal(0, Card.FirmwareUpdatesApplied);
        }

        [Fact]
        public async Task A_card_that_never_comes_back_is_not_accessible()
        {
            Card.Faults.NeverComeBack = true;
            var offline = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            Card.StateChanged += (_, s) => { if (s == CardState.Offline) offline.TrySetResult(true); };
            await Upload(Package());
            await Within(offline.Task);
            var device = Device;
            var result = await Within(Service().QueryAsync(device, SimulatedFleet.AdministratorCredential, Token));
            Assert.Equal(DeviceQueryOutcome.CannotConnect, result.Outcome);
            Assert.Equal(DeviceStatus.NotAccessible, device.Status);
            Assert.False(_host.Hosts[0].SshListening);
        }

        [Fact]
        public async Task A_card_that_comes_back_on_the_old_version_reports_the_old_version()
        {
            Card.Faults.ComeBackOnOldVersion = true;
            await Upload(Package());
            await Within(Card.WaitUntilRunningAsync(Token));
            var device = Device;
            var result = await Within(Service().QueryAsync(device, SimulatedFleet.AdministratorCredential, Token));
            Assert.True(result.Succeeded, result.Detail);
            Assert.Equal("2.5.0.6", device.ApplicationVersion);
            Assert.Null(result.Identity!.LastFirmwareUpdateEvent);
        }

        [Fact]
        public async Task A_slow_card_times_out_over_ssh()
        {
            _fleet.Clock.TimeScale = 1;
            Card.Timing.SlowReplyLatency = TimeSpan.FromHours(1);
            Card.Faults.AnswerSlowly = true;
            var device = Device;
            var result = await Within(Service(TimeSpan.FromMilliseconds(500)).QueryAsync(device, SimulatedFleet.AdministratorCredential, Token));
            Assert.Equal(DeviceQueryOutcome.TimedOut, result.Outcome);
            Assert.Equal(DeviceStatus.NotAccessible, device.Status);
        }
    }
}
