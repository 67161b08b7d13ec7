using System;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Transport;
using SecureNmc.Core.Transport.Scp;

namespace SecureNmc.Transport.Tests.Interop
{
    internal static class SshInteropHelpers
    {
        public static ConnectionOptions Options(int port, string? password = null, string? knownHosts = null, string user = SshPeers.TestUser) => new ConnectionOptions
        {
            Host = "127.0.0.1",
            Port = port,
            Credential = new NetworkCredential(user, password ?? SshPeers.TestPassword),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            OperationTimeout = TimeSpan.FromSeconds(30),
            Ssh = new SshClientOptions { KnownHostsPath = knownHosts ?? TempKnownHosts() },
        };

        public static string TempKnownHosts() => Path.Combine(Path.GetTempPath(), "securenmc-kh-" + Guid.NewGuid().ToString("N"), "known_hosts");

        public static byte[] RandomBytes(int length, int seed)
        {
            var data = new byte[length];
            new Random(seed).NextBytes(data);
            return data;
        }

        /// <summary>Uploads then downloads <paramref name="data"/> under a unique name and asserts the round trip is byte-identical.</summary>
        /// <remarks>A generated name is removed from the sshd user's home afterwards (the home is shared by every run
        /// on the machine, and the 20 MiB files would pile up); a name the caller chose is left for reuse.</remarks>
        public static async Task RoundTripAsync(SshNetScpSession session, byte[] data, string? name = null)
        {
            bool generatedName = name == null;
            name ??= "rt-" + Guid.NewGuid().ToString("N").Substring(0, 12) + ".bin";
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(300));
            await session.UploadAsync(name, new MemoryStream(data), data.Length, null, cts.Token);
            var back = new MemoryStream();
            await session.DownloadAsync(name, back, null, cts.Token);
            Assert.Equal(data.Length, back.Length);
            Assert.True(SHA256.HashData(data).AsSpan().SequenceEqual(SHA256.HashData(back.ToArray())), "downloaded bytes differ from uploaded bytes");
            if (generatedName)
            {
                var removed = await session.RunCommandAsync("rm -f -- " + name, cts.Token);
                Assert.True(removed.ExitStatus == 0, $"could not remove {name}: {removed.Error}");
            }
        }

        /// <summary>Opens a session with the product's SCP client (SSH.NET), as the cmdlets do.</summary>
        public static async Task<SshNetScpSession> ConnectAsync(ConnectionOptions options)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            return (SshNetScpSession)await new ScpFileTransferClient().OpenAsync(options, cts.Token);
        }
    }
}
