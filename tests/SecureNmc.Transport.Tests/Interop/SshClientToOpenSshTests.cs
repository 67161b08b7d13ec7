using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Transport;

namespace SecureNmc.Transport.Tests.Interop
{
    /// <summary>The product's SCP client (SSH.NET) against OpenSSH sshd (default algorithms).</summary>
    public sealed class SshClientToOpenSshTests
    {
        [SshInteropFact]
        public async Task Password_login_and_scp_round_trips_of_0_1_1MiB_20MiB_are_byte_identical()
        {
            using var sshd = SshdInstance.Start(new SshdConfig());
            using var client = await SshInteropHelpers.ConnectAsync(SshInteropHelpers.Options(sshd.Port));
            Assert.StartsWith("SSH-2.0-OpenSSH", client.ServerVersion);
            foreach (var (size, seed) in new[] { (0, 1), (1, 2), (1 << 20, 3), (20 << 20, 4) })
                await SshInteropHelpers.RoundTripAsync(client, SshInteropHelpers.RandomBytes(size, seed));
            await client.CloseAsync(CancellationToken.None);
        }

        [SshInteropFact]
        public async Task Wrong_password_is_BadCredentials()
        {
            using var sshd = SshdInstance.Start(new SshdConfig());
            var ex = await Assert.ThrowsAsync<FileTransferException>(() => SshInteropHelpers.ConnectAsync(SshInteropHelpers.Options(sshd.Port, password: "wrong-password")));
            Assert.Equal(TransferFailureKind.BadCredentials, ex.Kind);
            Assert.DoesNotContain("wrong-password", ex.Message);
        }

        [SshInteropFact]
        public async Task Changed_host_key_is_refused_with_both_fingerprints()
        {
            var knownHosts = SshInteropHelpers.TempKnownHosts();
            int port;
            using (var first = SshdInstance.Start(new SshdConfig { HostKeys = new[] { "ed25519" } }))
            {
                port = first.Port;
                using var client = await SshInteropHelpers.ConnectAsync(SshInteropHelpers.Options(port, knownHosts: knownHosts));
            }
            Assert.Contains("ssh-ed25519 SHA256:", File.ReadAllText(knownHosts));
            using var second = SshdInstance.Start(new SshdConfig { HostKeys = new[] { "ed25519" } }, port, hostKeyVariant: "other");
            var ex = await Assert.ThrowsAsync<HostKeyRejectedException>(() => SshInteropHelpers.ConnectAsync(SshInteropHelpers.Options(port, knownHosts: knownHosts)));
            Assert.NotNull(ex.ExpectedFingerprint);
            Assert.NotEqual(ex.ExpectedFingerprint, ex.PresentedFingerprint);
            Assert.Contains(ex.ExpectedFingerprint!, ex.Message);
            Assert.Contains(ex.PresentedFingerprint, ex.Message);
            Assert.Equal(TransferFailureKind.HostKeyRejected, ex.Kind);
        }

        [SshInteropFact]
        public async Task Authentication_banner_is_surfaced()
        {
            using var sshd = SshdInstance.Start(new SshdConfig { Banner = "Network Management Card AOS v2.5.0.8\nAuthorized use only\n" });
            using var client = await SshInteropHelpers.ConnectAsync(SshInteropHelpers.Options(sshd.Port));
            Assert.Contains("Network Management Card AOS v2.5.0.8", client.Banner);
        }

        [SshInteropFact]
        public async Task Exec_returns_output_and_exit_status()
        {
            using var sshd = SshdInstance.Start(new SshdConfig());
            using var client = await SshInteropHelpers.ConnectAsync(SshInteropHelpers.Options(sshd.Port));
            var result = await client.RunCommandAsync("echo hello-card; echo oops 1>&2; exit 3", CancellationToken.None);
            Assert.Equal("hello-card\n", result.Output);
            Assert.Contains("oops", result.Error);
            Assert.Equal(3, result.ExitStatus);
        }

        [SshInteropFact]
        public async Task Scp_errors_from_the_server_are_typed()
        {
            using var sshd = SshdInstance.Start(new SshdConfig());
            using var client = await SshInteropHelpers.ConnectAsync(SshInteropHelpers.Options(sshd.Port));
            var missing = await Assert.ThrowsAsync<FileTransferException>(() => client.DownloadAsync("no-such-file.bin", new MemoryStream(), null, CancellationToken.None));
            Assert.Equal(TransferFailureKind.TransferFailed, missing.Kind);
            Assert.Contains("No such file", missing.ServerMessage);
            var denied = await Assert.ThrowsAsync<FileTransferException>(() => client.UploadAsync("/proc/denied.bin", new MemoryStream(new byte[10]), 10, null, CancellationToken.None));
            Assert.Equal(TransferFailureKind.InsufficientRights, denied.Kind);
        }

        [SshInteropFact]
        public async Task Rekeying_started_by_the_server_keeps_the_transfer_intact()
        {
            // sshd rekeys after every MiB; SSH.NET follows, and the 8 MiB round trip must stay byte-identical.
            using var sshd = SshdInstance.Start(new SshdConfig { RekeyLimit = "1M" });
            using var client = await SshInteropHelpers.ConnectAsync(SshInteropHelpers.Options(sshd.Port));
            await SshInteropHelpers.RoundTripAsync(client, SshInteropHelpers.RandomBytes(8 << 20, 9));
        }

        [SshInteropFact]
        public async Task Sshd_receives_exactly_the_scp_commands_cards_accept()
        {
            // sshd logs what the client asked for ($SSH_ORIGINAL_COMMAND), then runs it.
            var dir = Directory.CreateTempSubdirectory("securenmc-exec-log-").FullName;
            File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
            var log = Path.Combine(dir, "commands.log");
            using var sshd = SshdInstance.Start(new SshdConfig { ForceCommand = $"printf '%s\\n' \"$SSH_ORIGINAL_COMMAND\" >> {log}; exec sh -c \"$SSH_ORIGINAL_COMMAND\"" });
            using var client = await SshInteropHelpers.ConnectAsync(SshInteropHelpers.Options(sshd.Port));
            var name = "exec-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".nmc3";
            await client.UploadAsync(name, new MemoryStream(new byte[] { 1, 2, 3 }), 3, null, CancellationToken.None);
            var back = new MemoryStream();
            await client.DownloadAsync(name, back, null, CancellationToken.None);
            Assert.Equal(new byte[] { 1, 2, 3 }, back.ToArray());
            await client.RunCommandAsync("rm -f -- " + name, CancellationToken.None);
            var lines = File.ReadAllLines(log);
            Assert.Equal(new[] { "scp -q -t " + name, "scp -f " + name, "rm -f -- " + name }, lines);
        }

        [SshInteropFact]
        public async Task An_upload_to_an_sshd_that_stops_reading_fails_within_the_stall_limit()
        {
            // The remote "scp" acknowledges start and header, then never reads: sshd's window closes.
            using var sshd = SshdInstance.Start(new SshdConfig { ForceCommand = "printf '\\000\\000'; exec sleep 600" });
            var options = SshInteropHelpers.Options(sshd.Port);
            options.UploadStallTimeout = TimeSpan.FromSeconds(2);
            using var client = await SshInteropHelpers.ConnectAsync(options);
            var data = new byte[64 << 20];
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<FileTransferException>(() => client.UploadAsync("stall.bin", new MemoryStream(data), data.Length, null, CancellationToken.None));
            Assert.Equal(TransferFailureKind.TimedOut, ex.Kind);
            Assert.Contains("UploadStallTimeoutSeconds", ex.Message);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        }

        [SshInteropFact]
        public async Task A_legacy_only_sshd_is_reached_when_the_device_opts_in()
        {
            using var sshd = SshdInstance.Start(new SshdConfig { KexAlgorithms = "diffie-hellman-group14-sha1", Ciphers = "aes128-cbc", Macs = "hmac-sha1", HostKeyAlgorithms = "ssh-rsa", HostKeys = new[] { "rsa" } });
            var options = SshInteropHelpers.Options(sshd.Port);
            var refused = await Assert.ThrowsAsync<FileTransferException>(() => SshInteropHelpers.ConnectAsync(options));
            Assert.Equal(TransferFailureKind.ProtocolError, refused.Kind);
            Assert.Contains("AllowLegacySsh", refused.Message);
            options.Ssh.AllowLegacyAlgorithms = true;
            using var client = await SshInteropHelpers.ConnectAsync(options);
            Assert.Equal("diffie-hellman-group14-sha1", client.KeyExchangeAlgorithm);
            Assert.Equal("aes128-cbc", client.CipherClientToServer);
            await SshInteropHelpers.RoundTripAsync(client, SshInteropHelpers.RandomBytes(1 << 20, 21));
        }
    }
}
