using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Simulator.Ssh.Server;
using SecureNmc.Simulator.Ssh.Transport;
using SecureNmc.Simulator.Ssh.Wire;
using SecureNmc.Core.Transport;

namespace SecureNmc.Transport.Tests.Ssh
{
    /// <summary>
    /// Seeded random mutation of captured handshakes and of protected packets, against both roles:
    /// every case must end in one of our typed errors, within its time limit, never anything else.
    /// </summary>
    public sealed class SshRobustnessTests
    {
        private static readonly Type[] TypedErrors =
        {
            typeof(SshProtocolException), typeof(SshConnectionClosedException), typeof(SshTimeoutException),
            typeof(EndOfStreamException), typeof(FileTransferException), typeof(HostKeyRejectedException), typeof(SshWireException),
        };

        private sealed record Capture(byte[] ServerToClient, byte[] ClientToServer);

        private static readonly Lazy<Task<Capture>> Captured = new Lazy<Task<Capture>>(CaptureHandshakeAsync);

        /// <summary>A real handshake and login between our two roles over loopback TCP, recording what each side read.</summary>
        private static async Task<Capture> CaptureHandshakeAsync()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using var clientTcp = new TcpClient();
            var accept = listener.AcceptTcpClientAsync();
            await clientTcp.ConnectAsync(IPAddress.Loopback, port);
            using var serverTcp = await accept;
            listener.Stop();
            var clientStream = new RecordingStream(clientTcp.GetStream());
            var serverStream = new RecordingStream(serverTcp.GetStream());
            var options = new SshServerOptions { HostKeys = TestSshServer.HostKeys, PasswordCheck = _ => Task.FromResult(SshPasswordCheckResult.Accept()), Banner = "banner\n" };
            var serverSide = Task.Run(async () =>
            {
                var transport = await SshTransport.StartAsync(serverStream, ServerSettings(), CancellationToken.None);
                await new SshServerAuthenticator(transport, options, null).AuthenticateAsync(CancellationToken.None);
                return transport;
            });
            using var client = await SshTransport.StartAsync(clientStream, ClientSettings(), CancellationToken.None);
            await TestClientLogin.PasswordAsync(client, "apc", "pw", TimeSpan.FromSeconds(10), CancellationToken.None);
            using var server = await serverSide;
            await Task.Delay(100);
            return new Capture(clientStream.Captured.ToArray(), serverStream.Captured.ToArray());
        }

        private static SshTransportSettings ClientSettings() => new SshTransportSettings
        {
            Role = SshRole.Client,
            PeerName = "fuzz-server",
            HandshakeTimeout = TimeSpan.FromSeconds(3),
            ReadTimeout = TimeSpan.FromSeconds(1),
            HostKeyVerifier = (_, __) => { },
        };

        private static SshTransportSettings ServerSettings() => new SshTransportSettings
        {
            Role = SshRole.Server,
            PeerName = "fuzz-client",
            HandshakeTimeout = TimeSpan.FromSeconds(3),
            ReadTimeout = TimeSpan.FromSeconds(1),
            HostKeys = TestSshServer.HostKeys,
        };

        internal static byte[] Mutate(byte[] original, Random random)
        {
            var data = original.ToList();
            int operations = 1 + random.Next(3);
            for (int op = 0; op < operations && data.Count > 0; op++)
            {
                int at = random.Next(data.Count);
                switch (random.Next(7))
                {
                    case 0: // truncate
                        data.RemoveRange(at, data.Count - at);
                        break;
                    case 1: // flip bits
                        for (int i = 0, n = 1 + random.Next(8); i < n; i++) { int p = random.Next(data.Count); data[p] ^= (byte)(1 << random.Next(8)); }
                        break;
                    case 2: // an oversized, zero or random length field
                        {
                            uint value = random.Next(3) switch { 0 => 0xFFFFFFF0u, 1 => 0u, _ => (uint)random.Next() };
                            for (int i = 0; i < 4 && at + i < data.Count; i++) data[at + i] = (byte)(value >> (24 - 8 * i));
                            break;
                        }
                    case 3: // insert garbage
                        {
                            var garbage = new byte[1 + random.Next(64)];
                            random.NextBytes(garbage);
                            data.InsertRange(at, garbage);
                            break;
                        }
                    case 4: // garbage tail
                        {
                            var garbage = new byte[random.Next(512)];
                            random.NextBytes(garbage);
                            data.RemoveRange(at, data.Count - at);
                            data.AddRange(garbage);
                            break;
                        }
                    case 5: // duplicate a slice (replayed data)
                        {
                            int len = Math.Min(data.Count - at, 1 + random.Next(48));
                            data.InsertRange(at, data.GetRange(at, len));
                            break;
                        }
                    default: // drop a slice
                        data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(48)));
                        break;
                }
            }
            return data.ToArray();
        }

        private static void AssertTyped(Exception? error, int seed)
        {
            Assert.True(error != null, $"case {seed}: mutated input was accepted without any error");
            Assert.True(TypedErrors.Any(t => t.IsInstanceOfType(error)), $"case {seed}: untyped failure {error!.GetType().Name}: {error}");
        }

        private static async Task<Exception?> RunWithLimit(Func<Task> body, int seed)
        {
            var run = Task.Run(body);
            var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10)));
            Assert.True(finished == run, $"case {seed}: no result within 10 s (hang)");
            try
            {
                await run;
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        }

        [Fact]
        public async Task Mutated_server_handshakes_end_in_typed_errors_for_the_client_role()
        {
            var capture = await Captured.Value;
            const int Cases = 3000;
            var tasks = new List<Task>();
            using var gate = new SemaphoreSlim(16);
            for (int seed = 0; seed < Cases; seed++)
            {
                int s = seed;
                await gate.WaitAsync();
                tasks.Add(Task.Run(async () =>
                {
                    try
                    {
                        var input = Mutate(capture.ServerToClient, new Random(s));
                        var error = await RunWithLimit(async () =>
                        {
                            using var stream = new ScriptedStream(input);
                            using var transport = await SshTransport.StartAsync(stream, ClientSettings(), CancellationToken.None);
                            await TestClientLogin.PasswordAsync(transport, "apc", "pw", TimeSpan.FromSeconds(1), CancellationToken.None);
                            // Mutations the MAC cannot see do not exist after NEWKEYS; anything accepted must still be a full login.
                            throw new SshProtocolException(SshDisconnectReason.ProtocolError, "login completed on replayed data");
                        }, s);
                        AssertTyped(error, s);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }
            await Task.WhenAll(tasks);
        }

        [Fact]
        public async Task Mutated_client_handshakes_end_in_typed_errors_for_the_server_role()
        {
            var capture = await Captured.Value;
            const int Cases = 2000;
            var options = new SshServerOptions { HostKeys = TestSshServer.HostKeys, PasswordCheck = _ => Task.FromResult(SshPasswordCheckResult.Accept()) };
            var tasks = new List<Task>();
            using var gate = new SemaphoreSlim(16);
            for (int seed = 100_000; seed < 100_000 + Cases; seed++)
            {
                int s = seed;
                await gate.WaitAsync();
                tasks.Add(Task.Run(async () =>
                {
                    try
                    {
                        var input = Mutate(capture.ClientToServer, new Random(s));
                        var error = await RunWithLimit(async () =>
                        {
                            using var stream = new ScriptedStream(input);
                            using var transport = await SshTransport.StartAsync(stream, ServerSettings(), CancellationToken.None);
                            using var login = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                            await new SshServerAuthenticator(transport, options, null).AuthenticateAsync(login.Token);
                            throw new SshProtocolException(SshDisconnectReason.ProtocolError, "login completed on replayed data");
                        }, s);
                        if (error is OperationCanceledException) error = new SshTimeoutException("login grace time");
                        AssertTyped(error, s);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }
            await Task.WhenAll(tasks);
        }

        [Fact]
        public async Task A_peer_that_goes_silent_mid_handshake_hits_the_read_timeout()
        {
            var capture = await Captured.Value;
            // Cut inside the identification line or the KEXINIT: past that, replayed data fails its signature check instead.
            var script = capture.ServerToClient;
            int identEnd = Array.IndexOf(script, (byte)'\n') + 1;
            int kexInitEnd = identEnd + 4 + (script[identEnd] << 24 | script[identEnd + 1] << 16 | script[identEnd + 2] << 8 | script[identEnd + 3]);
            for (int seed = 0; seed < 8; seed++)
            {
                var random = new Random(seed);
                var cut = script.Take(seed == 0 ? kexInitEnd : 1 + random.Next(kexInitEnd)).ToArray();
                var error = await RunWithLimit(async () =>
                {
                    using var stream = new ScriptedStream(cut, hangAtEnd: true);
                    var settings = ClientSettings();
                    settings.HandshakeTimeout = TimeSpan.FromMilliseconds(400);
                    settings.ReadTimeout = TimeSpan.FromMilliseconds(200);
                    using var transport = await SshTransport.StartAsync(stream, settings, CancellationToken.None);
                }, seed);
                Assert.IsType<SshTimeoutException>(error);
            }
        }

        public static IEnumerable<object?[]> Protections() =>
            new[]
            {
                new object?[] { "chacha20-poly1305@openssh.com", null },
                new object?[] { "aes256-gcm@openssh.com", null },
                new object?[] { "aes128-ctr", "hmac-sha2-256" },
                new object?[] { "aes256-ctr", "hmac-sha2-512-etm@openssh.com" },
                new object?[] { "aes128-cbc", "hmac-sha1" },
                new object?[] { "3des-cbc", "hmac-sha1-etm@openssh.com" },
            };

        [Theory]
        [MemberData(nameof(Protections))]
        public async Task Mutated_protected_packets_are_rejected_with_typed_errors(string cipher, string? mac)
        {
            var c = SshAlgorithmCatalog.FindCipher(cipher)!;
            var key = Enumerable.Range(1, c.KeyLength).Select(i => (byte)i).ToArray();
            var iv = Enumerable.Range(7, Math.Max(1, c.IvLength)).Select(i => (byte)i).ToArray();
            var macKey = Enumerable.Range(3, 64).Select(i => (byte)i).ToArray();
            const int Cases = 400;
            for (int seed = 0; seed < Cases; seed++)
            {
                var random = new Random(seed);
                var payload = new byte[1 + random.Next(3000)];
                random.NextBytes(payload);
                payload[0] = 94;
                // Seal one valid packet with a fresh sender, then mutate it on the wire.
                var sealedStream = new MemoryStream();
                var sender = new SshPacketStream(sealedStream, SshAlgorithmCatalog.CreateProtection(cipher, mac, key, iv, macKey, true), SshAlgorithmCatalog.CreateNone());
                await sender.WritePacketAsync(payload, CancellationToken.None);
                var wire = sealedStream.ToArray();
                var mutated = Mutate(wire, random);
                var receiver = new SshPacketStream(new ScriptedStream(mutated), SshAlgorithmCatalog.CreateNone(), SshAlgorithmCatalog.CreateProtection(cipher, mac, key, iv, macKey, false))
                {
                    ReadTimeout = TimeSpan.FromSeconds(1),
                };
                Exception? error = null;
                byte[]? result = null;
                try
                {
                    result = await receiver.ReadPacketAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
                }
                catch (Exception ex)
                {
                    error = ex;
                }
                if (error == null)
                {
                    // Only a mutation that left the sealed packet intact may pass (e.g. one that only touched bytes after it).
                    Assert.True(mutated.Take(wire.Length).SequenceEqual(wire), $"{cipher}/{mac} case {seed}: a modified packet was accepted");
                    Assert.Equal(payload, result);
                }
                else
                {
                    AssertTyped(error, seed);
                }
            }
        }
    }
}
