using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Simulator.Ssh.Keys;
using SecureNmc.Core.Ssh.KnownHosts;
using SecureNmc.Core.Transport;
using SecureNmc.Core.Transport.Scp;

namespace SecureNmc.Transport.Tests.Ssh
{
    /// <summary>
    /// What the SSH.NET-based client must keep doing that SSH.NET alone does not: hard limits on a card
    /// that stops answering, the product's host-key rules, the NIST-curve retry, strict-kex reporting.
    /// </summary>
    public sealed class ScpClientOnSshNetTests
    {
        private static CancellationToken Limit(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

        /// <summary>A card that accepts the SCP header, then never reads another byte (its window stays shut).</summary>
        private static TestSshServer StallingCard() => new TestSshServer(o => o.ExecHandler = async c =>
        {
            await c.Output.WriteAsync(new byte[] { 0 }, 0, 1, c.Aborted);
            var header = new MemoryStream();
            var one = new byte[1];
            while (await c.Input.ReadAsync(one, 0, 1, c.Aborted) == 1 && one[0] != (byte)'\n') header.WriteByte(one[0]);
            await c.Output.WriteAsync(new byte[] { 0 }, 0, 1, c.Aborted);
            await Task.Delay(Timeout.Infinite, c.Aborted);
            return 0;
        });

        [Fact]
        public async Task A_card_that_stops_taking_data_mid_upload_fails_within_the_stall_limit_naming_the_setting()
        {
            using var server = StallingCard();
            var options = server.ClientOptions();
            options.UploadStallTimeout = TimeSpan.FromSeconds(1);
            using var session = await new ScpFileTransferClient().OpenAsync(options, Limit());
            var data = new byte[16 << 20];
            var clock = Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<FileTransferException>(() => session.UploadAsync("apc_hw21_aos_2.6.0.1.nmc3", new MemoryStream(data), data.Length, null, Limit()));
            clock.Stop();
            Assert.Equal(TransferFailureKind.TimedOut, ex.Kind);
            Assert.Contains("UploadStallTimeoutSeconds", ex.Message);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the stalled upload took {clock.Elapsed} to fail");
        }

        [Fact]
        public async Task Cancelling_a_stalled_upload_returns_promptly()
        {
            using var server = StallingCard();
            var options = server.ClientOptions();
            options.UploadStallTimeout = TimeSpan.FromMinutes(5);
            using var session = await new ScpFileTransferClient().OpenAsync(options, Limit());
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            var data = new byte[16 << 20];
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.UploadAsync("apc_hw21_aos_2.6.0.1.nmc3", new MemoryStream(data), data.Length, null, cancel.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"cancellation took {clock.Elapsed}");
        }

        [Fact]
        public async Task A_card_that_never_replies_fails_within_the_reply_limit_naming_the_setting()
        {
            using var server = new TestSshServer(o => o.ExecHandler = async c => { await Task.Delay(Timeout.Infinite, c.Aborted); return 0; });
            var options = server.ClientOptions();
            options.OperationTimeout = TimeSpan.FromSeconds(1);
            using var session = await new ScpFileTransferClient().OpenAsync(options, Limit());
            var clock = Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<FileTransferException>(() => session.UploadAsync("x.bin", new MemoryStream(new byte[10]), 10, null, Limit()));
            Assert.Equal(TransferFailureKind.TimedOut, ex.Kind);
            Assert.Contains("ReplyTimeoutSeconds", ex.Message);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
        }

        [Fact]
        public async Task The_exec_requests_are_exactly_what_cards_accept()
        {
            using var server = new TestSshServer();
            using var session = await new ScpFileTransferClient().OpenAsync(server.ClientOptions(), Limit());
            await session.UploadAsync("apc_hw21_su_2.6.0.1.nmc3", new MemoryStream(new byte[5]), 5, null, Limit());
            await session.DownloadAsync("apc_hw21_su_2.6.0.1.nmc3", new MemoryStream(), null, Limit());
            lock (server.Commands)
                Assert.Equal(new[] { "scp -q -t apc_hw21_su_2.6.0.1.nmc3", "scp -f apc_hw21_su_2.6.0.1.nmc3" }, server.Commands.ToArray());
        }

        [Fact]
        public async Task A_changed_host_key_is_refused_with_both_SHA256_fingerprints_and_trust_on_first_use_records_the_key_type()
        {
            using var server = new TestSshServer();
            var knownHosts = Path.Combine(Path.GetTempPath(), "securenmc-kh-" + Guid.NewGuid().ToString("N"));
            using (await new ScpFileTransferClient().OpenAsync(server.ClientOptions(knownHosts: knownHosts), Limit())) { }
            var store = new KnownHostsStore(knownHosts);
            var recorded = Assert.Single(store.Find("127.0.0.1", server.Port));
            Assert.Equal("ssh-ed25519", recorded.KeyType);
            Assert.Equal(SshFingerprint.Sha256(TestSshServer.HostKeys[0].PublicKeyBlob), recorded.Fingerprint);

            var other = SshFingerprint.Sha256(new byte[] { 1, 2, 3 });
            store.Save("127.0.0.1", server.Port, recorded.KeyType, other);
            var ex = await Assert.ThrowsAsync<HostKeyRejectedException>(() => new ScpFileTransferClient().OpenAsync(server.ClientOptions(knownHosts: knownHosts), Limit()));
            Assert.Equal(other, ex.ExpectedFingerprint);
            Assert.Equal(recorded.Fingerprint, ex.PresentedFingerprint);
            Assert.Contains(other, ex.Message);
            Assert.Contains(recorded.Fingerprint, ex.Message);
            Assert.StartsWith("SHA256:", ex.PresentedFingerprint);
        }

        [Fact]
        public async Task Strict_host_key_policy_refuses_an_unknown_card_and_a_pin_overrides_the_store()
        {
            using var server = new TestSshServer();
            var options = server.ClientOptions(knownHosts: Path.Combine(Path.GetTempPath(), "securenmc-kh-" + Guid.NewGuid().ToString("N")));
            options.Ssh.HostKeyPolicy = HostKeyPolicy.Strict;
            var unknown = await Assert.ThrowsAsync<HostKeyRejectedException>(() => new ScpFileTransferClient().OpenAsync(options, Limit()));
            Assert.Null(unknown.ExpectedFingerprint);
            options.Ssh.PinnedFingerprint = unknown.PresentedFingerprint;
            using var session = await new ScpFileTransferClient().OpenAsync(options, Limit());
            Assert.NotNull(session);
        }

        [Fact]
        public async Task A_card_with_only_an_ECDSA_host_key_is_reached_by_the_retry_with_NIST_curves()
        {
            using var server = new TestSshServer(o => o.HostKeys = new[] { TestSshServer.HostKeys[1] });
            using var session = (SshNetScpSession)await new ScpFileTransferClient().OpenAsync(server.ClientOptions(), Limit());
            Assert.Equal("ecdsa-sha2-nistp256", session.HostKeyAlgorithm);
            Assert.DoesNotContain("nistp", session.KeyExchangeAlgorithm);
        }

        [Fact]
        public async Task A_card_whose_ECDSA_key_is_on_record_is_offered_it_first_without_a_retry()
        {
            // The card has an Ed25519 and an ECDSA key; the store holds the ECDSA one (recorded when the
            // card had only that). Offering Ed25519 first would make the card show its other key: a false alarm.
            using var server = new TestSshServer(o =>
            {
                o.HostKeys = new[] { TestSshServer.HostKeys[0], TestSshServer.HostKeys[1] };
                o.HostKeyAlgorithms = new[] { "ssh-ed25519", "ecdsa-sha2-nistp256" };
            });
            var knownHosts = Path.Combine(Path.GetTempPath(), "securenmc-kh-" + Guid.NewGuid().ToString("N"));
            new KnownHostsStore(knownHosts).Save("127.0.0.1", server.Port, "ecdsa-sha2-nistp256", SshFingerprint.Sha256(TestSshServer.HostKeys[1].PublicKeyBlob));
            var log = new ListLogger();
            var options = server.ClientOptions(knownHosts: knownHosts);
            options.Logger = log;
            using var session = (SshNetScpSession)await new ScpFileTransferClient().OpenAsync(options, Limit());
            Assert.Equal("ecdsa-sha2-nistp256", session.HostKeyAlgorithm);
            Assert.DoesNotContain(log.Lines, l => l.Contains("trying again"));
        }

        [Fact]
        public async Task No_user_name_is_refused_before_connecting()
        {
            using var server = new TestSshServer();
            var options = server.ClientOptions();
            options.Credential = new NetworkCredential();
            var ex = await Assert.ThrowsAsync<FileTransferException>(() => new ScpFileTransferClient().OpenAsync(options, Limit()));
            Assert.Equal(TransferFailureKind.BadCredentials, ex.Kind);
            Assert.Contains("no user name", ex.Message);
        }

        [Fact]
        public async Task A_peer_that_breaks_strict_key_exchange_is_reported_as_a_possible_attack_without_legacy_advice()
        {
            // A server that advertises strict kex but sends an IGNORE before its KEXINIT: the prefix
            // injection strict kex exists to catch (Terrapin). SSH.NET must abort; we must say why.
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var peer = Task.Run(async () =>
            {
                using var socket = await listener.AcceptTcpClientAsync();
                var stream = socket.GetStream();
                await stream.WriteAsync(Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"));
                await stream.WriteAsync(PlainPacket(new byte[] { 2, 0, 0, 0, 0 })); // SSH_MSG_IGNORE, empty string
                await stream.WriteAsync(PlainPacket(KexInit()));
                var sink = new byte[4096];
                try { while (await stream.ReadAsync(sink).AsTask().WaitAsync(TimeSpan.FromSeconds(20)) > 0) { } } catch (Exception) { }
            });
            var options = new ConnectionOptions
            {
                Host = "127.0.0.1",
                Port = ((IPEndPoint)listener.LocalEndpoint).Port,
                Credential = new NetworkCredential("apc", "pw"),
                ConnectTimeout = TimeSpan.FromSeconds(15),
            };
            var ex = await Assert.ThrowsAsync<FileTransferException>(() => new ScpFileTransferClient().OpenAsync(options, Limit()));
            listener.Stop();
            Assert.Equal(TransferFailureKind.ProtocolError, ex.Kind);
            Assert.Contains("strict key exchange", ex.Message);
            Assert.Contains("attack", ex.Message);
            Assert.DoesNotContain("legacy", ex.Message, StringComparison.OrdinalIgnoreCase);
        }

        private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
        {
            public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new System.Collections.Concurrent.ConcurrentQueue<string>();
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;
            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                Lines.Enqueue(formatter(state, exception));
        }

        private static byte[] KexInit()
        {
            var w = new MemoryStream();
            w.WriteByte(20);
            w.Write(new byte[16]);
            foreach (var list in new[] { "curve25519-sha256,kex-strict-s-v00@openssh.com", "ssh-ed25519", "aes128-ctr", "aes128-ctr", "hmac-sha2-256", "hmac-sha2-256", "none", "none", "", "" })
            {
                var bytes = Encoding.ASCII.GetBytes(list);
                w.Write(BigEndian(bytes.Length));
                w.Write(bytes);
            }
            w.WriteByte(0);
            w.Write(new byte[4]);
            return w.ToArray();
        }

        /// <summary>An unencrypted binary packet (RFC 4253 §6): length, padding length, payload, padding to a multiple of 8.</summary>
        private static byte[] PlainPacket(byte[] payload)
        {
            int padding = 8 - ((5 + payload.Length) % 8);
            if (padding < 4) padding += 8;
            var packet = new MemoryStream();
            packet.Write(BigEndian(1 + payload.Length + padding));
            packet.WriteByte((byte)padding);
            packet.Write(payload);
            packet.Write(new byte[padding]);
            return packet.ToArray();
        }

        private static byte[] BigEndian(int value) => new[] { (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value };
    }
}
