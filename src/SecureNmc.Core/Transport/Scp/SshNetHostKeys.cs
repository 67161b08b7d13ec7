using System;
using System.Text;

namespace SecureNmc.Core.Transport.Scp
{
    /// <summary>Reads the key type out of an SSH public key blob (RFC 4253 §6.6: string type, then key data).</summary>
    internal static class SshNetHostKeys
    {
        /// <summary>
        /// "ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256"...: the type of the key, not of the signature
        /// (rsa-sha2-512 signs with an ssh-rsa key), as the known-hosts store has always recorded it.
        /// </summary>
        public static string KeyType(byte[] blob)
        {
            if (blob == null || blob.Length < 4) return "unknown";
            int length = (blob[0] << 24) | (blob[1] << 16) | (blob[2] << 8) | blob[3];
            if (length <= 0 || length > 64 || length > blob.Length - 4) return "unknown";
            return Encoding.ASCII.GetString(blob, 4, length);
        }
    }
}
