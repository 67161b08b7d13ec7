using System;
using System.Security.Cryptography;
using System.Text;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Transport.Tests.SshAlgorithms
{
    /// <summary>
    /// The SSHSIG container of OpenSSH's PROTOCOL.sshsig, written here so signatures can be
    /// exchanged with `ssh-keygen -Y sign` / `-Y verify`.
    /// </summary>
    internal static class SshSig
    {
        private const string Begin = "-----BEGIN SSH SIGNATURE-----";
        private const string End = "-----END SSH SIGNATURE-----";

        /// <summary>The bytes the key actually signs: MAGIC || string namespace || string reserved || string hash alg || string H(message).</summary>
        public static byte[] SignedData(string ns, string hashAlgorithm, byte[] message)
        {
            byte[] digest = hashAlgorithm switch
            {
                "sha512" => SHA512.HashData(message),
                "sha256" => SHA256.HashData(message),
                _ => throw new ArgumentException(hashAlgorithm),
            };
            return new SshWireWriter().WriteBytes(Encoding.ASCII.GetBytes("SSHSIG")).WriteString(ns).WriteString("")
                .WriteString(hashAlgorithm).WriteBinary(digest).ToArray();
        }

        public static string Armor(byte[] publicKeyBlob, string ns, string hashAlgorithm, byte[] signatureBlob)
        {
            var blob = new SshWireWriter().WriteBytes(Encoding.ASCII.GetBytes("SSHSIG")).WriteUInt32(1).WriteBinary(publicKeyBlob)
                .WriteString(ns).WriteString("").WriteString(hashAlgorithm).WriteBinary(signatureBlob).ToArray();
            var base64 = Convert.ToBase64String(blob);
            var text = new StringBuilder(Begin + "\n");
            for (int i = 0; i < base64.Length; i += 70) text.Append(base64, i, Math.Min(70, base64.Length - i)).Append('\n');
            return text.Append(End).Append('\n').ToString();
        }

        public static (byte[] PublicKeyBlob, string Namespace, string HashAlgorithm, byte[] SignatureBlob) Parse(string armored)
        {
            int b = armored.IndexOf(Begin, StringComparison.Ordinal) + Begin.Length;
            int e = armored.IndexOf(End, StringComparison.Ordinal);
            var blob = Convert.FromBase64String(armored.Substring(b, e - b).Replace("\n", "").Replace("\r", ""));
            var reader = new SshWireReader(blob);
            if (Encoding.ASCII.GetString(reader.ReadBytes(6)) != "SSHSIG" || reader.ReadUInt32() != 1) throw new FormatException("not SSHSIG v1");
            var publicKey = reader.ReadBinary();
            var ns = reader.ReadString();
            reader.ReadBinary();
            var hash = reader.ReadString();
            var signature = reader.ReadBinary();
            return (publicKey, ns, hash, signature);
        }
    }
}
