using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Ftp;
using SecureNmc.Core.Transport;
using static SecureNmc.Transport.Tests.Ftp.FtpTestSupport;
using static SecureNmc.Transport.Tests.Ftp.ScriptedFtpServer;

namespace SecureNmc.Transport.Tests.Ftp
{
    /// <summary>Our client against scripted peers: fallbacks, hostile data endpoints and unbounded input.</summary>
    public sealed class FtpScriptedPeerTests
    {
        private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(20);

        private static ConnectionOptions OptionsFor(ScriptedFtpServer server, FtpDataMode mode, double seconds = 3) =>
            Options(server.EndPoint, "apc", "apc-pw", mode, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(seconds));

        [Fact]
        public async Task Epsv_refusal_falls_back_to_pasv_and_a_foreign_pasv_address_is_ignored()
        {
            using var server = new ScriptedFtpServer { DownloadPayload = Payload(3000), IdleClose = TimeSpan.FromSeconds(5) };
            // A card that names another machine in its PASV reply (NAT, or hostile): a sentinel listens there.
            var sentinel = new TcpListener(IPAddress.Parse("127.0.0.3"), server.DataPort);
            sentinel.Start();
            try
            {
                string tuple = FtpEndpointSyntax.FormatSixNumbers(new IPEndPoint(IPAddress.Parse("127.0.0.3"), server.DataPort));
                var script = new[]
                {
                    "220 NMC ready\r\n", "331 Password required\r\n", "230 Logged in\r\n", "200 Type set to I\r\n",
                    "213 3000\r\n", "500 EPSV not understood\r\n", $"227 Entering Passive Mode ({tuple})\r\n",
                    "150 File status okay; about to open data connection.\r\n", "226 Closing data connection.\r\n", "221 Goodbye\r\n",
                }.Select(Ascii).ToList();
                Task serving = server.ServeOneAsync(script, CancellationToken.None);

                using (var session = await FtpClientSession.OpenAsync(OptionsFor(server, FtpDataMode.Passive), CancellationToken.None))
                {
                    var received = new MemoryStream();
                    await WithinAsync(session.DownloadAsync("event.txt", received, null, CancellationToken.None), CaseLimit, "download");
                    Assert.Equal(server.DownloadPayload, received.ToArray());
                    await session.CloseAsync(CancellationToken.None);
                }
                await WithinAsync(serving, CaseLimit, "server");

                Assert.Equal(new[] { "USER apc", "PASS apc-pw", "TYPE I", "SIZE event.txt", "EPSV", "PASV", "RETR event.txt", "QUIT" }, server.Commands);
                Assert.False(sentinel.Pending(), "the client connected to the foreign address named in the PASV reply");
            }
            finally
            {
                sentinel.Stop();
            }
        }

        [Fact]
        public async Task Eprt_refusal_falls_back_to_port_in_active_mode()
        {
            using var server = new ScriptedFtpServer { IdleClose = TimeSpan.FromSeconds(5) };
            var script = new[]
            {
                "220 NMC ready\r\n", "331 Password required\r\n", "230 Logged in\r\n", "200 Type set to I\r\n",
                "502 EPRT not implemented\r\n", "200 PORT command successful\r\n",
                "150 File status okay; about to open data connection.\r\n", "226 Closing data connection.\r\n", "221 Goodbye\r\n",
            }.Select(Ascii).ToList();
            Task serving = server.ServeOneAsync(script, CancellationToken.None);

            using (var session = await FtpClientSession.OpenAsync(OptionsFor(server, FtpDataMode.Active), CancellationToken.None))
            {
                await WithinAsync(session.UploadAsync("fw.nmc3", new MemoryStream(Payload(70_000)), 70_000, null, CancellationToken.None), CaseLimit, "upload");
                await session.CloseAsync(CancellationToken.None);
            }
            await WithinAsync(serving, CaseLimit, "server");

            Assert.Equal(70_000, server.UploadedBytes);
            string[] commands = server.Commands.ToArray();
            Assert.StartsWith("EPRT |1|127.0.0.1|", commands[3]);
            Assert.StartsWith("PORT 127,0,0,1,", commands[4]);
            Assert.Equal("STOR fw.nmc3", commands[5]);
        }

        [Fact]
        public async Task Upload_taken_but_never_confirmed_is_TimedOut_without_blaming_the_firewall()
        {
            using var server = new ScriptedFtpServer { IdleClose = TimeSpan.FromSeconds(10) };
            var script = new[]
            {
                "220 ready\r\n", "331 pw\r\n", "230 ok\r\n", "200 ok\r\n", $"229 Entering Extended Passive Mode (|||{server.DataPort}|)\r\n",
                "150 File status okay; about to open data connection.\r\n",  // ...and then no 226, ever
            }.Select(Ascii).ToList();
            Task serving = server.ServeOneAsync(script, CancellationToken.None);
            var options = Options(server.EndPoint, "apc", "apc-pw", FtpDataMode.Passive, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2));
            using var session = await FtpClientSession.OpenAsync(options, CancellationToken.None);

            var failure = await ExpectFailureAsync(() => session.UploadAsync("fw.nmc3", new MemoryStream(Payload(5000)), 5000, null, CancellationToken.None), CaseLimit, "upload");

            Assert.Equal(TransferFailureKind.TimedOut, failure.Kind);
            Assert.Contains("received all 5000 bytes", failure.Message);
            Assert.DoesNotContain("firewall", failure.Message);
            Assert.Equal(5000, server.UploadedBytes);
        }

        [Fact]
        public async Task Download_sent_but_never_confirmed_is_TimedOut_without_blaming_the_firewall()
        {
            using var server = new ScriptedFtpServer { DownloadPayload = Payload(4000), IdleClose = TimeSpan.FromSeconds(10) };
            var script = new[]
            {
                "220 ready\r\n", "331 pw\r\n", "230 ok\r\n", "200 ok\r\n", "213 4000\r\n", $"229 Entering Extended Passive Mode (|||{server.DataPort}|)\r\n",
                "150 File status okay; about to open data connection.\r\n",  // data follows, then no 226
            }.Select(Ascii).ToList();
            Task serving = server.ServeOneAsync(script, CancellationToken.None);
            var options = Options(server.EndPoint, "apc", "apc-pw", FtpDataMode.Passive, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2));
            using var session = await FtpClientSession.OpenAsync(options, CancellationToken.None);

            var failure = await ExpectFailureAsync(() => session.DownloadAsync("event.txt", new MemoryStream(), null, CancellationToken.None), CaseLimit, "download");

            Assert.Equal(TransferFailureKind.TimedOut, failure.Kind);
            Assert.Contains("sent 4000 bytes", failure.Message);
            Assert.DoesNotContain("firewall", failure.Message);
        }

        [Theory]
        [InlineData("229 Entering Extended Passive Mode (|||70000|)\r\n")]
        [InlineData("229 Entering Extended Passive Mode (|||0|)\r\n")]
        [InlineData("229 Entering Extended Passive Mode (|1|10.0.0.1|21|)\r\n")]
        [InlineData("229 Entering Extended Passive Mode\r\n")]
        public async Task Bad_epsv_tuple_is_a_ProtocolError(string epsvReply)
        {
            using var server = new ScriptedFtpServer { IdleClose = TimeSpan.FromSeconds(5) };
            var script = new[] { "220 ready\r\n", "331 pw\r\n", "230 ok\r\n", "200 ok\r\n", epsvReply, "221 bye\r\n" }.Select(Ascii).ToList();
            Task serving = server.ServeOneAsync(script, CancellationToken.None);
            using var session = await FtpClientSession.OpenAsync(OptionsFor(server, FtpDataMode.Passive), CancellationToken.None);

            var failure = await ExpectFailureAsync(() => session.UploadAsync("x.bin", new MemoryStream(new byte[1]), 1, null, CancellationToken.None), CaseLimit, "upload");

            Assert.Equal(TransferFailureKind.ProtocolError, failure.Kind);
            Assert.Contains("1-65535", failure.Message);
            await WithinAsync(serving, CaseLimit, "server");
        }

        [Fact]
        public async Task Passive_connect_that_hangs_is_a_firewall_TimedOut()
        {
            // A listener whose accept queue is full drops further SYNs, exactly like a firewall.
            var blackhole = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            blackhole.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            blackhole.Listen(0);
            int port = ((IPEndPoint)blackhole.LocalEndPoint!).Port;
            var fillers = Enumerable.Range(0, 4).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToList();
            foreach (var filler in fillers) _ = filler.ConnectAsync(IPAddress.Loopback, port);
            await Task.Delay(200);
            using var server = new ScriptedFtpServer { IdleClose = TimeSpan.FromSeconds(10) };
            try
            {
                var script = new[] { "220 ready\r\n", "331 pw\r\n", "230 ok\r\n", "200 ok\r\n", $"229 Entering Extended Passive Mode (|||{port}|)\r\n", "221 bye\r\n" }.Select(Ascii).ToList();
                Task serving = server.ServeOneAsync(script, CancellationToken.None);
                var options = Options(server.EndPoint, "apc", "apc-pw", FtpDataMode.Passive, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5));
                using var session = await FtpClientSession.OpenAsync(options, CancellationToken.None);

                var failure = await ExpectFailureAsync(() => session.UploadAsync("x.bin", new MemoryStream(new byte[1]), 1, null, CancellationToken.None), CaseLimit, "upload");

                Assert.Equal(TransferFailureKind.TimedOut, failure.Kind);
                Assert.Contains("firewall", failure.Message);
                Assert.Contains("passive mode", failure.Message);
                Assert.Contains("active FTP mode", failure.Message);
            }
            finally
            {
                foreach (var filler in fillers) filler.Dispose();
                blackhole.Dispose();
            }
        }

        [Fact]
        public async Task Endless_reply_line_is_refused_after_a_bounded_read()
        {
            long sent = await RunEndlessPeerAsync(Encoding.ASCII.GetBytes("220 "), Enumerable.Repeat((byte)'A', 8192).ToArray(), expectKind: TransferFailureKind.ProtocolError, expectText: "longer than 2048");
            Assert.True(sent < 16 * 1024 * 1024, $"the peer managed to push {sent} bytes");
        }

        [Fact]
        public async Task Endless_multi_line_reply_is_refused_after_a_bounded_number_of_lines()
        {
            long sent = await RunEndlessPeerAsync(Encoding.ASCII.GetBytes("220-Welcome\r\n"), Encoding.ASCII.GetBytes(" more banner text\r\n"), expectKind: TransferFailureKind.ProtocolError, expectText: "200 lines");
            Assert.True(sent < 16 * 1024 * 1024, $"the peer managed to push {sent} bytes");
        }

        /// <summary>A peer that keeps writing forever; the client must stop reading and fail, not buffer.</summary>
        private static async Task<long> RunEndlessPeerAsync(byte[] prefix, byte[] repeated, TransferFailureKind expectKind, string expectText)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            long sent = 0;
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Task peer = Task.Run(async () =>
            {
                using Socket socket = await listener.AcceptSocketAsync(stop.Token);
                using var stream = new NetworkStream(socket);
                try
                {
                    await stream.WriteAsync(prefix, stop.Token);
                    while (!stop.IsCancellationRequested)
                    {
                        await stream.WriteAsync(repeated, stop.Token);
                        sent += repeated.Length;
                    }
                }
                catch (Exception ex) when (ex is IOException || ex is OperationCanceledException) { }
            });
            try
            {
                var options = Options((IPEndPoint)listener.LocalEndpoint, "apc", "pw", FtpDataMode.Passive, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20));
                var failure = await ExpectFailureAsync(() => FtpClientSession.OpenAsync(options, CancellationToken.None), TimeSpan.FromSeconds(25), "login");
                Assert.Equal(expectKind, failure.Kind);
                Assert.Contains(expectText, failure.Message);
                await WithinAsync(peer, TimeSpan.FromSeconds(10), "peer notices the client hung up");
                return sent;
            }
            finally
            {
                stop.Cancel();
                listener.Stop();
            }
        }
    }
}
