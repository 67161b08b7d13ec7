using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using SecureNmc.Simulator.Ftp.Server;
using SecureNmc.Transport.Tests.Ftp;
using static SecureNmc.Transport.Tests.Ftp.FtpTestSupport;

namespace SecureNmc.Transport.Tests.Interop
{
    /// <summary>curl and lftp (Debian packages curl, lftp) against our FTP server role.</summary>
    public sealed class FtpToolsAgainstOwnServerTests : IDisposable
    {
        private static readonly TimeSpan ToolLimit = TimeSpan.FromSeconds(90);
        private readonly InMemoryFtpFileSystem files = new InMemoryFtpFileSystem();
        private readonly FtpServer server;
        private readonly string work = NewTempDirectory("nmc-ftp-tools");

        public FtpToolsAgainstOwnServerTests()
        {
            server = StartCardServer(files);
        }

        private string Url(string name) => $"ftp://127.0.0.1:{server.LocalEndPoint.Port}/{name}";

        public static IEnumerable<object[]> CurlModes() => new[]
        {
            new object[] { "EPSV", new string[0] },
            new object[] { "PASV", new[] { "--disable-epsv" } },
            new object[] { "EPRT", new[] { "--ftp-port", "127.0.0.1" } },
            new object[] { "PORT", new[] { "--ftp-port", "127.0.0.1", "--disable-eprt" } },
        };

        [Theory]
        [MemberData(nameof(CurlModes))]
        public async Task Curl_uploads_and_downloads_are_byte_identical(string mode, string[] modeArguments)
        {
            string curl = RequirePeer("curl", "curl");
            foreach (int size in PayloadSizes)
            {
                byte[] payload = Payload(size, mode.Length);
                string local = Path.Combine(work, $"{mode}_{size}.up");
                await File.WriteAllBytesAsync(local, payload);

                var up = await RunAsync(curl, Common(modeArguments).Concat(new[] { "-T", local, Url($"{mode}_{size}.bin") }), ToolLimit);
                Assert.True(up.ExitCode == 0, $"curl upload ({mode}, {size} B) failed: {up.StandardError}");
                Assert.Equal(payload, files.GetFile($"{mode}_{size}.bin"));

                files.SetFile($"card_{size}.bin", payload);
                string downloaded = Path.Combine(work, $"{mode}_{size}.down");
                var down = await RunAsync(curl, Common(modeArguments).Concat(new[] { "-o", downloaded, Url($"card_{size}.bin") }), ToolLimit);
                Assert.True(down.ExitCode == 0, $"curl download ({mode}, {size} B) failed: {down.StandardError}");
                Assert.Equal(payload, await File.ReadAllBytesAsync(downloaded));
            }
        }

        [Fact]
        public async Task Curl_as_a_read_only_user_gets_the_cards_550_on_upload()
        {
            string curl = RequirePeer("curl", "curl");
            string local = Path.Combine(work, "fw.up");
            await File.WriteAllBytesAsync(local, Payload(1000));
            var result = await RunAsync(curl, new[] { "-sS", "-v", "--max-time", "60", "--user", $"{DeviceUser}:{DevicePassword}", "-T", local, Url("fw.nmc3") }, ToolLimit);
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("550 STOR requested action not taken.", result.StandardError);
            Assert.Null(files.GetFile("fw.nmc3"));
        }

        [Fact]
        public async Task Curl_lists_the_root()
        {
            string curl = RequirePeer("curl", "curl");
            files.SetFile("config.ini", Payload(12));
            files.SetFile("event.txt", Payload(34));
            var list = await RunAsync(curl, new[] { "-sS", "--max-time", "60", "--user", $"{AdminUser}:{AdminPassword}", $"ftp://127.0.0.1:{server.LocalEndPoint.Port}/" }, ToolLimit);
            Assert.True(list.ExitCode == 0, list.StandardError);
            Assert.Contains(" config.ini", list.StandardOutput);
            Assert.Contains(" event.txt", list.StandardOutput);
            var names = await RunAsync(curl, new[] { "-sS", "--max-time", "60", "-l", "--user", $"{AdminUser}:{AdminPassword}", $"ftp://127.0.0.1:{server.LocalEndPoint.Port}/" }, ToolLimit);
            Assert.Equal(new[] { "config.ini", "event.txt" }, names.StandardOutput.Split("\n", StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim()));
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task Lftp_uploads_and_downloads_are_byte_identical(bool passive)
        {
            string lftp = RequirePeer("lftp", "lftp");
            var script = new List<string>
            {
                // ftp:ssl-allow stays at its default (yes): lftp asks for AUTH TLS first and must fall back on our 502.
                "set cmd:fail-exit yes", $"set ftp:passive-mode {(passive ? "on" : "off")}",
                "set net:max-retries 1", "set net:timeout 30", "set xfer:clobber yes", "set cmd:interactive no",
                $"open -u {AdminUser},{AdminPassword} -p {server.LocalEndPoint.Port} 127.0.0.1",
            };
            var expected = new Dictionary<string, byte[]>();
            foreach (int size in PayloadSizes)
            {
                byte[] payload = Payload(size, passive ? 7 : 8);
                expected[size.ToString()] = payload;
                string local = Path.Combine(work, $"lftp_{size}.up");
                await File.WriteAllBytesAsync(local, payload);
                files.SetFile($"card_{size}.bin", payload);
                script.Add($"put {local} -o lftp_{size}.bin");
                script.Add($"get card_{size}.bin -o {Path.Combine(work, $"lftp_{size}.down")}");
            }
            script.Add("ls");
            script.Add("bye");
            string scriptFile = Path.Combine(work, "script.lftp");
            await File.WriteAllLinesAsync(scriptFile, script);

            var result = await RunAsync(lftp, new[] { "-f", scriptFile }, ToolLimit);

            Assert.True(result.ExitCode == 0, $"lftp ({(passive ? "passive" : "active")}) failed: {result.StandardError}");
            foreach (int size in PayloadSizes)
            {
                Assert.Equal(expected[size.ToString()], files.GetFile($"lftp_{size}.bin"));
                Assert.Equal(expected[size.ToString()], await File.ReadAllBytesAsync(Path.Combine(work, $"lftp_{size}.down")));
            }
            Assert.Contains("card_1048576.bin", result.StandardOutput);
        }

        private static IEnumerable<string> Common(IEnumerable<string> modeArguments) =>
            new[] { "-sS", "--max-time", "60", "--user", $"{AdminUser}:{AdminPassword}" }.Concat(modeArguments);

        public void Dispose()
        {
            server.Dispose();
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }
}
