using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Simulator.Ssh.Scp;
using SecureNmc.Simulator.Ssh.Transport;
using SecureNmc.Simulator.Ssh.Wire;
using SecureNmc.Core.Transport;

namespace SecureNmc.Transport.Tests.Ssh
{
    /// <summary>
    /// A scripted "card" that completes a real key exchange and then answers login and an SCP
    /// download with seeded, mutated messages (inside the encryption, where replayed captures
    /// cannot reach). Our client must end every case with success or a typed failure, in time.
    /// </summary>
    public sealed class SshHostileCardTests
    {
        private static byte[] Msg(Action<SshWireWriter> build)
        {
            var w = new SshWireWriter();
            build(w);
            return w.ToArray();
        }

        /// <summary>
        /// What a card sends after the key exchange for a login and "scp -f config.ini": each step
        /// waits for the client's message of the given number, then sends its messages.
        /// </summary>
        private static List<(byte WaitFor, byte[] Send)> Script()
        {
            var content = Encoding.ASCII.GetBytes("[SystemID]\r\nName=ups1\r\n");
            return new List<(byte, byte[])>
            {
                (SshMessageNumbers.ServiceRequest, Msg(w => w.WriteByte(SshMessageNumbers.ServiceAccept).WriteString("ssh-userauth"))),
                (SshMessageNumbers.UserAuthRequest, Msg(w => w.WriteByte(SshMessageNumbers.UserAuthBanner).WriteString("Network Management Card\n").WriteString(""))),
                (0, Msg(w => w.WriteByte(SshMessageNumbers.UserAuthFailure).WriteNameList("password", "keyboard-interactive").WriteBoolean(false))),
                (SshMessageNumbers.UserAuthRequest, Msg(w => w.WriteByte(SshMessageNumbers.UserAuthSuccess))),
                (0, Msg(w => w.WriteByte(SshMessageNumbers.GlobalRequest).WriteString("hostkeys-00@openssh.com").WriteBoolean(false))),
                (SshMessageNumbers.ChannelOpen, Msg(w => w.WriteByte(SshMessageNumbers.ChannelOpenConfirmation).WriteUInt32(0).WriteUInt32(7).WriteUInt32(1 << 20).WriteUInt32(32768))),
                (SshMessageNumbers.ChannelRequest, Msg(w => w.WriteByte(SshMessageNumbers.ChannelSuccess).WriteUInt32(0))),
                (0, Msg(w => w.WriteByte(SshMessageNumbers.ChannelWindowAdjust).WriteUInt32(0).WriteUInt32(65536))),
                (SshMessageNumbers.ChannelData, Msg(w => w.WriteByte(SshMessageNumbers.ChannelData).WriteUInt32(0).WriteBinary(Encoding.ASCII.GetBytes($"C0644 {content.Length} config.ini\n")))),
                (SshMessageNumbers.ChannelData, Msg(w => w.WriteByte(SshMessageNumbers.ChannelData).WriteUInt32(0).WriteBinary(content.Concat(new byte[] { 0 }).ToArray()))),
                (0, Msg(w => w.WriteByte(SshMessageNumbers.ChannelExtendedData).WriteUInt32(0).WriteUInt32(1).WriteBinary(Encoding.ASCII.GetBytes("note\n")))),
                (SshMessageNumbers.ChannelData, Msg(w => w.WriteByte(SshMessageNumbers.ChannelRequest).WriteUInt32(0).WriteString("exit-status").WriteBoolean(false).WriteUInt32(0))),
                (0, Msg(w => w.WriteByte(SshMessageNumbers.ChannelEof).WriteUInt32(0))),
                (0, Msg(w => w.WriteByte(SshMessageNumbers.ChannelClose).WriteUInt32(0))),
            };
        }

        private static async Task PlayCardAsync(TcpClient socket, List<(byte WaitFor, byte[] Send)> script)
        {
            using var _ = socket;
            var settings = new SshTransportSettings { Role = SshRole.Server, PeerName = "client", HostKeys = new[] { TestSshServer.HostKeys[0] }, HandshakeTimeout = TimeSpan.FromSeconds(10), ReadTimeout = TimeSpan.FromSeconds(5) };
            using var transport = await SshTransport.StartAsync(socket.GetStream(), settings, CancellationToken.None);
            try
            {
                byte[]? clientChannel = null;
                foreach (var (waitFor, send) in script)
                {
                    if (waitFor != 0)
                    {
                        while (true)
                        {
                            var received = await transport.ReceiveAsync(TimeSpan.FromSeconds(10), "client messages", CancellationToken.None);
                            // CHANNEL_OPEN: string type, uint32 sender channel. The script's channel messages go to it.
                            if (received[0] == SshMessageNumbers.ChannelOpen && clientChannel == null)
                            {
                                var r = new SshWireReader(received);
                                r.ReadByte();
                                r.ReadString();
                                uint sender = r.ReadUInt32();
                                clientChannel = new[] { (byte)(sender >> 24), (byte)(sender >> 16), (byte)(sender >> 8), (byte)sender };
                            }
                            if (received[0] == waitFor) break;
                        }
                    }
                    var message = send;
                    if (clientChannel != null && message.Length >= 5 && message[0] >= SshMessageNumbers.ChannelOpenConfirmation && message[0] <= SshMessageNumbers.ChannelFailure)
                    {
                        message = (byte[])message.Clone();
                        Array.Copy(clientChannel, 0, message, 1, 4);
                    }
                    await transport.SendAsync(message, CancellationToken.None);
                }
                // Keep reading until the client leaves (or 10 s), so it is never cut off by us.
                while (true) await transport.ReceiveAsync(TimeSpan.FromSeconds(10), "client messages", CancellationToken.None);
            }
            catch (Exception)
            {
                // The client left or gave up.
            }
        }

        [Fact]
        public async Task The_unmutated_script_is_a_valid_card()
        {
            var result = await RunCaseAsync(Script(), TimeSpan.FromSeconds(20));
            Assert.Null(result.Error);
            Assert.Equal("[SystemID]\r\nName=ups1\r\n", result.Content);
        }

        [Fact]
        public async Task Mutated_card_messages_end_in_success_or_a_typed_failure()
        {
            // Each case costs one real key exchange (curve25519 + ed25519, a few ms of CPU); most of a
            // case's wall time is waiting for the 1 s timeout, hence the wide gate.
            const int Cases = 1000;
            var failures = 0;
            using var gate = new SemaphoreSlim(48);
            var runs = Enumerable.Range(0, Cases).Select(async seed =>
            {
                var random = new Random(seed);
                var script = Script();
                int victims = 1 + random.Next(2);
                for (int v = 0; v < victims; v++)
                {
                    int index = random.Next(script.Count);
                    var mutated = SshRobustnessTests.Mutate(script[index].Send, random);
                    script[index] = (script[index].WaitFor, mutated.Length == 0 ? new byte[] { (byte)random.Next(256) } : mutated);
                }
                await gate.WaitAsync();
                try
                {
                    // Short limits: a mutated card that stops answering must cost little; TimedOut is a typed failure too.
                    var result = await RunCaseAsync(script, TimeSpan.FromSeconds(1));
                    if (result.Error != null)
                    {
                        Interlocked.Increment(ref failures);
                        Assert.True(result.Error is FileTransferException, $"case {seed}: untyped failure {result.Error.GetType().Name}: {result.Error}");
                    }
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            await Task.WhenAll(runs);
            Assert.True(failures > Cases / 2, $"only {failures} of {Cases} mutated cards caused a failure: the mutations are not reaching the client");
        }

        private sealed record CaseResult(Exception? Error, string? Content);

        private static async Task<CaseResult> RunCaseAsync(List<(byte WaitFor, byte[] Send)> script, TimeSpan operationTimeout)
        {
            _ = TestSshServer.HostKeys; // generate host keys before any clock starts
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                var card = Task.Run(async () => await PlayCardAsync(await listener.AcceptTcpClientAsync(), script));
                var options = new ConnectionOptions
                {
                    Host = "127.0.0.1",
                    Port = port,
                    Credential = new NetworkCredential("apc", "pw"),
                    ConnectTimeout = operationTimeout + TimeSpan.FromSeconds(2),
                    OperationTimeout = operationTimeout,
                };
                var client = Task.Run(async () =>
                {
                    using var ssh = await new ScpFileTransferClient().OpenAsync(options, CancellationToken.None);
                    var content = new MemoryStream();
                    await ssh.DownloadAsync("config.ini", content, null, CancellationToken.None);
                    return Encoding.ASCII.GetString(content.ToArray());
                });
                var finished = await Task.WhenAny(client, Task.Delay(TimeSpan.FromSeconds(20)));
                Assert.True(finished == client, "the client did not finish within 20 s (hang)");
                await Task.WhenAny(card, Task.Delay(TimeSpan.FromSeconds(15)));
                try
                {
                    return new CaseResult(null, await client);
                }
                catch (Exception ex)
                {
                    return new CaseResult(ex, null);
                }
            }
            finally
            {
                listener.Stop();
            }
        }
    }
}
