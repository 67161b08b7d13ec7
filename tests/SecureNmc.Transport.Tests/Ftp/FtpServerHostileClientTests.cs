using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Ftp;
using SecureNmc.Simulator.Ftp.Server;
using SecureNmc.Core.Transport;
using static SecureNmc.Transport.Tests.Ftp.FtpTestSupport;

namespace SecureNmc.Transport.Tests.Ftp
{
    /// <summary>The server role must survive whatever a client sends and keep serving everyone else.</summary>
    public sealed class FtpServerHostileClientTests
    {
        private static readonly string[] Verbs =
        {
            "USER", "PASS", "PORT", "EPRT", "PASV", "EPSV", "RETR", "STOR", "LIST", "NLST", "SIZE", "MDTM", "CWD", "TYPE",
            "OPTS", "REST", "FEAT", "NOOP", "ABOR", "DELE", "XYZ", "", "QUIT",
        };

        [Fact]
        public async Task Random_command_lines_never_break_the_server()
        {
            var files = new InMemoryFtpFileSystem();
            files.SetFile("config.ini", Payload(100));
            using var server = StartCardServer(files);
            var random = new Random(2428);

            for (int connection = 0; connection < 30; connection++)
            {
                using var client = new TcpClient();
                await client.ConnectAsync(server.LocalEndPoint.Address, server.LocalEndPoint.Port);
                using NetworkStream stream = client.GetStream();
                var wire = new StringBuilder();
                if (connection % 2 == 0) wire.Append($"USER {AdminUser}\r\nPASS {AdminPassword}\r\n");
                for (int i = 0; i < 25; i++)
                {
                    string verb = Verbs[random.Next(Verbs.Length)];
                    if (verb == "QUIT") continue;
                    var argument = new char[random.Next(0, 40)];
                    for (int c = 0; c < argument.Length; c++) argument[c] = (char)random.Next(0x20, 0x7f);
                    if (random.Next(4) == 0) argument = "|1|127.0.0.1|0|".ToCharArray();
                    if (random.Next(4) == 0) argument = "/../../etc/passwd".ToCharArray();
                    wire.Append(verb).Append(' ').Append(argument).Append("\r\n");
                }
                if (connection % 5 == 0) wire.Append(new string('A', 10_000));  // over-long line
                byte[] bytes = Encoding.ASCII.GetBytes(wire.ToString());
                try
                {
                    await stream.WriteAsync(bytes).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
                    var sink = new byte[4096];
                    using var read = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
                    try { while (await stream.ReadAsync(sink, read.Token) > 0) { } } catch (OperationCanceledException) { }
                }
                catch (IOException) { /* the server hung up on garbage: allowed */ }
            }

            // Still serving, and nothing escaped the root.
            using var session = await FtpClientSession.OpenAsync(Options(server.LocalEndPoint, AdminUser, AdminPassword, FtpDataMode.Passive), CancellationToken.None);
            var copy = new MemoryStream();
            await WithinAsync(session.DownloadAsync("config.ini", copy, null, CancellationToken.None), TimeSpan.FromSeconds(30), "download");
            Assert.Equal(Payload(100), copy.ToArray());
            Assert.All(files.ListRoot(new FtpSessionInfo("t", FtpPermission.ReadOnly, server.LocalEndPoint)), f => Assert.DoesNotContain("..", f.Name));
        }

        [Theory]
        [InlineData("../etc/passwd")]
        [InlineData("a/../../b")]
        [InlineData("/")]
        [InlineData("dir/")]
        [InlineData("")]
        public void Names_that_leave_the_root_or_name_a_folder_are_refused(string name)
        {
            Assert.False(FtpServerSessionNames.IsAllowed(name));
        }

        [Theory]
        [InlineData("/config.ini", "config.ini")]
        [InlineData("./event.txt", "event.txt")]
        [InlineData("ssl/cert.pem", "ssl/cert.pem")]
        public void Root_relative_names_are_normalised(string argument, string expected)
        {
            Assert.Equal(expected, FtpServerSessionNames.Normalise(argument));
        }

        [Fact]
        public async Task Port_to_a_third_party_address_is_refused()
        {
            using var server = StartCardServer(new InMemoryFtpFileSystem());
            using var client = new TcpClient();
            await client.ConnectAsync(server.LocalEndPoint.Address, server.LocalEndPoint.Port);
            using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            async Task<string> Say(string line)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
                return (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)))!;
            }
            await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
            await Say($"USER {AdminUser}");
            Assert.StartsWith("230", await Say($"PASS {AdminPassword}"));
            Assert.StartsWith("501", await Say("EPRT |1|127.0.0.9|4000|"));
            Assert.StartsWith("501", await Say("PORT 127,0,0,9,15,160"));
            Assert.StartsWith("200", await Say("EPRT |1|127.0.0.1|4000|"));
        }
    }

    /// <summary>Test access to the server's name rules.</summary>
    internal static class FtpServerSessionNames
    {
        public static bool IsAllowed(string argument) => SecureNmc.Simulator.Ftp.Server.FtpServerSession.TryNormalizeName(argument, out _);

        public static string Normalise(string argument)
        {
            Assert.True(SecureNmc.Simulator.Ftp.Server.FtpServerSession.TryNormalizeName(argument, out string name));
            return name;
        }
    }
}
