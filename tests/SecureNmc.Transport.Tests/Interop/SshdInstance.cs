using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace SecureNmc.Transport.Tests.Interop
{
    /// <summary>What a throwaway sshd offers. Null lists = OpenSSH defaults.</summary>
    public sealed record SshdConfig
    {
        public string? KexAlgorithms { get; init; }
        public string? HostKeyAlgorithms { get; init; }
        public string? Ciphers { get; init; }
        public string? Macs { get; init; }
        /// <summary>Host key types to load (ssh-keygen -t names: ed25519, ecdsa256, ecdsa384, ecdsa521, rsa).</summary>
        public string[] HostKeys { get; init; } = { "ed25519", "ecdsa256", "rsa" };
        public string? Banner { get; init; }
        public string? RekeyLimit { get; init; }
        public int? MaxSessions { get; init; }
        /// <summary>sshd's ForceCommand: runs instead of what the client asked for ($SSH_ORIGINAL_COMMAND holds that).</summary>
        public string? ForceCommand { get; init; }
    }

    /// <summary>OpenSSH sshd on 127.0.0.1 and a free high port, with a throwaway config; stopped on Dispose.</summary>
    public sealed class SshdInstance : IDisposable
    {
        // Lazy: GetOrAdd may run its factory twice for one key when test classes race, and a second
        // ssh-keygen on an existing file stops at its "Overwrite (y/n)?" prompt and fails.
        private static readonly ConcurrentDictionary<string, Lazy<string>> SharedHostKeys = new ConcurrentDictionary<string, Lazy<string>>();
        private static readonly string KeyDirectory = Path.Combine(Path.GetTempPath(), "securenmc-sshd-keys-" + Guid.NewGuid().ToString("N"));
        private readonly Process _process;
        private readonly string _directory;
        private readonly StringBuilder _log = new StringBuilder();

        private SshdInstance(Process process, string directory, int port)
        {
            _process = process;
            _directory = directory;
            Port = port;
        }

        public int Port { get; }
        public string Log
        {
            get
            {
                lock (_log) return _log.ToString();
            }
        }

        /// <summary>Path of a host key of the given type shared by every sshd in this test run (generated once).</summary>
        public static string HostKeyPath(string type, string? variant = null) =>
            SharedHostKeys.GetOrAdd(type + "/" + (variant ?? ""), _ => new Lazy<string>(() =>
            {
                Directory.CreateDirectory(KeyDirectory);
                var path = Path.Combine(KeyDirectory, $"host_{type}{(variant == null ? "" : "_" + variant)}");
                if (File.Exists(path)) return path;
                var args = type switch
                {
                    "ed25519" => new[] { "-t", "ed25519" },
                    "ecdsa256" => new[] { "-t", "ecdsa", "-b", "256" },
                    "ecdsa384" => new[] { "-t", "ecdsa", "-b", "384" },
                    "ecdsa521" => new[] { "-t", "ecdsa", "-b", "521" },
                    "rsa" => new[] { "-t", "rsa", "-b", "3072" },
                    _ => throw new ArgumentException(type),
                };
                var result = SshPeerProcess.Run("ssh-keygen", new List<string>(args) { "-q", "-N", "", "-f", path }, TimeSpan.FromSeconds(60));
                if (result.ExitCode != 0) throw new InvalidOperationException("ssh-keygen failed: " + result.Error);
                return path;
            })).Value;

        public static SshdInstance Start(SshdConfig config, int? port = null, string? hostKeyVariant = null)
        {
            SshPeers.EnsureAvailable();
            var directory = Path.Combine(Path.GetTempPath(), "securenmc-sshd-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            int chosenPort = port ?? SshPeerProcess.FreePort();
            var text = new StringBuilder();
            text.AppendLine($"Port {chosenPort}");
            text.AppendLine("ListenAddress 127.0.0.1");
            foreach (var key in config.HostKeys) text.AppendLine($"HostKey {HostKeyPath(key, hostKeyVariant)}");
            text.AppendLine($"PidFile {Path.Combine(directory, "sshd.pid")}");
            text.AppendLine("UsePAM no");
            text.AppendLine("PasswordAuthentication yes");
            text.AppendLine("KbdInteractiveAuthentication no");
            text.AppendLine("PubkeyAuthentication no");
            text.AppendLine("PermitRootLogin no");
            text.AppendLine("StrictModes no");
            text.AppendLine($"AllowUsers {SshPeers.TestUser}");
            text.AppendLine("AuthorizedKeysFile none");
            text.AppendLine("UseDNS no");
            text.AppendLine("MaxStartups 50");
            text.AppendLine("LogLevel ERROR");
            if (config.KexAlgorithms != null) text.AppendLine($"KexAlgorithms {config.KexAlgorithms}");
            if (config.HostKeyAlgorithms != null) text.AppendLine($"HostKeyAlgorithms {config.HostKeyAlgorithms}");
            if (config.Ciphers != null) text.AppendLine($"Ciphers {config.Ciphers}");
            if (config.Macs != null) text.AppendLine($"MACs {config.Macs}");
            if (config.RekeyLimit != null) text.AppendLine($"RekeyLimit {config.RekeyLimit}");
            if (config.MaxSessions != null) text.AppendLine($"MaxSessions {config.MaxSessions}");
            if (config.ForceCommand != null) text.AppendLine($"ForceCommand {config.ForceCommand}");
            if (config.Banner != null)
            {
                var bannerPath = Path.Combine(directory, "banner.txt");
                File.WriteAllText(bannerPath, config.Banner);
                text.AppendLine($"Banner {bannerPath}");
            }
            var configPath = Path.Combine(directory, "sshd_config");
            File.WriteAllText(configPath, text.ToString());

            var start = new ProcessStartInfo(SshPeers.Sshd)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "-D", "-e", "-f", configPath }) start.ArgumentList.Add(a);
            var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start sshd.");
            var instance = new SshdInstance(process, directory, chosenPort);
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (instance._log) instance._log.AppendLine(e.Data); };
            process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (instance._log) instance._log.AppendLine(e.Data); };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();

            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (true)
            {
                if (process.HasExited)
                    throw new InvalidOperationException($"sshd exited at start ({process.ExitCode}): {instance.Log}\nConfig:\n{text}");
                try
                {
                    using var probe = new TcpClient();
                    probe.Connect("127.0.0.1", chosenPort);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(25);
                }
            }
            return instance;
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            _process.Dispose();
            try { Directory.Delete(_directory, true); } catch (IOException) { }
        }
    }
}
