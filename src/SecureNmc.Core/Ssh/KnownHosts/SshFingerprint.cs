using System;
using System.Security.Cryptography;

namespace SecureNmc.Core.Ssh.KnownHosts
{
    /// <summary>Key fingerprints as OpenSSH prints them (ssh-keygen -l -E sha256).</summary>
    public static class SshFingerprint
    {
        /// <summary>"SHA256:" + base64 of SHA-256(public key blob) without '=' padding.</summary>
        public static string Sha256(byte[] publicKeyBlob)
        {
            if (publicKeyBlob == null) throw new ArgumentNullException(nameof(publicKeyBlob));
            using var sha = SHA256.Create();
            return "SHA256:" + Convert.ToBase64String(sha.ComputeHash(publicKeyBlob)).TrimEnd('=');
        }
    }
}
