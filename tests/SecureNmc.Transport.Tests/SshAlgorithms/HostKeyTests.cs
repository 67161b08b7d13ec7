using System;
using System.Collections.Generic;
using System.Linq;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Simulator.Ssh.Keys;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Transport.Tests.SshAlgorithms
{
    public class HostKeyTests
    {
        /// <summary>One generated key per type, shared by the tests (RSA generation is the slow part).</summary>
        internal static readonly Lazy<Dictionary<string, IHostKey>> Keys = new Lazy<Dictionary<string, IHostKey>>(() =>
            SshHostKeys.SupportedKeyTypes.ToDictionary(t => t, t => SshHostKeys.Generate(t, 2048)));

        public static IEnumerable<object[]> Algorithms() => SshAlgorithmCatalog.HostKeyAlgorithms.Select(a => new object[] { a.Name });

        private static IHostKey KeyFor(IHostKeyAlgorithm algorithm) => Keys.Value[algorithm.KeyType];

        [Theory]
        [MemberData(nameof(Algorithms))]
        public void Signs_and_verifies(string name)
        {
            var algorithm = SshAlgorithmCatalog.FindHostKeyAlgorithm(name)!;
            var key = KeyFor(algorithm);
            Assert.Contains(name, key.SignatureAlgorithms);
            var data = new byte[] { 1, 2, 3, 4, 5 };
            var signature = key.Sign(name, data);
            Assert.Equal(name, new SshWireReader(signature).ReadString());
            Assert.True(algorithm.Verify(key.PublicKeyBlob, data, signature));
            Assert.False(algorithm.Verify(key.PublicKeyBlob, new byte[] { 1, 2, 3, 4, 6 }, signature));
        }

        [Theory]
        [MemberData(nameof(Algorithms))]
        public void Rejects_signatures_from_another_key_or_algorithm(string name)
        {
            var algorithm = SshAlgorithmCatalog.FindHostKeyAlgorithm(name)!;
            var key = KeyFor(algorithm);
            var other = SshHostKeys.Generate(algorithm.KeyType, 2048);
            var data = new byte[] { 9, 9, 9 };
            Assert.False(algorithm.Verify(other.PublicKeyBlob, data, key.Sign(name, data)));
            foreach (var otherName in key.SignatureAlgorithms.Where(n => n != name))
                Assert.False(algorithm.Verify(key.PublicKeyBlob, data, key.Sign(otherName, data)));
            foreach (var otherKey in Keys.Value.Values.Where(k => k.KeyType != algorithm.KeyType))
                Assert.False(algorithm.Verify(otherKey.PublicKeyBlob, data, key.Sign(name, data)));
            Assert.Throws<ArgumentException>(() => key.Sign("ssh-dss", data));
        }

        [Theory]
        [MemberData(nameof(Algorithms))]
        public void Malformed_keys_and_signatures_give_false_never_an_exception(string name)
        {
            var algorithm = SshAlgorithmCatalog.FindHostKeyAlgorithm(name)!;
            var key = KeyFor(algorithm);
            var data = new byte[] { 7, 7, 7 };
            var signature = key.Sign(name, data);
            var random = new Random(name.GetHashCode());

            // Every truncation of the signature and of the key blob.
            for (int i = 0; i < signature.Length; i++)
                Assert.False(algorithm.Verify(key.PublicKeyBlob, data, signature.Take(i).ToArray()));
            for (int i = 0; i < key.PublicKeyBlob.Length; i++)
                Assert.False(algorithm.Verify(key.PublicKeyBlob.Take(i).ToArray(), data, signature));
            // Trailing garbage.
            Assert.False(algorithm.Verify(key.PublicKeyBlob, data, signature.Concat(new byte[] { 0 }).ToArray()));
            Assert.False(algorithm.Verify(key.PublicKeyBlob.Concat(new byte[] { 0 }).ToArray(), data, signature));
            // Single-bit flips everywhere.
            for (int i = 0; i < signature.Length; i++)
            {
                var flipped = (byte[])signature.Clone();
                flipped[i] ^= (byte)(1 << random.Next(8));
                Assert.False(algorithm.Verify(key.PublicKeyBlob, data, flipped));
            }
            for (int i = 0; i < key.PublicKeyBlob.Length; i += Math.Max(1, key.PublicKeyBlob.Length / 64))
            {
                var flipped = (byte[])key.PublicKeyBlob.Clone();
                flipped[i] ^= (byte)(1 << random.Next(8));
                Assert.False(algorithm.Verify(flipped, data, signature));
            }
            // Random blobs, with and without a plausible header.
            for (int n = 0; n < 200; n++)
            {
                var blob = new byte[random.Next(0, 600)];
                random.NextBytes(blob);
                Assert.False(algorithm.Verify(blob, data, signature));
                Assert.False(algorithm.Verify(key.PublicKeyBlob, data, blob));
                var framed = new SshWireWriter().WriteString(name).WriteBinary(blob).ToArray();
                Assert.False(algorithm.Verify(key.PublicKeyBlob, data, framed));
            }
            Assert.False(algorithm.Verify(null!, data, signature));
            Assert.False(algorithm.Verify(key.PublicKeyBlob, null!, signature));
            Assert.False(algorithm.Verify(key.PublicKeyBlob, data, null!));
        }

        [Theory]
        [MemberData(nameof(Algorithms))]
        public void One_key_signs_for_many_connections_at_once(string name)
        {
            var algorithm = SshAlgorithmCatalog.FindHostKeyAlgorithm(name)!;
            var key = KeyFor(algorithm);
            var results = new bool[64];
            System.Threading.Tasks.Parallel.For(0, results.Length, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                var data = System.BitConverter.GetBytes(i);
                results[i] = algorithm.Verify(key.PublicKeyBlob, data, key.Sign(name, data));
            });
            Assert.All(results, Assert.True);
        }

        [Fact]
        public void Rsa_keys_below_1024_bits_are_refused()
        {
            using var rsa = System.Security.Cryptography.RSA.Create();
            rsa.KeySize = 768;
            var p = rsa.ExportParameters(false);
            var blob = new SshWireWriter().WriteString("ssh-rsa").WriteMpintUnsigned(p.Exponent!).WriteMpintUnsigned(p.Modulus!).ToArray();
            var signature = rsa.SignData(new byte[] { 1 }, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            var sigBlob = new SshWireWriter().WriteString("rsa-sha2-256").WriteBinary(signature).ToArray();
            Assert.False(SshAlgorithmCatalog.FindHostKeyAlgorithm("rsa-sha2-256")!.Verify(blob, new byte[] { 1 }, sigBlob));
        }

        [Fact]
        public void Generate_refuses_unknown_types_and_weak_rsa()
        {
            Assert.Throws<ArgumentException>(() => SshHostKeys.Generate("ssh-dss"));
            Assert.Throws<ArgumentOutOfRangeException>(() => SshHostKeys.Generate("ssh-rsa", 1024));
        }
    }
}
