using System;
using System.Security.Cryptography;
using System.Text;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Simulator.Ssh.Algorithms.HostKeys;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Simulator.Ssh.Keys
{
    /// <summary>
    /// The OpenSSH private key container (PROTOCOL.key, "openssh-key-v1"), unencrypted only:
    /// "openssh-key-v1\0", string cipher "none", string kdf "none", string kdf options, uint32 1,
    /// string public blob, string private section (checkint x2, keytype, key fields, comment, padding 1,2,3...).
    /// </summary>
    internal static class OpenSshPrivateKeyFormat
    {
        private const string Magic = "openssh-key-v1\0";
        private const string BeginLine = "-----BEGIN OPENSSH PRIVATE KEY-----";
        private const string EndLine = "-----END OPENSSH PRIVATE KEY-----";
        private const int UnencryptedBlockSize = 8;

        public static string Encode(IHostKey key, string comment)
        {
            if (!(key is IOpenSshPrivateKey privateKey))
                throw new ArgumentException($"This {key.KeyType} key was not created by SecureNmc and cannot be saved.");
            var checkBytes = CryptoBytes.Random(4);
            uint check = (uint)(checkBytes[0] << 24 | checkBytes[1] << 16 | checkBytes[2] << 8 | checkBytes[3]);
            var section = new SshWireWriter().WriteUInt32(check).WriteUInt32(check).WriteString(key.KeyType);
            privateKey.WritePrivateFields(section);
            section.WriteString(comment ?? "");
            for (byte pad = 1; section.Length % UnencryptedBlockSize != 0; pad++) section.WriteByte(pad);
            var sectionBytes = section.ToArray();

            var body = new SshWireWriter()
                .WriteBytes(Encoding.ASCII.GetBytes(Magic))
                .WriteString("none").WriteString("none").WriteBinary(Array.Empty<byte>())
                .WriteUInt32(1)
                .WriteBinary(key.PublicKeyBlob)
                .WriteBinary(sectionBytes)
                .ToArray();
            CryptoBytes.Wipe(sectionBytes);

            var base64 = Convert.ToBase64String(body);
            CryptoBytes.Wipe(body);
            var text = new StringBuilder().Append(BeginLine).Append('\n');
            for (int i = 0; i < base64.Length; i += 70)
                text.Append(base64, i, Math.Min(70, base64.Length - i)).Append('\n');
            return text.Append(EndLine).Append('\n').ToString();
        }

        public static IHostKey Decode(string text, out string comment)
        {
            var body = Unarmor(text);
            try
            {
                return DecodeBody(body, out comment);
            }
            catch (Exception e) when (!(e is SshKeyFormatException) && HostKeyAlgorithmBase.IsMalformedInput(e))
            {
                throw new SshKeyFormatException("The OpenSSH private key is truncated or malformed.", e);
            }
            finally
            {
                CryptoBytes.Wipe(body);
            }
        }

        private static byte[] Unarmor(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            int begin = text.IndexOf(BeginLine, StringComparison.Ordinal);
            int end = text.IndexOf(EndLine, StringComparison.Ordinal);
            if (begin < 0 || end < begin)
            {
                if (text.Contains("-----BEGIN RSA PRIVATE KEY-----") || text.Contains("-----BEGIN EC PRIVATE KEY-----") || text.Contains("-----BEGIN PRIVATE KEY-----"))
                    throw new SshKeyFormatException("This is a PEM/PKCS private key; convert it to the OpenSSH format first: ssh-keygen -p -N \"\" -f <file>.");
                throw new SshKeyFormatException("Not an OpenSSH private key: the '-----BEGIN OPENSSH PRIVATE KEY-----' block is missing.");
            }
            var base64 = new StringBuilder();
            foreach (var c in text.Substring(begin + BeginLine.Length, end - begin - BeginLine.Length))
                if (!char.IsWhiteSpace(c)) base64.Append(c);
            try
            {
                return Convert.FromBase64String(base64.ToString());
            }
            catch (FormatException e)
            {
                throw new SshKeyFormatException("The OpenSSH private key block is not valid base64.", e);
            }
        }

        private static IHostKey DecodeBody(byte[] body, out string comment)
        {
            var magic = Encoding.ASCII.GetBytes(Magic);
            if (body.Length < magic.Length || !CryptoBytes.FixedTimeEquals(body, 0, magic, 0, magic.Length))
                throw new SshKeyFormatException("Not an openssh-key-v1 private key.");
            var reader = new SshWireReader(body, magic.Length, body.Length - magic.Length);
            var cipher = reader.ReadString();
            var kdf = reader.ReadString();
            reader.ReadBinary(); // kdf options
            if (cipher != "none" || kdf != "none")
                throw new SshKeyFormatException($"The private key is encrypted ({cipher}/{kdf}); SecureNmc needs an unencrypted host key: ssh-keygen -p -N \"\" -f <file>.");
            uint count = reader.ReadUInt32();
            if (count != 1) throw new SshKeyFormatException($"The key file holds {count} keys; exactly one is supported.");
            var publicBlob = reader.ReadBinary();
            var section = new SshWireReader(reader.ReadBinary());
            if (section.ReadUInt32() != section.ReadUInt32())
                throw new SshKeyFormatException("The private key's check integers differ (corrupt or wrongly decrypted file).");
            var keyType = section.ReadString();
            var key = ReadKey(keyType, section);
            comment = section.ReadString();
            for (byte expected = 1; !section.AtEnd; expected++)
                if (section.ReadByte() != expected) throw new SshKeyFormatException("The private key's padding is malformed.");
            if (publicBlob.Length != key.PublicKeyBlob.Length || !CryptoBytes.FixedTimeEquals(publicBlob, 0, key.PublicKeyBlob, 0, publicBlob.Length))
                throw new SshKeyFormatException("The private key does not match the public key stored with it.");
            CheckSignsForItsPublicKey(key);
            return key;
        }

        /// <summary>
        /// A private scalar that does not belong to the stored public point (or a wrong RSA d) would
        /// otherwise only show up as every handshake failing; a trial signature catches it at load time.
        /// OpenSSL-backed platforms already refuse such keys on import; this covers the others.
        /// </summary>
        private static void CheckSignsForItsPublicKey(IHostKey key)
        {
            var probe = CryptoBytes.Random(32);
            var algorithmName = key.SignatureAlgorithms[0];
            var algorithm = SshAlgorithmCatalog.FindHostKeyAlgorithm(algorithmName);
            if (algorithm == null || !algorithm.Verify(key.PublicKeyBlob, probe, key.Sign(algorithmName, probe)))
                throw new SshKeyFormatException($"The {key.KeyType} private key does not produce signatures its public key verifies (corrupt key).");
        }

        private static IHostKey ReadKey(string keyType, SshWireReader section)
        {
            if (keyType == Ed25519HostKeyAlgorithm.AlgorithmName)
            {
                var pk = section.ReadBinary();
                var secret = section.ReadBinary();
                if (pk.Length != 32 || secret.Length != 64) throw new SshKeyFormatException("The Ed25519 private key has wrong field sizes.");
                var seed = new byte[32];
                Buffer.BlockCopy(secret, 0, seed, 0, 32);
                var key = new Ed25519HostKey(seed);
                CryptoBytes.Wipe(seed);
                CryptoBytes.Wipe(secret);
                if (!CryptoBytes.FixedTimeEquals(key.PublicKey, 0, pk, 0, 32))
                    throw new SshKeyFormatException("The Ed25519 private key does not match its public key.");
                return key;
            }
            var curve = EcdsaCurve.FromKeyType(keyType);
            if (curve != null)
            {
                if (section.ReadString() != curve.Identifier) throw new SshKeyFormatException($"The {keyType} private key names a different curve.");
                var q = EcdsaHostKeyAlgorithm.DecodePoint(section.ReadBinary(), curve)
                        ?? throw new SshKeyFormatException($"The {keyType} public point is malformed.");
                var d = CryptoBytes.FixedLength(section.ReadMpintUnsigned(), curve.FieldBytes);
                try
                {
                    return new EcdsaHostKey(curve, new ECParameters { Curve = curve.Curve, Q = q, D = d });
                }
                catch (CryptographicException e)
                {
                    throw new SshKeyFormatException($"The {keyType} private key is not a valid key on its curve.", e);
                }
            }
            if (keyType == RsaHostKeyAlgorithm.KeyTypeName)
            {
                var n = section.ReadMpintUnsigned();
                var e = section.ReadMpintUnsigned();
                var d = section.ReadMpintUnsigned();
                var iqmp = section.ReadMpintUnsigned();
                var p = section.ReadMpintUnsigned();
                var q = section.ReadMpintUnsigned();
                if (n.Length == 0 || e.Length == 0 || p.Length == 0 || q.Length == 0) throw new SshKeyFormatException("The RSA private key has empty fields.");
                try
                {
                    return new RsaHostKey(RsaKeyMath.FromOpenSsh(n, e, d, iqmp, p, q));
                }
                catch (CryptographicException ex)
                {
                    throw new SshKeyFormatException("The ssh-rsa private key is not a valid RSA key (its numbers are inconsistent).", ex);
                }
            }
            throw new SshKeyFormatException($"Unsupported private key type '{keyType}' (supported: ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa).");
        }
    }
}
