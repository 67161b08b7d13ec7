namespace SecureNmc.Simulator.Ssh.Algorithms
{
    /// <summary>
    /// A host-key signature algorithm as negotiated, e.g. "rsa-sha2-512" (key type "ssh-rsa")
    /// or "ssh-ed25519". Verifies server signatures in the client role.
    /// </summary>
    public interface IHostKeyAlgorithm
    {
        string Name { get; }
        /// <summary>The key blob's type name: "ssh-rsa" for all three RSA signature algorithms.</summary>
        string KeyType { get; }
        bool IsLegacy { get; }

        /// <summary>
        /// <paramref name="publicKeyBlob"/> is the SSH public-key encoding (RFC 4253 §6.6);
        /// <paramref name="signatureBlob"/> is string(name) + string(signature). False, never
        /// an exception, for a malformed key or signature.
        /// </summary>
        bool Verify(byte[] publicKeyBlob, byte[] data, byte[] signatureBlob);
    }

    /// <summary>A host private key for the server role (the card simulator).</summary>
    public interface IHostKey
    {
        string KeyType { get; }
        byte[] PublicKeyBlob { get; }

        /// <summary>Signature algorithm names this key can sign with, preferred first.</summary>
        string[] SignatureAlgorithms { get; }

        /// <summary>Returns the full signature blob: string(algorithmName) + string(signature).</summary>
        byte[] Sign(string algorithmName, byte[] data);
    }
}
