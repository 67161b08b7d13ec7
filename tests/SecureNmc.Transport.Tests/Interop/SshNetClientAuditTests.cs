using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Transport;

namespace SecureNmc.Transport.Tests.Interop
{
    /// <summary>ssh-audit's client audit (-c) of what the product's SCP client offers a card.</summary>
    public sealed class SshNetClientAuditTests
    {
        [SshInteropFact]
        public async Task The_default_offer_has_no_failures_and_offers_strict_key_exchange()
        {
            var audit = await AuditClientAsync(legacy: false);
            var failures = Findings(audit, "fail");
            Assert.True(failures.Count == 0, "ssh-audit fails our default offer:\n" + string.Join("\n", failures) + "\n\n" + audit);
            Assert.Contains("kex-strict-c-v00@openssh.com", audit);
            foreach (var legacy in new[] { "diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1", "diffie-hellman-group-exchange-sha1", "ssh-rsa ", "aes128-cbc", "3des-cbc", "hmac-sha1", "zlib" })
                Assert.DoesNotContain(legacy, audit);
        }

        /// <summary>The same audit flags the legacy set when a device opts in: the check above reads ssh-audit's verdicts.</summary>
        [SshInteropFact]
        public async Task The_legacy_opt_in_offer_is_flagged()
        {
            var audit = await AuditClientAsync(legacy: true);
            var failures = Findings(audit, "fail").Concat(Findings(audit, "warn")).ToList();
            foreach (var weak in new[] { "diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1", "ssh-rsa", "3des-cbc", "hmac-sha1" })
                Assert.True(failures.Any(l => Regex.IsMatch(l, @"^\(\w+\)\s+" + Regex.Escape(weak) + @"[\s(]")),
                    $"ssh-audit did not flag {weak} although our client offered it:\n{audit}");
        }

        private static List<string> Findings(string audit, string level) => audit.Split('\n')
            .Where(l => l.StartsWith("(kex)") || l.StartsWith("(key)") || l.StartsWith("(enc)") || l.StartsWith("(mac)") || l.StartsWith("(gen)"))
            .Where(l => l.Contains("[" + level + "]"))
            .ToList();

        /// <summary>Starts ssh-audit as a listening "server", lets our client connect to it once, returns the report.</summary>
        private static async Task<string> AuditClientAsync(bool legacy)
        {
            SshPeers.EnsureAvailable();
            int port = SshPeerProcess.FreePort();
            var start = new ProcessStartInfo("ssh-audit") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-c", "-n", "-t", "30", "-p", port.ToString() }) start.ArgumentList.Add(a);
            using var audit = Process.Start(start)!;
            var output = audit.StandardOutput.ReadToEndAsync();
            try
            {
                // ssh-audit takes one client: our client is that client, tried until ssh-audit listens.
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (!audit.HasExited && DateTime.UtcNow < deadline)
                {
                    var options = SshInteropHelpers.Options(port);
                    options.ConnectTimeout = TimeSpan.FromSeconds(10);
                    options.Ssh.AllowLegacyAlgorithms = legacy;
                    var failure = await Assert.ThrowsAnyAsync<FileTransferException>(() => new ScpFileTransferClient().OpenAsync(options, CancellationToken.None));
                    if (failure.Kind != TransferFailureKind.CannotConnect || audit.WaitForExit(500)) break;
                    await Task.Delay(100);
                }
                if (!audit.WaitForExit(30000)) audit.Kill();
                var text = await output;
                Assert.True(text.Contains("(kex)"), "ssh-audit produced no client report:\n" + text + await audit.StandardError.ReadToEndAsync());
                return text;
            }
            finally
            {
                if (!audit.HasExited) audit.Kill();
            }
        }
    }
}
