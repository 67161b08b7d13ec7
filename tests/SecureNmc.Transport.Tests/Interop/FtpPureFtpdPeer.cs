using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Transport.Tests.Ftp;

namespace SecureNmc.Transport.Tests.Interop
{
    /// <summary>
    /// A throwaway pure-ftpd (Debian package pure-ftpd) in the foreground on 127.0.0.1 and a free high port,
    /// with virtual users from a puredb in a temp dir: "admin" may write, "reader" is mapped to an unprivileged
    /// uid over a root-owned (read-only) folder, "solo" may hold only one session.
    /// </summary>
    public sealed class FtpPureFtpdPeer : IDisposable
    {
        public const string Password = "ftp-Test-Secret-9";
        // SHA-512 crypt of Password: pure-pw would write argon2id, which costs seconds per login.
        private const string PasswordHash = "$6$nmcftpts$cK.7VRWs2RViRhYnbQOwDjB9uwJhReQKTflrGOfaUdCzYc5UDUpb1VK9xH3al.URo0w5EzEIm/HSRO78GnVrJ.";
        private const int Unprivileged = 65534;  // nobody / nogroup
        private readonly Process process;
        private readonly string root;

        public FtpPureFtpdPeer()
        {
            string daemon = FtpTestSupport.RequirePeer("pure-ftpd", "pure-ftpd");
            string pw = FtpTestSupport.RequirePeer("pure-pw", "pure-ftpd");
            root = FtpTestSupport.NewTempDirectory("nmc-pureftpd");
            WritableHome = Path.Combine(root, "rw");
            ReadOnlyHome = Path.Combine(root, "ro");
            Directory.CreateDirectory(WritableHome);
            Directory.CreateDirectory(ReadOnlyHome);
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(WritableHome, (UnixFileMode)0x1FF);  // 0777: the unprivileged uid may write here
            File.SetUnixFileMode(ReadOnlyHome, (UnixFileMode)0x1ED);  // 0755, owned by root: it may not
            File.WriteAllBytes(Path.Combine(ReadOnlyHome, "config.ini"), FtpTestSupport.Payload(777));
            File.SetUnixFileMode(Path.Combine(ReadOnlyHome, "config.ini"), (UnixFileMode)0x1A4);  // 0644

            string passwd = Path.Combine(root, "pureftpd.passwd");
            string db = Path.Combine(root, "pureftpd.pdb");
            File.WriteAllLines(passwd, new[]
            {
                $"admin:{PasswordHash}:{Unprivileged}:{Unprivileged}::{WritableHome}/./::::::::::::",
                $"reader:{PasswordHash}:{Unprivileged}:{Unprivileged}::{ReadOnlyHome}/./::::::::::::",
                $"solo:{PasswordHash}:{Unprivileged}:{Unprivileged}::{WritableHome}/./:::::1:::::::",
            });
            var mkdb = FtpTestSupport.RunAsync(pw, new[] { "mkdb", db, "-f", passwd }, TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            if (mkdb.ExitCode != 0) throw new InvalidOperationException("pure-pw mkdb failed: " + mkdb.StandardError);

            Port = FtpTestSupport.FreeTcpPort();
            int passiveBase = 40000 + new Random().Next(0, 400) * 50;
            var info = new ProcessStartInfo(daemon)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (string argument in new[]
            {
                "-S", $"127.0.0.1,{Port}", "-l", $"puredb:{db}", "-E", "-H", "-4",
                "-p", $"{passiveBase}:{passiveBase + 49}", "-u", "1", "-c", "50", "-C", "50", "-I", "60",
            }) info.ArgumentList.Add(argument);
            process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            WaitUntilListening();
        }

        public int Port { get; }
        public IPEndPoint EndPoint => new IPEndPoint(IPAddress.Loopback, Port);
        public string WritableHome { get; }
        public string ReadOnlyHome { get; }

        private void WaitUntilListening()
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (DateTime.UtcNow < deadline)
            {
                if (process.HasExited) throw new InvalidOperationException($"pure-ftpd exited at start with code {process.ExitCode}");
                try
                {
                    using var probe = new TcpClient();
                    probe.Connect(IPAddress.Loopback, Port);
                    return;
                }
                catch (SocketException)
                {
                    Thread.Sleep(50);
                }
            }
            throw new InvalidOperationException("pure-ftpd did not start listening within 15 s");
        }

        public void Dispose()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException) { }
            process.Dispose();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
