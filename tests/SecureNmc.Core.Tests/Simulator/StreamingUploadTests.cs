using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Core.Transport;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Firmware;
using SecureNmc.Simulator.Fleet;
using SecureNmc.Simulator.Hosting;
using SecureNmc.Simulator.Transport;
using static SecureNmc.Core.Tests.Simulator.SimulatorTestKit;

namespace SecureNmc.Core.Tests.Simulator
{
    /// <summary>
    /// A card takes an upload as it arrives, one chunk at a time, paced at its upload speed, on every
    /// path (in-process, SCP through the project's SSH server, FTP STOR): it has consumed and paced what
    /// a sender has sent while that sender is still busy, and it never holds the whole file.
    /// </summary>
    public sealed class StreamingUploadTests : IDisposable
    {
        private const double BytesPerSecond = 64 * 1024;
        private const string Name = "apc_hw21_su_2.6.0.3.nmc3";
        private readonly string _dir = TempDirectory();

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        private static byte[] Package(int payload = 256 * 1024) => new SimulatorFirmwarePackage("hw21", ApplicationType.SU, "2.6.0.4", "2.6.0.3", null).ToBytes(payload);

        /// <summary>Instant fleet (time scale 0: no real waiting) whose card still paces, so its pacing is counted.</summary>
        private static SimulatedFleet PacedFleet()
        {
            var fleet = InstantFleet(1, i => new CardProfile { ApplicationType = ApplicationType.SU });
            fleet.Cards[0].Timing.UploadBytesPerSecond = BytesPerSecond;
            return fleet;
        }

        private static async Task WaitUntil(Func<bool> condition, string what)
        {
            var deadline = DateTime.UtcNow + Deadline;
            while (!condition())
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not reached within the test deadline: {what}.");
                await Task.Delay(10);
            }
        }

        /// <summary>While the sender waits at its gate, the card has taken (and paced) everything before it.</summary>
        private static async Task AssertCardConsumedWhileSenderBlocked(SimulatedCard card, GatedStream source, Task upload, int half)
        {
            await Within(source.Blocked);
            var pacedHalf = TimeSpan.FromSeconds(half / BytesPerSecond) - TimeSpan.FromMilliseconds(1);
            await WaitUntil(() => card.UploadBytesReceived == half && card.UploadPacingTime >= pacedHalf, $"the card has received and paced the {half} bytes sent so far");
            Assert.False(upload.IsCompleted);
            Assert.Equal(half, card.UploadBytesReceived);
        }

        [Fact]
        public async Task In_process_the_card_consumes_and_paces_half_a_package_while_the_sender_is_still_blocked()
        {
            using var fleet = PacedFleet();
            var card = fleet.Cards[0];
            var bytes = Package();
            int half = bytes.Length / 2;
            using var session = await Within(new InProcessCardTransport(fleet).OpenAsync(Connect(card, SimulatedFleet.AdministratorCredential), Token));
            var source = new GatedStream(bytes, half);
            var upload = session.UploadAsync(Name, source, bytes.Length, null, Token);

            await AssertCardConsumedWhileSenderBlocked(card, source, upload, half);
            Assert.InRange(source.LargestReadBuffer, 1, 64 * 1024); // one chunk at a time, not one array for the whole file
            source.Release();
            await Within(upload);
            Assert.Equal(bytes.Length, card.UploadBytesReceived);
            await Within(card.WaitUntilRunningAsync(Token));
            Assert.Equal(1, card.FirmwareUpdatesApplied);
        }

        [Fact]
        public async Task Without_an_announced_size_the_card_also_streams_and_installs()
        {
            using var fleet = PacedFleet();
            var card = fleet.Cards[0];
            card.FtpEnabled = true;
            var bytes = Package();
            int half = bytes.Length / 2;
            var session = (await Within(card.LoginAsync(CardProtocol.Ftp, "admin", "Admin!2345", null, Token))).Session!;
            var source = new GatedStream(bytes, half);
            var upload = session.ReceiveUploadAsync(Name, source, -1, Token);

            await AssertCardConsumedWhileSenderBlocked(card, source, upload, half);
            Assert.InRange(source.LargestReadBuffer, 1, 64 * 1024);
            source.Release();
            var result = await Within(upload);
            Assert.True(result.Accepted, result.Message);
            await Within(card.WaitUntilRunningAsync(Token));
            Assert.Equal("2.6.0.3", card.Profile.ApplicationVersion);
        }

        [Fact]
        public async Task Over_scp_the_card_reads_from_the_channel_while_the_client_is_still_sending()
        {
            using var fleet = PacedFleet();
            using var host = SimulatorFleetHost.Start(fleet);
            var card = fleet.Cards[0];
            var bytes = Package();
            int half = bytes.Length / 2;
            var options = Connect(card, SimulatedFleet.AdministratorCredential);
            options.Ssh.KnownHostsPath = Path.Combine(_dir, "known_hosts");
            options.Ssh.HostKeyPolicy = HostKeyPolicy.TrustOnFirstUse;
            using var session = await Within(new ScpFileTransferClient().OpenAsync(options, Token));
            var source = new GatedStream(bytes, half);
            var upload = session.UploadAsync(Name, source, bytes.Length, null, Token);

            // The SCP server used to collect the whole file before the card saw a byte: here the card has half.
            await AssertCardConsumedWhileSenderBlocked(card, source, upload, half);
            source.Release();
            try
            {
                await Within(upload);
            }
            catch (FileTransferException ex) when (ex.Kind == TransferFailureKind.TransferFailed)
            {
                // a card may drop the link right after accepting; its state below is what counts
            }
            await Within(card.WaitUntilRunningAsync(Token));
            Assert.Equal(1, card.FirmwareUpdatesApplied);
            Assert.Equal(bytes.Length, card.UploadBytesReceived);
        }

        [Fact]
        public async Task Openssh_scp_is_held_back_by_a_card_that_is_still_pacing()
        {
            using var fleet = InstantFleet(1, i => new CardProfile { ApplicationType = ApplicationType.SU });
            using var host = SimulatorFleetHost.Start(fleet);
            var card = fleet.Cards[0];
            fleet.Clock.TimeScale = 1;
            card.Timing.UploadBytesPerSecond = 1; // after its first chunk the card paces for hours: the sender must wait
            var path = SimulatorFirmwarePackage.Create(_dir, ApplicationType.SU, "2.6.0.4", "2.6.0.3", payloadBytes: 8 * 1024 * 1024);
            long fileLength = new FileInfo(path).Length;
            using var relay = new CountingRelay(new IPEndPoint(IPAddress.Parse(card.Host), card.SshPort));

            var psi = new ProcessStartInfo("sshpass") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-p", "Admin!2345", "scp", "-O", "-P", relay.Port.ToString(), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                                      "-o", "LogLevel=ERROR", "-o", "PreferredAuthentications=password,keyboard-interactive", "-o", "PubkeyAuthentication=no",
                                      "-o", "ConnectTimeout=20", path, $"admin@127.0.0.1:{Path.GetFileName(path)}" })
                psi.ArgumentList.Add(a);
            using var scp = Process.Start(psi)!;
            try
            {
                _ = scp.StandardOutput.ReadToEndAsync();
                var stderr = scp.StandardError.ReadToEndAsync();
                await WaitUntil(() => card.UploadBytesReceived > 0 || scp.HasExited, "the card has received its first bytes");
                Assert.False(scp.HasExited, scp.HasExited ? await stderr : "");
                long sentWhenCardHadFirstBytes = relay.ClientToServerBytes;
                Assert.True(sentWhenCardHadFirstBytes < fileLength, $"scp had sent {sentWhenCardHadFirstBytes} bytes of a {fileLength}-byte file when the card got its first");
                // The card is pacing its first chunk; flow control keeps scp from sending the rest.
                await Task.Delay(500);
                Assert.True(relay.ClientToServerBytes < fileLength - 1024 * 1024, $"scp sent {relay.ClientToServerBytes} of {fileLength} bytes to a card that took {card.UploadBytesReceived}");
                Assert.InRange(card.UploadBytesReceived, 1, 16 * 1024); // one chunk, then pacing
            }
            finally
            {
                if (!scp.HasExited) scp.Kill(true);
            }
        }

        [Fact]
        public async Task Corrupted_in_transit_over_ftp_without_a_size_fails_the_integrity_check()
        {
            using var fleet = InstantFleet(1, i => new CardProfile { ApplicationType = ApplicationType.SU });
            using var host = SimulatorFleetHost.Start(fleet);
            var card = fleet.Cards[0];
            card.FtpEnabled = true;
            card.Faults.CorruptReceivedFile = true;
            var bytes = Package(100_000);
            using (var session = await Within(new FtpFileTransferClient().OpenAsync(Connect(card, SimulatedFleet.AdministratorCredential, TransferProtocol.Ftp), Token)))
            {
                var ex = await Assert.ThrowsAsync<FileTransferException>(() => Within(session.UploadAsync(Name, new MemoryStream(bytes), bytes.Length, null, Token)));
                Assert.Contains("integrity", ex.Message + " " + ex.ServerMessage);
                Assert.Contains("550", ex.ServerMessage ?? ex.Message);
            }
            Assert.Equal(0, card.FirmwareUpdatesApplied);
            Assert.Contains(card.Events, e => e.Text.Contains("integrity"));

            // Unknown length straight into a card, too: the byte is flipped in transit, and only while the fault is on.
            using var other = InstantFleet(1, i => new CardProfile { ApplicationType = ApplicationType.SU });
            var direct = other.Cards[0];
            direct.FtpEnabled = true;
            direct.Faults.CorruptReceivedFile = true;
            using var ftp = (await Within(direct.LoginAsync(CardProtocol.Ftp, "admin", "Admin!2345", null, Token))).Session!;
            var rejected = await Within(ftp.ReceiveUploadAsync(Name, new MemoryStream(bytes), -1, Token));
            Assert.Equal($"Firmware upgrade failed: {SimulatorPackageReceiver.IntegrityFailed}.", rejected.Message);
            direct.Faults.CorruptReceivedFile = false;
            var accepted = await Within(ftp.ReceiveUploadAsync(Name, new MemoryStream(bytes), -1, Token));
            Assert.True(accepted.Accepted, accepted.Message);
        }

        /// <summary>Forwards one TCP connection and counts what the client sent.</summary>
        private sealed class CountingRelay : IDisposable
        {
            private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
            private readonly CancellationTokenSource _stop = new CancellationTokenSource();
            private long _clientToServer;

            public CountingRelay(IPEndPoint target)
            {
                _listener.Start();
                _ = RunAsync(target);
            }

            public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
            public long ClientToServerBytes => Interlocked.Read(ref _clientToServer);

            private async Task RunAsync(IPEndPoint target)
            {
                try
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    using var server = new TcpClient();
                    await server.ConnectAsync(target, _stop.Token);
                    var up = PumpAsync(client.GetStream(), server.GetStream(), n => Interlocked.Add(ref _clientToServer, n));
                    var down = PumpAsync(server.GetStream(), client.GetStream(), _ => { });
                    await Task.WhenAny(up, down);
                }
                catch (Exception) { /* the test ends the relay by disposing it */ }
            }

            private async Task PumpAsync(NetworkStream from, NetworkStream to, Action<int> count)
            {
                var buffer = new byte[16 * 1024];
                int n;
                while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0)
                {
                    await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                    count(n);
                }
            }

            public void Dispose()
            {
                _stop.Cancel();
                _listener.Stop();
            }
        }
    }
}
