using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Simulator.Ssh.Algorithms.KeyExchange;
using SecureNmc.Simulator.Ssh.Algorithms.Protection;
using SecureNmc.Simulator.Ssh.Keys;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Transport.Tests.SshAlgorithms
{
    /// <summary>Published test vectors (RFC 7748, RFC 8032, RFC 4231, NIST SP 800-38A, GCM spec test cases, RFC 3526).</summary>
    public class KnownAnswerTests
    {
        [Theory]
        // RFC 7748 §5.2 first vector: scalar, u-coordinate, output.
        [InlineData("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                    "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
                    "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")]
        // RFC 7748 §6.1: Alice's private key with Bob's public key gives the shared secret K.
        [InlineData("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
                    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
                    "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")]
        public void X25519_matches_RFC7748(string scalar, string peer, string expected)
        {
            using var agreement = new X25519KeyAgreement(Hex.Decode(scalar));
            Assert.Equal(expected, Hex.Encode(agreement.DeriveSharedSecret(Hex.Decode(peer))));
        }

        [Fact]
        public void X25519_public_keys_match_RFC7748_section6()
        {
            using var alice = new X25519KeyAgreement(Hex.Decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
            using var bob = new X25519KeyAgreement(Hex.Decode("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
            Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Hex.Encode(alice.PublicValue));
            Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Hex.Encode(bob.PublicValue));
            Assert.Equal(Hex.Encode(alice.DeriveSharedSecret(bob.PublicValue)), Hex.Encode(bob.DeriveSharedSecret(alice.PublicValue)));
        }

        [Theory]
        // RFC 8032 §7.1 TEST 1 and TEST 2: secret key, public key, message, signature.
        [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
        [InlineData("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
        public void Ed25519_matches_RFC8032(string secret, string publicKey, string message, string signature)
        {
            var key = new Ed25519HostKey(Hex.Decode(secret));
            var expectedBlob = new SshWireWriter().WriteString("ssh-ed25519").WriteBinary(Hex.Decode(publicKey)).ToArray();
            Assert.Equal(expectedBlob, key.PublicKeyBlob);

            var signatureBlob = key.Sign("ssh-ed25519", Hex.Decode(message));
            var reader = new SshWireReader(signatureBlob);
            Assert.Equal("ssh-ed25519", reader.ReadString());
            Assert.Equal(signature, Hex.Encode(reader.ReadBinary()));

            var algorithm = SshAlgorithmCatalog.FindHostKeyAlgorithm("ssh-ed25519")!;
            Assert.True(algorithm.Verify(expectedBlob, Hex.Decode(message), signatureBlob));
            Assert.False(algorithm.Verify(expectedBlob, Encoding.ASCII.GetBytes("other message"), signatureBlob));
        }

        [Theory]
        // RFC 4231 test cases 1 and 2 for HMAC-SHA-256 and HMAC-SHA-512.
        [InlineData("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There",
                    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                    "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854")]
        [InlineData("4a656665", "what do ya want for nothing?",
                    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                    "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737")]
        public void Hmac_matches_RFC4231(string key, string data, string sha256, string sha512)
        {
            var k = Hex.Decode(key);
            var d = Encoding.ASCII.GetBytes(data);
            using (var h = SshHashes.CreateHmac(HashAlgorithmName.SHA256, k)) Assert.Equal(sha256, Hex.Encode(h.ComputeHash(d)));
            using (var h = SshHashes.CreateHmac(HashAlgorithmName.SHA512, k)) Assert.Equal(sha512, Hex.Encode(h.ComputeHash(d)));
        }

        private const string Sp800_38A_Plaintext =
            "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";

        [Theory]
        // NIST SP 800-38A F.5.1, F.5.3, F.5.5 (CTR-AES128/192/256.Encrypt).
        [InlineData("2b7e151628aed2a6abf7158809cf4f3c",
                    "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee")]
        [InlineData("8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
                    "1abc932417521ca24f2b0459fe7e6e0b090339ec0aa6faefd5ccc2c6f4ce8e941e36b26bd1ebc670d1bd1d665620abf74f78a7f6d29809585a97daec58c6b050")]
        [InlineData("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
                    "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c52b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6")]
        public void AesCtr_matches_SP800_38A(string key, string ciphertext)
        {
            var plain = Hex.Decode(Sp800_38A_Plaintext);
            // Split across two calls to prove the counter carries over between packets.
            using var ctr = new AesCtrTransform(Hex.Decode(key), Hex.Decode("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"));
            var output = new byte[plain.Length];
            ctr.Transform(plain, 0, 16, output, 0);
            ctr.Transform(plain, 16, 48, output, 16);
            Assert.Equal(ciphertext, Hex.Encode(output));
        }

        [Fact]
        public void AesCtr_counter_wraps_across_all_128_bits()
        {
            using var ctr = new AesCtrTransform(new byte[16], Enumerable.Repeat((byte)0xff, 16).ToArray());
            var twoBlocks = new byte[32];
            ctr.Transform(twoBlocks, 0, 32, twoBlocks, 0);
            using var aes = Aes.Create();
            aes.Mode = System.Security.Cryptography.CipherMode.ECB;
            aes.Padding = PaddingMode.None;
            aes.Key = new byte[16];
            var expectedSecond = aes.CreateEncryptor().TransformFinalBlock(new byte[16], 0, 16); // counter 0 after wrap
            Assert.Equal(Hex.Encode(expectedSecond), Hex.Encode(twoBlocks.Skip(16).ToArray()));
        }

        [Fact]
        public void AesCtr_counter_carries_from_the_low_64_bits_across_chunks_and_calls()
        {
            // Start 100 blocks before the low 64-bit word overflows; 600 blocks span several 4 KiB chunks.
            var start = Hex.Decode("0123456789abcdef" + "ffffffffffffff9c");
            var key = Hex.Decode("000102030405060708090a0b0c0d0e0f");
            const int Blocks = 600;
            var data = new byte[Blocks * 16];
            new Random(5).NextBytes(data);
            using var aes = Aes.Create();
            aes.Mode = System.Security.Cryptography.CipherMode.ECB;
            aes.Padding = PaddingMode.None;
            aes.Key = key;
            using var ecb = aes.CreateEncryptor();
            // Reference: the counter as 16 bytes, incremented byte-wise from the end.
            var counter = (byte[])start.Clone();
            var expected = new byte[data.Length];
            for (int b = 0; b < Blocks; b++)
            {
                var keystream = ecb.TransformFinalBlock(counter, 0, 16);
                for (int i = 0; i < 16; i++) expected[b * 16 + i] = (byte)(data[b * 16 + i] ^ keystream[i]);
                for (int i = 15; i >= 0 && ++counter[i] == 0; i--) { }
            }
            using var ctr = new AesCtrTransform(key, start);
            var output = new byte[data.Length];
            ctr.Transform(data, 0, 99 * 16, output, 0);
            ctr.Transform(data, 99 * 16, 2 * 16, output, 99 * 16);
            ctr.Transform(data, 101 * 16, (Blocks - 101) * 16, output, 101 * 16);
            Assert.Equal(Hex.Encode(expected), Hex.Encode(output));
        }

        [Fact]
        public void AesCbc_matches_SP800_38A_F21_and_chains_between_calls()
        {
            var plain = Hex.Decode(Sp800_38A_Plaintext);
            var key = Hex.Decode("2b7e151628aed2a6abf7158809cf4f3c");
            var iv = Hex.Decode("000102030405060708090a0b0c0d0e0f");
            const string expected = "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7";
            using var enc = CbcTransform.Aes(key, iv, encrypt: true);
            var cipher = new byte[64];
            enc.Transform(plain, 0, 32, cipher, 0);
            enc.Transform(plain, 32, 32, cipher, 32);
            Assert.Equal(expected, Hex.Encode(cipher));
            using var dec = CbcTransform.Aes(key, iv, encrypt: false);
            var back = new byte[64];
            dec.Transform(cipher, 0, 16, back, 0);
            dec.Transform(cipher, 16, 48, back, 16);
            Assert.Equal(Sp800_38A_Plaintext, Hex.Encode(back));
        }

        private const string GcmKey = "feffe9928665731c6d6a8f9467308308";
        private const string GcmNonce = "cafebabefacedbaddecaf888";
        private const string GcmPlaintext = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
        private const string GcmCiphertext = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985";

        [Theory]
        // McGrew & Viega, "The Galois/Counter Mode of Operation", AES-128 test case 3 (no AAD, 64 bytes)
        // and test case 4 (20-byte AAD, 60 bytes: a partial last block in both GHASH inputs).
        [InlineData("", 64, "4d5c2af327cd64a62cf35abd2ba6fab4")]
        [InlineData("feedfacedeadbeeffeedfacedeadbeefabaddad2", 60, "5bc94fbc3221a5db94fae95ae7121a47")]
        public void AesGcm_matches_GCM_spec_test_cases(string aad, int length, string tag)
        {
            using var gcm = new AesGcmCore(Hex.Decode(GcmKey));
            var plain = Hex.Decode(GcmPlaintext).Take(length).ToArray();
            var output = new byte[length];
            var computedTag = new byte[16];
            gcm.Encrypt(Hex.Decode(GcmNonce), Hex.Decode(aad), plain, 0, length, output, 0, computedTag, 0);
            Assert.Equal(GcmCiphertext.Substring(0, 2 * length), Hex.Encode(output));
            Assert.Equal(tag, Hex.Encode(computedTag));

            var back = new byte[length];
            Assert.True(gcm.Decrypt(Hex.Decode(GcmNonce), Hex.Decode(aad), output, 0, length, computedTag, 0, back, 0));
            Assert.Equal(plain, back);
            computedTag[15] ^= 1;
            Assert.False(gcm.Decrypt(Hex.Decode(GcmNonce), Hex.Decode(aad), output, 0, length, computedTag, 0, back, 0));
        }

        [Fact]
        public void ChaCha20_is_the_original_64bit_nonce_variant()
        {
            // Key and nonce all zero, block counter 0: the first keystream block of ChaCha20/20.
            var zero = new ChaCha20Stream(new byte[32]);
            zero.Start(new byte[8], 0);
            var block = new byte[64];
            zero.Process(block, 0, 64, block, 0);
            Assert.Equal("76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586", Hex.Encode(block));

            // Key 00..1f, nonce 000000000000004a, counter 1, 300 bytes (several blocks, partial end), expected
            // from OpenSSL's EVP_chacha20 with a 16-byte IV of counter64 LE || nonce64, as OpenSSH's libcrypto path uses it.
            var stream = new ChaCha20Stream(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
            stream.Start(Hex.Decode("000000000000004a"), 1);
            var data = Enumerable.Range(0, 300).Select(i => (byte)(i % 251)).ToArray();
            stream.Process(data, 0, 64, data, 0);
            stream.Process(data, 64, 236, data, 64);
            Assert.Equal("51790c6e89c4a7baa1cd60d7852258fdee72770b4770afe646dc68ef1147c276a9194d3d5c8a6d3e3164fa54bc2d6d91e2fac761844eb9e88dd35a58e1d12bb30cd584c7c2c36554fb1ee1be396c8b0aef53db218e2c7b0c93c1e3197f88708333d87700144856d918a8da8a7bb0384e853afef71e8ead0a39d962efe19bf2d2c2fffe863786bdc485e066514f1ebd418bcbf59babbd4435fcca9b1583d5a006d665ab7597cbda5fe0089761227619155287df3f1a2f1000665332e9549a4b130b2d8b8e73cb23b8fadba9a860c0b31dd8e7af10a11f60f4fcd6d78ad920540f718a262efc591f0ef9545f994cc8527ba968f146411f4e37ec314eb0992eb7a85952c61b57a6cc94605236adc8c54a15f1eeebc122b31dc8a5162826386a399aba5daacf3c19119a93b891db", Hex.Encode(data));
            Assert.Throws<InvalidOperationException>(() => stream.Process(data, 0, 1, data, 0)); // ended mid-block
        }

        [Theory]
        [InlineData("diffie-hellman-group1-sha1", 1024)]
        [InlineData("diffie-hellman-group14-sha1", 2048)]
        [InlineData("diffie-hellman-group14-sha256", 2048)]
        [InlineData("diffie-hellman-group16-sha512", 4096)]
        public void Fixed_groups_have_RFC3526_sizes(string name, int bits)
        {
            var method = (DiffieHellmanKeyExchange)SshAlgorithmCatalog.FindKeyExchange(name)!;
            Assert.Equal(bits, method.PrimeBits);
        }

        [Theory]
        [InlineData(ModpGroups.Oakley2_1024, 1024, "49286651ECE65381FFFFFFFFFFFFFFFF")]
        [InlineData(ModpGroups.Group14_2048, 2048, "15728E5A8AACAA68FFFFFFFFFFFFFFFF")]
        [InlineData(ModpGroups.Group15_3072, 3072, "4B82D120A93AD2CAFFFFFFFFFFFFFFFF")]
        [InlineData(ModpGroups.Group16_4096, 4096, "4DF435C934063199FFFFFFFFFFFFFFFF")]
        [InlineData(ModpGroups.Group17_6144, 6144, "E694F91E6DCC4024FFFFFFFFFFFFFFFF")]
        [InlineData(ModpGroups.Group18_8192, 8192, "60C980DD98EDD3DFFFFFFFFFFFFFFFFF")]
        public void Modp_primes_have_RFC3526_size_and_digits(string hex, int bits, string lastDigits)
        {
            var p = new Org.BouncyCastle.Math.BigInteger(hex, 16);
            Assert.Equal(bits, p.BitLength);
            Assert.StartsWith("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1", hex);
            Assert.EndsWith(lastDigits, hex);
        }

        [Theory]
        [InlineData(ModpGroups.Oakley2_1024)]
        [InlineData(ModpGroups.Group14_2048)]
        public void Modp_primes_are_safe_primes(string hex)
        {
            var p = new Org.BouncyCastle.Math.BigInteger(hex, 16);
            Assert.True(p.IsProbablePrime(4));
            Assert.True(p.ShiftRight(1).IsProbablePrime(4));
        }
    }
}
