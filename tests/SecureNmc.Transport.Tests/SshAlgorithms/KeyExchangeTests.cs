using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Simulator.Ssh.Algorithms.KeyExchange;

namespace SecureNmc.Transport.Tests.SshAlgorithms
{
    public class KeyExchangeTests
    {
        public static IEnumerable<object[]> Methods() => SshAlgorithmCatalog.KeyExchangeMethods.Select(m => new object[] { m.Name });

        private static (IKeyAgreement Client, IKeyAgreement Server) Agreements(IKeyExchangeMethod method)
        {
            if (method.Flow != KeyExchangeFlow.GroupExchange) return (method.CreateAgreement(), method.CreateAgreement());
            var (prime, generator) = method.ChooseGroup(2048, 3072, 8192);
            return (method.CreateAgreement(prime, generator), method.CreateAgreement(prime, generator));
        }

        [Theory]
        [MemberData(nameof(Methods))]
        public void Both_sides_derive_the_same_secret(string name)
        {
            var method = SshAlgorithmCatalog.FindKeyExchange(name)!;
            var (client, server) = Agreements(method);
            using (client)
            using (server)
            {
                var k1 = client.DeriveSharedSecret(server.PublicValue);
                var k2 = server.DeriveSharedSecret(client.PublicValue);
                Assert.Equal(k1, k2);
                Assert.True(k1.Length >= 16);
                Assert.NotEqual(client.PublicValue, server.PublicValue);
            }
        }

        [Theory]
        [InlineData("curve25519-sha256", 32)]
        [InlineData("curve25519-sha256@libssh.org", 32)]
        [InlineData("ecdh-sha2-nistp256", 32)]
        [InlineData("ecdh-sha2-nistp384", 48)]
        [InlineData("ecdh-sha2-nistp521", 64)]
        [InlineData("diffie-hellman-group14-sha256", 32)]
        [InlineData("diffie-hellman-group16-sha512", 64)]
        [InlineData("diffie-hellman-group-exchange-sha256", 32)]
        [InlineData("diffie-hellman-group14-sha1", 20)]
        [InlineData("diffie-hellman-group1-sha1", 20)]
        [InlineData("diffie-hellman-group-exchange-sha1", 20)]
        public void Hash_has_the_method_output_size(string name, int bytes)
        {
            Assert.Equal(bytes, SshAlgorithmCatalog.FindKeyExchange(name)!.Hash(new byte[] { 1, 2, 3 }).Length);
        }

        public static IEnumerable<object[]> BadX25519Points() => new[]
        {
            new object[] { new byte[32] },                                                      // zero point
            new object[] { Hex.Decode("0100000000000000000000000000000000000000000000000000000000000000") }, // order 1
            new object[] { Hex.Decode("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800") }, // order 8
            new object[] { Hex.Decode("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f") }, // p-1
            new object[] { new byte[31] },
            new object[] { new byte[33] },
        };

        [Theory]
        [MemberData(nameof(BadX25519Points))]
        public void X25519_rejects_low_order_and_malformed_peer_keys(byte[] peer)
        {
            using var agreement = SshAlgorithmCatalog.FindKeyExchange("curve25519-sha256")!.CreateAgreement();
            Assert.Throws<CryptographicException>(() => agreement.DeriveSharedSecret(peer));
        }

        [Theory]
        [InlineData("ecdh-sha2-nistp256", "nistP256", 32)]
        [InlineData("ecdh-sha2-nistp384", "nistP384", 48)]
        [InlineData("ecdh-sha2-nistp521", "nistP521", 66)]
        public void Ecdh_agrees_with_the_platform_ECDiffieHellman(string name, string curveName, int fieldBytes)
        {
            // The platform (OpenSSL on Linux) as an independent peer: its raw secret is the X coordinate.
            using var ours = SshAlgorithmCatalog.FindKeyExchange(name)!.CreateAgreement();
            using var platform = ECDiffieHellman.Create(ECCurve.CreateFromFriendlyName(curveName));
            var q = platform.ExportParameters(false).Q;
            var platformPublic = new byte[] { 4 }.Concat(q.X!).Concat(q.Y!).ToArray();
            Assert.Equal(1 + 2 * fieldBytes, ours.PublicValue.Length);
            using var peer = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.CreateFromFriendlyName(curveName),
                Q = new ECPoint { X = ours.PublicValue.Skip(1).Take(fieldBytes).ToArray(), Y = ours.PublicValue.Skip(1 + fieldBytes).ToArray() },
            });
            var expected = platform.DeriveRawSecretAgreement(peer.PublicKey);
            var derived = ours.DeriveSharedSecret(platformPublic);
            Assert.Equal(Hex.Encode(expected).TrimStart('0'), Hex.Encode(derived).TrimStart('0'));
        }

        [Theory]
        [InlineData("ecdh-sha2-nistp256")]
        [InlineData("ecdh-sha2-nistp384")]
        [InlineData("ecdh-sha2-nistp521")]
        public void Ecdh_rejects_points_off_the_curve(string name)
        {
            var method = SshAlgorithmCatalog.FindKeyExchange(name)!;
            using var ours = method.CreateAgreement();
            using var theirs = method.CreateAgreement();
            var offCurve = (byte[])theirs.PublicValue.Clone();
            offCurve[offCurve.Length - 1] ^= 1; // change Y: no longer satisfies the curve equation
            Assert.Throws<CryptographicException>(() => ours.DeriveSharedSecret(offCurve));
            var compressed = new byte[1 + (theirs.PublicValue.Length - 1) / 2];
            compressed[0] = 2;
            Assert.Throws<CryptographicException>(() => ours.DeriveSharedSecret(compressed));
            Assert.Throws<CryptographicException>(() => ours.DeriveSharedSecret(new byte[theirs.PublicValue.Length]));
            Assert.Throws<CryptographicException>(() => ours.DeriveSharedSecret(theirs.PublicValue.Take(theirs.PublicValue.Length - 1).ToArray()));
            var tooBigX = (byte[])theirs.PublicValue.Clone();
            for (int i = 1; i <= (tooBigX.Length - 1) / 2; i++) tooBigX[i] = 0xff; // X >= field prime
            Assert.Throws<CryptographicException>(() => ours.DeriveSharedSecret(tooBigX));
        }

        [Theory]
        [InlineData("diffie-hellman-group14-sha256")]
        [InlineData("diffie-hellman-group16-sha512")]
        [InlineData("diffie-hellman-group1-sha1")]
        public void Dh_rejects_values_outside_one_to_p_minus_one(string name)
        {
            var method = SshAlgorithmCatalog.FindKeyExchange(name)!;
            using var agreement = method.CreateAgreement();
            int bits = ((DiffieHellmanKeyExchange)method).PrimeBits;
            var p = new Org.BouncyCastle.Math.BigInteger(bits == 1024 ? ModpGroups.Oakley2_1024 : bits == 2048 ? ModpGroups.Group14_2048 : ModpGroups.Group16_4096, 16);
            foreach (var bad in new[] { Org.BouncyCastle.Math.BigInteger.Zero, Org.BouncyCastle.Math.BigInteger.One,
                                        p.Subtract(Org.BouncyCastle.Math.BigInteger.One), p, p.Add(Org.BouncyCastle.Math.BigInteger.Two) })
            {
                var bytes = bad.SignValue == 0 ? new byte[] { 0 } : bad.ToByteArrayUnsigned();
                Assert.Throws<CryptographicException>(() => agreement.DeriveSharedSecret(bytes));
            }
            Assert.Throws<CryptographicException>(() => agreement.DeriveSharedSecret(Array.Empty<byte>()));
            Assert.Throws<CryptographicException>(() => agreement.DeriveSharedSecret(new byte[bits / 8 + 100]));
        }

        [Theory]
        [InlineData(2048, 2048, 8192, 2048)]
        [InlineData(2048, 3072, 8192, 3072)]
        [InlineData(2048, 3500, 8192, 4096)]
        [InlineData(2048, 7680, 8192, 8192)]
        [InlineData(1024, 2048, 2048, 2048)]
        [InlineData(2048, 8192, 8192, 8192)]
        public void ChooseGroup_picks_the_smallest_safe_prime_at_least_preferred(int min, int preferred, int max, int expectedBits)
        {
            var method = SshAlgorithmCatalog.FindKeyExchange("diffie-hellman-group-exchange-sha256")!;
            var (prime, generator) = method.ChooseGroup(min, preferred, max);
            Assert.Equal(expectedBits, new Org.BouncyCastle.Math.BigInteger(1, prime).BitLength);
            Assert.Equal(new byte[] { 2 }, generator);
        }

        [Fact]
        public void ChooseGroup_refuses_impossible_requests()
        {
            var method = SshAlgorithmCatalog.FindKeyExchange("diffie-hellman-group-exchange-sha256")!;
            Assert.Throws<CryptographicException>(() => method.ChooseGroup(1024, 1024, 1536));
            Assert.Throws<CryptographicException>(() => method.ChooseGroup(4096, 2048, 8192));
            Assert.Throws<CryptographicException>(() => method.ChooseGroup(9000, 9000, 10000));
        }

        [Fact]
        public void Group_exchange_client_rejects_small_even_or_degenerate_groups()
        {
            var method = SshAlgorithmCatalog.FindKeyExchange("diffie-hellman-group-exchange-sha256")!;
            var small = new Org.BouncyCastle.Math.BigInteger(ModpGroups.Oakley2_1024, 16).ToByteArrayUnsigned();
            Assert.Throws<CryptographicException>(() => method.CreateAgreement(small, new byte[] { 2 }));
            var even = new Org.BouncyCastle.Math.BigInteger(ModpGroups.Group14_2048, 16).Add(Org.BouncyCastle.Math.BigInteger.One).ToByteArrayUnsigned();
            Assert.Throws<CryptographicException>(() => method.CreateAgreement(even, new byte[] { 2 }));
            var p = new Org.BouncyCastle.Math.BigInteger(ModpGroups.Group14_2048, 16).ToByteArrayUnsigned();
            Assert.Throws<CryptographicException>(() => method.CreateAgreement(p, new byte[] { 1 }));
            // The legacy SHA-1 variant still accepts a 1024-bit group from an old card.
            using var legacy = SshAlgorithmCatalog.FindKeyExchange("diffie-hellman-group-exchange-sha1")!.CreateAgreement(small, new byte[] { 2 });
            Assert.NotEmpty(legacy.PublicValue);
        }

        [Fact]
        public void Flow_mismatches_are_refused()
        {
            Assert.Throws<InvalidOperationException>(() => SshAlgorithmCatalog.FindKeyExchange("diffie-hellman-group-exchange-sha256")!.CreateAgreement());
            Assert.Throws<InvalidOperationException>(() => SshAlgorithmCatalog.FindKeyExchange("curve25519-sha256")!.CreateAgreement(new byte[256], new byte[] { 2 }));
            Assert.Throws<InvalidOperationException>(() => SshAlgorithmCatalog.FindKeyExchange("ecdh-sha2-nistp256")!.ChooseGroup(2048, 2048, 8192));
        }

        [Fact]
        public void Key_derivation_follows_RFC4253_section7_2()
        {
            var method = SshAlgorithmCatalog.FindKeyExchange("curve25519-sha256")!;
            var k = Hex.Decode("80" + new string('1', 62)); // top bit set: hashed as an mpint with a leading zero
            var h = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
            var sessionId = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
            var derived = SshKeyDerivation.Derive(method, k, h, 'C', sessionId, 64);

            var mpintK = new byte[] { 0, 0, 0, 33, 0 }.Concat(k).ToArray();
            using var sha = SHA256.Create();
            var k1 = sha.ComputeHash(mpintK.Concat(h).Concat(new[] { (byte)'C' }).Concat(sessionId).ToArray());
            var k2 = sha.ComputeHash(mpintK.Concat(h).Concat(k1).ToArray());
            Assert.Equal(k1.Concat(k2).ToArray(), derived);
            Assert.Equal(derived.Take(20).ToArray(), SshKeyDerivation.Derive(method, k, h, 'C', sessionId, 20));
        }
    }
}
