using SecureNmc.Core.Ssh.KnownHosts;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Simulator.Ssh.Keys;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Transport.Tests.SshAlgorithms
{
    /// <summary>Keys, fingerprints and signatures checked against OpenSSH 9.2's ssh-keygen, sshd and OpenSSL.</summary>
    public class OpenSshInteropTests
    {
        private const string SshKeygen = "ssh-keygen";
        private static readonly byte[] Message = Encoding.UTF8.GetBytes("firmware apc_hw21_aos_2.5.0.8.bin for card 10.0.0.7\n");

        public static IEnumerable<object[]> KeygenTypes() => new[]
        {
            new object[] { "ed25519", 0, "ssh-ed25519" },
            new object[] { "ecdsa", 256, "ecdsa-sha2-nistp256" },
            new object[] { "ecdsa", 384, "ecdsa-sha2-nistp384" },
            new object[] { "ecdsa", 521, "ecdsa-sha2-nistp521" },
            new object[] { "rsa", 3072, "ssh-rsa" },
        };

        private static string KeygenKey(TempDirectory dir, string type, int bits, string name = "key")
        {
            var path = dir.File(name);
            var args = new List<string> { "-q", "-t", type, "-N", "", "-C", "card-test@securenmc", "-f", path };
            if (bits > 0) args.InsertRange(3, new[] { "-b", bits.ToString() });
            OpenSshTools.RunChecked(SshKeygen, dir.Path, null, args.ToArray());
            return path;
        }

        private static string KeygenFingerprint(TempDirectory dir, string path) =>
            OpenSshTools.RunChecked(SshKeygen, dir.Path, null, "-l", "-E", "sha256", "-f", path).Stdout.Split(' ')[1];

        [Theory]
        [MemberData(nameof(KeygenTypes))]
        public void Keys_made_by_ssh_keygen_load_with_identical_public_blob_and_fingerprint(string type, int bits, string keyType)
        {
            using var dir = new TempDirectory();
            var path = KeygenKey(dir, type, bits);
            var key = SshHostKeys.Load(path, out var comment);
            Assert.Equal(keyType, key.KeyType);
            Assert.Equal("card-test@securenmc", comment);

            var publicLine = SshPublicKey.Parse(File.ReadAllText(path + ".pub"));
            Assert.Equal(keyType, publicLine.KeyType);
            Assert.Equal("card-test@securenmc", publicLine.Comment);
            Assert.Equal(publicLine.Blob, key.PublicKeyBlob);
            Assert.Equal(File.ReadAllText(path + ".pub").Trim(), publicLine.ToString());

            var fingerprint = KeygenFingerprint(dir, path);
            Assert.StartsWith("SHA256:", fingerprint);
            Assert.Equal(fingerprint, SshFingerprint.Sha256(key.PublicKeyBlob));
            Assert.Equal(fingerprint, publicLine.Fingerprint);
        }

        [Theory]
        [MemberData(nameof(KeygenTypes))]
        public void Signatures_made_by_ssh_keygen_verify_here(string type, int bits, string keyType)
        {
            using var dir = new TempDirectory();
            var path = KeygenKey(dir, type, bits);
            File.WriteAllBytes(dir.File("message"), Message);
            OpenSshTools.RunChecked(SshKeygen, dir.Path, null, "-Y", "sign", "-f", path, "-n", "securenmc", dir.File("message"));
            var (publicKey, ns, hash, signature) = SshSig.Parse(File.ReadAllText(dir.File("message.sig")));

            var loaded = SshHostKeys.Load(path);
            Assert.Equal(loaded.PublicKeyBlob, publicKey);
            var algorithmName = new SshWireReader(signature).ReadString();
            var algorithm = SshAlgorithmCatalog.FindHostKeyAlgorithm(algorithmName)!;
            Assert.Equal(keyType, algorithm.KeyType);
            Assert.True(algorithm.Verify(publicKey, SshSig.SignedData(ns, hash, Message), signature));
            Assert.False(algorithm.Verify(publicKey, SshSig.SignedData(ns, hash, Encoding.UTF8.GetBytes("tampered")), signature));
        }

        public static IEnumerable<object[]> SshSigAlgorithms() =>
            SshAlgorithmCatalog.HostKeyAlgorithms.Where(a => a.Name != "ssh-rsa").Select(a => new object[] { a.Name });

        [Theory]
        [MemberData(nameof(SshSigAlgorithms))]
        public void Signatures_made_here_verify_in_ssh_keygen(string algorithmName)
        {
            var algorithm = SshAlgorithmCatalog.FindHostKeyAlgorithm(algorithmName)!;
            using var dir = new TempDirectory();
            // Once with a key we generated, once with a key ssh-keygen generated and we loaded.
            var ours = HostKeyTests.Keys.Value[algorithm.KeyType];
            var (type, bits, _) = KeygenTypes().Select(t => ((string)t[0], (int)t[1], (string)t[2])).First(t => t.Item3 == algorithm.KeyType);
            var theirs = SshHostKeys.Load(KeygenKey(dir, type, bits));
            File.WriteAllBytes(dir.File("message"), Message);
            foreach (var key in new[] { ours, theirs })
            {
                var signature = key.Sign(algorithmName, SshSig.SignedData("securenmc", "sha512", Message));
                File.WriteAllText(dir.File("message.sig"), SshSig.Armor(key.PublicKeyBlob, "securenmc", "sha512", signature));
                File.WriteAllText(dir.File("allowed_signers"), "signer@securenmc " + new SshPublicKey(key.PublicKeyBlob) + "\n");
                var verified = OpenSshTools.Run(SshKeygen, dir.Path, Message, "-Y", "verify", "-f", dir.File("allowed_signers"),
                    "-I", "signer@securenmc", "-n", "securenmc", "-s", dir.File("message.sig"));
                Assert.True(verified.ExitCode == 0, verified.ToString());
                Assert.Contains("Good \"securenmc\" signature", verified.Stdout + verified.Stderr);

                // Negative control: the same signature over a different message is refused by ssh-keygen.
                var refused = OpenSshTools.Run(SshKeygen, dir.Path, Encoding.UTF8.GetBytes("tampered"), "-Y", "verify", "-f", dir.File("allowed_signers"),
                    "-I", "signer@securenmc", "-n", "securenmc", "-s", dir.File("message.sig"));
                Assert.NotEqual(0, refused.ExitCode);
            }
        }

        /// <summary>
        /// rsa-sha2-256 and the legacy SHA-1 ssh-rsa cannot travel through SSHSIG (ssh-keygen signs RSA
        /// with SHA-512 only and refuses SHA-1), so they are checked against OpenSSL's PKCS#1 v1.5.
        /// </summary>
        [Theory]
        [InlineData("rsa-sha2-256", "-sha256")]
        [InlineData("ssh-rsa", "-sha1")]
        [InlineData("rsa-sha2-512", "-sha512")]
        public void Rsa_signatures_match_OpenSSL_in_both_directions(string algorithmName, string digest)
        {
            using var dir = new TempDirectory();
            var path = KeygenKey(dir, "rsa", 2048);
            var key = SshHostKeys.Load(path);
            File.Copy(path, dir.File("pem"));
            OpenSshTools.RunChecked(SshKeygen, dir.Path, null, "-q", "-p", "-N", "", "-m", "PEM", "-f", dir.File("pem"));
            OpenSshTools.RunChecked("openssl", dir.Path, null, "rsa", "-in", dir.File("pem"), "-pubout", "-out", dir.File("pub.pem"));
            File.WriteAllBytes(dir.File("message"), Message);
            var algorithm = SshAlgorithmCatalog.FindHostKeyAlgorithm(algorithmName)!;

            // OpenSSL signs, we verify.
            OpenSshTools.RunChecked("openssl", dir.Path, null, "dgst", digest, "-sign", dir.File("pem"), "-out", dir.File("openssl.sig"), dir.File("message"));
            var opensslSignature = new SshWireWriter().WriteString(algorithmName).WriteBinary(File.ReadAllBytes(dir.File("openssl.sig"))).ToArray();
            Assert.True(algorithm.Verify(key.PublicKeyBlob, Message, opensslSignature));

            // We sign, OpenSSL verifies (and refuses a tampered message).
            var ours = new SshWireReader(key.Sign(algorithmName, Message));
            Assert.Equal(algorithmName, ours.ReadString());
            File.WriteAllBytes(dir.File("ours.sig"), ours.ReadBinary());
            var verified = OpenSshTools.Run("openssl", dir.Path, null, "dgst", digest, "-verify", dir.File("pub.pem"), "-signature", dir.File("ours.sig"), dir.File("message"));
            Assert.True(verified.ExitCode == 0, verified.ToString());
            File.WriteAllBytes(dir.File("message"), Encoding.UTF8.GetBytes("tampered"));
            Assert.NotEqual(0, OpenSshTools.Run("openssl", dir.Path, null, "dgst", digest, "-verify", dir.File("pub.pem"), "-signature", dir.File("ours.sig"), dir.File("message")).ExitCode);
        }

        [Theory]
        [InlineData("ssh-ed25519")]
        [InlineData("ecdsa-sha2-nistp256")]
        [InlineData("ecdsa-sha2-nistp384")]
        [InlineData("ecdsa-sha2-nistp521")]
        [InlineData("ssh-rsa")]
        public void Keys_saved_here_are_accepted_by_ssh_keygen_and_sshd(string keyType)
        {
            using var dir = new TempDirectory();
            var key = HostKeyTests.Keys.Value[keyType];
            var path = dir.File("host_key");
            SshHostKeys.Save(key, path, "simulated-card");

            var derived = OpenSshTools.RunChecked(SshKeygen, dir.Path, null, "-y", "-f", path).Stdout.Trim();
            Assert.Equal(new SshPublicKey(key.PublicKeyBlob, "simulated-card").ToString(), derived);
            Assert.Equal(SshFingerprint.Sha256(key.PublicKeyBlob), KeygenFingerprint(dir, path));
            Assert.Equal(File.ReadAllText(path + ".pub").Trim(), derived);

            var reloaded = SshHostKeys.Load(path, out var comment);
            Assert.Equal("simulated-card", comment);
            Assert.Equal(key.PublicKeyBlob, reloaded.PublicKeyBlob);

            var sshd = SshdTestLoad(dir, path);
            Assert.DoesNotContain("Unable to load host key", sshd.Stderr);
            Assert.DoesNotContain("no hostkeys available", sshd.Stderr);
            Assert.True(sshd.ExitCode == 0 || sshd.Stderr.Contains("privilege separation directory"), sshd.ToString());
        }

        [Fact]
        public void Sshd_load_check_detects_a_bad_key_file()
        {
            // Negative control for the sshd check above: a corrupted key is reported by sshd -t.
            using var dir = new TempDirectory();
            var path = dir.File("host_key");
            SshHostKeys.Save(HostKeyTests.Keys.Value["ssh-ed25519"], path);
            var text = File.ReadAllText(path).Replace("b3BlbnNzaC1rZXktdjE", "b3BlbnNzaC1rZXktdjF");
            File.WriteAllText(path, text);
            var sshd = SshdTestLoad(dir, path);
            Assert.Contains("Unable to load host key", sshd.Stderr);
        }

        /// <summary>`sshd -t` loads every HostKey (it checks keys before the privilege-separation directory).</summary>
        private static OpenSshTools.Result SshdTestLoad(TempDirectory dir, string keyPath)
        {
            var config = dir.File("sshd_config");
            File.WriteAllText(config, $"HostKey {keyPath}\nListenAddress 127.0.0.1\nPort 48222\nUsePAM no\nPidFile {dir.File("sshd.pid")}\n");
            return OpenSshTools.Run("/usr/sbin/sshd", dir.Path, null, "-t", "-f", config);
        }

        [Fact]
        [System.Runtime.Versioning.SupportedOSPlatform("linux")]
        public void Saved_private_key_file_is_readable_by_its_owner_only()
        {
            using var dir = new TempDirectory();
            var path = dir.File("host_key");
            SshHostKeys.Save(HostKeyTests.Keys.Value["ssh-ed25519"], path);
            var mode = File.GetUnixFileMode(path);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        }

        [Fact]
        public void Encrypted_and_pem_keys_are_refused_with_advice()
        {
            using var dir = new TempDirectory();
            var path = dir.File("encrypted");
            OpenSshTools.RunChecked(SshKeygen, dir.Path, null, "-q", "-t", "ed25519", "-N", "a passphrase", "-f", path);
            var encrypted = Assert.Throws<SshKeyFormatException>(() => SshHostKeys.Load(path));
            Assert.Contains("encrypted", encrypted.Message);
            Assert.Contains(path, encrypted.Message);

            var pem = KeygenKey(dir, "rsa", 2048, "pem");
            OpenSshTools.RunChecked(SshKeygen, dir.Path, null, "-q", "-p", "-N", "", "-m", "PEM", "-f", pem);
            var pemError = Assert.Throws<SshKeyFormatException>(() => SshHostKeys.Load(pem));
            Assert.Contains("ssh-keygen -p", pemError.Message);

            Assert.Throws<SshKeyFormatException>(() => SshHostKeys.Load(dir.File("missing")));
        }
    }
}
