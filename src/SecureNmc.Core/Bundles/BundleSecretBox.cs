using System;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace SecureNmc.Core.Bundles
{
    /// <summary>
    /// Seals single secrets (device passwords) with a key derived from the bundle password
    /// (AES-256-GCM, random 96-bit nonce, associated data naming the owner). Only an encrypted
    /// bundle has one. Sealed text is base64 of nonce || ciphertext || tag.
    /// </summary>
    public sealed class BundleSecretBox : IDisposable
    {
        private const int NonceLength = 12;
        private const int TagLength = 16;
        private readonly byte[] _key;
        private bool _disposed;

        internal BundleSecretBox(byte[] key)
        {
            _key = (byte[])key.Clone();
        }

        public string Seal(byte[] secret, string associatedData)
        {
            if (secret == null) throw new ArgumentNullException(nameof(secret));
            var nonce = new byte[NonceLength];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(nonce);
            var gcm = Create(true, nonce, associatedData);
            var output = new byte[NonceLength + gcm.GetOutputSize(secret.Length)];
            Buffer.BlockCopy(nonce, 0, output, 0, NonceLength);
            int n = gcm.ProcessBytes(secret, 0, secret.Length, output, NonceLength);
            gcm.DoFinal(output, NonceLength + n);
            return Convert.ToBase64String(output);
        }

        /// <summary>The secret's bytes (the caller zeroes them); a BundleException when the text was not sealed with this bundle's key for this owner.</summary>
        public byte[] Open(string sealedText, string associatedData, string owner)
        {
            byte[] blob;
            try { blob = Convert.FromBase64String(sealedText ?? ""); }
            catch (FormatException) { throw new BundleException(BundleError.Malformed, $"The sealed password of {owner} in the bundle is not base64."); }
            if (blob.Length < NonceLength + TagLength)
                throw new BundleException(BundleError.Malformed, $"The sealed password of {owner} in the bundle is too short.");
            var nonce = new byte[NonceLength];
            Buffer.BlockCopy(blob, 0, nonce, 0, NonceLength);
            var gcm = Create(false, nonce, associatedData);
            var plain = new byte[gcm.GetOutputSize(blob.Length - NonceLength)];
            try
            {
                int n = gcm.ProcessBytes(blob, NonceLength, blob.Length - NonceLength, plain, 0);
                gcm.DoFinal(plain, n);
                return plain;
            }
            catch (InvalidCipherTextException)
            {
                Array.Clear(plain, 0, plain.Length);
                throw new BundleException(BundleError.Tampered, $"The sealed password of {owner} does not open with this bundle's key (it was moved from another device or another bundle, or altered).");
            }
        }

        private GcmBlockCipher Create(bool encrypt, byte[] nonce, string associatedData)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(BundleSecretBox));
            var gcm = new GcmBlockCipher(new AesEngine());
            gcm.Init(encrypt, new AeadParameters(new KeyParameter(_key), TagLength * 8, nonce, Encoding.UTF8.GetBytes(associatedData ?? "")));
            return gcm;
        }

        public void Dispose()
        {
            _disposed = true;
            Array.Clear(_key, 0, _key.Length);
        }
    }
}
