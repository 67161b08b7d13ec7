using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Simulator.Ssh.Algorithms.HostKeys;

namespace SecureNmc.Simulator.Ssh.Keys
{
    /// <summary>Creates host keys and moves them to and from OpenSSH private key files.</summary>
    public static class SshHostKeys
    {
        /// <summary>Key types <see cref="Generate"/> accepts.</summary>
        public static readonly string[] SupportedKeyTypes =
            { "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa" };

        /// <summary>A fresh key: "ssh-ed25519", "ecdsa-sha2-nistp256/384/521" or "ssh-rsa" (<paramref name="rsaBits"/> 2048 to 16384).</summary>
        public static IHostKey Generate(string keyType, int rsaBits = 3072)
        {
            if (keyType == Ed25519HostKeyAlgorithm.AlgorithmName) return Ed25519HostKey.Generate();
            var curve = EcdsaCurve.FromKeyType(keyType ?? "");
            if (curve != null) return EcdsaHostKey.Generate(curve);
            if (keyType == RsaHostKeyAlgorithm.KeyTypeName)
            {
                if (rsaBits < 2048 || rsaBits > RsaHostKeyAlgorithm.MaximumModulusBits || rsaBits % 8 != 0)
                    throw new ArgumentOutOfRangeException(nameof(rsaBits), rsaBits, "RSA host keys must be 2048 to 16384 bits, a multiple of 8.");
                return new RsaHostKey(RsaKeyMath.Generate(rsaBits));
            }
            throw new ArgumentException($"Unsupported host key type '{keyType}'. Use one of: {string.Join(", ", SupportedKeyTypes)}.", nameof(keyType));
        }

        /// <summary>The key in the unencrypted OpenSSH private key format (text ssh-keygen and sshd read).</summary>
        public static string ToOpenSshPrivateKey(IHostKey key, string comment = "")
        {
            if (key == null) throw new ArgumentNullException(nameof(key));
            return OpenSshPrivateKeyFormat.Encode(key, comment);
        }

        /// <summary>Reads an unencrypted OpenSSH private key; <see cref="SshKeyFormatException"/> says what is wrong otherwise.</summary>
        public static IHostKey FromOpenSshPrivateKey(string text) => OpenSshPrivateKeyFormat.Decode(text, out _);

        public static IHostKey FromOpenSshPrivateKey(string text, out string comment) => OpenSshPrivateKeyFormat.Decode(text, out comment);

        /// <summary>
        /// Writes the private key file readable by its owner only (sshd refuses group/world-readable
        /// host keys), plus "<paramref name="path"/>.pub" holding the public key line.
        /// </summary>
        public static void Save(IHostKey key, string path, string comment = "")
        {
            if (key == null) throw new ArgumentNullException(nameof(key));
            if (string.IsNullOrEmpty(path)) throw new ArgumentException("A file path is required.", nameof(path));
            var text = ToOpenSshPrivateKey(key, comment);
            using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                RestrictToOwner(path);
                var bytes = Encoding.ASCII.GetBytes(text);
                stream.Write(bytes, 0, bytes.Length);
                CryptoBytes.Wipe(bytes);
            }
            File.WriteAllText(path + ".pub", new SshPublicKey(key.PublicKeyBlob, comment).ToString() + "\n", new UTF8Encoding(false));
        }

        /// <summary>Loads a private key file written by <see cref="Save"/> or by ssh-keygen (unencrypted).</summary>
        public static IHostKey Load(string path) => Load(path, out _);

        public static IHostKey Load(string path, out string comment)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new SshKeyFormatException($"Cannot read the host key file '{path}': {e.Message}", e);
            }
            try
            {
                return OpenSshPrivateKeyFormat.Decode(text, out comment);
            }
            catch (SshKeyFormatException e)
            {
                throw new SshKeyFormatException($"Host key file '{path}': {e.Message}", e);
            }
        }

        private static void RestrictToOwner(string path)
        {
            // On Windows the user profile's ACLs already keep the data folder private.
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            if (chmod(path, 0x180 /* 0600 */) != 0)
                throw new IOException($"Cannot restrict the permissions of '{path}' to its owner (errno {Marshal.GetLastWin32Error()}).");
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int chmod(string pathname, uint mode);
    }
}
