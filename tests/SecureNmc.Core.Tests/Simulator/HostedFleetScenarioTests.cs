using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
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
    /// <summary>
    /// Issue 4's proof over the wire: a 200-card simulated fleet on the project's own SSH/SCP and FTP
    /// servers, queried in parallel by the product's real clients, where every user kind and every
    /// fault a query can meet lands in the seed's status with its specific message.
    /// </summary>
    public sealed class HostedFleetScenarioTests : IDisposable
    {
        private const int FleetSize = 200;
        private const string WrongPassword = "Wr0ng-Pa55!";
        private readonly string _dir = TempDirectory();

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        /// <summary>What each card of the fleet is set up to do, in turn (card i gets scenario i % count).</summary>
        private enum Scenario
        {
            AdministratorScp,
            AdministratorFtp,
            DeviceUserScp,
            MultiFactorScp,
            MultiFactorFtp,
            FactoryDefaultScp,
            FactoryDefaultFtp,
            WrongPasswordScp,
            WrongPasswordFtp,
            RefusesConnections,
            FtpDisabled,
            DifferentHostKey,
            AnswersSlowly,
            AnotherSessionOpen,
            Nmc2Card,
        }

        private static readonly Scenario[] All = (Scenario[])Enum.GetValues(typeof(Scenario));

        private static Scenario ScenarioOf(int index) => All[index % All.Length];

        private static bool UsesFtp(Scenario s) =>
            s == Scenario.AdministratorFtp || s == Scenario.MultiFactorFtp || s == Scenario.FactoryDefaultFtp || s == Scenario.WrongPasswordFtp || s == Scenario.FtpDisabled;

        private static NetworkCredential CredentialFor(Scenario s)
        {
            switch (s)
            {
                case Scenario.DeviceUserScp: return SimulatedFleet.Credential(CardUserKind.DeviceUser);
                case Scenario.MultiFactorScp:
                case Scenario.MultiFactorFtp: return SimulatedFleet.Credential(CardUserKind.MultiFactor);
                case Scenario.FactoryDefaultScp:
                case Scenario.FactoryDefaultFtp: return SimulatedFleet.Credential(CardUserKind.FactoryDefault);
                case Scenario.WrongPasswordScp:
                case Scenario.WrongPasswordFtp: return new NetworkCredential("admin", WrongPassword);
                default: return SimulatedFleet.AdministratorCredential;
            }
        }

        /// <summary>The outcome, the seed's status and fragments the specific message must contain.</summary>
        private static (DeviceQueryOutcome Outcome, DeviceStatus Status, string[] Says) Expected(Scenario s, SimulatedCard card, NmcDevice device)
        {
            var where = $"{device.Host}:{device.Port}";
            switch (s)
            {
                case Scenario.AdministratorScp:
                case Scenario.DeviceUserScp:
                    return (DeviceQueryOutcome.Success, DeviceStatus.Unknown,
                        new[] { $"Queried: {card.Profile.Model}, {card.Profile.ApplicationType} {card.Profile.ApplicationVersion} (AOS {card.Profile.AosVersion}, bootloader {card.Profile.BootloaderVersion})" });
                case Scenario.AdministratorFtp:
                    return (DeviceQueryOutcome.Success, DeviceStatus.Unknown, new[] { $"{card.Profile.ApplicationType} {card.Profile.ApplicationVersion} (AOS {card.Profile.AosVersion}" });
                case Scenario.MultiFactorScp:
                case Scenario.MultiFactorFtp:
                    return (DeviceQueryOutcome.MultiFactorRequired, DeviceStatus.IncorrectCredentials,
                        new[] { "User 'mfauser' has multi-factor authentication (MFA) enabled", where, "without an e-mail address", "FAQ000276382" });
                case Scenario.FactoryDefaultScp:
                case Scenario.FactoryDefaultFtp:
                    return (DeviceQueryOutcome.PasswordChangeRequired, DeviceStatus.IncorrectCredentials,
                        new[] { $"demands a password change for user 'apc'", where, "change the factory password" });
                case Scenario.WrongPasswordScp:
                case Scenario.WrongPasswordFtp:
                    return (DeviceQueryOutcome.BadCredentials, DeviceStatus.IncorrectCredentials,
                        new[] { $"The card at {where}", "refused the user name or password of user 'admin'" });
                case Scenario.RefusesConnections:
                    return (DeviceQueryOutcome.CannotConnect, DeviceStatus.NotAccessible, new[] { $"Cannot connect to {where} (SCP over SSH)", "SSH is enabled on the card" });
                case Scenario.FtpDisabled:
                    return (DeviceQueryOutcome.CannotConnect, DeviceStatus.NotAccessible, new[] { $"Cannot connect to {where} (FTP)", "FTP is enabled on the card (NMC3 ships with FTP off" });
                case Scenario.DifferentHostKey:
                    return (DeviceQueryOutcome.HostKeyRejected, DeviceStatus.NotAccessible,
                        new[] { "Host key rejected", card.PresentedHostKey.Fingerprint, card.HostKey.Fingerprint, "card was replaced or reset" });
                case Scenario.AnswersSlowly:
                    return (DeviceQueryOutcome.TimedOut, DeviceStatus.NotAccessible, new[] { "Timed out", where });
                case Scenario.AnotherSessionOpen:
                    return (DeviceQueryOutcome.SessionLimitReached, DeviceStatus.NotAccessible, new[] { $"Another session is open on the card at {where}", "\"Max logins exceeded.\"" });
                case Scenario.Nmc2Card:
                    return (DeviceQueryOutcome.NotSupported, DeviceStatus.Unknown, new[] { "Not supported: This is a Network Management Card 2", "AP9631" });
                default:
                    throw new ArgumentOutOfRangeException(nameof(s));
            }
        }

        private DeviceQueryService Service(TimeSpan timeout, int concurrency) =>
            new DeviceQueryService(new IFileTransferClient[] { new ScpFileTransferClient(), new FtpFileTransferClient() }, new DeviceQueryOptions
            {
                KnownHostsPath = Path.Combine(_dir, "known_hosts"),
                MaxConcurrency = concurrency,
                ConnectTimeout = timeout,
                OperationTimeout = timeout,
                QueryTimeout = timeout + timeout,
            });

        private static int ClosedPort(string address)
        {
            var probe = new TcpListener(IPAddress.Parse(address), 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        [Fact]
        public async Task A_200_card_fleet_over_real_ssh_and_ftp_servers_puts_every_user_kind_and_fault_in_its_status_with_its_message()
        {
            // Real time (scale 1) with no delays except the slow fault: slow cards wait an hour per reply.
            using var fleet = new SimulatedFleet(new SimulatorClock(1.0));
            fleet.AddCards(FleetSize, i => ScenarioOf(i) == Scenario.Nmc2Card ? CardProfile.Nmc2(i) : CardProfile.ForFleetMember(i), CardTiming.Instant);
            var cards = fleet.Cards;
            for (int i = 0; i < FleetSize; i++)
            {
                var s = ScenarioOf(i);
                cards[i].FtpEnabled = UsesFtp(s) && s != Scenario.FtpDisabled;
                cards[i].Faults.RefuseConnections = s == Scenario.RefusesConnections;
                cards[i].Faults.PresentDifferentHostKey = s == Scenario.DifferentHostKey;
                cards[i].Faults.AnswerSlowly = s == Scenario.AnswersSlowly;
            }
            using var host = SimulatorFleetHost.Start(fleet);

            var devices = new List<NmcDevice>();
            for (int i = 0; i < FleetSize; i++)
            {
                var s = ScenarioOf(i);
                var card = cards[i];
                devices.Add(new NmcDevice
                {
                    Host = card.Host,
                    Name = card.Name,
                    Protocol = UsesFtp(s) ? TransferProtocol.Ftp : TransferProtocol.Scp,
                    Port = s == Scenario.FtpDisabled ? ClosedPort(card.Host) : UsesFtp(s) ? card.FtpPort : card.SshPort,
                    // The device record knows the card's real key: a card presenting another one is not trusted.
                    PinnedHostKeyFingerprint = s == Scenario.DifferentHostKey ? card.HostKey.Fingerprint : null,
                });
            }

            // Another client holds the one session these cards allow while the fleet is queried.
            var held = new List<IFileTransferSession>();
            try
            {
                for (int i = 0; i < FleetSize; i++)
                {
                    if (ScenarioOf(i) != Scenario.AnotherSessionOpen) continue;
                    var options = Connect(cards[i], SimulatedFleet.Credential(CardUserKind.DeviceUser));
                    options.Ssh.HostKeyPolicy = HostKeyPolicy.TrustOnFirstUse;
                    held.Add(await Within(new ScpFileTransferClient().OpenAsync(options, Token)));
                }

                var slow = Enumerable.Range(0, FleetSize).Where(i => ScenarioOf(i) == Scenario.AnswersSlowly).ToList();
                var others = Enumerable.Range(0, FleetSize).Where(i => ScenarioOf(i) != Scenario.AnswersSlowly).ToList();
                int maxRunning = 0, running = 0, progressEvents = 0;
                var main = Service(TimeSpan.FromSeconds(60), 16);
                main.ProgressChanged += (_, e) =>
                {
                    progressEvents++;
                    running += e.Result == null ? 1 : -1;
                    maxRunning = Math.Max(maxRunning, running);
                };
                using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
                // Both refreshes run at once: the slow cards must time out without holding up the fleet.
                var slowRun = Service(TimeSpan.FromSeconds(3), 8).RefreshAsync(slow.Select(i => devices[i]), d => CredentialFor(ScenarioOf(devices.IndexOf(d))), null, deadline.Token);
                var mainRun = main.RefreshAsync(others.Select(i => devices[i]), d => CredentialFor(ScenarioOf(devices.IndexOf(d))), null, deadline.Token);
                var finished = Task.WhenAll(slowRun, mainRun);
                Assert.True(await Task.WhenAny(finished, Task.Delay(TimeSpan.FromMinutes(5))) == finished, "the fleet query did not finish within 5 minutes");
                var results = (await slowRun).Concat(await mainRun).ToDictionary(r => r.Device);

                Assert.Equal(FleetSize, results.Count);
                Assert.InRange(maxRunning, 2, 16);
                Assert.Equal(2 * others.Count, progressEvents);
                var seen = new HashSet<Scenario>();
                for (int i = 0; i < FleetSize; i++)
                {
                    var s = ScenarioOf(i);
                    var device = devices[i];
                    var result = results[device];
                    var (outcome, status, says) = Expected(s, cards[i], device);
                    Assert.True(outcome == result.Outcome, $"card {i} ({s}): expected {outcome}, got {result}");
                    Assert.Equal(status, device.Status);
                    Assert.Equal(result.Detail, device.StatusDetail);
                    foreach (var fragment in says)
                        Assert.True(device.StatusDetail!.Contains(fragment), $"card {i} ({s}): the message lacks \"{fragment}\": {device.StatusDetail}");
                    Assert.DoesNotContain(WrongPassword, device.StatusDetail);
                    var password = CredentialFor(s).Password;
                    if (password != CredentialFor(s).UserName) // the factory login is apc / apc: its user name is named
                        Assert.DoesNotContain(password, device.StatusDetail);
                    if (outcome == DeviceQueryOutcome.Success || outcome == DeviceQueryOutcome.NotSupported)
                    {
                        Assert.NotNull(device.LastQueried);
                        Assert.Equal(cards[i].Profile.AosVersion, device.AosVersion);
                        Assert.Equal(cards[i].Profile.ApplicationVersion, device.ApplicationVersion);
                    }
                    else
                    {
                        Assert.Null(device.LastQueried);
                        Assert.Null(device.AosVersion);
                    }
                    if (s == Scenario.AdministratorScp || s == Scenario.DeviceUserScp)
                    {
                        Assert.Equal(cards[i].Profile.Model, device.Model);
                        Assert.Equal(cards[i].Profile.SerialNumber, device.SerialNumber);
                        Assert.Equal(cards[i].Profile.ApplicationType, device.ApplicationType);
                    }
                    if (s == Scenario.Nmc2Card) Assert.Null(device.ApplicationType);
                    seen.Add(s);
                }
                Assert.Equal(All.Length, seen.Count);
            }
            finally
            {
                foreach (var session in held) session.Dispose();
            }
        }
    }
}
