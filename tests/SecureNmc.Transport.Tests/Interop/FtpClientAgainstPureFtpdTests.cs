using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Ftp;
using SecureNmc.Core.Transport;
using SecureNmc.Transport.Tests.Ftp;
using static SecureNmc.Transport.Tests.Ftp.FtpTestSupport;

namespace SecureNmc.Transport.Tests.Interop
{
    /// <summary>Our FTP client against a real pure-ftpd on loopback.</summary>
    public sealed class FtpClientAgainstPureFtpdTests : IClassFixture<FtpPureFtpdPeer>
    {
        private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
        private readonly FtpPureFtpdPeer peer;

        public FtpClientAgainstPureFtpdTests(FtpPureFtpdPeer peer) => this.peer = peer;

        [Theory]
        [InlineData(FtpDataMode.Passive)]
        [InlineData(FtpDataMode.Active)]
        public async Task Uploads_and_downloads_are_byte_identical(FtpDataMode mode)
        {
            using var session = await WithinAsync(FtpClientSession.OpenAsync(Options(peer.EndPoint, "admin", FtpPureFtpdPeer.Password, mode), CancellationToken.None), Limit, "login");
            Assert.Contains("Pure-FTPd", session.Banner);
            foreach (int size in PayloadSizes)
            {
                byte[] payload = Payload(size, (int)mode);
                string name = $"{mode}_{size}.bin";
                await WithinAsync(session.UploadAsync(name, new MemoryStream(payload), payload.Length, null, CancellationToken.None), Limit, "upload " + size);
                Assert.Equal(payload, await File.ReadAllBytesAsync(Path.Combine(peer.WritableHome, name)));

                var copy = new MemoryStream();
                var progress = new RecordingProgress();
                await WithinAsync(session.DownloadAsync(name, copy, progress, CancellationToken.None), Limit, "download " + size);
                Assert.Equal(payload, copy.ToArray());
                Assert.Equal(size, progress.Last.TotalBytes);
            }
            await session.CloseAsync(CancellationToken.None);
        }

        [Fact]
        public async Task Wrong_password_is_BadCredentials()
        {
            // pure-ftpd delays its answer to a failed login; give it time.
            var options = Options(peer.EndPoint, "admin", "not-the-password", FtpDataMode.Passive, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
            var failure = await ExpectFailureAsync(() => FtpClientSession.OpenAsync(options, CancellationToken.None), Limit, "login");
            Assert.Equal(TransferFailureKind.BadCredentials, failure.Kind);
            Assert.StartsWith("530", failure.ServerMessage);
        }

        [Fact]
        public async Task Store_refused_by_a_read_only_folder_is_InsufficientRights()
        {
            using var session = await FtpClientSession.OpenAsync(Options(peer.EndPoint, "reader", FtpPureFtpdPeer.Password, FtpDataMode.Passive), CancellationToken.None);
            var failure = await ExpectFailureAsync(() => session.UploadAsync("fw.nmc3", new MemoryStream(new byte[100]), 100, null, CancellationToken.None), Limit, "upload");

            Assert.Equal(TransferFailureKind.InsufficientRights, failure.Kind);
            Assert.StartsWith("553", failure.ServerMessage);
            Assert.Contains("administrator", failure.Message);
            Assert.False(File.Exists(Path.Combine(peer.ReadOnlyHome, "fw.nmc3")));

            // Reading is still allowed, over the same session.
            var copy = new MemoryStream();
            await WithinAsync(session.DownloadAsync("config.ini", copy, null, CancellationToken.None), Limit, "download");
            Assert.Equal(Payload(777), copy.ToArray());
        }

        [Fact]
        public async Task Per_user_session_limit_is_SessionLimitReached()
        {
            using var first = await FtpClientSession.OpenAsync(Options(peer.EndPoint, "solo", FtpPureFtpdPeer.Password, FtpDataMode.Passive), CancellationToken.None);
            var failure = await ExpectFailureAsync(() => FtpClientSession.OpenAsync(Options(peer.EndPoint, "solo", FtpPureFtpdPeer.Password, FtpDataMode.Passive), CancellationToken.None), Limit, "second login");
            Assert.Equal(TransferFailureKind.SessionLimitReached, failure.Kind);
            Assert.StartsWith("421", failure.ServerMessage);
        }

        [Fact]
        public async Task Missing_file_is_TransferFailed()
        {
            using var session = await FtpClientSession.OpenAsync(Options(peer.EndPoint, "reader", FtpPureFtpdPeer.Password, FtpDataMode.Active), CancellationToken.None);
            var failure = await ExpectFailureAsync(() => session.DownloadAsync("missing.bin", new MemoryStream(), null, CancellationToken.None), Limit, "download");
            Assert.Equal(TransferFailureKind.TransferFailed, failure.Kind);
            Assert.StartsWith("550", failure.ServerMessage);
        }
    }
}
