using System;
using System.IO;
using System.Linq;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Fleet;
using SecureNmc.Simulator.Hosting;

namespace SecureNmc.Transport.Tests.Interop
{
    /// <summary>
    /// OpenSSH `ssh` and `scp -O` against a hosted simulated card (CardSshService), as an administrator
    /// would reach a real NMC3: the card's RSA-2048 key (rsa-sha2-512) and its ECDSA alternative.
    /// </summary>
    public sealed class OpenSshClientToSimulatedCardTests
    {
        [SshInteropTheory]
        [InlineData(SimulatorHostKeyType.Rsa2048, "rsa-sha2-512")]
        [InlineData(SimulatorHostKeyType.Rsa2048, "rsa-sha2-256")]
        [InlineData(SimulatorHostKeyType.EcdsaP256, "ecdsa-sha2-nistp256")]
        public void Ssh_runs_about_and_scp_O_fetches_config_ini_from_a_simulated_card(SimulatorHostKeyType keyType, string hostKeyAlgorithm)
        {
            SshPeers.EnsureAvailable();
            using var fleet = new SimulatedFleet(new SimulatorClock(0));
            var card = fleet.AddCards(1, _ => new CardProfile { HostKeyType = keyType }, CardTiming.Instant).Single();
            using var host = SimulatorFleetHost.Start(fleet);
            var admin = SimulatedFleet.Credential(CardUserKind.Administrator);
            var dir = Directory.CreateTempSubdirectory("securenmc-card-scp-").FullName;
            try
            {
                var knownHosts = Path.Combine(dir, "known_hosts");
                var options = new[]
                {
                    "-F", "/dev/null", "-o", "StrictHostKeyChecking=accept-new", "-o", "UserKnownHostsFile=" + knownHosts,
                    "-o", "PreferredAuthentications=password,keyboard-interactive", "-o", "PubkeyAuthentication=no",
                    "-o", "NumberOfPasswordPrompts=1", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=20",
                    "-o", "HostKeyAlgorithms=" + hostKeyAlgorithm,
                };
                var about = SshPeerProcess.Run("sshpass", new[] { "-p", admin.Password, "ssh" }.Concat(options)
                    .Concat(new[] { "-p", card.SshPort.ToString(), $"{admin.UserName}@{card.Host}", "about" }), TimeSpan.FromSeconds(60));
                Assert.True(about.ExitCode == 0, $"ssh about failed ({about.ExitCode}): {about.Error}");
                Assert.Contains(card.Profile.SerialNumber, about.Output);
                Assert.Contains(keyType == SimulatorHostKeyType.Rsa2048 ? "ssh-rsa" : "ecdsa-sha2-nistp256", File.ReadAllText(knownHosts));

                var local = Path.Combine(dir, "config.ini");
                var scp = SshPeerProcess.Run("sshpass", new[] { "-p", admin.Password, "scp", "-O", "-q" }.Concat(options)
                    .Concat(new[] { "-P", card.SshPort.ToString(), $"{admin.UserName}@{card.Host}:config.ini", local }), TimeSpan.FromSeconds(60));
                Assert.True(scp.ExitCode == 0, $"scp -O failed ({scp.ExitCode}): {scp.Error}");
                Assert.Contains("[SystemID]", File.ReadAllText(local));
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
