using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Transport.Tests.Ssh;

namespace SecureNmc.Transport.Tests.Interop
{
    /// <summary>OpenSSH's ssh and scp -O (password through sshpass) against our server role; ssh-audit of its defaults.</summary>
    public sealed class OpenSshClientToOurServerTests
    {
        private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(60);

        /// <summary>Options every ssh/scp run gets. OpenSSH keeps the first value of an option, so these come first.</summary>
        private static string[] Common(string? knownHostsFile = null) => new[]
        {
            "-F", "/dev/null",
            "-o", knownHostsFile == null ? "StrictHostKeyChecking=no" : "StrictHostKeyChecking=yes",
            "-o", "UserKnownHostsFile=" + (knownHostsFile ?? "/dev/null"),
            "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no",
            "-o", "NumberOfPasswordPrompts=1", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=20",
        };

        private static SshPeerProcess.Result Ssh(int port, IEnumerable<string> extra, string command, string password = TestSshServer.Password, string? knownHostsFile = null) =>
            SshPeerProcess.Run("sshpass", new[] { "-p", password, "ssh" }.Concat(Common(knownHostsFile)).Concat(extra)
                .Concat(new[] { "-p", port.ToString(), $"{TestSshServer.User}@127.0.0.1", command }), PeerTimeout);

        private static SshPeerProcess.Result Scp(int port, IEnumerable<string> extra, string from, string to) =>
            SshPeerProcess.Run("sshpass", new[] { "-p", TestSshServer.Password, "scp", "-O", "-q" }.Concat(Common()).Concat(extra)
                .Concat(new[] { "-P", port.ToString(), from, to }), PeerTimeout);

        private static void RoundTrip(TestSshServer server, string[] extra, int size)
        {
            SshPeers.EnsureAvailable();
            var dir = Directory.CreateTempSubdirectory("securenmc-scp-").FullName;
            try
            {
                var data = SshTestFiles.OfSize(size);
                var local = Path.Combine(dir, "up.bin");
                File.WriteAllBytes(local, data);
                var up = Scp(server.Port, extra, local, $"{TestSshServer.User}@127.0.0.1:upload.bin");
                Assert.True(up.ExitCode == 0, $"scp upload failed ({up.ExitCode}): {up.Error}");
                Assert.Equal(data, server.Files["upload.bin"]);

                server.Files["card.bin"] = Reversed(data);
                var back = Path.Combine(dir, "down.bin");
                var down = Scp(server.Port, extra, $"{TestSshServer.User}@127.0.0.1:card.bin", back);
                Assert.True(down.ExitCode == 0, $"scp download failed ({down.ExitCode}): {down.Error}");
                Assert.Equal(server.Files["card.bin"], File.ReadAllBytes(back));
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        private static byte[] Reversed(byte[] data)
        {
            var copy = (byte[])data.Clone();
            Array.Reverse(copy);
            return copy;
        }

        /// <summary>
        /// A known_hosts file that records, for our server's address, a different key of every type the
        /// server has (the "other" host keys of the sshd tests), so whichever type ssh asks for has changed.
        /// </summary>
        private static string ChangedKnownHosts(int port)
        {
            var dir = Directory.CreateTempSubdirectory("securenmc-kh-").FullName;
            var path = Path.Combine(dir, "known_hosts");
            var lines = new[] { "ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa" }
                .Select(t => $"[127.0.0.1]:{port} " + File.ReadAllText(SshdInstance.HostKeyPath(t, "other") + ".pub").Trim());
            File.WriteAllLines(path, lines);
            return path;
        }

        public static TheoryData<string, string> Cases()
        {
            var data = new TheoryData<string, string>();
            foreach (var row in SshAlgorithmMatrix.All()) data.Add((string)row[0], (string)row[1]);
            return data;
        }

        [SshInteropTheory]
        [MemberData(nameof(Cases))]
        public void Ssh_and_scp_work_with_only(string category, string algorithm)
        {
            using var server = new TestSshServer(o =>
            {
                o.AllowLegacyAlgorithms = SshAlgorithmMatrix.IsLegacy(category, algorithm);
                switch (category)
                {
                    case SshAlgorithmMatrix.Kex: o.KeyExchangeAlgorithms = new[] { algorithm }; break;
                    case SshAlgorithmMatrix.HostKey: o.HostKeyAlgorithms = new[] { algorithm }; break;
                    case SshAlgorithmMatrix.Cipher: o.Ciphers = new[] { algorithm }; break;
                    default: o.Macs = new[] { algorithm }; o.Ciphers = new[] { "aes128-ctr" }; break;
                }
            });
            var extra = SshAlgorithmMatrix.OpenSshClientOptions(category, algorithm);
            SshPeers.EnsureAvailable();
            var about = Ssh(server.Port, extra, "about");
            Assert.True(about.ExitCode == 0, $"ssh failed ({about.ExitCode}): {about.Error}");
            Assert.Contains("Model Number:\tAP9641", about.Output);
            foreach (var size in new[] { 0, 1, SshTestFiles.OneMiB }) RoundTrip(server, extra, size);

            var denied = Ssh(server.Port, extra, "about", password: "not-the-password");
            Assert.True(denied.ExitCode != 0 && denied.Error.Contains("Permission denied"), $"a wrong password was not refused ({denied.ExitCode}): {denied.Error}");

            var changedKnownHosts = ChangedKnownHosts(server.Port);
            try
            {
                var changed = Ssh(server.Port, extra, "about", knownHostsFile: changedKnownHosts);
                Assert.True(changed.ExitCode == 255 && changed.Error.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED"),
                    $"ssh did not refuse our server's key against a changed record ({changed.ExitCode}): {changed.Error}");
                Assert.DoesNotContain("Model Number", changed.Output);
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(changedKnownHosts)!, true);
            }
        }

        [SshInteropFact]
        public void Default_configuration_large_and_empty_files_and_wrong_password()
        {
            using var server = new TestSshServer(o => o.Banner = "Network Management Card AOS v2.5.0.8\n");
            RoundTrip(server, Array.Empty<string>(), 0);
            RoundTrip(server, Array.Empty<string>(), 1);
            RoundTrip(server, Array.Empty<string>(), SshTestFiles.OneMiB);
            RoundTrip(server, Array.Empty<string>(), SshTestFiles.TwentyMiB);
            var denied = Ssh(server.Port, Array.Empty<string>(), "about", password: "not-the-password");
            Assert.NotEqual(0, denied.ExitCode);
            Assert.Contains("Permission denied", denied.Error);
            var exit = Ssh(server.Port, Array.Empty<string>(), "frobnicate");
            Assert.Equal(127, exit.ExitCode);
            Assert.Contains("E101", exit.Error);
        }

        [SshInteropFact]
        public void Ssh_audit_finds_no_weak_algorithm_in_the_default_configuration()
        {
            using var server = new TestSshServer(o => o.HostKeys = TestSshServer.HostKeys);
            var findings = SshAuditWeakFindings(server.Port);
            Assert.True(findings.Count == 0, "ssh-audit flags weak algorithms:\n" + string.Join("\n", findings));
        }

        /// <summary>
        /// The same audit and filter flag the legacy set when a device opts in to it: proves the check
        /// above reads ssh-audit's verdicts and cannot pass vacuously.
        /// </summary>
        [SshInteropFact]
        public void Ssh_audit_flags_the_legacy_algorithms_when_legacy_is_enabled()
        {
            using var server = new TestSshServer(o => { o.HostKeys = TestSshServer.HostKeys; o.AllowLegacyAlgorithms = true; });
            var findings = SshAuditWeakFindings(server.Port);
            foreach (var weak in new[] { "diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1", "ssh-rsa", "3des-cbc", "hmac-sha1" })
                Assert.True(findings.Any(l => Regex.IsMatch(l, @"^\(\w+\)\s+" + Regex.Escape(weak) + @"[\s(]")),
                    $"ssh-audit did not flag {weak} although our server offered it:\n" + string.Join("\n", findings));
        }

        /// <summary>ssh-audit's [fail]/[warn] lines about our algorithms (kex, key, enc, mac, gen).</summary>
        private static List<string> SshAuditWeakFindings(int port)
        {
            SshPeers.EnsureAvailable();
            var audit = SshPeerProcess.Run("ssh-audit", new[] { "-n", "-t", "60", "-p", port.ToString(), "127.0.0.1" }, TimeSpan.FromSeconds(120));
            Assert.True(audit.Output.Contains("(kex)"), "ssh-audit did not list our key exchanges:\n" + audit.Output + audit.Error);
            return audit.Output.Split('\n')
                .Where(l => l.StartsWith("(kex)") || l.StartsWith("(key)") || l.StartsWith("(enc)") || l.StartsWith("(mac)") || l.StartsWith("(gen)"))
                .Where(l => Regex.IsMatch(l, @"\[(fail|warn)\]"))
                // ssh-audit 2.5.0 (Debian 12) predates the Terrapin fix and calls the strict-kex marker an
                // "unknown algorithm"; it is a capability flag, not an algorithm, so it cannot be weak.
                .Where(l => !l.Contains("kex-strict-s-v00@openssh.com") || !l.Contains("unknown algorithm"))
                .ToList();
        }
    }
}
