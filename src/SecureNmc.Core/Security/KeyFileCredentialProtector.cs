using System;
using System.IO;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using SecureNmc.Core.Storage;

namespace SecureNmc.Core.Security
{
    /// <summary>
    /// Linux/macOS: AES-256-GCM with a random 256-bit key kept in a file only the user can read
    /// (mode 0600, in an owner-only folder). The key is made on first use, under a lock so two
    /// sessions never make two different keys, and written so it is never readable by others even
    /// for an instant (file created and restricted while empty, then filled, then renamed in place).
    /// </summary>
    public sealed class KeyFileCredentialProtector : ICredentialProtector
    {
        private const int KeyBytes = 32;
        private const int NonceBytes = 12;
        private const int TagBits = 128;
        private const int TagBytes = TagBits / 8;
        private static readonly TimeSpan KeyLockTimeout = TimeSpan.FromSeconds(30);

        private readonly string _keyFile;
        private readonly string _lockFile;
        private readonly ILogger _logger;
        private readonly object _gate = new object();
        private byte[]? _key;

        public KeyFileCredentialProtector(DataFolder dataFolder, ILogger? logger = null)
            : this(dataFolder.CredentialKeyFile, dataFolder.CredentialKeyLockFile, logger) { }

        public KeyFileCredentialProtector(string keyFile, string lockFile, ILogger? logger = null)
        {
            _keyFile = Path.GetFullPath(keyFile);
            _lockFile = Path.GetFullPath(lockFile);
            _logger = logger ?? NullLogger.Instance;
        }

        public string Scheme => "AES-256-GCM (key file " + _keyFile + ")";

        public string KeyFile => _keyFile;

        public byte[] Protect(byte[] plaintext, byte[] associatedData)
        {
            if (plaintext == null) throw new ArgumentNullException(nameof(plaintext));
            var key = GetOrCreateKey();
            var nonce = new byte[NonceBytes];
            Random.GetBytes(nonce); // 96-bit random nonces: safe far beyond any inventory's number of secrets

            lock (_encryptGate)
            {
                var cipher = InitCipher(ref _encryptor, forEncryption: true, key, nonce, associatedData);
                var output = new byte[1 + NonceBytes + cipher.GetOutputSize(plaintext.Length)];
                output[0] = ProtectedBlobFormat.AesGcmKeyFileV1;
                Buffer.BlockCopy(nonce, 0, output, 1, NonceBytes);
                int written = cipher.ProcessBytes(plaintext, 0, plaintext.Length, output, 1 + NonceBytes);
                cipher.DoFinal(output, 1 + NonceBytes + written);
                return output;
            }
        }

        public byte[] Unprotect(byte[] protectedData, byte[] associatedData)
        {
            if (protectedData == null) throw new ArgumentNullException(nameof(protectedData));
            if (protectedData.Length < 1 + NonceBytes + TagBytes)
                throw new CredentialProtectionException("The stored secret is too short to be a protected secret; set the credential again.");
            if (protectedData[0] != ProtectedBlobFormat.AesGcmKeyFileV1)
                throw new CredentialProtectionException($"The stored secret was protected with {ProtectedBlobFormat.Describe(protectedData[0])} and cannot be opened here; set the credential again on this machine.");

            var key = LoadExistingKey() ?? throw new CredentialProtectionException(
                $"The credential key file '{_keyFile}' does not exist, so stored passwords cannot be decrypted. If it was deleted, set the devices' credentials again (Set-NmcDevice -Credential).");
            var nonce = new byte[NonceBytes];
            Buffer.BlockCopy(protectedData, 1, nonce, 0, NonceBytes);
            lock (_decryptGate)
            {
                var cipher = InitCipher(ref _decryptor, forEncryption: false, key, nonce, associatedData);
                return Decrypt(cipher, protectedData);
            }
        }

        private byte[] Decrypt(GcmBlockCipher cipher, byte[] protectedData)
        {
            int inputLength = protectedData.Length - 1 - NonceBytes;
            var output = new byte[cipher.GetOutputSize(inputLength)];
            try
            {
                int written = cipher.ProcessBytes(protectedData, 1 + NonceBytes, inputLength, output, 0);
                written += cipher.DoFinal(output, written);
                if (written != output.Length) Array.Resize(ref output, written);
                return output;
            }
            catch (InvalidCipherTextException e)
            {
                throw new CredentialProtectionException(
                    $"A stored secret failed its integrity check: it was altered, belongs to another record, or was protected with a different key than '{_keyFile}'. Set the credential again.", e);
            }
        }

        /// <summary>
        /// Re-initialises a cached cipher with a new nonce. The key schedule and GHASH tables are made
        /// once (a null key in AeadParameters keeps them): 10,000 imported passwords stay fast.
        /// </summary>
        private static GcmBlockCipher InitCipher(ref GcmBlockCipher? cached, bool forEncryption, byte[] key, byte[] nonce, byte[] associatedData)
        {
            bool fresh = cached == null;
            cached ??= new GcmBlockCipher(new AesEngine());
            cached.Init(forEncryption, new AeadParameters(fresh ? new KeyParameter(key) : null, TagBits, nonce, associatedData ?? Array.Empty<byte>()));
            return cached;
        }

        private static readonly RandomNumberGenerator Random = RandomNumberGenerator.Create();
        private readonly object _encryptGate = new object();
        private readonly object _decryptGate = new object();
        private GcmBlockCipher? _encryptor;
        private GcmBlockCipher? _decryptor;

        private byte[] GetOrCreateKey()
        {
            lock (_gate)
            {
                if (_key != null) return _key;
                var existing = LoadExistingKey();
                if (existing != null) return existing;
                using (CrossProcessFileLock.Acquire(_lockFile, KeyLockTimeout, "credential key", _logger))
                {
                    existing = LoadExistingKey(); // another session may have made it while we waited
                    if (existing != null) return existing;
                    CreateKeyFile();
                    return LoadExistingKey() ?? throw new CredentialProtectionException($"The credential key file '{_keyFile}' vanished right after it was created.");
                }
            }
        }

        private byte[]? LoadExistingKey()
        {
            lock (_gate)
            {
                if (_key != null) return _key;
                if (!File.Exists(_keyFile)) return null;
                var mode = UnixFilePermissions.TryGetMode(_keyFile);
                if (mode.HasValue && (mode.Value & 0x3F) != 0)
                    throw new CredentialProtectionException(
                        $"The credential key file '{_keyFile}' can be read by other users (mode {Convert.ToString(mode.Value, 8)}). " +
                        $"SecureNmc will not use it. Restrict it with 'chmod 600 \"{_keyFile}\"' and, if others may have copied it, set every device's credential again.");
                byte[] key;
                try { key = File.ReadAllBytes(_keyFile); }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    throw new CredentialProtectionException($"The credential key file '{_keyFile}' cannot be read: {e.Message}", e);
                }
                if (key.Length != KeyBytes)
                    throw new CredentialProtectionException($"The credential key file '{_keyFile}' is damaged (expected {KeyBytes} bytes, found {key.Length}). Move it aside and set the devices' credentials again.");
                _key = key;
                return key;
            }
        }

        private void CreateKeyFile()
        {
            var directory = Path.GetDirectoryName(_keyFile)!;
            PhysicalFileOperations.Instance.CreateDirectory(directory);
            var key = new byte[KeyBytes];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(key);
            // AtomicFileWriter creates its temp file owner-only while still empty, then renames it in place.
            new AtomicFileWriter(logger: _logger).WriteAllBytes(_keyFile, key, "credential key");
            Array.Clear(key, 0, key.Length);
            _logger.LogInformation("Created the credential key file {KeyFile} (owner read/write only).", _keyFile);
        }
    }
}
