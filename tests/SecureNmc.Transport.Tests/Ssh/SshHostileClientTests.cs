using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Transport;
using SecureNmc.Simulator.Ssh.Transport;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Transport.Tests.Ssh
{
    /// <summary>
    /// Clients that complete a real key exchange and then send seeded, mutated login, channel and
    /// SCP messages to our server role. The server must shed every one of them (no connection left
    /// hanging past its limits) and keep serving well-behaved clients.
    /// </summary>
    public sealed class SshHostileClientTests
    {
        private static byte[] Msg(Action<SshWireWriter> build)
        {
            var w = new SshWireWriter();
            build(w);
            return w.ToArray();
        }

        private static List<byte[]> Script() => new List<byte[]>
        {
            Msg(w => w.WriteByte(SshMessageNumbers.ServiceRequest).WriteString("ssh-userauth")),
            Msg(w => w.WriteByte(SshMessageNumbers.UserAuthRequest).WriteString(TestSshServer.User).WriteString("ssh-connection").WriteString("none")),
            Msg(w => w.WriteByte(SshMessageNumbers.UserAuthRequest).WriteString(TestSshServer.User).WriteString("ssh-connection").WriteString("password").WriteBoolean(false).WriteString(TestSshServer.Password)),
            Msg(w => w.WriteByte(SshMessageNumbers.GlobalRequest).WriteString("keepalive@openssh.com").WriteBoolean(true)),
            Msg(w => w.WriteByte(SshMessageNumbers.ChannelOpen).WriteString("session").WriteUInt32(0).WriteUInt32(1 << 20).WriteUInt32(32768)),
            Msg(w => w.WriteByte(SshMessageNumbers.ChannelRequest).WriteUInt32(0).WriteString("env").WriteBoolean(false).WriteString("LANG").WriteString("C")),
            Msg(w => w.WriteByte(SshMessageNumbers.ChannelRequest).WriteUInt32(0).WriteString("exec").WriteBoolean(true).WriteString("scp -t upload.bin")),
            Msg(w => w.WriteByte(SshMessageNumbers.ChannelData).WriteUInt32(0).WriteBinary(Encoding.ASCII.GetBytes("C0644 5 upload.bin\n"))),
            Msg(w => w.WriteByte(SshMessageNumbers.ChannelData).WriteUInt32(0).WriteBinary(new byte[] { 1, 2, 3, 4, 5, 0 })),
            Msg(w => w.WriteByte(SshMessageNumbers.ChannelWindowAdjust).WriteUInt32(0).WriteUInt32(4096)),
            Msg(w => w.WriteByte(SshMessageNumbers.ChannelEof).WriteUInt32(0)),
            Msg(w => w.WriteByte(SshMessageNumbers.ChannelClose).WriteUInt32(0)),
        };

        private static async Task PlayClientAsync(int port, List<byte[]> script)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", port);
            var settings = new SshTransportSettings { Role = SshRole.Client, PeerName = "server", HostKeyVerifier = (_, __) => { }, HandshakeTimeout = TimeSpan.FromSeconds(10), ReadTimeout = TimeSpan.FromSeconds(5) };
            using var transport = await SshTransport.StartAsync(tcp.GetStream(), settings, CancellationToken.None);
            try
            {
                foreach (var payload in script) await transport.SendAsync(payload, CancellationToken.None);
                // Read what the server says until it closes or goes quiet.
                while (true) await transport.ReceiveAsync(TimeSpan.FromSeconds(2), "server messages", CancellationToken.None);
            }
            catch (Exception)
            {
                // The server dropped us, or went quiet: both are fine here.
            }
        }

        [Fact]
        public async Task Mutated_client_messages_are_shed_and_the_server_keeps_serving()
        {
            using var server = new TestSshServer(o =>
            {
                o.ReadTimeout = TimeSpan.FromSeconds(2);
                o.LoginGraceTime = TimeSpan.FromSeconds(3);
                o.MaxConnections = 100;
            });
            // Each case costs one real key exchange; most of its wall time is the server's 2 s read
            // timeout or the client's 2 s quiet wait, hence the wide gate (kept under MaxConnections).
            const int Cases = 600;
            using var gate = new SemaphoreSlim(48);
            var runs = Enumerable.Range(0, Cases).Select(async seed =>
            {
                var random = new Random(seed);
                var script = Script();
                for (int v = 0, n = 1 + random.Next(2); v < n; v++)
                {
                    int index = random.Next(script.Count);
                    var mutated = SshRobustnessTests.Mutate(script[index], random);
                    script[index] = mutated.Length == 0 ? new byte[] { (byte)random.Next(256) } : mutated;
                }
                await gate.WaitAsync();
                try
                {
                    var play = PlayClientAsync(server.Port, script);
                    Assert.True(await Task.WhenAny(play, Task.Delay(TimeSpan.FromSeconds(30))) == play, $"case {seed}: hostile client run did not end");
                    await play;
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            await Task.WhenAll(runs);

            // Every hostile connection is gone within the server's own limits.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (server.Server.ActiveConnectionCount > 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
            Assert.Equal(0, server.Server.ActiveConnectionCount);

            using var client = await new ScpFileTransferClient().OpenAsync(server.ClientOptions(), CancellationToken.None);
            var about = await ((ICommandSession)client).ExecuteAsync("about", CancellationToken.None);
            Assert.Contains("AP9641", about);
        }
    }
}
