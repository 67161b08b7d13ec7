using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Query;
using SecureNmc.Core.Transport;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Fleet;
using SecureNmc.Simulator.Transport;
using static SecureNmc.Core.Tests.Simulator.SimulatorTestKit;

namespace SecureNmc.Core.Tests.Query
{
    /// <summary>Every user kind and every fault lands in the right status with the right reason (in-process simulator transport).</summary>
    public class DeviceQueryServiceTests
    {
        private static DeviceQueryService Service(SimulatedFleet fleet, DeviceQueryOptions? options = null) =>
            new DeviceQueryService(new IFileTransferClient[] { new InProcessCardTransport(fleet, TransferProtocol.Scp), new InProcessCardTransport(fleet, TransferProtocol.Ftp) }, options);

        private static NmcDevice DeviceFor(SimulatedCard card, TransferProtocol protocol = TransferProtocol.Scp) => new NmcDevice
        {
            Host = card.Host,
            Protocol = protocol,
            Port = protocol == TransferProtocol.Ftp ? card.FtpPort : card.SshPort,
            Name = card.Name,
        };

        private static NetworkCredential Admin => SimulatedFleet.Credential(CardUserKind.Administrator);

        [Fact]
        public async Task A_successful_query_fills_every_fact_and_leaves_status_for_planning()
        {
            using var fleet = InstantFleet(2);
            var card = fleet.Cards[1];
            var device = DeviceFor(card);
            var result = await Within(Service(fleet).QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceQueryOutcome.Success, result.Outcome);
            Assert.Empty(result.Warnings);
            var p = card.Profile;
            Assert.Equal(p.Model, device.Model);
            Assert.Equal(p.SerialNumber, device.SerialNumber);
            Assert.Equal(p.MacAddress, device.MacAddress);
            Assert.Equal(p.HardwareRevision, device.HardwareRevision);
            Assert.Equal(p.ApplicationType, device.ApplicationType);
            Assert.Equal(p.AosVersion, device.AosVersion);
            Assert.Equal(p.ApplicationVersion, device.ApplicationVersion);
            Assert.Equal(p.BootloaderVersion, device.BootloaderVersion);
            Assert.Equal(p.SystemName, device.SystemName);
            Assert.Equal(p.SystemContact, device.SystemContact);
            Assert.Equal(p.SystemLocation, device.SystemLocation);
            Assert.NotNull(device.LastQueried);
            Assert.Equal(DeviceStatus.Unknown, device.Status);
            Assert.Contains("Queried: " + p.Model, device.StatusDetail);
            Assert.Contains("set when firmware is planned", device.StatusDetail);
            Assert.Equal(0, card.ActiveSessionCount); // the session was closed
        }

        [Fact]
        public async Task A_planning_status_survives_a_refresh_when_versions_did_not_change_and_a_planner_can_decide()
        {
            using var fleet = InstantFleet(1);
            var device = DeviceFor(fleet.Cards[0]);
            var service = Service(fleet);
            await Within(service.QueryAsync(device, Admin, Token));
            device.Status = DeviceStatus.ReadyForUpdate;
            await Within(service.QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceStatus.ReadyForUpdate, device.Status);

            fleet.Cards[0].Profile.ApplicationVersion = "2.6.0.3";
            await Within(service.QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceStatus.Unknown, device.Status);

            var planned = Service(fleet, new DeviceQueryOptions { StatusAfterQuery = (d, id) => id.ApplicationVersion == "2.6.0.3" ? DeviceStatus.AtCurrentVersion : (DeviceStatus?)null });
            await Within(planned.QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceStatus.AtCurrentVersion, device.Status);
        }

        [Fact]
        public async Task A_device_user_can_query()
        {
            using var fleet = InstantFleet(1);
            var device = DeviceFor(fleet.Cards[0]);
            var result = await Within(Service(fleet).QueryAsync(device, SimulatedFleet.Credential(CardUserKind.DeviceUser), Token));
            Assert.True(result.Succeeded, result.Detail);
            Assert.Equal(fleet.Cards[0].Profile.SerialNumber, device.SerialNumber);
        }

        [Fact]
        public async Task Wrong_password_is_incorrect_credentials_naming_the_user_but_never_the_password()
        {
            using var fleet = InstantFleet(1);
            var device = DeviceFor(fleet.Cards[0]);
            var result = await Within(Service(fleet).QueryAsync(device, new NetworkCredential("admin", "Wr0ngSecret!"), Token));
            Assert.Equal(DeviceQueryOutcome.BadCredentials, result.Outcome);
            Assert.Equal(DeviceStatus.IncorrectCredentials, device.Status);
            Assert.Contains("'admin'", device.StatusDetail);
            Assert.DoesNotContain("Wr0ngSecret!", device.StatusDetail);
            Assert.Null(device.LastQueried);
        }

        [Fact]
        public async Task An_mfa_user_gets_the_seeds_guidance()
        {
            using var fleet = InstantFleet(1);
            var device = DeviceFor(fleet.Cards[0]);
            var result = await Within(Service(fleet).QueryAsync(device, SimulatedFleet.Credential(CardUserKind.MultiFactor), Token));
            Assert.Equal(DeviceQueryOutcome.MultiFactorRequired, result.Outcome);
            Assert.Equal(DeviceStatus.IncorrectCredentials, device.Status);
            Assert.Contains("multi-factor authentication (MFA)", device.StatusDetail);
            Assert.Contains("without an e-mail address", device.StatusDetail);
            Assert.Contains("FAQ000276382", device.StatusDetail);
            Assert.Contains(SimulatedCard.DefaultMfaMessage, device.StatusDetail);
        }

        [Fact]
        public async Task The_factory_login_asks_to_change_the_password()
        {
            using var fleet = InstantFleet(1);
            var device = DeviceFor(fleet.Cards[0]);
            var result = await Within(Service(fleet).QueryAsync(device, new NetworkCredential("apc", "apc"), Token));
            Assert.Equal(DeviceQueryOutcome.PasswordChangeRequired, result.Outcome);
            Assert.Equal(DeviceStatus.IncorrectCredentials, device.Status);
            Assert.Contains("log in once", device.StatusDetail, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("\n", device.StatusDetail); // the card's two-line prompt is quoted on one line
            Assert.Contains("Enter current password", device.StatusDetail);
            Assert.Contains("change the factory password", device.StatusDetail);
        }

        [Fact]
        public async Task Another_open_session_is_not_accessible_another_session_is_open()
        {
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            using var held = (await card.LoginAsync(CardProtocol.Ssh, "device", "Device!2345", null, Token)).Session!;
            var device = DeviceFor(card);
            var result = await Within(Service(fleet).QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceQueryOutcome.SessionLimitReached, result.Outcome);
            Assert.Equal(DeviceStatus.NotAccessible, device.Status);
            Assert.Contains("Another session is open", device.StatusDetail);
            Assert.Contains("Max logins exceeded.", device.StatusDetail);
        }

        [Fact]
        public async Task Refused_connections_are_not_accessible_cannot_connect()
        {
            using var fleet = InstantFleet(1);
            fleet.Cards[0].Faults.RefuseConnections = true;
            var device = DeviceFor(fleet.Cards[0]);
            var result = await Within(Service(fleet).QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceQueryOutcome.CannotConnect, result.Outcome);
            Assert.Equal(DeviceStatus.NotAccessible, device.Status);
            Assert.StartsWith("Cannot connect to " + device.Host, device.StatusDetail);
            Assert.Contains("SSH is enabled", device.StatusDetail);
        }

        [Fact]
        public async Task A_slow_card_beyond_the_timeout_is_not_accessible_timed_out()
        {
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            fleet.Clock.TimeScale = 1;
            card.Faults.AnswerSlowly = true;
            card.Timing.SlowReplyLatency = TimeSpan.FromHours(1);
            var device = DeviceFor(card);
            var options = new DeviceQueryOptions { ConnectTimeout = TimeSpan.FromMilliseconds(100), OperationTimeout = TimeSpan.FromMilliseconds(100) };
            var result = await Within(Service(fleet, options).QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceQueryOutcome.TimedOut, result.Outcome);
            Assert.Equal(DeviceStatus.NotAccessible, device.Status);
            Assert.StartsWith("Timed out", device.StatusDetail);
            Assert.Contains("while trying to connect and log in", device.StatusDetail);
        }

        [Fact]
        public async Task A_card_slow_only_after_login_is_reported_at_the_step_that_timed_out()
        {
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            fleet.Clock.TimeScale = 1;
            var device = DeviceFor(card);
            var options = new DeviceQueryOptions { OperationTimeout = TimeSpan.FromMilliseconds(100) };
            var transport = new InProcessCardTransport(fleet);
            var service = new DeviceQueryService(new IFileTransferClient[] { new SlowAfterLogin(transport, card) }, options);
            var result = await Within(service.QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceQueryOutcome.TimedOut, result.Outcome);
            Assert.Contains("while trying to read config.ini", device.StatusDetail);
        }

        /// <summary>Logs in at full speed, then makes the card answer slowly.</summary>
        private sealed class SlowAfterLogin : IFileTransferClient
        {
            private readonly IFileTransferClient _inner; private readonly SimulatedCard _card;
            public SlowAfterLogin(IFileTransferClient inner, SimulatedCard card) { _inner = inner; _card = card; }
            public TransferProtocol Protocol => _inner.Protocol;
            public async Task<IFileTransferSession> OpenAsync(ConnectionOptions options, CancellationToken cancellationToken)
            {
                var session = await _inner.OpenAsync(options, cancellationToken);
                _card.Timing.SlowReplyLatency = TimeSpan.FromHours(1);
                _card.Faults.AnswerSlowly = true;
                return session;
            }
        }

        [Fact]
        public async Task A_slow_card_within_the_timeout_is_queried()
        {
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            fleet.Clock.TimeScale = 0.0001;
            card.Faults.AnswerSlowly = true; // 30 s simulated = 3 ms real per reply
            var result = await Within(Service(fleet).QueryAsync(DeviceFor(card), Admin, Token));
            Assert.True(result.Succeeded, result.Detail);
        }

        [Fact]
        public async Task The_service_deadline_stops_a_transport_that_never_answers()
        {
            var device = new NmcDevice { Host = "127.0.0.9", Port = 22 };
            var service = new DeviceQueryService(new IFileTransferClient[] { new NeverAnsweringClient() }, new DeviceQueryOptions { QueryTimeout = TimeSpan.FromMilliseconds(200) });
            var result = await Within(service.QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceQueryOutcome.TimedOut, result.Outcome);
            Assert.Equal(DeviceStatus.NotAccessible, device.Status);
        }

        [Fact]
        public async Task A_different_host_key_is_not_accessible_host_key_rejected()
        {
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            var device = DeviceFor(card);
            var service = Service(fleet);
            Assert.True((await Within(service.QueryAsync(device, Admin, Token))).Succeeded); // trusted on first use
            card.Faults.PresentDifferentHostKey = true;
            var result = await Within(service.QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceQueryOutcome.HostKeyRejected, result.Outcome);
            Assert.Equal(DeviceStatus.NotAccessible, device.Status);
            Assert.StartsWith("Host key rejected", device.StatusDetail);
            Assert.Contains(card.PresentedHostKey.Fingerprint, device.StatusDetail);
            Assert.Contains(card.HostKey.Fingerprint, device.StatusDetail);
            Assert.Contains("card was replaced", device.StatusDetail);
        }

        [Fact]
        public async Task A_pinned_fingerprint_is_enforced()
        {
            using var fleet = InstantFleet(1);
            var device = DeviceFor(fleet.Cards[0]);
            device.PinnedHostKeyFingerprint = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
            var result = await Within(Service(fleet).QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceQueryOutcome.HostKeyRejected, result.Outcome);
            device.PinnedHostKeyFingerprint = fleet.Cards[0].HostKey.Fingerprint;
            Assert.True((await Within(Service(fleet).QueryAsync(device, Admin, Token))).Succeeded);
        }

        [Fact]
        public async Task Ftp_is_refused_while_disabled_and_works_when_enabled_with_the_facts_licensing_needs()
        {
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            var device = DeviceFor(card, TransferProtocol.Ftp);
            var refused = await Within(Service(fleet).QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceQueryOutcome.CannotConnect, refused.Outcome);
            Assert.Contains("FTP is enabled on the card", device.StatusDetail);
            card.FtpEnabled = true;
            var result = await Within(Service(fleet).QueryAsync(device, Admin, Token));
            Assert.True(result.Succeeded, result.Detail);
            Assert.Equal(card.Profile.ApplicationVersion, device.ApplicationVersion);
            Assert.Equal(card.Profile.ApplicationType, device.ApplicationType);
            // Serial and MAC are what licensing needs: over FTP they come from the event log header and config.ini.
            Assert.Equal(card.Profile.SerialNumber, device.SerialNumber);
            Assert.Equal(card.Profile.MacAddress, device.MacAddress); // config.ini Override
            Assert.Null(device.Model); // only 'about' (SSH) names the card's model
        }

        [Fact]
        public async Task An_nmc2_is_unknown_and_reported_as_not_supported()
        {
            using var fleet = InstantFleet(1, CardProfile.Nmc2);
            var device = DeviceFor(fleet.Cards[0]);
            var result = await Within(Service(fleet).QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceQueryOutcome.NotSupported, result.Outcome);
            Assert.Equal(DeviceStatus.Unknown, device.Status);
            Assert.StartsWith("Not supported: This is a Network Management Card 2", device.StatusDetail);
            Assert.Equal("AP9631", device.Model);
            Assert.Null(device.ApplicationType);
        }

        [Fact]
        public async Task An_unreadable_config_is_unknown_with_the_reason()
        {
            var device = new NmcDevice { Host = "127.0.0.9", Port = 22 };
            var service = new DeviceQueryService(new IFileTransferClient[] { new FixedFileClient("<html>router login</html>") });
            var result = await Within(service.QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceQueryOutcome.Unreadable, result.Outcome);
            Assert.Equal(DeviceStatus.Unknown, device.Status);
            Assert.Contains("config.ini that could not be understood", device.StatusDetail);
        }

        [Fact]
        public async Task No_credential_and_no_transport_are_reported_not_thrown()
        {
            using var fleet = InstantFleet(1);
            var device = DeviceFor(fleet.Cards[0]);
            var r1 = await Within(Service(fleet).QueryAsync(device, null, Token));
            Assert.Equal(DeviceQueryOutcome.NoCredential, r1.Outcome);
            Assert.Equal(DeviceStatus.IncorrectCredentials, device.Status);
            var scpOnly = new DeviceQueryService(new IFileTransferClient[] { new InProcessCardTransport(fleet) });
            var ftpDevice = DeviceFor(fleet.Cards[0], TransferProtocol.Ftp);
            var r2 = await Within(scpOnly.QueryAsync(ftpDevice, Admin, Token));
            Assert.Equal(DeviceStatus.NotAccessible, r2.Status);
        }

        [Fact]
        public async Task Cancelling_restores_the_previous_status()
        {
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            fleet.Clock.TimeScale = 1;
            card.Timing.ReplyLatency = TimeSpan.FromHours(1);
            var device = DeviceFor(card);
            device.Status = DeviceStatus.ReadyForUpdate;
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within(Service(fleet).QueryAsync(device, Admin, cts.Token)));
            Assert.Equal(DeviceStatus.ReadyForUpdate, device.Status);
        }

        [Fact]
        public async Task A_200_card_fleet_is_refreshed_in_parallel_within_the_concurrency_limit()
        {
            using var fleet = InstantFleet(200);
            var cards = fleet.Cards;
            cards[3].Faults.RefuseConnections = true;
            cards[4].SetUsers(new[] { new CardUser("admin", "other", CardUserKind.Administrator) });
            var nmc2 = new SimulatedCard("old", CardProfile.Nmc2(), fleet.Clock) { Host = "127.0.200.1", Timing = CardTiming.Instant };
            fleet.Add(nmc2);

            int inFlight = 0, peak = 0;
            var tracking = new TrackingClient(new InProcessCardTransport(fleet), () => { var n = Interlocked.Increment(ref inFlight); InterlockedMax(ref peak, n); }, () => Interlocked.Decrement(ref inFlight));
            var service = new DeviceQueryService(new IFileTransferClient[] { tracking }, new DeviceQueryOptions { MaxConcurrency = 16 });
            var devices = fleet.Cards.Select(c => DeviceFor(c)).ToList();
            var started = new ConcurrentBag<NmcDevice>();
            var finished = new ConcurrentBag<DeviceQueryResult>();
            int lastCompleted = -1;
            service.ProgressChanged += (_, e) =>
            {
                if (e.Result == null) started.Add(e.Device); else finished.Add(e.Result);
                Assert.True(e.Completed >= lastCompleted || e.Result == null);
                if (e.Result != null) lastCompleted = e.Completed;
                Assert.Equal(201, e.Total);
            };

            var results = await Within(service.RefreshAsync(devices.Concat(devices.Take(5)), _ => Admin, null, Token));

            Assert.Equal(201, results.Count);
            Assert.Equal(201, started.Count);
            Assert.Equal(201, finished.Count);
            Assert.Equal(201, lastCompleted);
            Assert.InRange(peak, 2, 16);
            Assert.Equal(198, results.Count(r => r.Succeeded));
            Assert.Equal(DeviceStatus.NotAccessible, devices[3].Status);
            Assert.Equal(DeviceStatus.IncorrectCredentials, devices[4].Status);
            Assert.Equal(DeviceQueryOutcome.NotSupported, results[200].Outcome);
            for (int i = 0; i < 200; i++)
            {
                if (i == 3 || i == 4) continue;
                Assert.Equal(cards[i].Profile.SerialNumber, devices[i].SerialNumber);
                Assert.Equal(cards[i].Profile.ApplicationType, devices[i].ApplicationType);
            }
            Assert.All(cards, c => Assert.Equal(0, c.ActiveSessionCount));
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
        }

        /// <summary>Counts sessions open at once across the fleet.</summary>
        private sealed class TrackingClient : IFileTransferClient
        {
            private readonly IFileTransferClient _inner;
            private readonly Action _opened, _closed;
            public TrackingClient(IFileTransferClient inner, Action opened, Action closed) { _inner = inner; _opened = opened; _closed = closed; }
            public TransferProtocol Protocol => _inner.Protocol;
            public async Task<IFileTransferSession> OpenAsync(ConnectionOptions options, CancellationToken cancellationToken)
            {
                _opened();
                try
                {
                    await Task.Delay(1, cancellationToken); // let other workers overlap
                    return new Tracked(await _inner.OpenAsync(options, cancellationToken), _closed);
                }
                catch { _closed(); throw; }
            }

            private sealed class Tracked : IFileTransferSession, ICommandSession
            {
                private readonly IFileTransferSession _s; private readonly Action _closed; private int _done;
                public Tracked(IFileTransferSession s, Action closed) { _s = s; _closed = closed; }
                public string? Banner => _s.Banner;
                public Task DownloadAsync(string n, System.IO.Stream d, IProgress<TransferProgress>? p, CancellationToken c) => _s.DownloadAsync(n, d, p, c);
                public Task UploadAsync(string n, System.IO.Stream s, long l, IProgress<TransferProgress>? p, CancellationToken c) => _s.UploadAsync(n, s, l, p, c);
                public Task<string> ExecuteAsync(string command, CancellationToken c) => ((ICommandSession)_s).ExecuteAsync(command, c);
                public Task CloseAsync(CancellationToken c) { Done(); return _s.CloseAsync(c); }
                public void Dispose() { Done(); _s.Dispose(); }
                private void Done() { if (Interlocked.Exchange(ref _done, 1) == 0) _closed(); }
            }
        }

        private sealed class NeverAnsweringClient : IFileTransferClient
        {
            public TransferProtocol Protocol => TransferProtocol.Scp;
            public Task<IFileTransferSession> OpenAsync(ConnectionOptions options, CancellationToken cancellationToken) =>
                new TaskCompletionSource<IFileTransferSession>().Task; // ignores cancellation, never completes
        }

        private sealed class FixedFileClient : IFileTransferClient
        {
            private readonly string _content;
            public FixedFileClient(string content) => _content = content;
            public TransferProtocol Protocol => TransferProtocol.Scp;
            public Task<IFileTransferSession> OpenAsync(ConnectionOptions options, CancellationToken cancellationToken) => Task.FromResult<IFileTransferSession>(new Session(_content));

            private sealed class Session : IFileTransferSession
            {
                private readonly string _content;
                public Session(string content) => _content = content;
                public string? Banner => null;
                public Task DownloadAsync(string remoteName, System.IO.Stream destination, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
                {
                    var bytes = System.Text.Encoding.UTF8.GetBytes(_content);
                    destination.Write(bytes, 0, bytes.Length);
                    return Task.CompletedTask;
                }
                public Task UploadAsync(string remoteName, System.IO.Stream source, long length, IProgress<TransferProgress>? progress, CancellationToken cancellationToken) => throw new InvalidOperationException("a query never uploads");
                public Task CloseAsync(CancellationToken cancellationToken) => Task.CompletedTask;
                public void Dispose() { }
            }
        }
    }
}
