using System;

namespace SecureNmc.Simulator.Ssh.Algorithms
{
    /// <summary>The message flow a key exchange uses (RFC 4253 §8, RFC 4419, RFC 5656, RFC 8731).</summary>
    public enum KeyExchangeFlow
    {
        /// <summary>Fixed Diffie-Hellman group: KEXDH_INIT(30) / KEXDH_REPLY(31); e and f are mpints.</summary>
        FixedGroup,
        /// <summary>Group exchange: GEX_REQUEST(34) / GEX_GROUP(31) / GEX_INIT(32) / GEX_REPLY(33); e and f are mpints.</summary>
        GroupExchange,
        /// <summary>Elliptic curve (ECDH and curve25519): ECDH_INIT(30) / ECDH_REPLY(31); Q_C and Q_S are strings.</summary>
        EllipticCurve,
    }

    /// <summary>One named key-exchange method, e.g. "curve25519-sha256".</summary>
    public interface IKeyExchangeMethod
    {
        string Name { get; }
        KeyExchangeFlow Flow { get; }
        /// <summary>Off unless the device opts in to legacy algorithms.</summary>
        bool IsLegacy { get; }

        /// <summary>Hashes exchange-hash input and derives keys (SHA-1/256/384/512).</summary>
        byte[] Hash(byte[] data);

        /// <summary>A fresh ephemeral key pair for FixedGroup and EllipticCurve flows.</summary>
        IKeyAgreement CreateAgreement();

        /// <summary>A fresh ephemeral key pair in the group the server chose (GroupExchange flow).</summary>
        IKeyAgreement CreateAgreement(byte[] prime, byte[] generator);

        /// <summary>Server role, GroupExchange flow: picks a safe prime for the client's (min, n, max) bits.</summary>
        (byte[] Prime, byte[] Generator) ChooseGroup(int minBits, int preferredBits, int maxBits);
    }

    /// <summary>One side's ephemeral key for one exchange. Values are unsigned big-endian.</summary>
    public interface IKeyAgreement : IDisposable
    {
        /// <summary>e / f (DH, unsigned big-endian integer) or Q (EC point / 32-byte X25519 key).</summary>
        byte[] PublicValue { get; }

        /// <summary>
        /// K as an unsigned big-endian integer (the caller encodes it as mpint). Throws
        /// <see cref="System.Security.Cryptography.CryptographicException"/> for a peer value
        /// that is out of range, not on the curve, or yields an all-zero secret.
        /// </summary>
        byte[] DeriveSharedSecret(byte[] peerPublicValue);
    }
}
