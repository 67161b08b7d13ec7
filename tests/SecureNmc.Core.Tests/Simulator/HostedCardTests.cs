using System;
using System.IO;
using System.Linq;
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
    /// <summary>Simulated cards on the project's real SSH/SCP and FTP servers, reached by the product's real clients.</summary>
    public sealed class HostedCardTests : IDisposable
    {
        private readonly string _dir = TempDirectory();

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        private DeviceQueryService Service(DeviceQueryOptions? options = null)
        {
            options ??= new DeviceQueryOptions();
            options.KnownHostsPath ??= Path.Combine(_dir, "known_hosts");
            options.ConnectTimeout = TimeSpan.FromSeconds(20);
            options.OperationTimeout = TimeSpan.FromSeconds(20);
            options.QueryTimeout = TimeSpan.FromSeconds(60);
            return new DeviceQueryService(new IFileTransferClient[] { new ScpFileTransferClient(), new FtpFileTransferClient() }, options);
        }

        private static NmcDevice DeviceFor(SimulatedCard card, TransferProtocol protocol = TransferProtocol.Scp) => new NmcDevice
        {
            Host = card.Host,
            Port = protocol == TransferProtocol.Ftp ? card.FtpPort : card.SshPort,
            Protocol = protocol,
            Name = card.Name,
        };

        private static NetworkCredential Cred(CardUserKind kind) => SimulatedFleet.Credential(kind);

        private static ConnectionOptions Options(SimulatedCard card, NetworkCredential credential, TransferProtocol protocol = TransferProtocol.Scp)
        {
            var o = Connect(card, credential, protocol);
            o.Ssh.HostKeyPolicy = HostKeyPolicy.TrustOnFirstUse;
            return o;
        }

        [Fact]
        public async Task A_card_presents_an_RSA_2048_host_key_by_default_and_ECDSA_when_its_profile_selects_it()
        {
            using var fleet = InstantFleet(2, i => new CardProfile { HostKeyType = i == 0 ? SimulatorHostKeyType.Rsa2048 : SimulatorHostKeyType.EcdsaP256 });
            using var host = SimulatorFleetHost.Start(fleet);
            Assert.Equal(SimulatorHostKeyType.Rsa2048, new CardProfile().HostKeyType);
            Assert.Equal("ssh-rsa", fleet.Cards[0].HostKey.KeyType);
            Assert.Equal(new[] { "rsa-sha2-512", "rsa-sha2-256" }, fleet.Cards[0].HostKey.SignatureAlgorithms);
            // ssh-rsa blob: string "ssh-rsa", mpint e, mpint n (2048 bits: 256 bytes plus a leading zero).
            var blob = fleet.Cards[0].HostKey.PublicKeyBlob;
            int at = 4 + 7;
            int eLength = (blob[at] << 24) | (blob[at + 1] << 16) | (blob[at + 2] << 8) | blob[at + 3];
            at += 4 + eLength;
            int nLength = (blob[at] << 24) | (blob[at + 1] << 16) | (blob[at + 2] << 8) | blob[at + 3];
            Assert.Equal(2048, (nLength - (blob[at + 4] == 0 ? 1 : 0)) * 8);
            Assert.Equal("ecdsa-sha2-nistp256", fleet.Cards[1].HostKey.KeyType);

            // The product's client negotiates rsa-sha2-512 with the first and ECDSA with the second.
            using var rsa = (SecureNmc.Core.Transport.Scp.SshNetScpSession)await new ScpFileTransferClient().OpenAsync(Options(fleet.Cards[0], Cred(CardUserKind.Administrator)), Token);
            Assert.Equal("rsa-sha2-512", rsa.HostKeyAlgorithm);
            using var ecdsa = (SecureNmc.Core.Transport.Scp.SshNetScpSession)await new ScpFileTransferClient().OpenAsync(Options(fleet.Cards[1], Cred(CardUserKind.Administrator)), Token);
            Assert.Equal("ecdsa-sha2-nistp256", ecdsa.HostKeyAlgorithm);
        }

        [Fact]
        public async Task Cards_listen_on_distinct_loopback_addresses_and_are_queried_over_ssh()
        {
            using var fleet = InstantFleet(3);
            using var host = SimulatorFleetHost.Start(fleet);
            Assert.Equal(3, fleet.Cards.Select(c => c.Host).Distinct().Count());
            Assert.All(fleet.Cards, c => Assert.StartsWith("127.0.", c.Host));
            var devices = host.Devices(TransferProtocol.Scp);
            Assert.Empty(host.Devices(TransferProtocol.Ftp)); // FTP is off on every card
            var results = await Within(Service().RefreshAsync(devices, _ => Cred(CardUserKind.Administrator), 3, Token));
            Assert.All(results, r => Assert.True(r.Succeeded, r.Detail));
            for (int i = 0; i < 3; i++)
            {
                var p = fleet.Cards[i].Profile;
                Assert.Equal(p.SerialNumber, devices[i].SerialNumber);
                Assert.Equal(p.Model, devices[i].Model);
                Assert.Equal(p.BootloaderVersion, devices[i].BootloaderVersion);
                Assert.Equal(p.SystemLocation, devices[i].SystemLocation);
            }
            Assert.Contains("banner", results[0].Identity!.Sources);
        }

        [Fact]
        public async Task Every_user_kind_and_connection_fault_lands_in_the_right_status_over_ssh()
        {
            using var fleet = InstantFleet(1);
            using var host = SimulatorFleetHost.Start(fleet);
            var card = fleet.Cards[0];
            var service = Service();

            var device = DeviceFor(card);
            Assert.Equal(DeviceQueryOutcome.BadCredentials, (await Within(service.QueryAsync(device, new NetworkCredential("admin", "wrong"), Token))).Outcome);
            Assert.Equal(DeviceStatus.IncorrectCredentials, device.Status);

            var mfa = await Within(service.QueryAsync(device, Cred(CardUserKind.MultiFactor), Token));
            Assert.Equal(DeviceQueryOutcome.MultiFactorRequired, mfa.Outcome);
            Assert.Contains("FAQ000276382", device.StatusDetail);

            var factory = await Within(service.QueryAsync(device, Cred(CardUserKind.FactoryDefault), Token));
            Assert.Equal(DeviceQueryOutcome.PasswordChangeRequired, factory.Outcome);
            Assert.Contains("change the factory password", device.StatusDetail);

            using (var held = await Within(new ScpFileTransferClient().OpenAsync(Options(card, Cred(CardUserKind.DeviceUser)), Token)))
            {
                var busy = await Within(service.QueryAsync(device, Cred(CardUserKind.Administrator), Token));
                Assert.Equal(DeviceQueryOutcome.SessionLimitReached, busy.Outcome);
                Assert.Contains("Max logins exceeded.", device.StatusDetail);
            }

            var ok = await Within(service.QueryAsync(device, Cred(CardUserKind.DeviceUser), Token));
            Assert.True(ok.Succeeded, ok.Detail);

            card.Faults.PresentDifferentHostKey = true;
            var swapped = await Within(service.QueryAsync(device, Cred(CardUserKind.Administrator), Token));
            Assert.Equal(DeviceQueryOutcome.HostKeyRejected, swapped.Outcome);
            Assert.Equal(DeviceStatus.NotAccessible, device.Status);
            card.Faults.PresentDifferentHostKey = false;

            card.Faults.RefuseConnections = true;
            var refused = await Within(service.QueryAsync(device, Cred(CardUserKind.Administrator), Token));
            Assert.Equal(DeviceQueryOutcome.CannotConnect, refused.Outcome);
            card.Faults.RefuseConnections = false;
            Assert.True((await Within(service.QueryAsync(device, Cred(CardUserKind.Administrator), Token))).Succeeded);
        }

        [Fact]
        public async Task An_scp_upload_of_a_package_restarts_the_card_into_the_new_version()
        {
            using var fleet = InstantFleet(1, i => new CardProfile { ApplicationType = ApplicationType.SU });
            using var host = SimulatorFleetHost.Start(fleet);
            var card = fleet.Cards[0];
            var package = new SimulatorFirmwarePackage("hw21", ApplicationType.SU, "2.6.0.4", "2.6.0.3", "1.6.0.1");
            var bytes = package.ToBytes(200_000);

            using (var device = await Within(new ScpFileTransferClient().OpenAsync(Options(card, Cred(CardUserKind.DeviceUser)), Token)))
            {
                var denied = await Assert.ThrowsAsync<FileTransferException>(() => Within(device.UploadAsync(package.FileName, new MemoryStream(bytes), bytes.Length, null, Token)));
                Assert.Equal(TransferFailureKind.InsufficientRights, denied.Kind);
            }
            using (var admin = await Within(new ScpFileTransferClient().OpenAsync(Options(card, Cred(CardUserKind.Administrator)), Token)))
            {
                var wrong = new SimulatorFirmwarePackage("hw05", ApplicationType.SU, "2.6.0.4", "2.6.0.3", null).ToBytes(1000);
                var rejected = await Assert.ThrowsAsync<FileTransferException>(() => Within(admin.UploadAsync("apc_hw05_su_2.6.0.3.nmc3", new MemoryStream(wrong), wrong.Length, null, Token)));
                Assert.Contains("hw05", rejected.Message + rejected.ServerMessage);
            }
            using (var admin = await Within(new ScpFileTransferClient().OpenAsync(Options(card, Cred(CardUserKind.Administrator)), Token)))
            {
                try
                {
                    await Within(admin.UploadAsync(package.FileName, new MemoryStream(bytes), bytes.Length, null, Token));
                }
                catch (FileTransferException ex) when (ex.Kind == TransferFailureKind.TransferFailed)
                {
                    // a card may drop the link right after accepting; the card's state below is what counts
                }
            }
            await Within(card.WaitUntilRunningAsync(Token));
            Assert.Equal(1, card.FirmwareUpdatesApplied);
            var deviceRecord = DeviceFor(card);
            DeviceQueryResult? last = null;
            for (int attempt = 0; attempt < 50; attempt++) // the servers come back a moment after the card
            {
                last = await Within(Service().QueryAsync(deviceRecord, Cred(CardUserKind.Administrator), Token));
                if (last.Succeeded) break;
                await Task.Delay(100);
            }
            Assert.True(last!.Succeeded, last.Detail);
            Assert.Equal("2.6.0.3", deviceRecord.ApplicationVersion);
            Assert.Equal("2.6.0.4", deviceRecord.AosVersion);
            Assert.Equal("1.6.0.1", deviceRecord.BootloaderVersion);
            Assert.Contains(card.Events, e => e.Text == "Firmware Updated.");
            Assert.NotNull(last.Identity!.LastFirmwareUpdateEvent); // read back from event.txt by the query
        }

        [Fact]
        public async Task Ftp_is_off_until_enabled_then_queries_and_refuses_device_user_uploads_with_550()
        {
            using var fleet = InstantFleet(1);
            using var host = SimulatorFleetHost.Start(fleet);
            var card = fleet.Cards[0];
            Assert.False(host.Hosts[0].FtpListening);
            card.FtpEnabled = true;
            Assert.True(host.Hosts[0].FtpListening);
            var device = DeviceFor(card, TransferProtocol.Ftp);
            var result = await Within(Service().QueryAsync(device, Cred(CardUserKind.Administrator), Token));
            Assert.True(result.Succeeded, result.Detail);
            Assert.Equal(card.Profile.ApplicationVersion, device.ApplicationVersion);

            var mfa = await Within(Service().QueryAsync(device, Cred(CardUserKind.MultiFactor), Token));
            Assert.Equal(DeviceQueryOutcome.MultiFactorRequired, mfa.Outcome);
            var factory = await Within(Service().QueryAsync(device, Cred(CardUserKind.FactoryDefault), Token));
            Assert.Equal(DeviceQueryOutcome.PasswordChangeRequired, factory.Outcome);

            using var session = await Within(new FtpFileTransferClient().OpenAsync(Options(card, Cred(CardUserKind.DeviceUser), TransferProtocol.Ftp), Token));
            var bytes = new SimulatorFirmwarePackage("hw21", card.Profile.ApplicationType, "2.6.0.4", "2.6.0.3", null).ToBytes(1000);
            var ex = await Assert.ThrowsAsync<FileTransferException>(() => Within(session.UploadAsync("apc_hw21_su_2.6.0.3.nmc3", new MemoryStream(bytes), bytes.Length, null, Token)));
            Assert.Equal(TransferFailureKind.InsufficientRights, ex.Kind);
            Assert.Contains("550", ex.ServerMessage ?? ex.Message);
        }
    }
}
