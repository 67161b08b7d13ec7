using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace SecureNmc.Transport.Tests.Interop
{
    /// <summary>
    /// The OpenSSH programs and the throwaway login the interop tests need. On a developer machine
    /// without them the tests are skipped; under CI=true a missing peer fails the tests instead.
    /// </summary>
    internal static class SshPeers
    {
        public const string Sshd = "/usr/sbin/sshd";
        public const string TestUser = "securenmc-ssh";
        public const string TestHome = "/var/tmp/securenmc-ssh-home";
        /// <summary>Throwaway password of a throwaway user that only a loopback sshd started by the tests accepts.</summary>
        public const string TestPassword = "Nmc-interop-Pw-7731";

        private static readonly Lazy<string?> MissingReason = new Lazy<string?>(FindMissing);
        private static readonly Lazy<string> UserSetup = new Lazy<string>(SetUpUser);

        public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

        /// <summary>Why the OpenSSH peers cannot run here, or null when they can.</summary>
        public static string? Missing => MissingReason.Value;

        public static string? Which(string program)
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(new[] { "/usr/sbin", "/usr/bin" }))
            {
                var path = Path.Combine(dir, program);
                if (File.Exists(path)) return path;
            }
            return null;
        }

        private static string? FindMissing()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return "OpenSSH interop tests run on Linux only";
            foreach (var p in new[] { "sshd", "ssh", "scp", "ssh-keygen", "sshpass", "ssh-audit", "useradd", "chpasswd" })
                if (Which(p) == null) return $"'{p}' is not installed (Debian: openssh-server openssh-client sshpass ssh-audit)";
            if (Environment.UserName != "root" && geteuid() != 0) return "the sshd interop tests need root (to run sshd and create a throwaway user)";
            return null;
        }

        [DllImport("libc")]
        private static extern uint geteuid();

        /// <summary>Fails the calling test (CI) or is never reached (skipped via <see cref="SshInteropFactAttribute"/>).</summary>
        public static void EnsureAvailable()
        {
            if (Missing != null) throw new InvalidOperationException("OpenSSH peer unavailable: " + Missing + (IsCi ? " (CI=true: this is a failure)" : ""));
            _ = UserSetup.Value;
        }

        private static string SetUpUser()
        {
            Directory.CreateDirectory("/run/sshd");
            var exists = SshPeerProcess.Run("id", new[] { TestUser }, TimeSpan.FromSeconds(10)).ExitCode == 0;
            if (!exists)
            {
                var add = SshPeerProcess.Run("useradd", new[] { "-m", "-d", TestHome, "-s", "/bin/sh", TestUser }, TimeSpan.FromSeconds(20));
                if (add.ExitCode != 0 && add.ExitCode != 9) throw new InvalidOperationException("useradd failed: " + add.Error);
            }
            Directory.CreateDirectory(TestHome);
            SshPeerProcess.Run("chown", new[] { TestUser, TestHome }, TimeSpan.FromSeconds(10));
            var start = new System.Diagnostics.ProcessStartInfo("chpasswd") { RedirectStandardInput = true, UseShellExecute = false };
            using (var p = System.Diagnostics.Process.Start(start)!)
            {
                p.StandardInput.WriteLine($"{TestUser}:{TestPassword}");
                p.StandardInput.Close();
                if (!p.WaitForExit(20000) || p.ExitCode != 0) throw new InvalidOperationException("chpasswd failed for the interop test user.");
            }
            return TestUser;
        }
    }

    /// <summary>A fact that needs the OpenSSH peers: skipped only outside CI when they are missing.</summary>
    public sealed class SshInteropFactAttribute : FactAttribute
    {
        public SshInteropFactAttribute()
        {
            if (SshPeers.Missing != null && !SshPeers.IsCi) Skip = "OpenSSH peer unavailable: " + SshPeers.Missing;
        }
    }

    /// <summary>A theory that needs the OpenSSH peers: skipped only outside CI when they are missing.</summary>
    public sealed class SshInteropTheoryAttribute : TheoryAttribute
    {
        public SshInteropTheoryAttribute()
        {
            if (SshPeers.Missing != null && !SshPeers.IsCi) Skip = "OpenSSH peer unavailable: " + SshPeers.Missing;
        }
    }
}
