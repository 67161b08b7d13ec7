using System;

namespace SecureNmc.Simulator.Ssh.Algorithms
{
    /// <summary>
    /// Encryption plus integrity for one direction of the binary packet protocol (RFC 4253 §6),
    /// covering all framings: encrypt-and-MAC, encrypt-then-MAC (-etm@openssh.com), AES-GCM
    /// (RFC 5647 as OpenSSH does it) and chacha20-poly1305@openssh.com, plus "none".
    /// A packet here is uint32 packet_length || byte padding_length || payload || padding.
    /// </summary>
    public interface IPacketProtection
    {
        /// <summary>Padding makes (packet minus any clear-text length field) a multiple of this (at least 8).</summary>
        int BlockSize { get; }

        /// <summary>True when packet_length is sent in clear and excluded from the padded length (ETM, GCM).</summary>
        bool LengthInClear { get; }

        /// <summary>Bytes the reader must have before it can learn packet_length.</summary>
        int FirstBlockSize { get; }

        /// <summary>Bytes of MAC/tag following the packet.</summary>
        int MacLength { get; }

        /// <summary>Encrypts and authenticates <paramref name="packet"/> with sequence number <paramref name="sequence"/>; returns the bytes to send.</summary>
        byte[] Seal(uint sequence, byte[] packet);

        /// <summary>
        /// Reads packet_length from the first <see cref="FirstBlockSize"/> received bytes. May keep
        /// state for <see cref="Open"/>. The caller must bound the value before trusting it.
        /// </summary>
        int ReadLength(uint sequence, byte[] firstBlock);

        /// <summary>
        /// Given everything received for the packet (first block + remainder + MAC), verifies and
        /// decrypts it, returning the plain packet. Throws
        /// <see cref="System.Security.Cryptography.CryptographicException"/> when authentication fails.
        /// </summary>
        byte[] Open(uint sequence, byte[] received);
    }

    /// <summary>A named cipher ("aes256-ctr", "chacha20-poly1305@openssh.com"...).</summary>
    public interface ICipherAlgorithm
    {
        string Name { get; }
        int KeyLength { get; }
        int IvLength { get; }
        /// <summary>AEAD ciphers (GCM, chacha20-poly1305) ignore the negotiated MAC.</summary>
        bool IsAead { get; }
        bool IsLegacy { get; }
    }

    /// <summary>A named MAC ("hmac-sha2-256", "hmac-sha2-512-etm@openssh.com"...).</summary>
    public interface IMacAlgorithm
    {
        string Name { get; }
        int KeyLength { get; }
        int Length { get; }
        bool EncryptThenMac { get; }
        bool IsLegacy { get; }
    }
}
