using SecureNmc.Core.Ssh.KnownHosts;
using System;
using System.Linq;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Simulator.Ssh.Keys;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Transport.Tests.SshAlgorithms
{
    public class KeyFileTests
    {
        [Theory]
        [InlineData("ssh-ed25519")]
        [InlineData("ecdsa-sha2-nistp256")]
        [InlineData("ecdsa-sha2-nistp384")]
        [InlineData("ecdsa-sha2-nistp521")]
        [InlineData("ssh-rsa")]
        public void Private_key_text_round_trips_and_signs_the_same(string keyType)
        {
            var key = HostKeyTests.Keys.Value[keyType];
            var text = SshHostKeys.ToOpenSshPrivateKey(key, "comment with spaces");
            Assert.StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n", text);
            Assert.All(text.Split('\n'), line => Assert.True(line.Length <= 70));
            var back = SshHostKeys.FromOpenSshPrivateKey(text, out var comment);
            Assert.Equal("comment with spaces", comment);
            Assert.Equal(key.PublicKeyBlob, back.PublicKeyBlob);
            var algorithm = SshAlgorithmCatalog.HostKeyAlgorithms.First(a => a.KeyType == keyType);
            Assert.True(algorithm.Verify(key.PublicKeyBlob, new byte[] { 42 }, back.Sign(algorithm.Name, new byte[] { 42 })));
        }

        [Fact]
        public void Corrupted_private_key_text_gives_a_typed_error_never_a_crash()
        {
            var text = SshHostKeys.ToOpenSshPrivateKey(HostKeyTests.Keys.Value["ecdsa-sha2-nistp256"]);
            var lines = text.Split('\n');
            var body = Convert.FromBase64String(string.Concat(lines.Skip(1).Take(lines.Length - 3)));
            var random = new Random(11);
            int accepted = 0;
            for (int i = 0; i < 2000; i++)
            {
                var mutated = (byte[])body.Clone();
                switch (i % 3)
                {
                    case 0: mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8)); break;
                    case 1: mutated = mutated.Take(random.Next(mutated.Length)).ToArray(); break;
                    default: random.NextBytes(mutated); break;
                }
                var armored = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Convert.ToBase64String(mutated) + "\n-----END OPENSSH PRIVATE KEY-----\n";
                try
                {
                    SshHostKeys.FromOpenSshPrivateKey(armored);
                    accepted++; // a flip inside the comment or check-int-free area can leave a valid key
                }
                catch (SshKeyFormatException) { }
            }
            Assert.True(accepted < 200, $"{accepted} corrupted files were accepted");
            Assert.Throws<SshKeyFormatException>(() => SshHostKeys.FromOpenSshPrivateKey("not a key"));
            Assert.Throws<SshKeyFormatException>(() => SshHostKeys.FromOpenSshPrivateKey("-----BEGIN OPENSSH PRIVATE KEY-----\n!!!\n-----END OPENSSH PRIVATE KEY-----"));
        }

        [Fact]
        public void Private_key_whose_public_part_was_swapped_is_refused()
        {
            var a = HostKeyTests.Keys.Value["ssh-ed25519"];
            var b = SshHostKeys.Generate("ssh-ed25519");
            var text = SshHostKeys.ToOpenSshPrivateKey(a);
            var body = Convert.FromBase64String(string.Concat(text.Split('\n').Where(l => !l.StartsWith("-----"))));
            // Replace the outer public key with b's (same length) so it no longer matches the private section.
            int at = IndexOf(body, a.PublicKeyBlob);
            Buffer.BlockCopy(b.PublicKeyBlob, 0, body, at, b.PublicKeyBlob.Length);
            var forged = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Convert.ToBase64String(body) + "\n-----END OPENSSH PRIVATE KEY-----\n";
            var error = Assert.Throws<SshKeyFormatException>(() => SshHostKeys.FromOpenSshPrivateKey(forged));
            Assert.Contains("does not match", error.Message);
        }

        private static string KeyFile(IHostKey key, string keyType, Action<SshWireReader, SshWireWriter> rewriteFields)
        {
            var fields = new SshWireWriter();
            ((IOpenSshPrivateKey)key).WritePrivateFields(fields);
            var section = new SshWireWriter().WriteUInt32(7).WriteUInt32(7).WriteString(keyType);
            rewriteFields(new SshWireReader(fields.ToArray()), section);
            section.WriteString("");
            for (byte pad = 1; section.Length % 8 != 0; pad++) section.WriteByte(pad);
            var body = new SshWireWriter().WriteBytes(System.Text.Encoding.ASCII.GetBytes("openssh-key-v1\0"))
                .WriteString("none").WriteString("none").WriteBinary(Array.Empty<byte>()).WriteUInt32(1)
                .WriteBinary(key.PublicKeyBlob).WriteBinary(section.ToArray()).ToArray();
            return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Convert.ToBase64String(body) + "\n-----END OPENSSH PRIVATE KEY-----\n";
        }

        [Fact]
        public void Ecdsa_private_scalar_of_another_key_is_refused()
        {
            var other = new SshWireWriter();
            ((IOpenSshPrivateKey)SshHostKeys.Generate("ecdsa-sha2-nistp256")).WritePrivateFields(other);
            var otherReader = new SshWireReader(other.ToArray());
            otherReader.ReadString(); otherReader.ReadBinary();
            var foreignD = otherReader.ReadMpintUnsigned();
            var text = KeyFile(HostKeyTests.Keys.Value["ecdsa-sha2-nistp256"], "ecdsa-sha2-nistp256", (r, w) =>
            {
                w.WriteString(r.ReadString()).WriteBinary(r.ReadBinary()).WriteMpintUnsigned(foreignD);
            });
            Assert.Throws<SshKeyFormatException>(() => SshHostKeys.FromOpenSshPrivateKey(text));
        }

        [Fact]
        public void Rsa_key_with_a_wrong_private_exponent_is_refused()
        {
            // n, p, q and iqmp are consistent, only d is off by two (the platform's import check or our trial signature catches it).
            var key = HostKeyTests.Keys.Value["ssh-rsa"];
            var text = KeyFile(key, "ssh-rsa", (r, w) =>
            {
                var n = r.ReadMpintUnsigned(); var e = r.ReadMpintUnsigned(); var d = r.ReadMpintUnsigned();
                var wrongD = new Org.BouncyCastle.Math.BigInteger(1, d).Add(Org.BouncyCastle.Math.BigInteger.Two).ToByteArrayUnsigned();
                w.WriteMpintUnsigned(n).WriteMpintUnsigned(e).WriteMpintUnsigned(wrongD)
                 .WriteMpintUnsigned(r.ReadMpintUnsigned()).WriteMpintUnsigned(r.ReadMpintUnsigned()).WriteMpintUnsigned(r.ReadMpintUnsigned());
            });
            var error = Assert.Throws<SshKeyFormatException>(() => SshHostKeys.FromOpenSshPrivateKey(text));
            Assert.Contains("ssh-rsa", error.Message);
            // The unmodified fields still load, so the rewrite itself is sound.
            Assert.Equal(key.PublicKeyBlob, SshHostKeys.FromOpenSshPrivateKey(KeyFile(key, "ssh-rsa", (r, w) => w.WriteBytes(r.ReadRemaining()))).PublicKeyBlob);
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
                if (haystack.Skip(i).Take(needle.Length).SequenceEqual(needle)) return i;
            throw new InvalidOperationException("not found");
        }

        [Fact]
        public void Public_key_lines_parse_format_and_reject_mismatches()
        {
            var key = HostKeyTests.Keys.Value["ssh-ed25519"];
            var line = new SshPublicKey(key.PublicKeyBlob, "admin@nmc").ToString();
            Assert.StartsWith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI", line);
            Assert.EndsWith(" admin@nmc", line);
            var parsed = SshPublicKey.Parse("  " + line + "  \n");
            Assert.Equal(key.PublicKeyBlob, parsed.Blob);
            Assert.Equal("admin@nmc", parsed.Comment);
            Assert.Equal("ssh-ed25519", SshPublicKey.Parse(line.Substring(0, line.LastIndexOf(' '))).KeyType);
            Assert.Throws<SshKeyFormatException>(() => SshPublicKey.Parse("ssh-rsa " + line.Split(' ')[1]));
            Assert.Throws<SshKeyFormatException>(() => SshPublicKey.Parse("ssh-ed25519 not*base64"));
            Assert.Throws<SshKeyFormatException>(() => SshPublicKey.Parse("ssh-ed25519"));
            Assert.Throws<SshKeyFormatException>(() => SshPublicKey.Parse("ssh-ed25519 AAAA"));
            Assert.False(SshPublicKey.TryParse("garbage", out _));
        }

        [Fact]
        public void Random_public_key_lines_give_only_SshKeyFormatException()
        {
            var random = new Random(5);
            var valid = new SshPublicKey(HostKeyTests.Keys.Value["ecdsa-sha2-nistp384"].PublicKeyBlob).ToString();
            for (int i = 0; i < 2000; i++)
            {
                string line;
                if (i % 2 == 0)
                {
                    var chars = valid.ToCharArray();
                    chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
                    line = new string(chars, 0, random.Next(chars.Length + 1));
                }
                else
                {
                    var blob = new byte[random.Next(0, 80)];
                    random.NextBytes(blob);
                    line = "ssh-ed25519 " + Convert.ToBase64String(blob);
                }
                try
                {
                    var parsed = SshPublicKey.Parse(line);
                    Assert.Equal(parsed.KeyType, new SshWireReader(parsed.Blob).ReadString());
                }
                catch (SshKeyFormatException) { }
            }
        }

        [Fact]
        public void Fingerprint_is_unpadded_base64_of_sha256()
        {
            var blob = new SshWireWriter().WriteString("ssh-ed25519").WriteBinary(new byte[32]).ToArray();
            var expected = "SHA256:" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(blob)).TrimEnd('=');
            Assert.Equal(expected, SshFingerprint.Sha256(blob));
            Assert.Equal(50, SshFingerprint.Sha256(blob).Length); // 7 + 43 characters, never '='
        }
    }
}
