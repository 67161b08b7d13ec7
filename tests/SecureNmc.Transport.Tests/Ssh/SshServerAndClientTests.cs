using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Simulator.Ssh.Server;
using SecureNmc.Core.Transport;
using SecureNmc.Core.Transport.Scp;

namespace SecureNmc.Transport.Tests.Ssh
{
    /// <summary>The product's SCP client (SSH.NET) against the simulator's SSH server on loopback: login outcomes, SCP, exec, session control.</summary>
    public sealed class SshServerAndClientTests
    {
        private static CancellationToken Limit(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

        [Fact]
        public async Task Scp_session_uploads_downloads_and_runs_about()
        {
            using var server = new TestSshServer(o => o.Banner = "Schneider Electric Network Management Card AOS v2.5.0.8\n");
            var client = new ScpFileTransferClient();
            Assert.Equal(TransferProtocol.Scp, client.Protocol);
            using var session = await client.OpenAsync(server.ClientOptions(), Limit());
            Assert.Contains("AOS v2.5.0.8", session.Banner);

            var firmware = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
            var progress = new List<TransferProgress>();
            await session.UploadAsync("apc_hw21_aos_2.5.0.8.nmc3", new MemoryStream(firmware), firmware.Length, new SyncProgress(progress), Limit());
            Assert.Equal(firmware, server.Files["apc_hw21_aos_2.5.0.8.nmc3"]);
            Assert.Equal(firmware.Length, progress.Last().BytesTransferred);
            Assert.All(progress, p => Assert.Equal(firmware.Length, p.TotalBytes));
            Assert.Contains("scp -q -t apc_hw21_aos_2.5.0.8.nmc3", server.Commands);

            server.Files["config.ini"] = System.Text.Encoding.ASCII.GetBytes("; Schneider Electric\r\n[SystemID]\r\nName=ups1\r\n");
            var download = new MemoryStream();
            await session.DownloadAsync("config.ini", download, null, Limit());
            Assert.Equal(server.Files["config.ini"], download.ToArray());
            Assert.Contains("scp -f config.ini", server.Commands);

            var about = await ((ICommandSession)session).ExecuteAsync("about", Limit());
            Assert.Contains("Model Number:\tAP9641", about);
            await session.CloseAsync(Limit());
        }

        [Fact]
        public async Task Wrong_password_is_BadCredentials_without_leaking_it()
        {
            using var server = new TestSshServer();
            var ex = await Assert.ThrowsAsync<FileTransferException>(() => new ScpFileTransferClient().OpenAsync(server.ClientOptions(password: "Secret-Wrong-1"), Limit()));
            Assert.Equal(TransferFailureKind.BadCredentials, ex.Kind);
            Assert.DoesNotContain("Secret-Wrong-1", ex.ToString());
        }

        [Fact]
        public async Task Mfa_message_is_MultiFactorRequired()
        {
            using var server = new TestSshServer(o => o.PasswordCheck = _ => Task.FromResult(SshPasswordCheckResult.RejectWithMessage("Multi-factor authentication (MFA) is enabled for this user.")));
            var ex = await Assert.ThrowsAsync<FileTransferException>(() => new ScpFileTransferClient().OpenAsync(server.ClientOptions(), Limit()));
            Assert.Equal(TransferFailureKind.MultiFactorRequired, ex.Kind);
            Assert.Contains("MFA", ex.ServerMessage);
            Assert.Contains("local", ex.Message);
        }

        [Fact]
        public async Task Password_change_request_is_reported_not_answered()
        {
            var attempts = 0;
            using var server = new TestSshServer(o => o.PasswordCheck = _ => { Interlocked.Increment(ref attempts); return Task.FromResult(SshPasswordCheckResult.RequirePasswordChange("Enter new password")); });
            var ex = await Assert.ThrowsAsync<FileTransferException>(() => new ScpFileTransferClient().OpenAsync(server.ClientOptions(), Limit()));
            Assert.Equal(TransferFailureKind.PasswordChangeRequired, ex.Kind);
            Assert.Equal(1, attempts);
        }

        [Fact]
        public async Task Keyboard_interactive_login_works_and_first_login_prompts_mean_PasswordChangeRequired()
        {
            using (var server = new TestSshServer(o => o.AuthenticationMethods = new[] { "keyboard-interactive" }))
            {
                using var session = await new ScpFileTransferClient().OpenAsync(server.ClientOptions(), Limit());
                Assert.Contains("E000", await ((ICommandSession)session).ExecuteAsync("about", Limit()));
            }
            using (var server = new TestSshServer(o =>
                   {
                       o.AuthenticationMethods = new[] { "keyboard-interactive" };
                       o.PasswordCheck = _ => Task.FromResult(SshPasswordCheckResult.RequirePasswordChange());
                   }))
            {
                var ex = await Assert.ThrowsAsync<FileTransferException>(() => new ScpFileTransferClient().OpenAsync(server.ClientOptions(), Limit()));
                Assert.Equal(TransferFailureKind.PasswordChangeRequired, ex.Kind);
                Assert.Contains("Enter current password", ex.ServerMessage);
            }
        }

        [Fact]
        public async Task Max_logins_exceeded_is_SessionLimitReached()
        {
            using var server = new TestSshServer(o => o.PasswordCheck = _ => Task.FromResult(SshPasswordCheckResult.SessionLimitReached()));
            var ex = await Assert.ThrowsAsync<FileTransferException>(() => new ScpFileTransferClient().OpenAsync(server.ClientOptions(), Limit()));
            Assert.Equal(TransferFailureKind.SessionLimitReached, ex.Kind);
            Assert.Equal("Max logins exceeded.", ex.ServerMessage);
            Assert.True(ex.IsTransient);
        }

        [Fact]
        public async Task Max_logins_exceeded_in_a_banner_is_SessionLimitReached()
        {
            using var server = new TestSshServer(o => o.PasswordCheck = _ => Task.FromResult(SshPasswordCheckResult.RejectWithMessage("Max logins exceeded.")));
            var ex = await Assert.ThrowsAsync<FileTransferException>(() => new ScpFileTransferClient().OpenAsync(server.ClientOptions(), Limit()));
            Assert.Equal(TransferFailureKind.SessionLimitReached, ex.Kind);
        }

        [Fact]
        public async Task A_corrupt_known_hosts_file_refuses_the_connection_with_a_clear_message()
        {
            using var server = new TestSshServer();
            var path = Path.Combine(Path.GetTempPath(), "securenmc-kh-" + Guid.NewGuid().ToString("N"));
            File.WriteAllText(path, "this is not a known hosts line\n");
            var ex = await Assert.ThrowsAsync<FileTransferException>(() => new ScpFileTransferClient().OpenAsync(server.ClientOptions(knownHosts: path), Limit()));
            Assert.Equal(TransferFailureKind.HostKeyRejected, ex.Kind);
            Assert.Contains("line 1", ex.Message);
        }

        [Fact]
        public async Task Scp_permission_denied_is_InsufficientRights_with_the_card_text()
        {
            using var server = new TestSshServer();
            using var session = await new ScpFileTransferClient().OpenAsync(server.ClientOptions(), Limit());
            var ex = await Assert.ThrowsAsync<FileTransferException>(() => session.UploadAsync("denied.bin", new MemoryStream(new byte[100]), 100, null, Limit()));
            Assert.Equal(TransferFailureKind.InsufficientRights, ex.Kind);
            Assert.Contains("Permission denied", ex.ServerMessage);
            var missing = await Assert.ThrowsAsync<FileTransferException>(() => session.DownloadAsync("event.txt", new MemoryStream(), null, Limit()));
            Assert.Equal(TransferFailureKind.TransferFailed, missing.Kind);
            Assert.Contains("No such file", missing.ServerMessage);
            // The session survives failed transfers.
            server.Files["data.txt"] = new byte[] { 1, 2, 3 };
            var ok = new MemoryStream();
            await session.DownloadAsync("data.txt", ok, null, Limit());
            Assert.Equal(3, ok.Length);
        }

        [Fact]
        public async Task Upload_cancellation_stops_the_transfer_and_the_session_stays_usable()
        {
            using var server = new TestSshServer();
            using var session = await new ScpFileTransferClient().OpenAsync(server.ClientOptions(), Limit());
            using var cancel = new CancellationTokenSource();
            var big = new byte[8 << 20];
            var progress = new CancelAfter(cancel, 1 << 20);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.UploadAsync("big.bin", new MemoryStream(big), big.Length, progress, cancel.Token));
            Assert.False(server.Files.ContainsKey("big.bin"));
            await session.UploadAsync("small.bin", new MemoryStream(new byte[10]), 10, null, Limit());
            Assert.True(server.Files.ContainsKey("small.bin"));
        }

        [Fact]
        public async Task A_card_that_never_answers_times_out_with_TimedOut()
        {
            using var server = new TestSshServer(o => o.ExecHandler = async c => { await Task.Delay(Timeout.Infinite, c.Aborted); return 0; });
            var options = server.ClientOptions();
            options.OperationTimeout = TimeSpan.FromSeconds(1);
            using var session = await new ScpFileTransferClient().OpenAsync(options, Limit());
            var ex = await Assert.ThrowsAsync<FileTransferException>(() => session.DownloadAsync("config.ini", new MemoryStream(), null, Limit()));
            Assert.Equal(TransferFailureKind.TimedOut, ex.Kind);
        }

        [Fact]
        public async Task Dropping_all_sessions_fails_the_transfer_in_flight_and_new_logins_work()
        {
            var started = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var server = new TestSshServer(o => o.ExecHandler = async c => { started.TrySetResult(true); await Task.Delay(Timeout.Infinite, c.Aborted); return 0; });
            using var session = await new ScpFileTransferClient().OpenAsync(server.ClientOptions(), Limit());
            var download = session.DownloadAsync("config.ini", new MemoryStream(), null, Limit());
            await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(1, server.Server.AuthenticatedSessionCount);
            server.Server.DropAllSessions();
            var ex = await Assert.ThrowsAsync<FileTransferException>(() => download);
            Assert.Equal(TransferFailureKind.TransferFailed, ex.Kind);
            using var again = await new ScpFileTransferClient().OpenAsync(server.ClientOptions(), Limit());
            Assert.NotNull(again);
        }

        [Fact]
        public async Task Rekeying_by_the_card_keeps_data_intact_both_ways()
        {
            // The card rekeys after every MiB in both directions; SSH.NET follows each time.
            using var server = new TestSshServer(o => o.RekeyAfterBytes = 1 << 20);
            using var session = await new ScpFileTransferClient().OpenAsync(server.ClientOptions(), Limit());
            var data = Enumerable.Range(0, 6 << 20).Select(i => (byte)(i ^ (i >> 8))).ToArray();
            await session.UploadAsync("rekey.bin", new MemoryStream(data), data.Length, null, Limit());
            Assert.Equal(data, server.Files["rekey.bin"]);
            var back = new MemoryStream();
            await session.DownloadAsync("rekey.bin", back, null, Limit());
            Assert.Equal(data, back.ToArray());
        }

        [Fact]
        public async Task Unknown_exec_command_reports_its_error_output()
        {
            using var server = new TestSshServer();
            using var session = (SshNetScpSession)await new ScpFileTransferClient().OpenAsync(server.ClientOptions(), Limit());
            var result = await session.RunCommandAsync("frobnicate", Limit());
            Assert.Equal(127, result.ExitStatus);
            Assert.Contains("E101", result.Error);
        }

        [Fact]
        public async Task Closed_port_is_CannotConnect_and_a_non_ssh_service_is_a_typed_failure()
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var options = new ConnectionOptions { Host = "127.0.0.1", Port = port, ConnectTimeout = TimeSpan.FromSeconds(5), Credential = new System.Net.NetworkCredential("apc", "pw") };
            var closed = await Assert.ThrowsAsync<FileTransferException>(() => new ScpFileTransferClient().OpenAsync(options, Limit()));
            Assert.Equal(TransferFailureKind.CannotConnect, closed.Kind);

            listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            options.Port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            var web = Task.Run(async () =>
            {
                using var socket = await listener.AcceptTcpClientAsync();
                var reply = System.Text.Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
                await socket.GetStream().WriteAsync(reply);
            });
            var notSsh = await Assert.ThrowsAsync<FileTransferException>(() => new ScpFileTransferClient().OpenAsync(options, Limit()));
            Assert.Equal(TransferFailureKind.CannotConnect, notSsh.Kind);
            await web;
            listener.Stop();
        }

        [Fact]
        public async Task Silent_server_times_out_within_the_connect_timeout()
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var options = new ConnectionOptions { Host = "127.0.0.1", Port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port, ConnectTimeout = TimeSpan.FromSeconds(1), Credential = new System.Net.NetworkCredential("apc", "pw") };
                var ex = await Assert.ThrowsAsync<FileTransferException>(() => new ScpFileTransferClient().OpenAsync(options, Limit()));
                Assert.Equal(TransferFailureKind.TimedOut, ex.Kind);
            }
            finally
            {
                listener.Stop();
            }
        }

        [Theory]
        [InlineData("-rf")]
        [InlineData("a b")]
        [InlineData("x;reboot")]
        [InlineData("ssl/")]
        [InlineData("")]
        public async Task Remote_names_that_need_quoting_are_refused_before_anything_is_sent(string name)
        {
            using var server = new TestSshServer();
            using var session = await new ScpFileTransferClient().OpenAsync(server.ClientOptions(), Limit());
            await Assert.ThrowsAsync<ArgumentException>(() => session.UploadAsync(name, new MemoryStream(new byte[1]), 1, null, Limit()));
            Assert.Empty(server.Commands);
        }

        private sealed class SyncProgress : IProgress<TransferProgress>
        {
            private readonly List<TransferProgress> _list;
            public SyncProgress(List<TransferProgress> list) => _list = list;
            public void Report(TransferProgress value) => _list.Add(value);
        }

        private sealed class CancelAfter : IProgress<TransferProgress>
        {
            private readonly CancellationTokenSource _cancel;
            private readonly long _bytes;
            public CancelAfter(CancellationTokenSource cancel, long bytes) { _cancel = cancel; _bytes = bytes; }
            public void Report(TransferProgress value) { if (value.BytesTransferred >= _bytes) _cancel.Cancel(); }
        }
    }
}
