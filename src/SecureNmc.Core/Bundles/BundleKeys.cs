using System;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;

namespace SecureNmc.Core.Bundles
{
    /// <summary>
    /// Keys derived from the bundle password: scrypt gives 64 bytes, split into the AES-256-GCM
    /// key and a key for the password check, so a wrong password is told apart from tampering.
    /// </summary>
    internal sealed class BundleKeys : IDisposable
    {
        private static readonly byte[] CheckLabel = Encoding.ASCII.GetBytes("SecureNmc bundle v1 password check");
        private static readonly byte[] CredentialLabel = Encoding.ASCII.GetBytes("SecureNmc bundle v1 credentials");

        private BundleKeys(byte[] encryptionKey, byte[] keyCheck, byte[] credentialKey)
        {
            EncryptionKey = encryptionKey;
            KeyCheck = keyCheck;
            CredentialKey = credentialKey;
        }

        public byte[] EncryptionKey { get; }
        public byte[] KeyCheck { get; }

        /// <summary>
        /// Seals each device password inside the devices part (a second layer under the payload
        /// encryption), so a verified part staged on disk during import never holds a password in clear.
        /// </summary>
        public byte[] CredentialKey { get; }

        public static BundleKeys Derive(char[] password, byte[] salt, ScryptParameters cost)
        {
            byte[] passwordBytes = Encoding.UTF8.GetBytes(password);
            byte[] material = Array.Empty<byte>();
            try
            {
                material = SCrypt.Generate(passwordBytes, salt, 1 << cost.LogN, cost.R, cost.P, 64);
                var encryptionKey = new byte[32];
                var checkKey = new byte[32];
                Buffer.BlockCopy(material, 0, encryptionKey, 0, 32);
                Buffer.BlockCopy(material, 32, checkKey, 0, 32);
                using var hmac = new HMACSHA256(checkKey);
                var check = new byte[BundleHeader.KeyCheckLength];
                Buffer.BlockCopy(hmac.ComputeHash(CheckLabel), 0, check, 0, check.Length);
                var credentialKey = hmac.ComputeHash(CredentialLabel);
                Array.Clear(checkKey, 0, checkKey.Length);
                return new BundleKeys(encryptionKey, check, credentialKey);
            }
            finally
            {
                Array.Clear(passwordBytes, 0, passwordBytes.Length);
                Array.Clear(material, 0, material.Length);
            }
        }

        /// <summary>Constant-time comparison of the stored and derived password checks.</summary>
        public bool Matches(byte[] storedCheck)
        {
            if (storedCheck.Length != KeyCheck.Length) return false;
            int diff = 0;
            for (int i = 0; i < KeyCheck.Length; i++) diff |= storedCheck[i] ^ KeyCheck[i];
            return diff == 0;
        }

        public void Dispose()
        {
            Array.Clear(EncryptionKey, 0, EncryptionKey.Length);
            Array.Clear(CredentialKey, 0, CredentialKey.Length);
        }
    }
}
