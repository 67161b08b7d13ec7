using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using SecureNmc.Simulator.Ssh.Algorithms;

namespace SecureNmc.Transport.Tests.SshAlgorithms
{
    public class PacketProtectionTests
    {
        /// <summary>Builds uint32 length || padding_length || payload || padding, padded as the protection requires.</summary>
        internal static byte[] BuildPacket(IPacketProtection protection, byte[] payload, byte paddingFill = 0x40)
        {
            int block = protection.BlockSize;
            int unpadded = 5 + payload.Length - (protection.LengthInClear ? 4 : 0);
            int padding = block - unpadded % block;
            if (padding < 4) padding += block;
            var packet = new byte[5 + payload.Length + padding];
            uint length = (uint)(packet.Length - 4);
            packet[0] = (byte)(length >> 24); packet[1] = (byte)(length >> 16); packet[2] = (byte)(length >> 8); packet[3] = (byte)length;
            packet[4] = (byte)padding;
            Buffer.BlockCopy(payload, 0, packet, 5, payload.Length);
            for (int i = 0; i < padding; i++) packet[5 + payload.Length + i] = (byte)(paddingFill + i);
            return packet;
        }

        /// <summary>What a transport does: learn the length from the first block, then open the whole packet.</summary>
        internal static byte[] Receive(IPacketProtection protection, uint sequence, byte[] wire)
        {
            var first = wire.Take(protection.FirstBlockSize).ToArray();
            int length = protection.ReadLength(sequence, first);
            if ((long)length + 4 + protection.MacLength != wire.Length)
                throw new CryptographicException("The packet length read does not match the bytes sent.");
            return protection.Open(sequence, wire);
        }

        public static IEnumerable<object?[]> AllCombinations()
        {
            foreach (var cipher in SshAlgorithmCatalog.Ciphers)
            {
                if (cipher.IsAead) { yield return new object?[] { cipher.Name, null }; continue; }
                foreach (var mac in SshAlgorithmCatalog.Macs) yield return new object?[] { cipher.Name, mac.Name };
            }
        }

        private static (IPacketProtection Sender, IPacketProtection Receiver) Pair(string cipherName, string? macName, int seed = 1)
        {
            var cipher = SshAlgorithmCatalog.FindCipher(cipherName)!;
            var mac = macName == null ? null : SshAlgorithmCatalog.FindMac(macName)!;
            var random = new Random(seed);
            byte[] Bytes(int n) { var b = new byte[n]; random.NextBytes(b); return b; }
            var key = Bytes(cipher.KeyLength);
            var iv = Bytes(Math.Max(cipher.IvLength, 1));
            var macKey = mac == null ? null : Bytes(mac.KeyLength);
            return (SshAlgorithmCatalog.CreateProtection(cipherName, macName, key, iv, macKey, sending: true),
                    SshAlgorithmCatalog.CreateProtection(cipherName, macName, key, iv, macKey, sending: false));
        }

        [Theory]
        [MemberData(nameof(AllCombinations))]
        public void Round_trips_a_stream_of_packets(string cipher, string? mac)
        {
            var (sender, receiver) = Pair(cipher, mac);
            var random = new Random(7);
            foreach (int size in new[] { 0, 1, 15, 16, 17, 255, 1000, 32768 })
            {
                var payload = new byte[size];
                random.NextBytes(payload);
                uint sequence = (uint)size;
                var packet = BuildPacket(sender, payload);
                var wire = sender.Seal(sequence, packet);
                Assert.Equal(packet.Length + sender.MacLength, wire.Length);
                if (size >= 32) Assert.False(wire.Skip(5).Take(size).SequenceEqual(payload.Take(size)), "payload must not appear in clear");
                Assert.Equal(packet, Receive(receiver, sequence, wire));
            }
        }

        [Theory]
        [MemberData(nameof(AllCombinations))]
        public void Rejects_any_flipped_bit(string cipher, string? mac)
        {
            var payload = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
            foreach (var position in new[] { 0, 3, 4, 10, 60, -1 })
            {
                var (sender, receiver) = Pair(cipher, mac);
                var wire = sender.Seal(9, BuildPacket(sender, payload));
                int index = position < 0 ? wire.Length - 1 : position;
                wire[index] ^= 0x10;
                Assert.ThrowsAny<CryptographicException>(() => Receive(receiver, 9, wire));
            }
        }

        [Theory]
        [MemberData(nameof(AllCombinations))]
        public void Rejects_a_replayed_or_reordered_packet(string cipher, string? mac)
        {
            var (sender, receiver) = Pair(cipher, mac);
            var payload = new byte[64];
            sender.Seal(0, BuildPacket(sender, payload));
            var second = sender.Seal(1, BuildPacket(sender, payload));
            // The receiver expects packet 0 but gets packet 1 (GCM's invocation counter plays the sequence number's role).
            Assert.ThrowsAny<CryptographicException>(() => Receive(receiver, 0, second));
        }

        /// <summary>GCM authenticates its own invocation counter instead of the sequence number (covered by the reorder test).</summary>
        public static IEnumerable<object?[]> SequenceNumberCombinations() => AllCombinations().Where(c => !((string)c[0]!).Contains("-gcm@"));

        [Theory]
        [MemberData(nameof(SequenceNumberCombinations))]
        public void Rejects_a_wrong_sequence_number(string cipher, string? mac)
        {
            var (sender, receiver) = Pair(cipher, mac);
            var wire = sender.Seal(4, BuildPacket(sender, new byte[48]));
            Assert.ThrowsAny<CryptographicException>(() => Receive(receiver, 5, wire));
        }

        [Theory]
        [MemberData(nameof(AllCombinations))]
        public void Rejects_wrong_keys(string cipher, string? mac)
        {
            var (sender, _) = Pair(cipher, mac, seed: 1);
            var (_, otherReceiver) = Pair(cipher, mac, seed: 2);
            var wire = sender.Seal(0, BuildPacket(sender, new byte[40]));
            Assert.ThrowsAny<CryptographicException>(() => Receive(otherReceiver, 0, wire));
        }

        [Theory]
        [MemberData(nameof(AllCombinations))]
        public void Rejects_truncated_packets_and_direction_misuse(string cipher, string? mac)
        {
            var (sender, receiver) = Pair(cipher, mac);
            var wire = sender.Seal(0, BuildPacket(sender, new byte[40]));
            receiver.ReadLength(0, wire.Take(receiver.FirstBlockSize).ToArray());
            Assert.ThrowsAny<CryptographicException>(() => receiver.Open(0, wire.Take(wire.Length - 1).ToArray()));
            Assert.Throws<InvalidOperationException>(() => receiver.Seal(0, BuildPacket(receiver, new byte[3])));
            Assert.Throws<InvalidOperationException>(() => sender.Open(0, wire));
            Assert.Throws<ArgumentException>(() => sender.Seal(1, new byte[13])); // not padded to the block size
        }

        [Theory]
        [MemberData(nameof(AllCombinations))]
        public void Random_bytes_from_a_peer_give_only_CryptographicException(string cipher, string? mac)
        {
            var (_, receiver) = Pair(cipher, mac);
            var random = new Random(cipher.Length * 31 + (mac?.Length ?? 0));
            for (int i = 0; i < 300; i++)
            {
                var first = new byte[receiver.FirstBlockSize];
                random.NextBytes(first);
                int length = receiver.ReadLength((uint)i, first);
                Assert.InRange(length, 0, int.MaxValue);
                // Either a plausible whole-block size or an arbitrary one.
                int size = i % 2 == 0 ? receiver.FirstBlockSize + 16 * random.Next(0, 40) + receiver.MacLength : random.Next(0, 700);
                var wire = new byte[size];
                random.NextBytes(wire);
                Buffer.BlockCopy(first, 0, wire, 0, Math.Min(first.Length, wire.Length));
                Assert.ThrowsAny<CryptographicException>(() => receiver.Open((uint)i, wire));
            }
        }

        [Fact]
        public void Framing_properties_match_each_construction()
        {
            IPacketProtection Make(string c, string? m) => Pair(c, m).Sender;
            var eam = Make("aes128-ctr", "hmac-sha2-256");
            Assert.Equal((16, false, 16, 32), (eam.BlockSize, eam.LengthInClear, eam.FirstBlockSize, eam.MacLength));
            var etm = Make("aes256-ctr", "hmac-sha2-512-etm@openssh.com");
            Assert.Equal((16, true, 4, 64), (etm.BlockSize, etm.LengthInClear, etm.FirstBlockSize, etm.MacLength));
            var gcm = Make("aes128-gcm@openssh.com", null);
            Assert.Equal((16, true, 4, 16), (gcm.BlockSize, gcm.LengthInClear, gcm.FirstBlockSize, gcm.MacLength));
            var chacha = Make("chacha20-poly1305@openssh.com", "hmac-sha2-256"); // MAC ignored for AEAD
            Assert.Equal((8, true, 4, 16), (chacha.BlockSize, chacha.LengthInClear, chacha.FirstBlockSize, chacha.MacLength));
            var des = Make("3des-cbc", "hmac-sha1");
            Assert.Equal((8, false, 8, 20), (des.BlockSize, des.LengthInClear, des.FirstBlockSize, des.MacLength));
            var none = SshAlgorithmCatalog.CreateNone();
            Assert.Equal((8, false, 0), (none.BlockSize, none.LengthInClear, none.MacLength));
        }

        [Fact]
        public void Unknown_names_and_short_keys_are_refused()
        {
            Assert.Throws<ArgumentException>(() => SshAlgorithmCatalog.CreateProtection("arcfour", "hmac-sha1", new byte[16], new byte[16], new byte[20], true));
            Assert.Throws<ArgumentException>(() => SshAlgorithmCatalog.CreateProtection("aes128-ctr", "hmac-md5", new byte[16], new byte[16], new byte[20], true));
            Assert.Throws<ArgumentException>(() => SshAlgorithmCatalog.CreateProtection("aes128-ctr", null, new byte[16], new byte[16], null, true));
            Assert.Throws<ArgumentException>(() => SshAlgorithmCatalog.CreateProtection("aes256-ctr", "hmac-sha2-256", new byte[16], new byte[16], new byte[32], true));
            Assert.Throws<ArgumentException>(() => SshAlgorithmCatalog.CreateProtection("aes128-ctr", "hmac-sha2-256", new byte[16], new byte[16], new byte[8], true));
        }

        // The expected outputs below were computed independently with OpenSSL (Python "cryptography":
        // ChaCha20, Poly1305, AESGCM, AES-CTR) and the Python standard library's hmac, following OpenSSH's
        // PROTOCOL.chacha20poly1305, RFC 5647 as used by OpenSSH, RFC 4253 §6 and OpenSSH's -etm framing.
        private const string Payload = "SecureNmc known answer: SSH_MSG_IGNORE payload";

        private static byte[] Seq(int start, int count) => Enumerable.Range(start, count).Select(i => (byte)i).ToArray();

        [Fact]
        public void ChaCha20Poly1305_matches_independent_implementation()
        {
            var sender = SshAlgorithmCatalog.CreateProtection("chacha20-poly1305@openssh.com", null, Seq(0, 64), Array.Empty<byte>(), null, true);
            var packet = BuildPacket(sender, System.Text.Encoding.ASCII.GetBytes(Payload));
            Assert.Equal("00000038095365637572654e6d63206b6e6f776e20616e737765723a205353485f4d53475f49474e4f5245207061796c6f6164404142434445464748", Hex.Encode(packet));
            var sealedPacket = sender.Seal(7, packet);
            Assert.Equal("a39afc92211570203bf14f10010e9b9bb9e0a44214d35e4509864fb960394897df1e5013fb1eb6eb5a30b199dcb31f427c536f3736eed39bda650fbb8a21de1936d9d51d1b0cc269e49f895e", Hex.Encode(sealedPacket));
            var receiver = SshAlgorithmCatalog.CreateProtection("chacha20-poly1305@openssh.com", null, Seq(0, 64), Array.Empty<byte>(), null, false);
            Assert.Equal(packet, Receive(receiver, 7, sealedPacket));
        }

        [Fact]
        public void AesGcm_matches_independent_implementation_and_increments_the_invocation_counter()
        {
            var iv = Hex.Decode("0a0b0c0dffffffffffffffff");
            var sender = SshAlgorithmCatalog.CreateProtection("aes256-gcm@openssh.com", null, Seq(0, 32), iv, null, true);
            var packet = BuildPacket(sender, System.Text.Encoding.ASCII.GetBytes(Payload));
            Assert.Equal("00000040115365637572654e6d63206b6e6f776e20616e737765723a205353485f4d53475f49474e4f5245207061796c6f6164404142434445464748494a4b4c4d4e4f50", Hex.Encode(packet));
            Assert.Equal("000000402c54fe007381162c056fdef4533a35e9a73f2db2ac05ed84c76795ad2e5dfbdfc82d48fb3824f1a127da2de38d88cd7c9d9dbf5d86a93645c2bf9c61f1cb166be7a8c485ea70e3a4137253696706c4b8", Hex.Encode(sender.Seal(0, packet)));
            // The 64-bit invocation counter wraps to zero without touching the fixed field.
            Assert.Equal("00000040c70fb6e0cd4d171c95de4dabdb703ece9673424d74ecacf6e79bf6d646d61bf9f5e6c1aa6564872ca1ceb0fdd2275fad5c36b5403b6bed8df2e73c5d0de8d0d6b2510e3ad5eaecb2e007cd1d9abd5ec5", Hex.Encode(sender.Seal(1, packet)));
        }

        [Fact]
        public void AesCtr_with_hmac_matches_independent_implementation_in_both_framings()
        {
            var eam = SshAlgorithmCatalog.CreateProtection("aes128-ctr", "hmac-sha2-256", Seq(0, 16), Seq(100, 16), Seq(200, 32), true);
            var packet = BuildPacket(eam, System.Text.Encoding.ASCII.GetBytes(Payload));
            Assert.Equal("0000003c0d5365637572654e6d63206b6e6f776e20616e737765723a205353485f4d53475f49474e4f5245207061796c6f6164404142434445464748494a4b4c", Hex.Encode(packet));
            Assert.Equal("9ebf6ea0b04f8b1b787570c6fc86a4f002e017a97e418eaa5cd4463240aaec125c173c968fbf2c2b048462472c9c1c2239add989cd0b7f84860187abfe488cccc58e1c97fb27087357ebd712c93c2b1f6fdb9e3a3d12cc02e5766beb18dc72cc", Hex.Encode(eam.Seal(3, packet)));

            var etm = SshAlgorithmCatalog.CreateProtection("aes128-ctr", "hmac-sha2-256-etm@openssh.com", Seq(0, 16), Seq(100, 16), Seq(200, 32), true);
            packet = BuildPacket(etm, System.Text.Encoding.ASCII.GetBytes(Payload));
            Assert.Equal("000000408fec0bffc86e8b36606435e3ff8af3f54cee0eb4294592e30be267403fb4ec1d5c13289f9fa42e453bb75e0b339c010e178efe8dc90f7b888a0d8baffa4c88d018e9181edb36b8e62090ee729a9ce2c746d7447f7c9b6d160ffd0f64ac4c9e30", Hex.Encode(etm.Seal(3, packet)));
        }

        [Theory]
        [InlineData("chacha20-poly1305@openssh.com", null)]
        [InlineData("aes256-gcm@openssh.com", null)]
        [InlineData("aes128-ctr", "hmac-sha2-256-etm@openssh.com")]
        [InlineData("aes256-cbc", "hmac-sha1")]
        public void Carries_twenty_mebibytes_in_maximum_size_packets(string cipher, string? mac)
        {
            var (sender, receiver) = Pair(cipher, mac);
            var payload = new byte[32 * 1024];
            new Random(3).NextBytes(payload);
            long total = 0;
            using var sentHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var receivedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            for (uint seq = 0; total < 20L * 1024 * 1024; seq++)
            {
                payload[0] = (byte)seq;
                var packet = BuildPacket(sender, payload);
                sentHash.AppendData(packet);
                receivedHash.AppendData(Receive(receiver, seq, sender.Seal(seq, packet)));
                total += payload.Length;
            }
            Assert.Equal(sentHash.GetHashAndReset(), receivedHash.GetHashAndReset());
        }
    }
}
