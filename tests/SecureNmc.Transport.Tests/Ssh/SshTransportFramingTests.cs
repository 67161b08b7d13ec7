using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Simulator.Ssh.Transport;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Transport.Tests.Ssh
{
    /// <summary>Identification exchange, packet bounds and KEXINIT rules, against a scripted peer.</summary>
    public sealed class SshTransportFramingTests
    {
        private static byte[] Packet(byte[] payload, int? paddingOverride = null)
        {
            var sink = new MemoryStream();
            new SshPacketStream(sink, SshAlgorithmCatalog.CreateNone(), SshAlgorithmCatalog.CreateNone()).WritePacketAsync(payload, CancellationToken.None).GetAwaiter().GetResult();
            var bytes = sink.ToArray();
            if (paddingOverride != null) bytes[4] = (byte)paddingOverride.Value;
            return bytes;
        }

        private static byte[] KexInit(string[] kex, bool firstKexPacketFollows = false, string hostKey = "ssh-ed25519")
        {
            var init = new SshKexInit
            {
                KeyExchange = kex,
                HostKey = new[] { hostKey },
                CipherClientToServer = new[] { "aes128-ctr" },
                CipherServerToClient = new[] { "aes128-ctr" },
                MacClientToServer = new[] { "hmac-sha2-256" },
                MacServerToClient = new[] { "hmac-sha2-256" },
                FirstKexPacketFollows = firstKexPacketFollows,
            };
            return Packet(init.Encode(System.Security.Cryptography.RandomNumberGenerator.Create()));
        }

        private static byte[] Join(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
        private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

        private static async Task<(Exception Error, ScriptedStream Stream)> RunClient(byte[] script)
        {
            var stream = new ScriptedStream(script);
            var settings = new SshTransportSettings { Role = SshRole.Client, PeerName = "scripted", HandshakeTimeout = TimeSpan.FromSeconds(5), ReadTimeout = TimeSpan.FromSeconds(2), HostKeyVerifier = (_, __) => { } };
            var error = await Assert.ThrowsAnyAsync<Exception>(() => SshTransport.StartAsync(stream, settings, CancellationToken.None));
            return (error, stream);
        }

        /// <summary>Message numbers the client sent, read back from its clear-text packets.</summary>
        private static List<byte> SentMessages(ScriptedStream stream)
        {
            var bytes = stream.Written.ToArray();
            int pos = Array.IndexOf(bytes, (byte)'\n') + 1;
            var numbers = new List<byte>();
            while (pos + 5 < bytes.Length)
            {
                int length = bytes[pos] << 24 | bytes[pos + 1] << 16 | bytes[pos + 2] << 8 | bytes[pos + 3];
                numbers.Add(bytes[pos + 5]);
                pos += 4 + length;
            }
            return numbers;
        }

        private static readonly string[] Modern = { "curve25519-sha256" };
        private static readonly string[] Strict = { "curve25519-sha256", SshKexInit.StrictServerMarker };

        [Fact]
        public async Task Client_identification_starts_with_SSH_2_0()
        {
            var (_, stream) = await RunClient(Array.Empty<byte>());
            Assert.StartsWith("SSH-2.0-", Encoding.ASCII.GetString(stream.Written.ToArray()));
            Assert.EndsWith("\r\n", Encoding.ASCII.GetString(stream.Written.ToArray()).Split('\n')[0] + "\n");
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task Legacy_algorithms_are_offered_only_when_enabled(bool allowLegacy)
        {
            var stream = new ScriptedStream(Ascii("SSH-2.0-Card\r\n"));
            var settings = new SshTransportSettings { Role = SshRole.Client, PeerName = "scripted", AllowLegacyAlgorithms = allowLegacy };
            await Assert.ThrowsAnyAsync<Exception>(() => SshTransport.StartAsync(stream, settings, CancellationToken.None));
            var bytes = stream.Written.ToArray();
            int start = Array.IndexOf(bytes, (byte)'\n') + 1;
            int length = bytes[start] << 24 | bytes[start + 1] << 16 | bytes[start + 2] << 8 | bytes[start + 3];
            var payload = bytes.Skip(start + 5).Take(length - 1 - bytes[start + 4]).ToArray();
            var offer = SshKexInit.Decode(payload);
            var legacy = new[] { "ssh-rsa", "diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1", "diffie-hellman-group-exchange-sha1", "3des-cbc", "aes256-cbc", "hmac-sha1" };
            var offered = offer.KeyExchange.Concat(offer.HostKey).Concat(offer.CipherClientToServer).Concat(offer.MacClientToServer).ToArray();
            foreach (var name in legacy) Assert.Equal(allowLegacy, offered.Contains(name));
            Assert.Contains(SshKexInit.StrictClientMarker, offer.KeyExchange);
            Assert.Equal("curve25519-sha256", offer.KeyExchange[0]);
        }

        [Fact]
        public async Task Lines_before_the_server_identification_are_tolerated()
        {
            var (error, stream) = await RunClient(Join(Ascii("Welcome to the card\r\nPlease wait\r\nSSH-2.0-Card\r\n"), KexInit(Strict)));
            Assert.IsType<EndOfStreamException>(error);
            Assert.Equal(new byte[] { 20, 30 }, SentMessages(stream)); // KEXINIT then ECDH_INIT: the exchange went on
        }

        [Fact]
        public async Task Endless_pre_identification_text_is_refused()
        {
            var text = string.Concat(Enumerable.Repeat("not ssh\r\n", 100));
            var (error, _) = await RunClient(Ascii(text));
            var protocol = Assert.IsType<SshProtocolException>(error);
            Assert.Contains("does not look like an SSH server", protocol.Message);
        }

        [Fact]
        public async Task Overlong_identification_line_is_refused()
        {
            var (error, _) = await RunClient(Ascii(new string('x', 5000) + "\r\n"));
            Assert.IsType<SshProtocolException>(error);
        }

        [Fact]
        public async Task Ssh1_server_is_refused_as_unsupported_version()
        {
            var (error, _) = await RunClient(Ascii("SSH-1.5-OldCard\r\n"));
            var protocol = Assert.IsType<SshProtocolException>(error);
            Assert.Equal(SshDisconnectReason.ProtocolVersionNotSupported, protocol.Reason);
        }

        [Theory]
        [InlineData(0x7FFFFFF0u)]
        [InlineData(0xFFFFFFFFu)]
        [InlineData(300_000u)]
        [InlineData(3u)]
        public async Task Packet_lengths_out_of_bounds_are_refused_before_allocation(uint length)
        {
            var header = new byte[] { (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length, 4, 20, 0, 0 };
            var (error, _) = await RunClient(Join(Ascii("SSH-2.0-Card\r\n"), header));
            var protocol = Assert.IsType<SshProtocolException>(error);
            Assert.Contains("allowed range", protocol.Message);
        }

        [Theory]
        [InlineData(2)]
        [InlineData(255)]
        public async Task Bad_padding_is_refused(int padding)
        {
            var (error, _) = await RunClient(Join(Ascii("SSH-2.0-Card\r\n"), Packet(new byte[] { 2, 0, 0, 0, 0 }, padding)));
            var protocol = Assert.IsType<SshProtocolException>(error);
            Assert.Contains("padding", protocol.Message);
        }

        [Fact]
        public async Task Strict_kex_refuses_any_message_before_the_servers_KEXINIT()
        {
            var ignore = Packet(new SshWireWriter().WriteByte(SshMessageNumbers.Ignore).WriteString("x").ToArray());
            var (error, _) = await RunClient(Join(Ascii("SSH-2.0-Card\r\n"), ignore, KexInit(Strict)));
            var protocol = Assert.IsType<SshProtocolException>(error);
            Assert.Contains("Strict key exchange", protocol.Message);

            // Without the server's strict-kex marker the same IGNORE is harmless (RFC 4253 behaviour).
            var (relaxed, stream) = await RunClient(Join(Ascii("SSH-2.0-Card\r\n"), ignore, KexInit(Modern)));
            Assert.IsType<EndOfStreamException>(relaxed);
            Assert.Equal(new byte[] { 20, 30 }, SentMessages(stream));
        }

        [Fact]
        public async Task Strict_kex_refuses_IGNORE_inside_the_first_key_exchange()
        {
            var ignore = Packet(new SshWireWriter().WriteByte(SshMessageNumbers.Ignore).WriteString("x").ToArray());
            var (error, _) = await RunClient(Join(Ascii("SSH-2.0-Card\r\n"), KexInit(Strict), ignore));
            Assert.Contains("Strict key exchange", Assert.IsType<SshProtocolException>(error).Message);
        }

        [Fact]
        public async Task Wrongly_guessed_first_kex_packet_is_ignored_and_a_stray_one_is_refused()
        {
            var guessed = Packet(new SshWireWriter().WriteByte(SshMessageNumbers.KexDhInit).WriteString("guess").ToArray());
            // The server guessed ecdh-sha2-nistp256; we prefer curve25519, so its guessed packet must be skipped.
            var (skipped, _) = await RunClient(Join(Ascii("SSH-2.0-Card\r\n"), KexInit(new[] { "ecdh-sha2-nistp256", "curve25519-sha256" }, firstKexPacketFollows: true), guessed));
            Assert.IsType<EndOfStreamException>(skipped);

            var (refused, _) = await RunClient(Join(Ascii("SSH-2.0-Card\r\n"), KexInit(new[] { "ecdh-sha2-nistp256", "curve25519-sha256" }), guessed));
            Assert.IsType<SshProtocolException>(refused);
        }

        [Fact]
        public async Task No_common_algorithm_names_both_offers()
        {
            var (error, _) = await RunClient(Join(Ascii("SSH-2.0-Card\r\n"), KexInit(new[] { "diffie-hellman-group1-sha1" })));
            var protocol = Assert.IsType<SshProtocolException>(error);
            Assert.Equal(SshDisconnectReason.KeyExchangeFailed, protocol.Reason);
            Assert.Contains("diffie-hellman-group1-sha1", protocol.Message);
            Assert.Contains("curve25519-sha256", protocol.Message);
        }

        [Fact]
        public async Task Authentication_messages_before_key_exchange_are_refused()
        {
            var early = Packet(new SshWireWriter().WriteByte(SshMessageNumbers.UserAuthSuccess).ToArray());
            var (error, _) = await RunClient(Join(Ascii("SSH-2.0-Card\r\n"), early));
            Assert.IsType<SshProtocolException>(error);
        }

        [Fact]
        public async Task Server_role_refuses_a_client_that_does_not_start_with_its_identification()
        {
            var stream = new ScriptedStream(Ascii("GET / HTTP/1.1\r\n"));
            var settings = new SshTransportSettings { Role = SshRole.Server, PeerName = "client", HostKeys = TestSshServer.HostKeys, HandshakeTimeout = TimeSpan.FromSeconds(5) };
            var error = await Assert.ThrowsAsync<SshProtocolException>(() => SshTransport.StartAsync(stream, settings, CancellationToken.None));
            Assert.Contains("did not start with an SSH identification", error.Message);
        }
    }
}
