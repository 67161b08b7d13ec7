using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Ftp;
using SecureNmc.Simulator.Ftp.Server;
using SecureNmc.Core.Transport;
using static SecureNmc.Transport.Tests.Ftp.FtpTestSupport;

namespace SecureNmc.Transport.Tests.Ftp
{
    /// <summary>Our client against our server: round trips and every card-specific behaviour.</summary>
    public sealed class FtpClientAgainstOwnServerTests
    {
        private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(60);

        [Theory]
        [InlineData(FtpDataMode.Passive)]
        [InlineData(FtpDataMode.Active)]
        public async Task Uploads_and_downloads_are_byte_identical_with_progress(FtpDataMode mode)
        {
            var files = new InMemoryFtpFileSystem();
            using var server = StartCardServer(files);
            var client = new FtpFileTransferClient();
            using IFileTransferSession session = await WithinAsync(client.OpenAsync(Options(server.LocalEndPoint, AdminUser, AdminPassword, mode), CancellationToken.None), TestLimit, "login");

            foreach (int size in PayloadSizes)
            {
                byte[] payload = Payload(size);
                string name = $"file_{size}.bin";
                var up = new RecordingProgress();
                await WithinAsync(session.UploadAsync(name, new MemoryStream(payload), payload.Length, up, CancellationToken.None), TestLimit, "upload " + size);
                Assert.Equal(payload, files.GetFile(name));
                Assert.Equal(size, up.Last.BytesTransferred);
                Assert.Equal(size, up.Last.TotalBytes);

                var down = new RecordingProgress();
                var received = new MemoryStream();
                await WithinAsync(session.DownloadAsync(name, received, down, CancellationToken.None), TestLimit, "download " + size);
                Assert.Equal(payload, received.ToArray());
                Assert.Equal(size, down.Last.BytesTransferred);
                Assert.Equal(size, down.Last.TotalBytes);  // SIZE told the client the total in advance
                if (size > FtpLimits.DataChunkSize) Assert.True(down.Reports.Count > 2, "progress is reported during the transfer, not only at its end");
            }
            await WithinAsync(session.CloseAsync(CancellationToken.None), TestLimit, "close");
        }

        [Fact]
        public async Task Read_only_user_upload_is_InsufficientRights_naming_administrator_rights()
        {
            var files = new InMemoryFtpFileSystem();
            using var server = StartCardServer(files);
            using var session = await FtpClientSession.OpenAsync(Options(server.LocalEndPoint, DeviceUser, DevicePassword, FtpDataMode.Passive), CancellationToken.None);

            var failure = await ExpectFailureAsync(() => session.UploadAsync("apc_hw21_aos_2.5.0.8.nmc3", new MemoryStream(new byte[10]), 10, null, CancellationToken.None), TestLimit, "upload");

            Assert.Equal(TransferFailureKind.InsufficientRights, failure.Kind);
            Assert.Equal("550 STOR requested action not taken.", failure.ServerMessage);
            Assert.Contains("lacks administrator rights", failure.Message);
            Assert.Contains("administrator account", failure.Message);
            Assert.Null(files.GetFile("apc_hw21_aos_2.5.0.8.nmc3"));

            // A refusal leaves the session usable: the read-only user can still read.
            files.SetFile("config.ini", new byte[] { 1, 2, 3 });
            var copy = new MemoryStream();
            await WithinAsync(session.DownloadAsync("config.ini", copy, null, CancellationToken.None), TestLimit, "download");
            Assert.Equal(new byte[] { 1, 2, 3 }, copy.ToArray());
        }

        [Fact]
        public async Task Wrong_password_is_BadCredentials_and_never_shows_the_password()
        {
            using var server = StartCardServer(new InMemoryFtpFileSystem());
            var logger = new CapturingLogger();
            var failure = await ExpectFailureAsync(() => FtpClientSession.OpenAsync(Options(server.LocalEndPoint, AdminUser, "Wrong-Password-77", FtpDataMode.Passive, logger: logger), CancellationToken.None), TestLimit, "login");

            Assert.Equal(TransferFailureKind.BadCredentials, failure.Kind);
            Assert.Equal("530 Login incorrect.", failure.ServerMessage);
            Assert.DoesNotContain("Wrong-Password-77", failure.ToString());
            Assert.DoesNotContain("Wrong-Password-77", logger.AllText);
        }

        [Fact]
        public async Task Clear_text_warning_is_logged_and_public_and_the_password_is_never_logged()
        {
            using var server = StartCardServer(new InMemoryFtpFileSystem());
            var logger = new CapturingLogger();
            using (var session = await FtpClientSession.OpenAsync(Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive, logger: logger), CancellationToken.None))
                await session.CloseAsync(CancellationToken.None);

            Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(FtpSecurityNotice.ClearTextPasswordWarning));
            Assert.Contains("clear text", FtpFileTransferClient.ClearTextPasswordWarning);
            Assert.Contains("PASS ****", logger.AllText);
            Assert.DoesNotContain(AdminPassword, logger.AllText);
        }

        [Fact]
        public async Task Mfa_refusal_text_is_MultiFactorRequired_with_guidance()
        {
            using var server = StartCardServer(new InMemoryFtpFileSystem());
            var failure = await ExpectFailureAsync(() => FtpClientSession.OpenAsync(Options(server.LocalEndPoint, MfaUser, MfaPassword, FtpDataMode.Passive), CancellationToken.None), TestLimit, "login");

            Assert.Equal(TransferFailureKind.MultiFactorRequired, failure.Kind);
            Assert.Contains(MfaRefusalText, failure.ServerMessage);
            Assert.Contains("local card user without MFA", failure.Message);
        }

        [Fact]
        public async Task Second_session_on_a_single_session_card_is_SessionLimitReached()
        {
            var files = new InMemoryFtpFileSystem();
            using var server = StartCardServer(files, request => request.OtherLoggedInSessions >= 1 ? FtpLoginDecision.SessionLimitReached() : null);
            using var first = await FtpClientSession.OpenAsync(Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive), CancellationToken.None);

            var failure = await ExpectFailureAsync(() => FtpClientSession.OpenAsync(Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive), CancellationToken.None), TestLimit, "second login");

            Assert.Equal(TransferFailureKind.SessionLimitReached, failure.Kind);
            Assert.Equal("421 Max logins exceeded.", failure.ServerMessage);
            Assert.True(failure.IsTransient);

            await first.CloseAsync(CancellationToken.None);
            await WaitUntilAsync(() => server.LoggedInSessionCount == 0);
            using var third = await FtpClientSession.OpenAsync(Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive), CancellationToken.None);
        }

        [Theory]
        [InlineData(FtpDataMode.Passive, true)]
        [InlineData(FtpDataMode.Passive, false)]
        [InlineData(FtpDataMode.Active, true)]
        [InlineData(FtpDataMode.Active, false)]
        public async Task Data_connection_that_never_opens_after_150_is_a_firewall_TimedOut(FtpDataMode mode, bool upload)
        {
            var files = new InMemoryFtpFileSystem();
            files.SetFile("event.txt", Payload(5000));
            using var server = StartCardServer(files);
            server.Faults.NeverOpenDataConnection = true;
            var options = Options(server.LocalEndPoint, AdminUser, AdminPassword, mode, operationTimeout: TimeSpan.FromSeconds(2));
            using var session = await FtpClientSession.OpenAsync(options, CancellationToken.None);

            var failure = await ExpectFailureAsync(() => upload
                    ? session.UploadAsync("fw.nmc3", new MemoryStream(Payload(5000)), 5000, null, CancellationToken.None)
                    : session.DownloadAsync("event.txt", new MemoryStream(), null, CancellationToken.None),
                TimeSpan.FromSeconds(20), "transfer");

            Assert.Equal(TransferFailureKind.TimedOut, failure.Kind);
            Assert.Equal("150 File status okay; about to open data connection.", failure.ServerMessage);
            Assert.Contains("firewall", failure.Message);
            Assert.Contains(mode == FtpDataMode.Passive ? "You are using passive mode" : "You are using active mode", failure.Message);
            Assert.Contains(mode == FtpDataMode.Passive ? "active FTP mode" : "passive FTP mode", failure.Message);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task Connection_dropped_mid_transfer_is_a_typed_failure(bool upload)
        {
            var files = new InMemoryFtpFileSystem();
            files.SetFile("data.txt", Payload(1024 * 1024));
            using var server = StartCardServer(files);
            server.Faults.DropConnectionAfterBytes = 100_000;
            using var session = await FtpClientSession.OpenAsync(Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive, operationTimeout: TimeSpan.FromSeconds(5)), CancellationToken.None);

            var failure = await ExpectFailureAsync(() => upload
                    ? session.UploadAsync("fw.nmc3", new MemoryStream(Payload(1024 * 1024)), 1024 * 1024, null, CancellationToken.None)
                    : session.DownloadAsync("data.txt", new MemoryStream(), null, CancellationToken.None),
                TimeSpan.FromSeconds(20), "transfer");

            Assert.Equal(TransferFailureKind.TransferFailed, failure.Kind);
            Assert.Null(files.GetFile("fw.nmc3"));
            // The session is unusable afterwards and says so instead of sending into a dead connection.
            var next = await ExpectFailureAsync(() => session.DownloadAsync("data.txt", new MemoryStream(), null, CancellationToken.None), TimeSpan.FromSeconds(10), "next transfer");
            Assert.Contains("open a new session", next.Message);
        }

        [Fact]
        public async Task Slow_replies_beyond_the_operation_timeout_are_TimedOut()
        {
            using var server = StartCardServer(new InMemoryFtpFileSystem());
            var options = Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive, operationTimeout: TimeSpan.FromMilliseconds(300));
            using var session = await FtpClientSession.OpenAsync(options, CancellationToken.None);
            server.Faults.ReplyDelay = TimeSpan.FromSeconds(3);

            var failure = await ExpectFailureAsync(() => session.GetSizeAsync("config.ini", CancellationToken.None), TimeSpan.FromSeconds(10), "SIZE");

            Assert.Equal(TransferFailureKind.TimedOut, failure.Kind);
            Assert.Contains("did not answer within 300 ms", failure.Message);
        }

        [Fact]
        public async Task Slow_login_beyond_the_connect_timeout_is_TimedOut()
        {
            using var server = StartCardServer(new InMemoryFtpFileSystem());
            server.Faults.ReplyDelay = TimeSpan.FromSeconds(3);
            var options = Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive, connectTimeout: TimeSpan.FromMilliseconds(300));

            var failure = await ExpectFailureAsync(() => FtpClientSession.OpenAsync(options, CancellationToken.None), TimeSpan.FromSeconds(10), "login");

            Assert.Equal(TransferFailureKind.TimedOut, failure.Kind);
        }

        [Fact]
        public async Task Cancellation_ends_a_hanging_transfer_promptly()
        {
            var files = new InMemoryFtpFileSystem();
            files.SetFile("event.txt", Payload(100));
            using var server = StartCardServer(files);
            server.Faults.NeverOpenDataConnection = true;
            using var session = await FtpClientSession.OpenAsync(Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Active, operationTimeout: TimeSpan.FromMinutes(5)), CancellationToken.None);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

            Task download = session.DownloadAsync("event.txt", new MemoryStream(), null, cancel.Token);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => WithinAsync(download, TimeSpan.FromSeconds(10), "cancelled download"));
        }

        [Fact]
        public async Task Card_restart_drops_every_session_and_the_client_reports_it()
        {
            var files = new InMemoryFtpFileSystem();
            files.SetFile("config.ini", Payload(10));
            using var server = StartCardServer(files);
            using var a = await FtpClientSession.OpenAsync(Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive), CancellationToken.None);
            using var b = await FtpClientSession.OpenAsync(Options(server.LocalEndPoint, DeviceUser, DevicePassword, FtpDataMode.Passive), CancellationToken.None);
            await WaitUntilAsync(() => server.LoggedInSessionCount == 2);

            server.DropAllSessions();

            await WaitUntilAsync(() => server.SessionCount == 0 && server.LoggedInSessionCount == 0);
            var failure = await ExpectFailureAsync(() => a.DownloadAsync("config.ini", new MemoryStream(), null, CancellationToken.None), TimeSpan.FromSeconds(20), "download after restart");
            Assert.True(failure.Kind == TransferFailureKind.TransferFailed || failure.Kind == TransferFailureKind.ProtocolError, failure.Kind.ToString());
            // The server keeps listening: a new session works after the "restart".
            using var c = await FtpClientSession.OpenAsync(Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive), CancellationToken.None);
        }

        [Fact]
        public async Task Connection_refused_before_the_welcome_with_max_logins_is_SessionLimitReached()
        {
            using var server = StartCardServer(new InMemoryFtpFileSystem());
            server.ConnectionGate = request => "Max logins exceeded.";

            var failure = await ExpectFailureAsync(() => FtpClientSession.OpenAsync(Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive), CancellationToken.None), TestLimit, "login");

            Assert.Equal(TransferFailureKind.SessionLimitReached, failure.Kind);
            Assert.Equal("421 Max logins exceeded.", failure.ServerMessage);
            server.ConnectionGate = null;
            using var session = await FtpClientSession.OpenAsync(Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive), CancellationToken.None);
        }

        [Fact]
        public async Task Upload_prechecked_away_is_refused_before_any_byte_moves()
        {
            int received = 0;
            var files = new InMemoryFtpFileSystem
            {
                UploadPrecheck = (name, who) => name.EndsWith(".nmc3") ? null : FtpUploadResult.Reject("Insufficient storage space.", 552),
                UploadValidator = (name, bytes, who) => { Interlocked.Increment(ref received); return null; },
            };
            using var server = StartCardServer(files);
            using var session = await FtpClientSession.OpenAsync(Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Active), CancellationToken.None);

            var failure = await ExpectFailureAsync(() => session.UploadAsync("notes.txt", new MemoryStream(Payload(5000)), 5000, null, CancellationToken.None), TestLimit, "upload");

            Assert.Equal(TransferFailureKind.TransferFailed, failure.Kind);
            Assert.Equal("552 Insufficient storage space.", failure.ServerMessage);
            Assert.Equal(0, received);
            await session.UploadAsync("fw.nmc3", new MemoryStream(Payload(5000)), 5000, null, CancellationToken.None);
            Assert.Equal(Payload(5000), files.GetFile("fw.nmc3"));
        }

        [Fact]
        public async Task A_restarted_card_listens_again_on_the_same_port()
        {
            var files = new InMemoryFtpFileSystem();
            files.SetFile("config.ini", Payload(10));
            var first = StartCardServer(files);
            int port = first.LocalEndPoint.Port;
            using (var session = await FtpClientSession.OpenAsync(Options(first.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive), CancellationToken.None))
            {
                await session.DownloadAsync("config.ini", new MemoryStream(), null, CancellationToken.None);
                await first.StopAsync();  // the card goes down with a session open
            }
            first.Dispose();

            using var second = new FtpServer(new FtpServerOptions { Port = port }, files, (r, _) => Task.FromResult(FtpLoginDecision.Accept(FtpPermission.ReadWrite)));
            second.Start();
            using var again = await FtpClientSession.OpenAsync(Options(second.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive), CancellationToken.None);
            var copy = new MemoryStream();
            await again.DownloadAsync("config.ini", copy, null, CancellationToken.None);
            Assert.Equal(Payload(10), copy.ToArray());
        }

        [Fact]
        public async Task Upload_rejected_by_the_file_system_after_its_bytes_is_TransferFailed_with_the_card_text()
        {
            var files = new InMemoryFtpFileSystem { UploadValidator = (name, bytes, who) => bytes.Length < 100 ? "Invalid firmware file." : null };
            using var server = StartCardServer(files);
            using var session = await FtpClientSession.OpenAsync(Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive), CancellationToken.None);

            var failure = await ExpectFailureAsync(() => session.UploadAsync("bad.nmc3", new MemoryStream(new byte[10]), 10, null, CancellationToken.None), TestLimit, "upload");

            Assert.Equal(TransferFailureKind.TransferFailed, failure.Kind);
            Assert.Equal("550 Invalid firmware file.", failure.ServerMessage);
        }

        [Fact]
        public async Task Missing_file_download_is_TransferFailed_naming_the_file()
        {
            using var server = StartCardServer(new InMemoryFtpFileSystem());
            using var session = await FtpClientSession.OpenAsync(Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive), CancellationToken.None);
            var failure = await ExpectFailureAsync(() => session.DownloadAsync("nope.txt", new MemoryStream(), null, CancellationToken.None), TestLimit, "download");
            Assert.Equal(TransferFailureKind.TransferFailed, failure.Kind);
            Assert.Contains("'nope.txt'", failure.Message);
        }

        [Fact]
        public async Task Closed_port_is_CannotConnect()
        {
            int port = FreeTcpPort();
            var options = Options(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port), AdminUser, AdminPassword, FtpDataMode.Passive);
            var failure = await ExpectFailureAsync(() => FtpClientSession.OpenAsync(options, CancellationToken.None), TestLimit, "connect");
            Assert.Equal(TransferFailureKind.CannotConnect, failure.Kind);
        }

        [Fact]
        public async Task Source_shorter_than_the_announced_length_aborts_the_upload()
        {
            var files = new InMemoryFtpFileSystem();
            using var server = StartCardServer(files);
            using var session = await FtpClientSession.OpenAsync(Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive), CancellationToken.None);
            var failure = await ExpectFailureAsync(() => session.UploadAsync("short.bin", new MemoryStream(new byte[10]), 20, null, CancellationToken.None), TestLimit, "upload");
            Assert.Equal(TransferFailureKind.TransferFailed, failure.Kind);
            Assert.Contains("ended after 10 of 20 bytes", failure.Message);
            // The data connection was reset, not closed, so the card cannot mistake the 10 bytes for the whole file.
            await WaitUntilAsync(() => server.SessionCount == 0);
            Assert.Null(files.GetFile("short.bin"));
        }

        [Fact]
        public async Task Cancelled_upload_leaves_no_truncated_file_on_the_card()
        {
            var files = new InMemoryFtpFileSystem();
            using var server = StartCardServer(files);
            using var session = await FtpClientSession.OpenAsync(Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive, operationTimeout: TimeSpan.FromMinutes(5)), CancellationToken.None);
            using var cancel = new CancellationTokenSource();
            var source = new StallingStream(Payload(200_000), cancel);

            Task upload = session.UploadAsync("fw.nmc3", source, 1_000_000, null, cancel.Token);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => WithinAsync(upload, TimeSpan.FromSeconds(10), "cancelled upload"));
            await WaitUntilAsync(() => server.SessionCount == 0);
            Assert.Null(files.GetFile("fw.nmc3"));
        }

        /// <summary>Yields its bytes, then cancels the transfer and waits for the cancellation (a user pressing Ctrl+C mid-upload).</summary>
        private sealed class StallingStream : Stream
        {
            private readonly MemoryStream content;
            private readonly CancellationTokenSource cancel;
            public StallingStream(byte[] bytes, CancellationTokenSource cancel) { content = new MemoryStream(bytes); this.cancel = cancel; }
            public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                int read = content.Read(buffer, offset, count);
                if (read > 0) return read;
                cancel.CancelAfter(50);
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return 0;
            }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        internal static async Task WaitUntilAsync(Func<bool> condition)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (!condition())
            {
                if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException("condition not reached within 10 s");
                await Task.Delay(20);
            }
        }
    }
}
