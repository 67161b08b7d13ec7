using SecureNmc.Core.Ssh.KnownHosts;
using System;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Simulator.Ssh.Keys
{
    /// <summary>An OpenSSH public key line: "ssh-ed25519 AAAAC3Nza... comment".</summary>
    public sealed class SshPublicKey
    {
        public SshPublicKey(byte[] blob, string? comment = null)
        {
            Blob = blob ?? throw new ArgumentNullException(nameof(blob));
            try
            {
                KeyType = new SshWireReader(blob).ReadString();
            }
            catch (SshWireException e)
            {
                throw new SshKeyFormatException("The public key blob does not start with a key type string.", e);
            }
            if (KeyType.Length == 0) throw new SshKeyFormatException("The public key blob has an empty key type.");
            Comment = comment ?? "";
        }

        public string KeyType { get; }
        public byte[] Blob { get; }
        public string Comment { get; }
        public string Fingerprint => SshFingerprint.Sha256(Blob);

        /// <summary>Parses "type base64 [comment]"; the type must match the one inside the blob.</summary>
        public static SshPublicKey Parse(string line)
        {
            if (line == null) throw new ArgumentNullException(nameof(line));
            var parts = line.Trim().Split(new[] { ' ', '\t' }, 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2) throw new SshKeyFormatException("An OpenSSH public key line is '<type> <base64> [comment]'.");
            byte[] blob;
            try
            {
                blob = Convert.FromBase64String(parts[1]);
            }
            catch (FormatException e)
            {
                throw new SshKeyFormatException($"The {parts[0]} public key's data is not valid base64.", e);
            }
            var key = new SshPublicKey(blob, parts.Length > 2 ? parts[2].Trim() : "");
            if (key.KeyType != parts[0])
                throw new SshKeyFormatException($"The line says '{parts[0]}' but the key data is '{key.KeyType}'.");
            return key;
        }

        public static bool TryParse(string line, out SshPublicKey? key)
        {
            try
            {
                key = Parse(line);
                return true;
            }
            catch (SshKeyFormatException)
            {
                key = null;
                return false;
            }
        }

        public override string ToString() =>
            KeyType + " " + Convert.ToBase64String(Blob) + (Comment.Length > 0 ? " " + Comment : "");
    }
}
