using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using SecureNmc.Core.CardFiles;
using SecureNmc.Core.Devices;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Firmware;
using SecureNmc.Simulator.Hosting;
using static SecureNmc.Core.Tests.Simulator.SimulatorTestKit;

namespace SecureNmc.Core.Tests.Simulator
{
    /// <summary>OpenSSH's scp (legacy protocol, -O), ssh and curl against simulated cards: the simulator speaks what real tools speak.</summary>
    public sealed class RealPeersAgainstSimulatorTests : IDisposable
    {
        private readonly string _dir = TempDirectory();

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        private static readonly string[] SshOptions =
        {
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
            "-o", "PreferredAuthentications=password,keyboard-interactive", "-o", "PubkeyAuthentication=no", "-o", "ConnectTimeout=20",
        };

        private static async Task<(int Exit, string Out, string Err)> Run(string file, params string[] args)
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var exited = process.WaitForExitAsync();
            if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(60))) != exited)
            {
                process.Kill(true);
                throw new TimeoutException($"{file} did not finish within 60 s.");
            }
            return (process.ExitCode, await stdout, await stderr);
        }

        private static string[] With(string[] head, params string[] tail)
        {
            var all = new string[head.Length + tail.Length];
            head.CopyTo(all, 0);
            tail.CopyTo(all, head.Length);
            return all;
        }

        [Fact]
        public async Task OpenSsh_scp_fetches_config_ini_and_uploads_a_package_that_the_card_installs()
        {
            using var fleet = InstantFleet(1, i => new CardProfile { ApplicationType = ApplicationType.SU });
            using var host = SimulatorFleetHost.Start(fleet);
            var card = fleet.Cards[0];
            var target = card.Host;
            var port = card.SshPort.ToString();

            var local = Path.Combine(_dir, "config.ini");
            var fetch = await Run("sshpass", With(With(new[] { "-p", "Admin!2345", "scp", "-O", "-P", port }, SshOptions), $"admin@{target}:config.ini", local));
            Assert.True(fetch.Exit == 0, fetch.Err);
            Assert.Equal(card.Profile.SystemName, ConfigIniParser.Parse(File.ReadAllBytes(local)).Get("SystemID", "Name"));

            var about = await Run("sshpass", With(With(new[] { "-p", "Admin!2345", "ssh", "-p", port }, SshOptions), $"admin@{target}", "about"));
            Assert.True(about.Exit == 0, about.Err);
            Assert.Equal(card.Profile.SerialNumber, AboutOutputParser.Parse(about.Out).SerialNumber);

            var package = SimulatorFirmwarePackage.Create(_dir, ApplicationType.SU, "2.6.0.4", "2.6.0.3", payloadBytes: 100_000);
            var upload = await Run("sshpass", With(With(new[] { "-p", "Admin!2345", "scp", "-O", "-P", port }, SshOptions), package, $"admin@{target}:{Path.GetFileName(package)}"));
            await Within(card.WaitUntilRunningAsync(Token));
            Assert.True(card.FirmwareUpdatesApplied == 1, $"scp exit {upload.Exit}: {upload.Err}");
            Assert.Equal("2.6.0.3", card.Profile.ApplicationVersion);

            var device = await Run("sshpass", With(With(new[] { "-p", "Device!2345", "scp", "-O", "-P", port }, SshOptions), package, $"device@{target}:{Path.GetFileName(package)}"));
            Assert.NotEqual(0, device.Exit);
            Assert.Contains("Permission denied", device.Err);
        }

        [Fact]
        public async Task Curl_fetches_config_ini_over_ftp_from_a_card_with_ftp_enabled()
        {
            using var fleet = InstantFleet(1);
            using var host = SimulatorFleetHost.Start(fleet);
            var card = fleet.Cards[0];
            card.FtpEnabled = true;
            var result = await Run("curl", "--silent", "--show-error", "--max-time", "30", "--user", "admin:Admin!2345", $"ftp://{card.Host}:{card.FtpPort}/config.ini");
            Assert.True(result.Exit == 0, result.Err);
            var doc = ConfigIniParser.Parse(result.Out);
            Assert.Equal(card.Profile.AosVersion, doc.AosVersion);
            Assert.Equal("enabled", doc.Get("NetworkFTPServer", "Access"));

            card.FtpEnabled = false;
            var refused = await Run("curl", "--silent", "--max-time", "10", "--user", "admin:Admin!2345", $"ftp://{card.Host}:{card.FtpPort}/config.ini");
            Assert.NotEqual(0, refused.Exit);
        }
    }
}
